"""Paths of the command line the rest of the suite left untested: archive, forced status moves,
every workflow --dry-run, a TOML repository at work, and error paths that name their fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prcli.model import Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import write_release
from .test_validation import good

ID = "2021-10-15-cis-security-chiefs-meet-in-moscow"


def test_archive_moves_a_published_release(repository: Repository, run: Run) -> None:
    path = write_release(repository, good(status=Status.PUBLISHED))
    result = run("archive", "2021-10-15-cis", "--by", "Kamran", "-m", "old news")
    assert result.exit_code == 0, result
    assert result.stdout == f"{ID}\n"
    assert "moved 2021-10-15-cis-security-chiefs-meet-in-moscow: published -> archived" in (
        result.stderr
    )
    release = repository.read(path).release
    assert release.status is Status.ARCHIVED
    step = release.history[-1]
    assert (step.status, step.by, step.note) == (Status.ARCHIVED, "Kamran", "old news")


def test_status_force_with_reason_approves_own_release(repository: Repository, run: Run) -> None:
    config = repository.root / "prcli.toml"
    config.write_text(config.read_text() + "\n[workflow]\nrequire_second_approver = true\n")
    path = write_release(repository, good(status=Status.DRAFT))
    assert run("status", "2021-10-15-cis", "review", "--by", "Leyla").exit_code == 0
    refused = run("status", "2021-10-15-cis", "approved", "--by", "Leyla")
    assert refused.exit_code == 1
    assert "cannot also approve it" in refused.stderr.replace("leyla", "Leyla")
    no_reason = run("status", "2021-10-15-cis", "approved", "--by", "Leyla", "--force")
    assert no_reason.exit_code == 2 and "--force needs --reason" in no_reason.stderr
    forced = run(
        "status", "2021-10-15-cis", "approved", "--by", "Leyla", "--force", "--reason", "alone"
    )
    assert forced.exit_code == 0, forced
    assert "review -> approved" in forced.stderr
    release = repository.read(path).release
    assert release.status is Status.APPROVED
    assert release.history[-1].by == "Leyla"
    assert "alone" in json.dumps(run("log", ID, "--format", "json").stdout)


@pytest.mark.parametrize(
    ("start", "command"),
    [
        (Status.DRAFT, ["submit"]),
        (Status.REVIEW, ["approve", "--by", "Kamran"]),
        (Status.PUBLISHED, ["archive"]),
        (Status.PUBLISHED, ["retract", "--reason", "Issued in error."]),
        (Status.DRAFT, ["status", "STATE:review"]),
    ],
)
def test_every_workflow_dry_run_changes_nothing(
    repository: Repository, run: Run, start: Status, command: list[str]
) -> None:
    path = write_release(repository, good(status=start))
    before = path.read_bytes()
    name, *rest = command
    state = [r.split(":", 1)[1] for r in rest if r.startswith("STATE:")]
    options = [r for r in rest if not r.startswith("STATE:")]
    result = run(name, "2021-10-15-cis", *state, *options, "--dry-run")
    assert result.exit_code == 0, result
    assert f"would move {ID}: {start} -> " in result.stderr
    assert path.read_bytes() == before
    assert not (repository.work_dir / "locks").exists() or path.read_bytes() == before
    done = run(name, "2021-10-15-cis", *state, *options)
    assert done.exit_code == 0 and f"moved {ID}: {start} -> " in done.stderr
    assert path.read_bytes() != before


def test_a_toml_repository_works_end_to_end(
    tmp_path: Path, run: Run, fake_editor, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "toml"
    made = run("init", str(root), "--org", "Press Office", "--format", "toml")
    assert made.exit_code == 0, made
    monkeypatch.chdir(root)
    created = run(
        "new",
        "A TOML release",
        "-c",
        "Events",
        "--no-input",
        "--body-file",
        "-",
        input="Words of the release.",
    )
    assert created.exit_code == 0, created
    path = root / created.stdout.strip()
    assert path.read_text().startswith("+++\nid = ")
    release_id = path.stem
    assert run("list", "--format", "ids").stdout.split() == [release_id]
    fake_editor(substitute="Words of the release.=>Better words of the release.")
    edited = run("edit", release_id)
    assert edited.exit_code == 0 and "Saved" in edited.stderr, edited
    assert path.read_text().startswith("+++\n")
    assert run("submit", release_id).exit_code == 0
    assert run("approve", release_id, "--by", "Second").exit_code == 0
    published = run("publish", release_id, "--by", "Second")
    assert published.exit_code == 0, published
    record = json.loads(run("show", release_id, "--format", "json").stdout)
    assert record["status"] == "published"
    assert record["body"].startswith("Better words")
    assert path.read_text().startswith("+++\n")


@pytest.mark.parametrize(
    ("arguments", "message", "hint"),
    [
        (["--now", "garbage", "list"], "cannot read the time 'garbage'", "2026-05-01T09:00:00"),
        (
            ["--repo", "/nonexistent", "list"],
            "/nonexistent is not a prcli repository",
            "prcli init",
        ),
        (["edit", "/etc/passwd"], "is outside the repository's releases folder", "release id"),
        (
            ["show", "2021-10-16-cis-security-chiefs-meet-agian"],
            "no release with id '2021-10-16-cis-security-chiefs-meet-agian'",
            "did you mean 2021-10-16-cis-security-chiefs-meet-again or",
        ),
        (["status", "2021-10-15-cis", "approved"], "cannot move from published to approved", ""),
        (["show", "not an id!"], "'not an id!' is not a release id", "prcli list"),
    ],
)
def test_error_paths_name_the_problem_and_the_fix(
    repository: Repository, run: Run, arguments: list[str], message: str, hint: str
) -> None:
    write_release(repository, good(status=Status.PUBLISHED))
    write_release(repository, good(id="2021-10-16-cis-security-chiefs-meet-again"))
    result = run(*arguments)
    assert result.exit_code in (1, 2)
    first, *rest = result.stderr.splitlines()
    assert first.startswith("error: ") and message in first, result
    assert hint in "\n".join(rest)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_ambiguous_prefix_lists_the_candidates(repository: Repository, run: Run) -> None:
    write_release(repository, good())
    write_release(repository, good(id="2021-10-15-cis-other-meeting", title="Other meeting"))
    result = run("show", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "'2021-10-15-cis' matches 2 releases:" in result.stderr
    assert "give more of the id" in result.stderr
