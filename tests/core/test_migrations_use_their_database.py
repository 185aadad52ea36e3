"""Data migrations read and write the database being migrated, not the default one.

A restore of an older backup migrates a scratch database (sobrindustrie.core.backup): a RunPython
function that queried `Model.objects` without `.using(schema_editor.connection.alias)` read the
live database's tables there (and, on a schema the live one no longer has, failed on a missing
column)."""

from __future__ import annotations

import ast
from pathlib import Path

import sobrindustrie

MIGRATIONS = sorted(Path(sobrindustrie.__file__).parent.glob("*/migrations/0*.py"))


def _run_python_functions(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "RunPython":
            names |= {arg.id for arg in node.args if isinstance(arg, ast.Name)}
    return names


def test_every_data_migration_names_the_database_it_migrates() -> None:
    offenders = []
    checked = 0
    for path in MIGRATIONS:
        tree = ast.parse(path.read_text())
        wanted = _run_python_functions(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in wanted:
                checked += 1
                source = ast.unparse(node)
                if ".objects" in source and "schema_editor.connection.alias" not in source:
                    offenders.append(f"{path.parent.parent.name}/{path.name}:{node.name}")
    assert checked >= 10  # the check reads the project's data migrations, not nothing
    assert offenders == []
