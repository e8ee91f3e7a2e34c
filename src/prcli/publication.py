"""What the public may see of a release, decided in one place for every output.

Every public output (html pages, the newsroom site, feeds, ninjs, e-mail and wire copy) asks
`public_state` whether a release goes out and how: live, retracted (still at its address, with the
notice above the original text) or held back (with the reason, for the summary). `change_notes`
gives the "Updated <date>: <note>" list of a published release. No I/O, no Typer, no Rich.

The rules:

- a status is *backed* when it equals the status of the last step of the history (a release with
  no history at all can only be a draft). A hand-edited status is not backed: such a release is held
  back from every public output and `validate` reports it (PR503);
- published and past its embargo: live;
- retracted (from published, by `prcli retract --reason`): public, with its retraction notice;
- anything else (draft, review, approved, scheduled, archived, under embargo): held back. An
  archived release is no longer current: a folder export removes the page it wrote before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from prcli.model import EntryKind, HistoryEntry, Release, Status

KINDS = frozenset(kind.value for kind in EntryKind)


class Visibility(StrEnum):
    LIVE = "live"
    RETRACTED = "retracted"
    HELD = "held back"


@dataclass(frozen=True, slots=True)
class Retraction:
    """The public notice of a withdrawn release."""

    reason: str
    at: datetime | None  # when it was retracted (None only for a hand-written, unbacked file)
    by: str = ""


@dataclass(frozen=True, slots=True)
class ChangeNote:
    """One public correction of a published release: shown as "Updated <date>: <note>"."""

    at: datetime
    note: str
    by: str = ""


@dataclass(frozen=True, slots=True)
class PublicState:
    visibility: Visibility
    # Why it is held back ("not published (draft)", "under embargo", "status not backed by its
    # history"), "" when public. Used for the "Left out ..." summaries.
    reason: str = ""
    retraction: Retraction | None = None
    notes: tuple[ChangeNote, ...] = ()
    # The last public change (publication, correction or retraction): the `updated` of a feed
    # entry, ninjs versionCreated, JSON-LD dateModified. None when held back or unknown.
    updated: datetime | None = None
    version: int = 1  # ninjs version: 1 at publication, +1 per correction and for a retraction

    @property
    def public(self) -> bool:
        return self.visibility is not Visibility.HELD


def status_problem(release: Release) -> str:
    """Why the stored status is not what the workflow recorded ('' when it is backed).

    The status must equal the last step of the history; without any history only `draft` is
    possible. A step of an unknown kind is a problem too (its meaning cannot be trusted).
    """
    for step in release.history:
        if step.kind not in KINDS:
            known = ", ".join(repr(k) for k in sorted(KINDS) if k)
            return f"history step of {step.at.isoformat()} has unknown kind '{step.kind}' (known: {known})"
    if not release.history:
        if release.status is Status.DRAFT:
            return ""
        return f"status is {release.status} but the history records no step to it"
    last = release.history[-1]
    if last.status is not release.status:
        return (
            f"status is {release.status} but the last step of the history is {last.status} "
            f"({last.at.isoformat()})"
        )
    return ""


def status_backed(release: Release) -> bool:
    return not status_problem(release)


def workflow_command(status: Status) -> str:
    """The command that moves a release to `status`, for hints."""
    return {
        Status.DRAFT: "prcli status ID draft --note TEXT",
        Status.REVIEW: "prcli submit ID",
        Status.APPROVED: "prcli approve ID",
        Status.PUBLISHED: "prcli publish ID",
        Status.ARCHIVED: "prcli archive ID",
        Status.RETRACTED: 'prcli retract ID --reason "why"',
    }[status]


def change_notes(release: Release) -> tuple[ChangeNote, ...]:
    """The public change notes of a release, oldest first (corrections made after publication)."""
    return tuple(
        ChangeNote(step.at, step.note.strip(), step.by)
        for step in release.history
        if step.kind == EntryKind.CORRECTION and step.note.strip()
    )


def retraction(release: Release) -> Retraction | None:
    """The retraction notice of a retracted release (reason, when, by whom); None otherwise."""
    if release.status is not Status.RETRACTED:
        return None
    step = _last_move_to(release.history, Status.RETRACTED)
    reason = release.retraction.strip() or (step.note.strip() if step else "")
    return Retraction(reason, step.at if step else None, step.by if step else "")


def published_moment(release: Release) -> datetime | None:
    """When it was (last) published, from the history."""
    step = _last_move_to(release.history, Status.PUBLISHED)
    return step.at if step else None


def public_state(release: Release, now: datetime) -> PublicState:
    """Whether and how `release` appears in public outputs at `now`."""
    problem = status_problem(release)
    if problem:
        return PublicState(Visibility.HELD, "status not backed by its history")
    if release.status is Status.PUBLISHED:
        if under_embargo(release, now):
            return PublicState(Visibility.HELD, "under embargo")
        notes = change_notes(release)
        moments = [m for m in (published_moment(release), *(n.at for n in notes)) if m]
        return PublicState(
            Visibility.LIVE,
            notes=notes,
            updated=max(moments, default=None),
            version=1 + len(notes),
        )
    if release.status is Status.RETRACTED:
        notice = retraction(release)
        notes = change_notes(release)
        moments = [
            m
            for m in (published_moment(release), *(n.at for n in notes), notice and notice.at)
            if m
        ]
        return PublicState(
            Visibility.RETRACTED,
            retraction=notice,
            notes=notes,
            updated=max(moments, default=None),
            version=2 + len(notes),
        )
    return PublicState(Visibility.HELD, f"not published ({release.status})")


def under_embargo(release: Release, now: datetime) -> bool:
    """Its embargo has not lifted at `now` (whatever its status)."""
    return release.embargo_until is not None and release.embargo_until > now


def held_back_reason(release: Release, state: PublicState) -> str:
    """Why the public may not see `release` (its `state`), with the embargo's end when that is
    the reason ("under embargo until 2026-11-27T15:00:00+04:00"); "" when it is public."""
    if state.reason == "under embargo" and release.embargo_until is not None:
        return f"under embargo until {release.embargo_until.isoformat()}"
    return state.reason


def _last_move_to(history: tuple[HistoryEntry, ...], status: Status) -> HistoryEntry | None:
    for step in reversed(history):
        if step.status is status and step.kind == EntryKind.MOVE:
            return step
    return None


def is_public(release: Release, now: datetime) -> bool:
    """Whether the public may see `release` at `now` (live, or retracted with its notice). Every
    public output asks this, directly or through `public_ids`."""
    return public_state(release, now).public


def public_ids(releases: Iterable[Release], now: datetime) -> frozenset[str]:
    """The ids of the releases public at `now`: the only ones a public output may name (in links,
    associations, translation groups), whether or not they are part of that output."""
    return frozenset(release.id for release in releases if is_public(release, now))
