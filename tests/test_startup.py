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
