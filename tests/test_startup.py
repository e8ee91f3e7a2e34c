"""Start-up stays light: what a command does not need is not imported (counted, never timed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "yaml",
    "sqlite3",
    "msgspec",
    "markdown_it",
    "nh3",
    "babel",
    "jsonschema",
    "pydantic",
    "tomli_w",
    "slugify",
    "multiprocessing",
    "concurrent.futures",
    "xml.etree",
    "rich.markdown",
    "rich.table",
    "rich.progress",
    "tempfile",
    "secrets",
    "prcli.validation",
    "prcli.exporters",
    "prcli.importers",
)


def imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_building_the_command_line_imports_nothing_heavy() -> None:
    modules = imported_after("import prcli.cli.app")
    heavy = {name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY)}
    assert heavy == set()
    assert "pydantic" not in modules  # Typer 0.29 would pull it in; see pyproject.toml


def probe(argv: list[str]) -> set[str]:
    """The modules a `prcli ...` run imported, in the project's sample repository."""
    from .conftest import PROJECT_ROOT

    code = (
        "import os, contextlib, io\n"
        f"os.chdir({str(PROJECT_ROOT)!r})\n"
        f"sys.argv = ['prcli', *{argv!r}]\n"
        "from prcli.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass"
    )
    return imported_after(code)


def command_modules(modules: set[str]) -> set[str]:
    return {name for name in modules if name.startswith("prcli.cli.") and name.endswith("_cmd")}


def test_root_help_imports_no_command_and_no_repository() -> None:
    modules = probe(["--help"])
    assert command_modules(modules) == set()
    for name in ("rich", "prcli.repository", "prcli.config", "sqlite3", "msgspec", "yaml"):
        assert name not in modules, name


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["list"], "prcli.cli.list_cmd"),
        (["list", "--help"], "prcli.cli.list_cmd"),
        (["show", "2021-10-15-regional-civil", "--format", "json"], "prcli.cli.show_cmd"),
        (["setup", "--help"], "prcli.cli.team_cmd"),
    ],
)
def test_a_command_imports_its_own_module_only(argv: list[str], module: str) -> None:
    assert command_modules(probe(argv)) == {module}


def test_the_command_table_matches_the_command_functions() -> None:
    """COMMANDS keeps each summary so `prcli --help` imports nothing: it must be the first
    sentence of the command's docstring (a group's help), or the listing would drift."""
    import importlib

    from prcli.cli.app import COMMANDS, summary

    for name, spec in COMMANDS.items():
        module = importlib.import_module(f"prcli.cli.{spec.module}")
        target = getattr(module, spec.function)
        if spec.group:
            assert target.info.help == spec.summary, name
        elif not spec.hidden:
            assert summary(target) == spec.summary, name
            assert getattr(module, spec.epilog), name
        if spec.cls:
            assert getattr(module, spec.cls), name


@pytest.mark.parametrize("width", [60, 80, 120])
def test_root_help_lists_the_commands_as_an_eager_group_would(width: int) -> None:
    """The lazy listing equals TyperGroup's own, which builds every command to ask its help."""
    import typer.main
    from typer import _click
    from typer.core import TyperGroup

    from prcli.cli.app import app

    group = typer.main.get_command(app)
    context = _click.Context(group, info_name="prcli", terminal_width=width)
    lazy, eager = context.make_formatter(), context.make_formatter()
    group.format_commands(context, lazy)  # type: ignore[attr-defined]
    assert not group.commands.built  # type: ignore[attr-defined]
    TyperGroup.format_commands(group, context, eager)  # type: ignore[arg-type]
    assert len(group.commands.built) == len(group.commands)  # type: ignore[attr-defined]
    assert lazy.getvalue() == eager.getvalue()
    assert "merge-driver" not in lazy.getvalue() and "contacts" in lazy.getvalue()


def test_version_does_not_even_import_typer() -> None:
    modules = imported_after(
        "sys.argv = ['prcli', '--version']\nfrom prcli.cli.main import main\nmain()"
    )
    assert "typer" not in modules and "rich" not in modules


@pytest.mark.parametrize("command", [["list", "--format", "ids"], ["status", "--format", "json"]])
def test_listing_does_not_load_renderers_or_exporters(command: list[str]) -> None:
    from .conftest import PROJECT_ROOT

    code = (
        "import os\n"
        f"os.chdir({str(PROJECT_ROOT)!r})\n"
        f"sys.argv = ['prcli', *{command!r}]\n"
        "from prcli.cli.app import app\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        app(prog_name='prcli')\n"
        "    except SystemExit:\n"
        "        pass"
    )
    modules = imported_after(code)
    for name in (
        "markdown_it",
        "nh3",
        "babel",
        "jsonschema",
        "prcli.exporters",
        "prcli.importers",
        "rich.markdown",
    ):
        assert name not in modules, name
