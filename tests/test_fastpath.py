"""The fast path of a bare `prcli list` (prcli.cli.fastpath) behaves as the Typer command does: it
takes only the command lines it should, passes `listing.run` the values Typer passes, and whole
processes print the same bytes on stdout and stderr and end with the same exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prcli.cli import fastpath
from prcli.cli.context import AppContext

from .conftest import PROJECT_ROOT, Run
from .helpers import CONFIG_TEXT

PRCLI = Path(sys.executable).with_name("prcli")
TYPER_PATH = "import sys\nfrom prcli.cli.app import app\napp(prog_name='prcli')"


@pytest.fixture
def no_root_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in fastpath.ROOT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list"], "table"),
        (["list", "--format", "json"], "json"),
        (["list", "-f", "csv"], "csv"),
        (["list", "--format=ids"], "ids"),
        (["list", "--format", "jsonl"], "jsonl"),
        # everything else is Typer's: options, help, bad values, root options, other commands
        (["list", "--format", "JSON"], None),
        (["list", "--format", "xml"], None),
        (["list", "--format"], None),
        (["list", "-fjson"], None),
        (["list", "--all"], None),
        (["list", "--help"], None),
        (["list", "extra"], None),
        (["--repo", ".", "list"], None),
        (["list", "--format", "json", "--format", "csv"], None),
        (["show", "x"], None),
        ([], None),
    ],
)
def test_only_a_bare_list_takes_the_fast_path(
    argv: list[str], expected: str | None, no_root_variables: None
) -> None:
    assert fastpath.listing_format(argv) == expected


@pytest.mark.parametrize("variable", fastpath.ROOT_VARIABLES)
def test_root_options_from_the_environment_go_to_typer(
    variable: str, no_root_variables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "1")
    assert fastpath.listing_format(["list"]) is None


def test_the_formats_are_the_list_commands_choices() -> None:
    from prcli.cli.app import build

    option = next(p for p in build("list").params if p.name == "fmt")
    assert tuple(option.type.choices) == fastpath.FORMATS  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", fastpath.FORMATS)
def test_listing_gets_the_values_typer_gives(
    fmt: str, run: Run, monkeypatch: pytest.MonkeyPatch, no_root_variables: None
) -> None:
    calls: list[tuple[AppContext, dict[str, Any]]] = []

    def record(app: AppContext, **values: Any) -> None:
        calls.append((app, values))

    monkeypatch.setattr("prcli.cli.list_cmd.run", record)
    monkeypatch.setattr("prcli.cli.listing.run", record)
    result = run("list", "--format", fmt)
    assert result.exit_code == 0
    assert fastpath.run_list(fmt) == 0
    (typer_app, typer_values), (fast_app, fast_values) = calls
    assert fast_values == typer_values
    assert {k: type(v) for k, v in fast_values.items()} == {
        k: type(v) for k, v in typer_values.items()
    }
    assert (fast_app.repo_option, fast_app.now_option, fast_app.use_cache, fast_app.cwd) == (
        typer_app.repo_option,
        typer_app.now_option,
        typer_app.use_cache,
        typer_app.cwd,
    )


def _both(argv: list[str], cwd: Path, columns: str = "120") -> None:
    """Runs `prcli ARGV` (the fast path) and the Typer app with the same arguments in the same
    folder and environment; asserts the fast path was taken and both ended the same way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRCLI_")}
    env.update(COLUMNS=columns, GIT_CONFIG_GLOBAL=os.devnull)
    fast = subprocess.run(
        [PRCLI, *argv], cwd=cwd, env=env, capture_output=True, timeout=60, check=False
    )
    slow = subprocess.run(
        [sys.executable, "-c", TYPER_PATH, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(PROJECT_ROOT / "releases", root / "releases")
    shutil.copy2(PROJECT_ROOT / "prcli.toml", root / "prcli.toml")
    # the index built, so that the import probe below sees a warm listing
    subprocess.run([PRCLI, "list", "--format", "ids"], cwd=root, capture_output=True, check=True)
    return root


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("argv", "columns"),
    [
        (["list"], "120"),
        (["list"], "72"),
        (["list", "--format", "json"], "120"),
        (["list", "-f", "csv"], "120"),
        (["list", "--format=ids"], "120"),
    ],
)
def test_the_sample_lists_the_same(sample: Path, argv: list[str], columns: str) -> None:
    _both(argv, sample, columns)


@pytest.mark.subprocess
def test_failures_end_the_same(tmp_path: Path) -> None:
    _both(["list"], tmp_path)  # not in a repository: one error line, its hint and exit code
    root = tmp_path / "press"
    (root / "releases" / "2026").mkdir(parents=True)
    (root / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    _both(["list"], root)  # no releases yet
    (root / "releases" / "2026" / "2026-11-27-broken.md").write_text(
        "---\nid: [unclosed\n---\nbody\n", encoding="utf-8"
    )
    _both(["list"], root)  # an unreadable release: reported on stderr, exit code 1
    _both(["list", "--format", "json"], root)
    (root / "prcli.toml").write_text("[repository\n", encoding="utf-8")
    _both(["list"], root)  # a broken prcli.toml


def test_a_bare_list_does_not_import_typer(sample: Path, no_root_variables: None) -> None:
    from .test_startup import probe

    for name in fastpath.ROOT_VARIABLES:
        assert name not in os.environ
    from .test_startup import NOT_FOR_LIST, heavy

    fast = probe(["list"], sample)
    assert "typer" not in fast and "rich.table" in fast
    assert heavy(fast, NOT_FOR_LIST) == set()
    assert "typer" in probe(["list", "--all"], sample)
