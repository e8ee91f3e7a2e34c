"""Start-up stays light: what a command does not need is not imported (counted, never timed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's sample repository (file times kept) whose index is built, so a
    listing answers from it as it does on a user's second run."""
    from .conftest import PROJECT_ROOT

    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(PROJECT_ROOT / "releases", root / "releases")
    shutil.copy2(PROJECT_ROOT / "prcli.toml", root / "prcli.toml")
    prcli = Path(sys.executable).with_name("prcli")
    subprocess.run([prcli, "list", "--format", "ids"], cwd=root, capture_output=True, check=True)
    return root


def probe(argv: list[str], where: Path | None = None) -> set[str]:
    """The modules a `prcli ...` run imported (in `where`, by default the project's folder)."""
    from .conftest import PROJECT_ROOT

    code = (
        "import os, contextlib, io\n"
        f"os.chdir({str(where or PROJECT_ROOT)!r})\n"
        "os.environ['COLUMNS'] = '120'\n"
        f"sys.argv = ['prcli', *{argv!r}]\n"
        "from prcli.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass"
    )
    return imported_after(code)


def command_modules(modules: set[str]) -> set[str]:
    return {name for name in modules if name.startswith("prcli.cli.") and name.endswith("_cmd")}


def heavy(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == name or m.startswith(name + ".") for name in names)}


# What issue 13 took out of the start-up of `prcli --help` and of a warm `prcli list`; each of these
# costs milliseconds to import (see benchmarks/README.md) and must not come back unnoticed.
NOT_FOR_HELP = (
    "rich",
    "typer.rich_utils",
    "msgspec",
    "yaml",
    "sqlite3",
    "prcli.repository",
    "prcli.config",
)
NOT_FOR_LIST = (
    "msgspec",  # a warm listing streams stored records; the table decodes them with json
    "yaml",
    "prcli.safeyaml",
    "hashlib",  # loads OpenSSL; the index's scan digest takes BLAKE2 from _blake2
    "typer.rich_utils",  # Typer's Rich help and errors (rich_markup_mode=None)
    "rich._emoji_codes",  # column headers are Text, never parsed for :emoji: codes
    "rich.markdown",
    "rich.panel",
    "rich.progress",
    "markdown_it",
    "jinja2",
    "PIL",
    "babel",
    "multiprocessing",
    "concurrent.futures",
)


def test_root_help_imports_no_command_and_no_repository() -> None:
    modules = probe(["--help"])
    assert command_modules(modules) == set()
    assert heavy(modules, NOT_FOR_HELP) == set()


def test_a_warm_list_imports_nothing_it_does_not_draw(sample: Path) -> None:
    table = probe(["list"], sample)
    assert "rich.table" in table and "sqlite3" in table  # the probe did list from the index
    assert heavy(table, NOT_FOR_LIST) == set()
    machine = probe(["list", "--format", "json"], sample)
    assert heavy(machine, (*NOT_FOR_LIST, "rich")) == set()


def test_finished_records_quote_strings_as_msgspec_would() -> None:
    """records.finish quotes the path and the translations with json's C string encoder so that
    a warm listing needs no msgspec: the bytes must be msgspec's for any string."""
    from hypothesis import given
    from hypothesis import strategies as st

    from prcli import records

    text = st.text(st.characters(blacklist_categories=("Cs",)))

    @given(path=text, translations=st.lists(text, max_size=4))
    def check(path: str, translations: list[str]) -> None:
        stored = records.encode({"id": "x"})[:-1]
        finished = records.finish(stored, path, translations)
        assert finished == records.encode({"id": "x", "translations": translations, "path": path})

    check()
    every_character = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert records.finish(b'{"a":1', every_character, [every_character]) == records.encode(
        {"a": 1, "translations": [every_character], "path": every_character}
    )


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
    assert "..." not in lazy.getvalue() and "…" not in lazy.getvalue()  # summaries whole


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
