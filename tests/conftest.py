"""Fixtures: throwaway repositories in tmp_path, a pinned clock, a clean environment, a CLI runner."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from prcli.cli.app import app
from prcli.model import Release
from prcli.repository import Repository

from .helpers import CONFIG_TEXT, NOW, make_release, write_release

# Bounded and deterministic: CI runs on 2 cores with no deadline flakiness.
settings.register_profile(
    "prcli",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("prcli")

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour forcing, no inherited repository, editor or debug setting; a pinned clock."""
    for name in (
        "PRCLI_REPO",
        "PRCLI_DEBUG",
        "VISUAL",
        "EDITOR",
        "GITHUB_ACTIONS",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRCLI_NOW", NOW.isoformat())
    monkeypatch.setenv("COLUMNS", "120")
    # git user.name is read for the audit trail: make it the same on every machine.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.name")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "Test Author")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def __repr__(self) -> str:  # shown by pytest when an assertion about the result fails
        return f"Result(exit_code={self.exit_code})\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke prcli in-process; stdout and stderr are kept apart."""

    def invoke(*args: str, input: str | bytes | None = None, tty: bool = False) -> Result:
        monkeypatch.setattr("prcli.cli.terminal.stdin_is_interactive", lambda: tty)
        result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def repo_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository (en, az, ru; Asia/Baku) and the working folder set to it."""
    root = tmp_path / "press"
    (root / "releases").mkdir(parents=True)
    (root / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def repository(repo_root: Path) -> Repository:
    return Repository.open(repo_root)


@pytest.fixture
def add(repository: Repository) -> Iterator[Callable[..., Path]]:
    """Write a release into the repository: add(title=..., ...) -> path."""

    def write(release: Release | None = None, **fields: object) -> Path:
        return write_release(repository, release or make_release(**fields))

    yield write


@pytest.fixture
def fake_editor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., None]:
    """Set $EDITOR to a script that edits the file as told: fake_editor(replace=text) etc."""
    script = Path(__file__).with_name("fake_editor.py")

    def configure(**instructions: str) -> None:
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
        for key in ("replace", "substitute", "append", "fail", "log", "race", "gather", "hang"):
            monkeypatch.delenv(f"FAKE_EDITOR_{key.upper()}", raising=False)
        for key, value in instructions.items():
            monkeypatch.setenv(f"FAKE_EDITOR_{key.upper()}", value)

    return configure
