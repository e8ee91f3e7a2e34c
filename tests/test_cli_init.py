"""prcli init."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from prcli import config

from .conftest import Run


def test_init_with_flags_creates_a_working_repository(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "press"
    result = run(
        "init",
        str(target),
        "--org",
        "State Security Service",
        "--department",
        "PR Department",
        "--timezone",
        "Asia/Baku",
        "-l",
        "en",
        "-l",
        "az",
        "-l",
        "ru",
        "--category",
        "Events",
    )
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "Created a prcli repository" in result.stderr
    settings = config.load(target / "prcli.toml")
    assert settings.organisation == "State Security Service"
    assert settings.languages == ("en", "az", "ru")
    assert settings.categories == ("Events",)
    assert settings.timezone_name == "Asia/Baku"
    assert (target / "releases").is_dir()
    assert "*.md text eol=lf" in (target / ".gitattributes").read_text()
    assert ".prcli/" in (target / ".gitignore").read_text()
    listed = run("--repo", str(target), "list")
    assert listed.exit_code == 0, listed
    assert "no releases yet" in listed.stderr


def test_init_refuses_an_existing_repository_and_changes_nothing(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "press"
    assert run("init", str(target), "--org", "First").exit_code == 0
    before = (target / "prcli.toml").read_bytes()
    result = run("init", str(target), "--org", "Second")
    assert result.exit_code == 1
    assert "already a prcli repository" in result.stderr
    assert (target / "prcli.toml").read_bytes() == before


def test_init_without_terminal_names_the_missing_flag(tmp_path: Path, run: Run) -> None:
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "missing --org" in result.stderr
    assert not (tmp_path / "x").exists()


def test_init_prompts_on_a_terminal(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "asked"
    result = run("init", str(target), input="Asked Org\nPress Office\nEurope/Moscow\n\n", tty=True)
    assert result.exit_code == 0, result
    assert "Organisation" in result.stderr  # prompts go to stderr, never stdout
    assert result.stdout == ""
    data = tomllib.loads((target / "prcli.toml").read_text())
    assert data["organisation"] == {
        "name": "Asked Org",
        "department": "Press Office",
        "timezone": "Europe/Moscow",
    }


def test_init_asks_for_languages_on_a_terminal(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "trilingual"
    answers = "Org\n\nAsia/Baku\nen, English ru\nen, az ru\n"
    result = run("init", str(target), input=answers, tty=True)
    assert result.exit_code == 0, result
    assert "Languages" in result.stderr
    assert "'English' is not a BCP 47 language tag" in result.stderr  # asked again
    assert result.stdout == ""
    data = tomllib.loads((target / "prcli.toml").read_text())
    assert data["releases"]["languages"] == ["en", "az", "ru"]
    assert data["releases"]["default_language"] == "en"


def test_init_languages_default_to_english_on_a_terminal(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "plain"
    result = run("init", str(target), input="Org\n\nUTC\n\n", tty=True)
    assert result.exit_code == 0, result
    assert "the first is the default) [en]:" in result.stderr
    data = tomllib.loads((target / "prcli.toml").read_text())
    assert data["releases"]["languages"] == ["en"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--timezone", "Mars/Olympus"], "unknown timezone"),
        (["--language", "English"], "not a BCP 47 language tag"),
        (["--format", "xml"], "--format must be yaml or toml"),
    ],
)
def test_init_rejects_bad_values_before_writing(
    tmp_path: Path, run: Run, flags: list[str], message: str
) -> None:
    target = tmp_path / "bad"
    result = run("init", str(target), "--org", "X", *flags)
    assert result.exit_code != 0
    assert message in result.stderr
    assert not (target / "prcli.toml").exists()


def test_init_keeps_existing_git_settings(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "press"
    target.mkdir()
    (target / ".gitignore").write_text("node_modules/")
    assert run("init", str(target), "--org", "X").exit_code == 0
    assert (target / ".gitignore").read_text() == "node_modules/\n.prcli/\n/private/\n/site/\n"


def _git(cwd: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_init_inside_another_clone_leaves_its_git_config_alone(tmp_path: Path, run: Run) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    _git(outer, "init", "-q")
    config_before = (outer / ".git" / "config").read_bytes()

    result = run("init", str(outer / "imp"), "--org", "Org", "--no-input")

    assert result.exit_code == 0, result
    assert (outer / ".git" / "config").read_bytes() == config_before
    assert "Installed the merge driver" not in result.stderr
    assert "git settings were left alone" in result.stderr and "git init" in result.stderr


def test_init_at_the_top_of_a_clone_installs_the_driver_there(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "press"
    target.mkdir()
    _git(target, "init", "-q")

    result = run("init", str(target), "--org", "Org", "--no-input")

    assert result.exit_code == 0, result
    assert "Installed the merge driver" in result.stderr
    assert "prcli.gitsync.driver" in _git(target, "config", "--local", "merge.prcli.driver")


def test_init_ignores_the_site_folder_the_readme_exports_into(tmp_path: Path, run: Run) -> None:
    # README: `prcli export --format html -o site/`; the generated site is not for git
    target = tmp_path / "press"
    target.mkdir()
    _git(target, "init", "-q")
    assert run("init", str(target), "--org", "Org", "--no-input").exit_code == 0
    (target / "site" / "en").mkdir(parents=True)
    (target / "site" / "en" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    (target / "releases" / "kept.md").write_text("x", encoding="utf-8")
    untracked = _git(target, "status", "--porcelain", "--untracked-files=all")
    assert "site/" not in untracked
    assert "releases/kept.md" in untracked  # the check sees untracked files at all


def test_sample_repository_ignores_its_site_folder() -> None:
    # The sample repository is this project's root: following the README's site export there must
    # leave git clean.
    import subprocess

    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout of prcli (no .git at the project root)")
    found = subprocess.run(
        ["git", "check-ignore", "site/en/index.html", "site/search/en/pagefind.js"],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
    )
    assert found.stdout.split() == ["site/en/index.html", "site/search/en/pagefind.js"]
