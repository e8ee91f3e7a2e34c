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
