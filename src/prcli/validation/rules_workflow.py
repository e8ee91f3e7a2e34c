"""Workflow: overrides that are still standing, retractions without a notice."""

from __future__ import annotations

from collections.abc import Iterator

from prcli import workflow
from prcli.model import Status
from prcli.releasefile import Entry
from prcli.validation.context import Context
from prcli.validation.registry import release_rule
from prcli.validation.types import Problem, Severity


@release_rule(
    "PR501",
    "self-approved",
    Severity.WARNING,
    "No release stands approved only by its own submitter.",
)
def self_approved(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    With `require_second_approver`, a release approved by the person who submitted it (with
    `--force --reason`) is reported until someone else approves it, so the override stays visible.
    Another person approving it clears this.
    """
    step = workflow.self_approved(entry.release)
    if step is not None:
        yield Problem(
            f"approved by its own submitter {step.by} on {step.at.isoformat()} "
            f"(override: {step.override})",
            key="history",
            hint="ask a colleague to review and approve it",
        )


@release_rule(
    "PR502", "retraction-notice", Severity.ERROR, "A retracted release carries its notice."
)
def retraction_notice(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A retracted release stays public with a notice of why it was withdrawn (`retraction`), so
    readers who find it know not to rely on it. `prcli retract --reason` writes the notice.
    """
    if entry.release.status is Status.RETRACTED and not entry.release.retraction.strip():
        yield Problem(
            "retracted without a retraction notice",
            key="status",
            hint="add retraction: the public reason it was withdrawn",
        )


@release_rule(
    "PR503",
    "status-backed",
    Severity.ERROR,
    "The status is the one the workflow recorded last.",
)
def status_backed(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    The stored `status` must equal the status of the last step in `history` (a release without
    history can only be a draft). A status typed into the file by hand bypasses review and approval
    and makes the audit trail lie, so such a release is held back from every public output and
    `publish`/`export` refuse it. Move it with the workflow command instead (`prcli submit`,
    `approve`, `publish`, `archive`, `retract`, or `prcli status ID STATE --force --reason`).
    """
    from prcli.publication import status_problem, workflow_command

    release = entry.release
    problem = status_problem(release)
    if problem:
        last = release.history[-1].status if release.history else Status.DRAFT
        yield Problem(
            problem,
            key="status",
            hint=f"set status back to {last} and use the workflow: "
            f"{workflow_command(release.status).replace('ID', release.id)}",
        )
