"""Workflow steps applied to stored releases: the rules of workflow.py plus the repository's lock,
the second-approver setting and the validation gate. No Typer, no Rich."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prcli import workflow
from prcli.errors import PrcliError
from prcli.model import Release, Status
from prcli.publication import under_embargo
from prcli.releasefile import Entry
from prcli.repository import Repository

if TYPE_CHECKING:
    from prcli.validation import Finding


class PublishBlocked(PrcliError):
    """The gate refused: validation errors (listed in `findings`) or an embargo still running."""

    def __init__(self, message: str, *, hint: str = "", findings: Sequence[Finding] = ()) -> None:
        super().__init__(message, hint=hint)
        self.findings = list(findings)


@dataclass(frozen=True, slots=True)
class Step:
    before: Release
    after: Release
    path: Path


def publish_gate(repository: Repository, entry: Entry, now: datetime) -> None:
    release = entry.release
    if under_embargo(release, now):
        assert release.embargo_until is not None
        raise PublishBlocked(
            f"{release.id} is under embargo until {release.embargo_until.isoformat()}",
            hint=f"schedule it instead: prcli publish {release.id} --at "
            f"{release.embargo_until.isoformat()}",
        )
    from prcli.validation import Severity, validate

    report = validate(repository, now, only=[entry.path])
    errors = [finding for finding in report.findings if finding.severity is Severity.ERROR]
    if errors:
        raise PublishBlocked(
            f"{release.id} has {len(errors)} validation error(s); it was not published",
            hint=f"fix them (prcli validate {release.id}) and publish again",
            findings=errors,
        )


def placeholder_gate(repository: Repository, entry: Entry, now: datetime, target: Status) -> None:
    """Placeholder text (TODO, [insert ...], a translation's TODO line) is not ready for review or
    approval, only for more drafting (PR307)."""
    from prcli.validation import validate

    report = validate(repository, now, only=[entry.path])
    found = [f for f in report.findings if f.code == "PR307"]  # in a draft it is only info
    if found:
        raise PublishBlocked(
            f"{entry.release.id} still holds placeholder text; it was not moved to {target}",
            hint=f"replace it (prcli edit {entry.release.id}) and try again",
            findings=found,
        )


def transition(
    repository: Repository,
    path: Path,
    target: Status,
    *,
    now: datetime,
    by: str,
    note: str = "",
    override_reason: str = "",
    dry_run: bool = False,
    clock: str = "",
) -> Step:
    """Move one release to `target` under its lock, applying every rule of the workflow."""

    def change(entry: Entry) -> Release:
        release = entry.release
        workflow.check_move(release, target)
        override = ""
        if target is Status.APPROVED and repository.config.require_second_approver:
            override = workflow.check_second_approver(release, by, override_reason)
        if target is Status.RETRACTED and not note.strip():
            raise workflow.TransitionError(
                f"retracting {release.id} needs a reason"
                + (": the reason given is empty (only spaces)" if note else ""),
                hint='pass --reason "why it is withdrawn" (it becomes the public notice)',
            )
        if target is Status.PUBLISHED:
            publish_gate(repository, entry, now)
        elif target in (Status.REVIEW, Status.APPROVED):
            placeholder_gate(repository, entry, now, target)
        return workflow.move(
            release, target, now=now, by=by, note=note, override=override, clock=clock
        )

    return _apply(repository, path, change, dry_run)


def schedule(
    repository: Repository, path: Path, at: datetime, *, now: datetime, dry_run: bool = False
) -> Step:
    """Give an approved release a publication time for `prcli publish --due`."""

    def change(entry: Entry) -> Release:
        workflow.check_schedule(entry.release, at, now)
        return entry.release.replace(publish_at=at, updated=now)

    return _apply(repository, path, change, dry_run)


def _apply(
    repository: Repository, path: Path, change: Callable[[Entry], Release], dry_run: bool
) -> Step:
    """Run `change` on the release as stored now; under the lock and saved unless a dry run."""
    if dry_run:
        entry = repository.read(path)
        return Step(entry.release, change(entry), path)
    before: list[Release] = []

    def remembering(entry: Entry) -> Release:
        before.append(entry.release)
        return change(entry)

    entry, _ = repository.update(path, remembering)
    return Step(before[0], entry.release, path)
