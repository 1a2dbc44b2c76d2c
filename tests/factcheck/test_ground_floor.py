"""factcheck/ is the ground every app stands on: no module of it imports an app, except the
settings and the URL configuration, which wire the apps together."""

from __future__ import annotations

import ast
from pathlib import Path

import factcheck

APPS = {"accounts", "claims", "sources", "public"}
WIRING = {"settings.py", "urls.py", "api_urls.py"}


def imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & APPS


def test_factcheck_modules_import_no_app():
    root = Path(factcheck.__file__).parent
    offenders = {str(path.relative_to(root)): sorted(imported_apps(path))
                 for path in sorted(root.rglob("*.py"))
                 if path.name not in WIRING or path.parent != root}
    assert {name: apps for name, apps in offenders.items() if apps} == {}


def test_the_check_sees_an_app_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom claims.models import Claim\ndef f():\n    import sources.text\n")
    assert imported_apps(module) == {"claims", "sources"}
