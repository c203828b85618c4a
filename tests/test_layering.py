"""The package order holds in imports and in data, and docs/architecture.md shows the graph as it is."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "import_graph.py"


def _graph_module():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_upward_import_no_stand_in_and_the_picture_is_current():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_the_check_finds_an_upward_import_and_a_table_read_by_name(tmp_path, monkeypatch):
    graph = _graph_module()
    package = tmp_path / "wardtrack"
    for name in ("patients", "contacts"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "patients" / "queries.py").write_text(
        "import sqlalchemy as sa\n"
        "from wardtrack.contacts.models import Contact\n"
        "from ..contacts import queries\n"
        "_contacts = sa.table('contacts', sa.column('patient_id'))\n")
    (package / "contacts" / "queries.py").write_text("from wardtrack.patients.models import Patient\n")
    monkeypatch.setattr(graph, "ROOT", tmp_path)
    monkeypatch.setattr(graph, "PACKAGE", package)
    edges, problems = graph.scan()
    assert edges == {"patients": {"contacts"}, "contacts": {"patients"}}
    assert problems == [
        "wardtrack/patients/queries.py:4: a table read by name (sa.table stand-in)",
        "wardtrack/patients/queries.py:2: patients imports wardtrack.contacts.models, which sits above it",
        "wardtrack/patients/queries.py:3: patients imports wardtrack.contacts, which sits above it",
    ]


def test_the_picture_is_rebuilt_from_the_graph():
    graph = _graph_module()
    picture = graph.mermaid({"contacts": {"patients", "core"}, "patients": {"core"}, "core": {"extensions"}})
    assert picture.splitlines()[2:-1] == ["  contacts --> patients", "  patients --> core"]
