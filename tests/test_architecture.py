"""The core never imports the command line: typer, rich and prcli.cli stay inside src/prcli/cli/."""

from __future__ import annotations

import ast
from pathlib import Path

import prcli

CORE = Path(prcli.__file__).resolve().parent
FORBIDDEN = ("typer", "rich", "click", "prcli.cli")
# The `python -m prcli` entry point starts the command line; it is not core code.
ENTRY_POINTS = {CORE / "__main__.py"}


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; write prcli.x in full")
    return names


def core_modules() -> list[Path]:
    return [
        path
        for path in sorted(CORE.rglob("*.py"))
        if (CORE / "cli") not in path.parents and path not in ENTRY_POINTS
    ]


def test_nothing_outside_cli_imports_typer_rich_or_the_cli() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(
            name
            for name in imported_names(path)
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
        )
        for path in core_modules()
    }
    assert {module: names for module, names in offenders.items() if names} == {}
    assert len(core_modules()) > 30  # the walk found the core


def test_the_check_sees_an_offender(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from rich.text import Text\n    import prcli.cli.output\n")
    assert {"rich.text", "prcli.cli.output"} <= imported_names(module)
