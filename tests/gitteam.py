"""A team on several machines, in tmp_path: one bare remote and clones with their own git identity.
Real git, no network: the remote is a folder."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prcli.cli.app import app

from .conftest import Result
from .helpers import CONFIG_TEXT


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass
class Team:
    root: Path
    monkeypatch: pytest.MonkeyPatch
    clones: dict[str, Path] = field(default_factory=dict)

    @property
    def remote(self) -> Path:
        return self.root / "remote.git"

    def prcli(self, who: str, *args: str, now: str | None = None) -> Result:
        """Run prcli in `who`'s clone, in-process (git still runs the merge driver as a process)."""
        with self.monkeypatch.context() as patch:
            patch.chdir(self.clones[who])
            if now:
                patch.setenv("PRCLI_NOW", now)
            patch.setattr("prcli.cli.terminal.stdin_is_interactive", lambda: False)
            result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, who: str, *args: str, now: str | None = None) -> Result:
        result = self.prcli(who, *args, now=now)
        assert result.exit_code == 0, result
        return result

    def edit(self, who: str, reference: str, old: str, new: str, now: str | None = None) -> None:
        """`prcli edit` with an editor that replaces `old` by `new`."""
        import sys

        script = Path(__file__).with_name("fake_editor.py")
        with self.monkeypatch.context() as patch:
            patch.setenv("EDITOR", f"{sys.executable} {script}")
            patch.setenv("FAKE_EDITOR_SUBSTITUTE", f"{old}=>{new}")
            self.ok(who, "edit", reference, now=now)

    def head(self, who: str) -> str:
        return git(self.clones[who], "rev-parse", "HEAD").stdout.strip()

    def new(self, who: str, title: str, body: str, now: str | None = None) -> str:
        """`prcli new` in `who`'s clone; returns the new release's path in the repository."""
        text = self.root / f"body-{who}.md"
        text.write_text(body, encoding="utf-8")
        result = self.ok(
            who,
            "new",
            title,
            "--no-edit",
            "--no-input",
            "-c",
            "Events",
            "--body-file",
            str(text),
            now=now,
        )
        return result.stdout.strip()

    def clone(self, who: str) -> Path:
        folder = self.root / who
        git(self.root, "clone", "-q", str(self.remote), who)
        git(folder, "config", "user.name", who.capitalize())
        git(folder, "config", "user.email", f"{who}@example.org")
        self.clones[who] = folder
        self.ok(who, "setup", "git")
        return folder


def make_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> Team:
    """A remote holding a prcli repository (first commit by the first person), and a clone each."""
    for name in ("GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"):
        monkeypatch.delenv(name, raising=False)  # each clone has its own user.name
    team = Team(tmp_path, monkeypatch)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(team.remote))
    seed = tmp_path / "seed"
    (seed / "releases").mkdir(parents=True)
    (seed / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    (seed / ".gitignore").write_text(".prcli/\n", encoding="utf-8")
    (seed / ".gitattributes").write_text(
        "*.md text eol=lf\nprcli.toml text eol=lf\nreleases/**/*.md merge=prcli\n", encoding="utf-8"
    )
    git(seed, "init", "-q", "-b", "main")
    git(seed, "config", "user.name", "Seed")
    git(seed, "config", "user.email", "seed@example.org")
    (seed / "releases" / ".keep").write_text("", encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "A prcli repository")
    git(seed, "remote", "add", "origin", str(team.remote))
    git(seed, "push", "-q", "origin", "main")
    for name in names:
        team.clone(name)
    return team


def release_files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted((folder / "releases").rglob("*.md"))
    }
