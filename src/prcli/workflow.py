"""The release workflow: allowed moves, the audit trail, the second pair of eyes, the publish gate,
scheduling and what is live at a given time. Pure functions over Release values: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from prcli.errors import PrcliError
from prcli.model import HistoryEntry, Release, Status
from prcli.publication import under_embargo

S = Status
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    S.DRAFT: (S.REVIEW,),
    S.REVIEW: (S.APPROVED, S.DRAFT),  # back to draft: changes requested
    S.APPROVED: (S.PUBLISHED, S.DRAFT),
    S.PUBLISHED: (S.ARCHIVED, S.RETRACTED),
    S.ARCHIVED: (),
    S.RETRACTED: (),
}


class TransitionError(PrcliError):
    """A move the workflow does not allow, or one it allows only with an override."""


def allowed(release: Release) -> tuple[Status, ...]:
    return TRANSITIONS[release.status]


def check_backed(release: Release) -> None:
    """Refuse to build on a status the workflow never recorded (typed into the file by hand)."""
    from prcli.publication import status_problem

    problem = status_problem(release)
    if problem:
        last = release.history[-1].status if release.history else Status.DRAFT
        raise TransitionError(
            f"{release.id}: {problem}; the status was not set by the workflow [PR503]",
            hint=f"put status back to {last} (prcli edit {release.id}), then use the workflow "
            "command for the move",
        )


def check_move(release: Release, target: Status) -> None:
    check_backed(release)
    if target is release.status:
        raise TransitionError(f"{release.id} is already {target}")
    if target not in TRANSITIONS[release.status]:
        moves = ", ".join(str(s) for s in TRANSITIONS[release.status]) or "none (it is final)"
        raise TransitionError(
            f"{release.id} cannot move from {release.status} to {target}",
            hint=f"allowed from {release.status}: {moves}",
        )


def move(
    release: Release,
    target: Status,
    *,
    now: datetime,
    by: str,
    note: str = "",
    override: str = "",
    clock: str = "",
) -> Release:
    """The release after one allowed move, with the step added to its history. `clock` is
    "pinned" when `now` came from --now / PRCLI_NOW (marked in the history)."""
    check_move(release, target)
    step = HistoryEntry(status=target, at=now, by=by, note=note, override=override, clock=clock)
    changes: dict[str, object] = {
        "status": target,
        "history": (*release.history, step),
        "updated": now,
    }
    if target in (S.PUBLISHED, S.DRAFT):
        changes["publish_at"] = None  # published, or sent back: no longer scheduled
    if target is S.RETRACTED:
        changes["retraction"] = note.strip()
    return release.replace(**changes)


def submitter(release: Release) -> str:
    """Who last sent the release to review ('' when nobody did)."""
    for step in reversed(release.history):
        if step.status is S.REVIEW:
            return step.by
    return ""


def check_second_approver(release: Release, approver: str, override_reason: str) -> str:
    """With require_second_approver: the approver must not be the submitter. Returns the override
    reason to record, or raises naming the way out."""
    author = submitter(release)
    if not author or author.casefold() != approver.casefold():
        return ""
    if override_reason.strip():
        return override_reason.strip()
    raise TransitionError(
        f"{approver} submitted {release.id} and cannot also approve it "
        "(require_second_approver is on)",
        hint="ask a colleague to approve it, or pass --force --reason TEXT to override (recorded)",
    )


def self_approved(release: Release) -> HistoryEntry | None:
    """The overridden approval still standing: no later approval by someone else."""
    for step in reversed(release.history):
        if step.status is S.APPROVED:
            return step if step.override else None
    return None


def due(releases: Iterable[Release], now: datetime) -> list[Release]:
    """Approved releases whose scheduled time has come, oldest schedule first."""
    ready = [r for r in releases if r.status is S.APPROVED and r.publish_at and r.publish_at <= now]
    return sorted(ready, key=lambda r: (r.publish_at, r.id))


def check_schedule(release: Release, at: datetime, now: datetime) -> None:
    if release.status is not S.APPROVED:
        raise TransitionError(
            f"{release.id} is {release.status}; only approved releases can be scheduled",
            hint="approve it first: prcli approve ID",
        )
    if at <= now:
        raise TransitionError(
            f"--at {at.isoformat()} is in the past (now is {now.isoformat()})",
            hint="give a future time, or publish now without --at",
        )
    if release.embargo_until and at < release.embargo_until:
        raise TransitionError(
            f"--at {at.isoformat()} is before the embargo lifts ({release.embargo_until.isoformat()})",
            hint="schedule it at or after the embargo",
        )


class LiveState(StrEnum):
    EMBARGOED = "under embargo"
    SCHEDULED = "scheduled"
    LIVE = "live"
    EXPIRED = "expired"
    RETRACTED = "retracted"


def status_at(release: Release, at: datetime) -> S | None:
    """The status a release had at `at`, judged by its history; None if it did not exist yet.

    A release whose every step is at or before `at` has its current status. Otherwise the last
    step at or before `at` gives the status; with no such step the release was not yet in the
    workflow (or not yet created), which counts as not existing for the public.
    A release without history (written by hand or imported) keeps its current status unless it
    was created after `at`."""
    if release.created is not None and release.created > at:
        return None
    if not release.history:
        return release.status
    earlier = [step for step in release.history if step.at <= at]
    if len(earlier) == len(release.history):
        return release.status
    if not earlier:
        return None
    return max(earlier, key=lambda step: step.at).status


def live_state(release: Release, at: datetime) -> LiveState | None:
    """Where a release stands for the public at `at`, judged by its history as of `at`; None for
    work in progress, the archive and releases that did not exist yet."""
    status = status_at(release, at)
    if status is S.RETRACTED:
        return LiveState.RETRACTED
    if status not in (S.APPROVED, S.PUBLISHED):
        return None
    if under_embargo(release, at):
        return LiveState.EMBARGOED
    if status is S.APPROVED:
        return LiveState.SCHEDULED if release.publish_at and release.publish_at > at else None
    if release.expires and release.expires < at.date():  # `at` is in the repository's timezone
        return LiveState.EXPIRED
    return LiveState.LIVE


@dataclass(frozen=True, slots=True)
class Overview:
    at: datetime
    groups: dict[LiveState, list[Release]]


def overview(releases: Sequence[Release], at: datetime) -> Overview:
    groups: dict[LiveState, list[Release]] = {state: [] for state in LiveState}
    for release in releases:
        state = live_state(release, at)
        if state is not None:
            groups[state].append(release)
    groups[LiveState.EMBARGOED].sort(key=lambda r: (r.embargo_until, r.id))
    groups[LiveState.SCHEDULED].sort(key=lambda r: (r.publish_at, r.id))
    for state in (LiveState.LIVE, LiveState.EXPIRED, LiveState.RETRACTED):
        groups[state].sort(key=lambda r: (r.date, r.id), reverse=True)
    return Overview(at, groups)


def keeps_change_notes(release: Release) -> bool:
    """Whether an edit of `release` is on the public record (a correction note, or a minor edit):
    published and retracted releases are; work in progress and archived ones are not."""
    return release.status in (S.PUBLISHED, S.RETRACTED)


def record_edit(
    release: Release,
    *,
    now: datetime,
    by: str,
    note: str = "",
    minor: bool = False,
    clock: str = "",
) -> Release:
    """The history step of an edit to a public (published or retracted) release: a correction with
    its public change note, or a minor edit (typo) that needs none. Other releases get no step."""
    from prcli.model import EntryKind

    if not keeps_change_notes(release):
        return release
    if not minor and not note.strip():
        raise TransitionError(
            f"{release.id} is {release.status}: a change to it needs a public change note",
            hint='pass --note "what was corrected" (shown as "Updated <date>: <note>"), '
            "or --minor for a typo fix",
        )
    kind = EntryKind.MINOR if minor else EntryKind.CORRECTION
    step = HistoryEntry(
        status=release.status,
        at=now,
        by=by,
        note="" if minor else note.strip(),
        kind=kind.value,
        clock=clock,
    )
    return release.replace(history=(*release.history, step), updated=now)


def check_edit(before: Release, after: Release) -> None:
    """An edit may change the text, never the workflow's own fields: the status (unless it puts a
    hand-forged status back to what the history says) and the history."""
    from prcli.publication import status_backed, workflow_command

    if after.history != before.history:
        raise TransitionError(
            f"{after.id}: the history is written by the workflow and cannot be edited",
            hint="leave history as it was; use the workflow commands (prcli log shows it)",
        )
    if after.status is not before.status and not (
        not status_backed(before) and status_backed(after)
    ):
        command = workflow_command(after.status).replace("ID", after.id)
        raise TransitionError(
            f"{after.id}: the status cannot be changed by editing ({before.status} -> "
            f"{after.status})",
            hint=f"keep status: {before.status} and use the workflow: {command}",
        )
