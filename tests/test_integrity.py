"""Issue 12, findings 2 and 8 (pinned clock) and change notes: a status no hand edit can forge,
corrections recorded on published releases, a retraction reason that says something."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prcli.model import EntryKind, HistoryEntry, Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import NOW

Add = Callable[..., Path]
FORGE = 'status: "draft"\ncategory=>status: "published"\ncategory'


@pytest.fixture
def draft(add: Add) -> Path:
    return add(
        title="CIS security chiefs meet in Moscow",
        status=Status.DRAFT,
        history=(HistoryEntry(Status.DRAFT, NOW, "Leyla", "created"),),
    )


def forge(path: Path) -> None:
    path.write_text(path.read_text().replace('status: "draft"', 'status: "published"', 1))


def test_edit_refuses_a_status_change_and_names_the_command(
    draft: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    original = draft.read_bytes()
    fake_editor(substitute=FORGE)
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1, result
    assert "the status cannot be changed by editing (draft -> published)" in result.stderr
    assert "prcli publish 2021-10-15-cis-security-chiefs-meet-in-moscow" in result.stderr
    assert draft.read_bytes() == original
    recovered = list((repository.root / ".prcli" / "recovery").glob("*.md"))
    assert len(recovered) == 1 and 'status: "published"' in recovered[0].read_text()


def test_edit_refuses_a_rewritten_history(draft: Path, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    original = draft.read_bytes()
    fake_editor(substitute='by: "Leyla"=>by: "Director"')
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1 and "history is written by the workflow" in result.stderr
    assert draft.read_bytes() == original


def test_hand_forged_status_is_reported_refused_and_held_back(
    draft: Path, run: Run, tmp_path: Path
) -> None:
    forge(draft)
    result = run("validate", "-f", "json")
    findings = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert [f["code"] for f in findings] == ["PR503"]
    assert "last step of the history is draft" in findings[0]["message"]
    assert "prcli publish" in findings[0]["hint"]

    log = run("log", "2021-10-15-cis")
    assert "PR503" in log.stderr and "not set by the workflow" in log.stderr

    archive = run("archive", "2021-10-15-cis")
    assert archive.exit_code == 1 and "[PR503]" in archive.stderr
    assert 'status: "published"' in draft.read_text()  # nothing moved

    for fmt in ("atom", "ninjs", "json"):
        exported = run("export", "-f", fmt)
        if fmt == "json":  # a data dump, not a public output: every release, as stored
            assert exported.exit_code == 0 and "CIS security" in exported.stdout
            continue
        assert exported.exit_code == 1, exported
        assert "CIS security" not in exported.stdout
        assert "refused, its status (published) is not backed by its history" in exported.stderr
    preview = run("export", "-f", "atom", "--include-unpublished")
    assert preview.exit_code == 1 and "CIS security" not in preview.stdout


def test_putting_a_forged_status_back_by_edit_is_allowed(
    draft: Path, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    forge(draft)
    fake_editor(substitute='status: "published"\ncategory=>status: "draft"\ncategory')
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 0, result
    assert run("validate").exit_code == 0


def test_publish_refuses_a_forged_approval(add: Add, run: Run) -> None:
    path = add(
        title="Forged approval",
        status=Status.APPROVED,
        history=(HistoryEntry(Status.REVIEW, NOW, "Leyla"),),
    )
    result = run("publish", "2021-10-15-forged")
    assert result.exit_code == 1
    assert "status is approved but the last step of the history is review" in result.stderr
    assert 'status: "approved"' in path.read_text()


PUBLISHED = (
    HistoryEntry(Status.APPROVED, NOW, "Kamran"),
    HistoryEntry(Status.PUBLISHED, NOW, "Kamran"),
)


@pytest.fixture
def published(add: Add) -> Path:
    return add(title="CIS security chiefs meet in Moscow", history=PUBLISHED)


def test_editing_a_published_release_needs_a_change_note(
    published: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="October 13=>October 14")
    original = published.read_bytes()
    refused = run("edit", "2021-10-15-cis")
    assert refused.exit_code == 1 and "needs a public change note" in refused.stderr
    assert "--minor" in refused.stderr and published.read_bytes() == original

    saved = run(
        "--now", "2026-11-28T09:00:00+04:00", "edit", "2021-10-15-cis", "--note", "Date corrected."
    )
    assert saved.exit_code == 0, saved
    step = repository.read(published).release.history[-1]
    assert (step.status, step.kind, step.note) == (
        Status.PUBLISHED,
        "correction",
        "Date corrected.",
    )
    assert step.at.isoformat() == "2026-11-28T09:00:00+04:00" and step.clock == "pinned"
    assert run("validate").exit_code == 0  # a correction keeps the status backed


def test_change_note_is_asked_on_a_terminal_and_empty_means_minor(
    published: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="October 13=>October 14")
    result = run("edit", "2021-10-15-cis", input="Date of the meeting corrected.\n", tty=True)
    assert result.exit_code == 0, result
    assert "Change note" in result.stderr and result.stdout == ""
    assert repository.read(published).release.history[-1].note == "Date of the meeting corrected."
    fake_editor(substitute="Moscow on=>Moscow, on")
    assert run("edit", "2021-10-15-cis", input="\n", tty=True).exit_code == 0
    assert repository.read(published).release.history[-1].kind == EntryKind.MINOR


def test_minor_edit_records_no_public_note(
    published: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="Moscow on=>Moscow, on")
    assert run("edit", "2021-10-15-cis", "--minor").exit_code == 0
    step = repository.read(published).release.history[-1]
    assert (step.kind, step.note) == ("minor", "")


def test_a_note_on_a_draft_is_not_needed_and_not_an_error(
    draft: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="Moscow on=>Moscow, on")
    result = run("edit", "2021-10-15-cis", "--note", "typo")
    assert result.exit_code == 0, result
    assert "only kept for published releases" in result.stderr
    assert len(repository.read(draft).release.history) == 1


@pytest.mark.parametrize("reason", ["", "   ", "\t"])
def test_empty_retraction_reason_is_an_error(published: Path, run: Run, reason: str) -> None:
    original = published.read_bytes()
    result = run("retract", "2021-10-15-cis", "--reason", reason)
    assert result.exit_code == 2
    if reason:  # a reason was given: it is empty, not missing
        assert "retract needs --reason" not in result.stderr
        assert "--reason given is empty (only spaces)" in result.stderr
        assert "why the release is withdrawn" in result.stderr
    else:
        assert "retract needs --reason" in result.stderr
    result = run("status", "2021-10-15-cis", "retracted", "--reason", reason)
    assert result.exit_code == 1 and "needs a reason" in result.stderr
    assert ("empty (only spaces)" in result.stderr) == bool(reason)
    assert published.read_bytes() == original


def test_a_pinned_clock_is_marked_in_the_history(run: Run, repository: Repository) -> None:
    created = run("new", "Pinned", "--category", "Events")
    assert created.exit_code == 0, created
    path = repository.root / created.stdout.strip()
    assert run("submit", path.stem).exit_code == 0
    history = repository.read(path).release.history
    assert [step.clock for step in history] == ["pinned", "pinned"]
    assert 'clock: "pinned"' in path.read_text()
    assert "pinned clock" in run("log", path.stem).stdout


def test_the_system_clock_is_not_marked(
    run: Run, repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRCLI_NOW")
    created = run("new", "Real time", "--category", "Events")
    path = repository.root / created.stdout.strip()
    assert repository.read(path).release.history[0].clock == ""
    assert "clock" not in path.read_text()


@pytest.mark.parametrize("command", ["submit", "approve"])
def test_submit_and_approve_refuse_placeholder_text(add: Add, run: Run, command: str) -> None:
    """Issue 12, finding 8: only publish refused placeholders; submit and approve pass them."""
    status = Status.DRAFT if command == "submit" else Status.REVIEW
    path = add(
        title="CIS security chiefs meet in Moscow",
        status=status,
        history=(HistoryEntry(status, NOW, "Leyla"),),
        body="The meeting was held in Moscow. [Insert quote from the director]",
    )
    result = run(command, "2021-10-15-cis", "--by", "Kamran")
    assert result.exit_code == 1, result
    assert "still holds placeholder text" in result.stderr and "PR307" in result.stderr
    assert f'status: "{status}"' in path.read_text()


def test_translate_marks_the_title_and_submit_waits_for_the_translation(
    add: Add, run: Run, repository: Repository
) -> None:
    """Issue 12, finding 8: the title is marked TODO, the wording names the language right."""
    add(title="CIS security chiefs meet in Moscow", history=PUBLISHED)
    created = run("translate", "2021-10-15-cis", "-l", "az")
    assert created.exit_code == 0, created
    assert "a draft in az of" in created.stderr
    path = repository.root / created.stdout.strip()
    assert (
        repository.read(path).release.title == "TODO translate: CIS security chiefs meet in Moscow"
    )
    refused = run("submit", path.stem)
    assert refused.exit_code == 1 and "placeholder text" in refused.stderr
    again = run("translate", "2021-10-15-cis", "-l", "az")
    assert "already has a version in az" in again.stderr
