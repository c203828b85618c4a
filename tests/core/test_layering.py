"""core sits below wardtrack.extensions: extensions imports the problem schema and media type from core,
so the error handlers and schemas must not import extensions back, not even inside a function."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "wardtrack" / "core"


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["errors.py", "schemas.py", "files.py"])
def test_core_does_not_import_the_extensions(module):
    assert "wardtrack.extensions" not in _imported(CORE / module)
