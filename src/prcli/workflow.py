"""The release workflow: allowed moves, the audit trail, the second pair of eyes, the publish gate,
scheduling and what is live at a given time. Pure functions over Release values: no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from prcli.errors import PrcliError
from prcli.model import HistoryEntry, Release, Status

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


def check_move(release: Release, target: Status) -> None:
    if target is release.status:
        raise TransitionError(f"{release.id} is already {target}")
    if target not in TRANSITIONS[release.status]:
        moves = ", ".join(str(s) for s in TRANSITIONS[release.status]) or "none (it is final)"
        raise TransitionError(
            f"{release.id} cannot move from {release.status} to {target}",
            hint=f"allowed from {release.status}: {moves}",
        )


def move(
    release: Release, target: Status, *, now: datetime, by: str, note: str = "", override: str = ""
) -> Release:
    """The release after one allowed move, with the step added to its history."""
    check_move(release, target)
    step = HistoryEntry(status=target, at=now, by=by, note=note, override=override)
    changes: dict[str, object] = {
        "status": target,
        "history": (*release.history, step),
        "updated": now,
    }
    if target in (S.PUBLISHED, S.DRAFT):
        changes["publish_at"] = None  # published, or sent back: no longer scheduled
    if target is S.RETRACTED:
        changes["retraction"] = note
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


def embargoed(release: Release, now: datetime) -> bool:
    return release.embargo_until is not None and release.embargo_until > now


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


def live_state(release: Release, at: datetime) -> LiveState | None:
    """Where a release stands for the public at `at`; None for work in progress and the archive."""
    if release.status is S.RETRACTED:
        return LiveState.RETRACTED
    if release.status not in (S.APPROVED, S.PUBLISHED):
        return None
    if embargoed(release, at):
        return LiveState.EMBARGOED
    if release.status is S.APPROVED:
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
