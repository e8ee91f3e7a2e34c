"""The workflow: transitions, audit trail, second approver, publish gate, scheduling, retraction,
the live overview and translations, all with a pinned clock."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from prcli.model import HistoryEntry, Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import BAKU, NOW, write_release
from .test_subprocess import PRCLI
from .test_validation import WORDS, good


def status_of(repository: Repository, path: Path) -> Status:
    return repository.read(path).release.status


@pytest.fixture
def draft(repository: Repository) -> Path:
    return write_release(repository, good(status=Status.DRAFT))


def test_a_day_in_the_life(repository: Repository, draft: Path, run: Run) -> None:
    assert run("submit", "2021-10-15-cis", "--by", "Leyla", "-m", "ready").exit_code == 0
    assert run("approve", "2021-10-15-cis", "--by", "Kamran").exit_code == 0
    published = run("publish", "2021-10-15-cis", "--by", "Kamran")
    assert published.exit_code == 0, published
    assert published.stdout == "2021-10-15-cis-security-chiefs-meet-in-moscow\n"
    assert "approved -> published" in published.stderr
    release = repository.read(draft).release
    assert release.status is Status.PUBLISHED
    assert [(h.status, h.by, h.note) for h in release.history] == [
        (Status.REVIEW, "Leyla", "ready"),
        (Status.APPROVED, "Kamran", ""),
        (Status.PUBLISHED, "Kamran", ""),
    ]
    assert all(h.at == NOW and h.at.utcoffset() == NOW.utcoffset() for h in release.history)
    assert release.updated == NOW
    log = run("log", "2021-10-15-cis")
    assert "Leyla" in log.stdout and "published" in log.stdout
    trail = json.loads(run("log", "2021-10-15-cis", "--format", "json").stdout)
    assert [step["status"] for step in trail] == ["review", "approved", "published"]


def test_who_defaults_to_git_user_name(repository: Repository, draft: Path, run: Run) -> None:
    run("submit", "2021-10-15-cis")
    assert repository.read(draft).release.history[-1].by == "Test Author"


def test_forbidden_move_names_the_allowed_ones(
    repository: Repository, draft: Path, run: Run
) -> None:
    before = draft.read_bytes()
    result = run("publish", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "cannot move from draft to published" in result.stderr
    assert "allowed from draft: review" in result.stderr
    assert draft.read_bytes() == before
    unknown = run("status", "2021-10-15-cis", "live")
    assert unknown.exit_code == 2 and "Invalid value" in unknown.stderr


def test_status_moves_any_allowed_way_and_back_to_draft(
    repository: Repository, draft: Path, run: Run
) -> None:
    assert run("status", "2021-10-15-cis", "review").exit_code == 0
    assert run("status", "2021-10-15-cis", "draft", "--note", "changes requested").exit_code == 0
    release = repository.read(draft).release
    assert release.status is Status.DRAFT and release.history[-1].note == "changes requested"
    shown = run("status", "2021-10-15-cis")
    assert shown.stdout == "draft\n" and "allowed moves: review" in shown.stderr


def test_several_ids_at_once_report_each(repository: Repository, run: Run) -> None:
    write_release(repository, good(status=Status.DRAFT))
    write_release(repository, good(id="2021-10-15-two", title="Two", status=Status.PUBLISHED))
    result = run("submit", "2021-10-15-cis", "2021-10-15-two")
    assert result.exit_code == 1
    assert result.stdout == "2021-10-15-cis-security-chiefs-meet-in-moscow\n"
    assert "2021-10-15-two cannot move from published to review" in result.stderr


@pytest.fixture
def second_approver(repo_root: Path) -> Repository:
    config = repo_root / "prcli.toml"
    config.write_text(config.read_text() + "\n[workflow]\nrequire_second_approver = true\n")
    return Repository.open(repo_root)


def test_second_pair_of_eyes(second_approver: Repository, run: Run) -> None:
    path = write_release(second_approver, good(status=Status.DRAFT))
    run("submit", "2021-10-15-cis", "--by", "Leyla")
    refused = run("approve", "2021-10-15-cis", "--by", "leyla")
    assert refused.exit_code == 1
    assert (
        "Leyla submitted 2021-10-15-cis-security-chiefs-meet-in-moscow and cannot also approve it"
        in refused.stderr.replace("leyla", "Leyla")
    )
    assert status_of(second_approver, path) is Status.REVIEW
    no_reason = run("approve", "2021-10-15-cis", "--by", "Leyla", "--force")
    assert no_reason.exit_code == 2 and "--force needs --reason" in no_reason.stderr
    forced = run(
        "approve", "2021-10-15-cis", "--by", "Leyla", "--force", "--reason", "alone on duty"
    )
    assert forced.exit_code == 0, forced
    assert "approved by its own submitter" in forced.stderr
    assert second_approver.read(path).release.history[-1].override == "alone on duty"
    listed = run("list")
    assert "approved!" in listed.stdout and "own submitter" in listed.stderr
    findings = json.loads(run("validate", "--format", "json").stdout)
    assert [(f["code"], f["severity"]) for f in findings] == [("PR501", "warning")]


def test_another_approver_clears_the_override(second_approver: Repository, run: Run) -> None:
    release = good(
        status=Status.APPROVED,
        history=(
            HistoryEntry(Status.REVIEW, NOW, "Leyla"),
            HistoryEntry(Status.APPROVED, NOW, "Leyla", override="alone"),
        ),
    )
    write_release(second_approver, release)
    assert [f["code"] for f in json.loads(run("validate", "-f", "json").stdout)] == ["PR501"]
    run("status", "2021-10-15-cis", "draft", "--by", "Kamran")
    run("submit", "2021-10-15-cis", "--by", "Leyla")
    assert run("approve", "2021-10-15-cis", "--by", "Kamran").exit_code == 0
    assert json.loads(run("validate", "-f", "json").stdout) == []


def test_publish_gate_refuses_validation_errors(repository: Repository, run: Run) -> None:
    path = write_release(repository, good(status=Status.APPROVED, category="Gossip"))
    before = path.read_bytes()
    result = run("publish", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "has 1 validation error(s); it was not published" in result.stderr
    assert "unknown category 'Gossip' [PR102]" in result.stderr
    assert path.read_bytes() == before


def test_publish_gate_refuses_an_embargo_until_it_lifts(repository: Repository, run: Run) -> None:
    embargo = datetime(2026, 11, 27, 12, 0, tzinfo=BAKU)
    path = write_release(repository, good(status=Status.APPROVED, embargo_until=embargo))
    refused = run("publish", "2021-10-15-cis")
    assert (
        refused.exit_code == 1 and "under embargo until 2026-11-27T12:00:00+04:00" in refused.stderr
    )
    assert "--at" in refused.stderr
    later = run("--now", "2026-11-27T12:00:01+04:00", "publish", "2021-10-15-cis")
    assert later.exit_code == 0, later
    assert status_of(repository, path) is Status.PUBLISHED


def test_schedule_then_publish_due(repository: Repository, run: Run) -> None:
    first = write_release(repository, good(status=Status.APPROVED))
    second = write_release(
        repository, good(id="2021-10-15-later", title="Later", status=Status.APPROVED)
    )
    today = run("publish", "2021-10-15-cis", "--at", "11:30", "--dry-run")
    assert (
        "would schedule 2021-10-15-cis-security-chiefs-meet-in-moscow for 2026-11-27T11:30:00+04:00"
        in today.stderr
    )
    scheduled = run("publish", "2021-10-15-cis", "--at", "2026-11-28T09:00")
    assert scheduled.exit_code == 0, scheduled
    assert (
        "no timezone; the repository's applies (Asia/Baku): 2026-11-28T09:00:00+04:00"
        in scheduled.stderr
    )
    assert repository.read(first).release.publish_at == datetime(2026, 11, 28, 9, tzinfo=BAKU)
    assert run("publish", "2021-10-15-later", "--at", "2026-12-05T09:00+04:00").exit_code == 0
    nothing = run("publish", "--due")
    assert nothing.exit_code == 0 and "Nothing is due" in nothing.stderr
    dry = run("--now", "2026-11-28T09:30+04:00", "publish", "--due", "--dry-run")
    assert (
        "would move 2021-10-15-cis-security-chiefs-meet-in-moscow: approved -> published"
        in dry.stderr
    )
    assert status_of(repository, first) is Status.APPROVED
    due = run("--now", "2026-11-28T09:30+04:00", "publish", "--due")
    assert due.exit_code == 0
    assert due.stdout == "2021-10-15-cis-security-chiefs-meet-in-moscow\n"
    published = repository.read(first).release
    assert published.status is Status.PUBLISHED and published.publish_at is None
    assert published.history[-1].note == "scheduled publication"
    assert status_of(repository, second) is Status.APPROVED


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--at", "2026-11-27T09:00+04:00"], "is in the past"),
        (["--at", "tomorrow"], "cannot read the time 'tomorrow'"),
    ],
)
def test_bad_schedules(
    repository: Repository, run: Run, arguments: list[str], message: str
) -> None:
    write_release(repository, good(status=Status.APPROVED))
    result = run("publish", "2021-10-15-cis", *arguments)
    assert result.exit_code != 0 and message in result.stderr


def test_schedule_before_the_embargo_is_refused(repository: Repository, run: Run) -> None:
    write_release(
        repository,
        good(status=Status.APPROVED, embargo_until=datetime(2026, 12, 1, 9, tzinfo=BAKU)),
    )
    result = run("publish", "2021-10-15-cis", "--at", "2026-11-30T09:00+04:00")
    assert result.exit_code == 1 and "before the embargo lifts" in result.stderr


def test_retract_needs_a_reason_and_keeps_the_notice(repository: Repository, run: Run) -> None:
    path = write_release(repository, good())
    no_reason = run("retract", "2021-10-15-cis")
    assert no_reason.exit_code == 2 and "retract needs --reason" in no_reason.stderr
    result = run("retract", "2021-10-15-cis", "--reason", "Issued in error.")
    assert result.exit_code == 0
    release = repository.read(path).release
    assert release.status is Status.RETRACTED and release.retraction == "Issued in error."
    assert run("archive", "2021-10-15-cis").exit_code == 1  # retracted is final


def test_status_overview_at_a_time(repository: Repository, run: Run) -> None:
    write_release(repository, good(id="2021-10-15-live", title="Live one"))
    write_release(
        repository,
        good(
            id="2021-10-15-emb",
            title="Embargoed one",
            status=Status.APPROVED,
            embargo_until=datetime(2026, 11, 27, 15, tzinfo=BAKU),
        ),
    )
    write_release(
        repository,
        good(
            id="2021-10-15-sched",
            title="Scheduled one",
            status=Status.APPROVED,
            publish_at=datetime(2026, 11, 28, 9, tzinfo=BAKU),
        ),
    )
    write_release(
        repository, good(id="2021-10-15-old", title="Expired one", expires=date(2022, 1, 1))
    )
    write_release(
        repository,
        good(
            id="2021-10-15-gone", title="Retracted one", status=Status.RETRACTED, retraction="wrong"
        ),
    )
    data = json.loads(run("status", "--format", "json").stdout)
    assert {k: [r["id"] for r in v] for k, v in data.items() if k != "at"} == {
        "embargoed": ["2021-10-15-emb"],
        "scheduled": ["2021-10-15-sched"],
        "live": ["2021-10-15-live"],
        "expired": ["2021-10-15-old"],
        "retracted": ["2021-10-15-gone"],
    }
    table = run("status")
    assert "Under embargo (1)" in table.stdout and "(in 5 h 0 min)" in table.stdout
    later = json.loads(run("status", "--at", "2026-11-27T16:00+04:00", "--format", "json").stdout)
    assert later["embargoed"] == [] and later["at"] == "2026-11-27T16:00:00+04:00"


def test_translate_creates_a_linked_draft(repository: Repository, run: Run) -> None:
    source_path = write_release(repository, good(tags=("CIS",), places=("Moscow",)))
    result = run("translate", "2021-10-15-cis", "--language", "az")
    assert result.exit_code == 0, result
    assert (
        result.stdout.strip() == "releases/2021/2021-10-15-az-cis-security-chiefs-meet-in-moscow.md"
    )
    draft = repository.read(repository.root / result.stdout.strip()).release
    source = repository.read(source_path).release
    assert source.translation_key == draft.translation_key == source.id
    assert draft.translation_of == source.id and draft.status is Status.DRAFT
    assert (draft.tags, draft.places, draft.category, draft.date) == (
        source.tags,
        source.places,
        source.category,
        source.date,
    )
    assert draft.body.startswith("TODO: translate from en") and WORDS in draft.body
    assert "en +az" in run("list").stdout
    # the issuer of the new language, from [l10n.<lang>] issuer when prcli.toml has one
    assert draft.issuer == repository.config.default_issuer  # none for az here
    config = repository.root / "prcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[l10n.ru]\nissuer = "Пресс-служба"\n',
        encoding="utf-8",
    )
    russian = run("translate", "2021-10-15-cis", "--language", "ru")
    assert russian.exit_code == 0, russian
    assert repository.read(repository.root / russian.stdout.strip()).release.issuer == (
        "Пресс-служба"
    )
    again = run("translate", "2021-10-15-cis", "--language", "az")
    assert again.exit_code == 2 and "already has a version in az" in again.stderr
    same = run("translate", "2021-10-15-cis", "--language", "en")
    assert same.exit_code == 2 and "is already in en" in same.stderr


def test_translation_drift_is_reported(repository: Repository, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    write_release(repository, good())
    path = Path(run("translate", "2021-10-15-cis", "-l", "ru").stdout.strip())
    fake_editor(
        substitute="TODO: translate from en (2021-10-15-cis-security-chiefs-meet-in-moscow), then remove this line.\n\n=>"
    )
    assert run("edit", str(path)).exit_code == 0
    # the title's "TODO translate:" marker is only information in a draft
    assert [f["code"] for f in json.loads(run("validate", "-f", "json").stdout)] == ["PR307"]
    fake_editor(substitute="held in Moscow=>held in Moscow, Russia")
    later = "2026-11-27T11:00:00+04:00"
    assert run("--now", later, "edit", "2021-10-15-cis-security", "--minor").exit_code == 0
    findings = json.loads(run("--now", later, "validate", "-f", "json").stdout)
    assert [(f["code"], f["path"].split("/")[-1]) for f in findings if f["code"] != "PR307"] == [
        ("PR205", "2021-10-15-ru-cis-security-chiefs-meet-in-moscow.md")
    ]


def test_two_processes_publishing_the_same_release(repository: Repository) -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed")
    path = write_release(repository, good(status=Status.APPROVED))
    environment = dict(os.environ, PRCLI_NOW=NOW.isoformat(), GIT_CONFIG_GLOBAL=os.devnull)
    processes = [
        subprocess.Popen(
            [PRCLI, "publish", "2021-10-15-cis"],
            cwd=repository.root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in processes]  # type: ignore[union-attr]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "already published" in loser
    release = repository.read(path).release
    assert [h.status for h in release.history].count(Status.PUBLISHED) == 1


def test_archiving_a_source_does_not_flag_its_translations(
    repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    """Issue 12, finding 8: a status move changes no text, so translations are not outdated."""
    write_release(repository, good())
    path = Path(run("translate", "2021-10-15-cis", "-l", "ru").stdout.strip())
    fake_editor(
        substitute="TODO: translate from en (2021-10-15-cis-security-chiefs-meet-in-moscow), then remove this line.\n\n=>"
    )
    assert run("edit", str(path)).exit_code == 0
    later = "2026-11-27T11:00:00+04:00"
    assert run("--now", later, "archive", "2021-10-15-cis-security").exit_code == 0
    findings = json.loads(run("--now", later, "validate", "-f", "json").stdout)
    assert [f["code"] for f in findings if f["code"] == "PR205"] == []


def test_status_at_a_past_time_judges_releases_by_their_history(add, run: Run) -> None:  # type: ignore[no-untyped-def]
    created = datetime(2026, 11, 27, 9, tzinfo=BAKU)
    add(
        title="Published on the 27th",
        date=date(2026, 11, 27),
        created=created,
        history=(
            HistoryEntry(Status.DRAFT, created, "Kamran"),
            HistoryEntry(Status.PUBLISHED, datetime(2026, 11, 27, 10, tzinfo=BAKU), "Kamran"),
        ),
    )
    add(
        title="Published long ago, retracted on the 27th",
        date=date(2021, 10, 15),
        history=(
            HistoryEntry(Status.PUBLISHED, datetime(2021, 10, 15, 10, tzinfo=BAKU), "Kamran"),
            HistoryEntry(Status.RETRACTED, datetime(2026, 11, 27, 11, tzinfo=BAKU), "Kamran"),
        ),
        status=Status.RETRACTED,
        retraction="Issued in error.",
    )

    def ids(at: str) -> dict[str, list[str]]:
        result = run("status", "--at", at, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return {k: [r["title"] for r in v] for k, v in data.items() if k in ("live", "retracted")}

    assert ids("2026-11-20T10:00+04:00") == {
        "live": ["Published long ago, retracted on the 27th"],
        "retracted": [],
    }
    assert ids("2026-11-27T10:30+04:00") == {
        "live": ["Published on the 27th", "Published long ago, retracted on the 27th"],
        "retracted": [],
    }
    assert ids("2026-11-27T12:00+04:00") == {
        "live": ["Published on the 27th"],
        "retracted": ["Published long ago, retracted on the 27th"],
    }


def test_force_with_a_blank_reason_says_the_reason_is_empty(
    repository: Repository, run: Run
) -> None:
    write_release(repository, good(status=Status.REVIEW))
    blank = run("approve", "2021-10-15-cis", "--force", "--reason", "   ")
    assert blank.exit_code == 2
    assert "--force needs --reason" not in blank.stderr
    assert "--reason given is empty (only spaces)" in blank.stderr
