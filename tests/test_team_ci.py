"""prcli setup ci: the generated workflows parse as YAML, run the right commands, never twice at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import Run
from .gitteam import git


@pytest.fixture
def clone(repo_root: Path) -> Path:
    git(repo_root, "init", "-q", "-b", "main")
    return repo_root


def test_github_workflow(clone: Path, run: Run) -> None:
    result = run("setup", "ci", "github")
    assert result.exit_code == 0, result
    assert result.stdout.strip() == ".github/workflows/prcli-publish.yml"
    text = (clone / ".github/workflows/prcli-publish.yml").read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["schedule"] == [{"cron": "7-59/10 * * * *"}]
    assert workflow["concurrency"] == {"group": "prcli-publish", "cancel-in-progress": False}
    assert workflow["permissions"]["contents"] == "write"
    steps = workflow["jobs"]["publish"]["steps"]
    script = "\n".join(step.get("run", "") for step in steps)
    for command in (
        "prcli setup git",
        "prcli publish --due",
        "prcli sync",
        "prcli export --format html",
        "prcli export --format atom",
        "prcli export --format rss",
    ):
        assert command in script
    assert script.index("publish --due") < script.index("prcli sync") < script.index("export")
    assert "can be late" in text and "catches up" in text


def test_gitlab_workflow_is_included_and_uses_a_resource_group(clone: Path, run: Run) -> None:
    result = run("setup", "ci", "gitlab", "--every", "5")
    assert result.exit_code == 0, result
    included = yaml.safe_load((clone / ".gitlab-ci.yml").read_text())
    assert included == {"include": [{"local": ".gitlab/prcli-publish.yml"}]}
    job = yaml.safe_load((clone / ".gitlab/prcli-publish.yml").read_text())["prcli-publish"]
    assert job["resource_group"] == "prcli-publish"
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    script = "\n".join(job["before_script"] + job["script"])
    assert "prcli publish --due" in script and "prcli sync" in script
    assert "PRCLI_PUSH_TOKEN" in script and "git checkout -B" in script
    assert job["artifacts"]["paths"] == ["public"]


def test_an_existing_gitlab_ci_file_is_not_touched(clone: Path, run: Run) -> None:
    (clone / ".gitlab-ci.yml").write_text("test:\n  script: [make]\n")
    result = run("setup", "ci", "gitlab")
    assert result.exit_code == 0 and "add to .gitlab-ci.yml" in result.stderr
    assert (clone / ".gitlab-ci.yml").read_text() == "test:\n  script: [make]\n"


def test_a_changed_workflow_is_not_overwritten_without_force(clone: Path, run: Run) -> None:
    assert run("setup", "ci", "github").exit_code == 0
    path = clone / ".github/workflows/prcli-publish.yml"
    path.write_text(path.read_text() + "# our own note\n")
    refused = run("setup", "ci", "github")
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert path.read_text().endswith("# our own note\n")
    assert run("setup", "ci", "github", "--force").exit_code == 0
    assert not path.read_text().endswith("# our own note\n")


def test_a_repository_in_a_subfolder_runs_there(tmp_path: Path, repo_root: Path, run: Run) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    assert run("setup", "ci", "github").exit_code == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/prcli-publish.yml").read_text())
    assert workflow["defaults"]["run"]["working-directory"] == "press"


@pytest.mark.parametrize("every", ["1", "7", "90"])
def test_bad_intervals_and_hosts_are_refused(clone: Path, run: Run, every: str) -> None:
    result = run("setup", "ci", "github", "--every", every)
    assert result.exit_code == 2 and "divide an hour" in result.stderr
    assert not (clone / ".github").exists()
    unknown = run("setup", "ci", "jenkins")
    assert unknown.exit_code == 2 and "github | gitlab" in unknown.stderr


@pytest.mark.subprocess
def test_the_github_job_script_publishes_what_is_due_pushes_and_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated step, run by bash in a clone: a release whose time has passed is published
    (late is fine), one whose time has not come stays approved, the result is pushed, the site and
    feeds are exported."""
    import os
    import subprocess
    import sys

    from .gitteam import make_team

    team = make_team(tmp_path, monkeypatch, "ana", "ci")
    stems = []
    for title, at in (("Due an hour ago", "10:30"), ("Due tomorrow", "2026-11-28T09:00")):
        stem = Path(
            team.new("ana", title, "The text of the release.", "2026-11-27T09:00+04:00")
        ).stem
        team.ok("ana", "submit", stem, now="2026-11-27T10:00:00+04:00")
        team.ok("ana", "approve", stem, now="2026-11-27T10:01:00+04:00")
        team.ok("ana", "publish", stem, "--at", at, now="2026-11-27T10:02:00+04:00")
        stems.append(stem)
    team.ok("ana", "sync", now="2026-11-27T10:03:00+04:00")
    ci = team.clones["ci"]
    git(ci, "pull", "-q")
    git(ci, "config", "user.name", "prcli scheduler")
    assert team.prcli("ci", "setup", "ci", "github").exit_code == 0
    workflow = yaml.safe_load((ci / ".github/workflows/prcli-publish.yml").read_text())
    script = workflow["jobs"]["publish"]["steps"][-2]["run"]
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PRCLI_NOW": "2026-11-27T11:31:00+04:00",  # the run started an hour late
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=ci, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    def statuses() -> list[str]:
        folder = team.clones["ana"] / "releases/2026"
        return [
            yaml.safe_load((folder / f"{stem}.md").read_text().split("---\n")[1])["status"]
            for stem in stems
        ]

    assert statuses() == ["approved", "approved"]
    git(team.clones["ana"], "pull", "-q")
    assert statuses() == ["published", "approved"]
    assert git(team.remote, "log", "-1", "--format=%s", "main").stdout.strip() == (
        f"prcli: publish {stems[0]} (prcli scheduler)"
    )
    feed = (ci / "public/feed.atom").read_text()
    assert "Due an hour ago" in feed and "Due tomorrow" not in feed
    assert (ci / "public/index.html").exists()


@pytest.mark.parametrize(
    ("host", "path"),
    [("github", ".github/workflows/prcli-publish.yml"), ("gitlab", ".gitlab/prcli-publish.yml")],
)
def test_without_install_the_file_warns_that_prcli_is_not_on_the_index(
    clone: Path, run: Run, host: str, path: str
) -> None:
    """prcli is not on PyPI: the default `pip install prcli==...` fails on the runner, so the
    command says so on stderr (naming --install with an example) and the file carries a note."""
    result = run("setup", "ci", host)
    assert result.exit_code == 0, result
    assert result.stdout.strip() == path  # stdout stays data only
    assert "not on the Python package index" in result.stderr
    assert f"prcli setup ci {host} --force --install" in result.stderr
    assert "git+https://" in result.stderr
    text = (clone / path).read_text()
    assert "# NOTE: prcli is not on the Python package index" in text
    assert yaml.safe_load(text)  # the comment keeps the file valid YAML


def test_with_install_there_is_no_warning_and_the_command_is_used(clone: Path, run: Run) -> None:
    command = 'python -m pip install "prcli @ git+https://example.org/team/prcli.git"'
    result = run("setup", "ci", "github", "--install", command)
    assert result.exit_code == 0, result
    assert "package index" not in result.stderr
    text = (clone / ".github/workflows/prcli-publish.yml").read_text()
    assert "package index" not in text
    steps = yaml.safe_load(text)["jobs"]["publish"]["steps"]
    assert {"name": "Install prcli", "run": command} in steps
