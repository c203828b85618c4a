"""The offline shell: every module a script imports exists and is precached by the service worker."""

import re

from wardtrack import ROOT
from wardtrack.web.views import SHELL_STATIC

IMPORT = re.compile(r"""(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["']\./([\w./-]+)["']""")


def test_every_imported_module_exists_and_is_in_the_offline_shell():
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    imported = {(script.name, target) for script in scripts for target in IMPORT.findall(script.read_text())}
    assert len(imported) > 20  # the pattern finds the imports the scripts have
    missing = sorted((name, target) for name, target in imported if not (ROOT / "static" / "js" / target).is_file())
    assert missing == []
    assert {f"js/{target}" for _name, target in imported} <= set(SHELL_STATIC)
    assert "js/sw.js" not in SHELL_STATIC  # the worker itself is served from the root, never precached
