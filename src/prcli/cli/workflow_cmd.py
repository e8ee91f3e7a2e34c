"""The workflow commands: submit, approve, publish, archive, retract, status and log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from prcli import clock
from prcli.actions import PublishBlocked, Step, schedule, transition
from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.sink import Format, Sink, format_option
from prcli.errors import PrcliError, UsageError
from prcli.model import Release, Status
from prcli.repository import Repository

Ids = Annotated[
    list[str], typer.Argument(metavar="ID...", help="Release ids, unique prefixes or paths.")
]
Note = Annotated[str, typer.Option("--note", "-m", help="Why: recorded in the history.")]
By = Annotated[
    str | None,
    typer.Option(
        "--by", help="Who acts. Default: git user.name, else the login name.", show_default=False
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")]

EPILOG_SUBMIT = """Examples:

  prcli submit 2026-11-27-interview --note "ready for review"
"""
EPILOG_APPROVE = """Examples:

  prcli approve 2026-11-20-winter --by "Kamran Huseynov"

  prcli approve 2026-11-20-winter --force --reason "duty officer alone tonight"   (own release, recorded)
"""
EPILOG_PUBLISH = """Examples:

  prcli publish 2026-11-26-new-public --at 2026-12-01T09:00  (schedule; the repository timezone applies)

  prcli --now 2026-12-01T09:00+04:00 publish 2026-11-26-new-public   (at once: its embargo has ended)

  prcli publish --due                                       (cron: publish what is due)

  prcli --now 2026-12-01T09:00+04:00 publish --due --dry-run
"""
EPILOG_ARCHIVE = """Examples:

  prcli archive 2021-10-15-regional-civil 2021-11-02-statement
"""
EPILOG_RETRACT = """Examples:

  prcli retract 2021-10-15-regional-civil --reason "The meeting was postponed; this release was issued in error."
"""
EPILOG_STATUS = """Examples:

  prcli status                         (what is under embargo, scheduled, live, expired, retracted)

  prcli status --at 2026-12-01T10:00

  prcli status 2026-11-27-interview    (one release: its state and the allowed moves)

  prcli status 2026-11-20-winter draft --note "changes requested"

With --at, a release's status is the one its history gives at that time; its embargo and schedule
are the ones it has now (the history does not record changes to them), so a release published on
schedule no longer shows as scheduled at a time before its publication.
"""
EPILOG_LOG = """Examples:

  prcli log 2026-11-26-new-public

  prcli log 2026-11-26-new-public --format json | jq '.[-1]'

  prcli log 2026-11-26-new-public --format json --sends | jq '.sends[] | select(.event == "sent") | .recipient'

The table shows workflow steps and e-mail send runs (prcli send) in time order.
"""


def _actor(app: AppContext, by: str | None) -> str:
    from prcli.identity import current_user

    return by.strip() if by and by.strip() else current_user(app.repository().root)


def _run(
    app: AppContext,
    references: list[str],
    step: Callable[[Repository, Path, datetime], Step],
    dry_run: bool,
) -> None:
    """Apply `step` to each release; report each result; exit 1 if any failed."""
    repository = app.repository()
    now = app.now()
    failures = 0
    for reference in references:
        try:
            path = repository.resolve(reference, app.cwd)
            done = step(repository, path, now)
        except PublishBlocked as blocked:
            failures += 1
            output.report_error(blocked, repository)
            for finding in blocked.findings:
                output.say(
                    f"  line {finding.line or '-'}: {finding.message} [{finding.code}]", "red"
                )
            continue
        except PrcliError as error:
            failures += 1
            output.report_error(error, repository)
            continue
        _report(done, dry_run)
    if failures:
        raise typer.Exit(1)


def _report(step: Step, dry_run: bool) -> None:
    before, after = step.before, step.after
    prefix = "would move" if dry_run else "moved"
    if before.status is after.status and after.publish_at != before.publish_at:
        assert after.publish_at is not None
        output.say(
            f"{'would schedule' if dry_run else 'scheduled'} {after.id} for {after.publish_at.isoformat()}",
            "green",
        )
    else:
        output.say(f"{prefix} {after.id}: {before.status} -> {after.status}", "green")
        if after.history and after.history[-1].override:
            output.warn(
                f"{after.id} was approved by its own submitter: {after.history[-1].override}"
            )
    if not dry_run:
        output.write_line(after.id)


def _mover(
    target: Status, app: AppContext, by: str | None, note: str, reason: str, dry_run: bool
) -> Callable[[Repository, Path, datetime], Step]:
    actor = _actor(app, by)

    def step(repository: Repository, path: Path, now: datetime) -> Step:
        return transition(
            repository,
            path,
            target,
            now=now,
            by=actor,
            note=note,
            override_reason=reason,
            dry_run=dry_run,
            clock=app.clock_mark(),
        )

    return step


def _check_override(force: bool, reason: str, *, retracting: bool) -> None:
    """--force (approving one's own release) always needs --reason; --reason alone is for retract."""
    if force:
        _check_reason(
            reason, "--force", 'say why: --reason "duty officer alone tonight"', "the override"
        )
    if reason and not force and not retracting:
        raise UsageError("--reason goes with --force (or with a move to retracted)")


_RETRACT_HINT = '--reason "why it is withdrawn" becomes the public notice'


def _check_reason(reason: str, what: str, hint: str, why: str) -> None:
    """A reason that is missing and one of only spaces are told apart: both are refused."""
    if not reason:
        raise UsageError(f"{what} needs --reason", hint=hint)
    if not reason.strip():
        raise UsageError(
            f"the --reason given is empty (only spaces): it must say why {why}", hint=hint
        )


def submit(
    ctx: typer.Context, references: Ids, note: Note = "", by: By = None, dry_run: DryRun = False
) -> None:
    """Send drafts to review."""
    app = AppContext.of(ctx)
    _run(app, references, _mover(Status.REVIEW, app, by, note, "", dry_run), dry_run)


def approve(
    ctx: typer.Context,
    references: Ids,
    note: Note = "",
    by: By = None,
    force: Annotated[
        bool, typer.Option("--force", help="Approve your own release (needs --reason).")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the second-approver rule is overridden.")
    ] = "",
    dry_run: DryRun = False,
) -> None:
    """Approve releases in review. With require_second_approver, not your own."""
    _check_override(force, reason, retracting=False)
    app = AppContext.of(ctx)
    _run(app, references, _mover(Status.APPROVED, app, by, note, reason, dry_run), dry_run)


def publish(
    ctx: typer.Context,
    references: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID]...", help="Releases to publish or schedule.", show_default=False
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATETIME",
            help="Schedule for this time instead of publishing now.",
            show_default=False,
        ),
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Publish every approved release whose time has come.")
    ] = False,
    note: Note = "",
    by: By = None,
    dry_run: DryRun = False,
) -> None:
    """Publish approved releases: refused while under embargo or with validation errors."""
    app = AppContext.of(ctx)
    if due:
        if references or at:
            raise UsageError("--due takes no ids and no --at", hint="prcli publish --due")
        _publish_due(app, by, note, dry_run)
        return
    if not references:
        raise UsageError(
            "give the releases to publish, or --due", hint="prcli publish ID [--at DATETIME]"
        )
    if at is None:
        _run(app, references, _mover(Status.PUBLISHED, app, by, note or "", "", dry_run), dry_run)
        return
    settings = app.repository().config
    moment = clock.parse_moment(at, settings.timezone, app.now())
    if not clock.has_offset(at):
        output.say(
            f"--at has no timezone; the repository's applies ({settings.timezone_name}): "
            f"{moment.isoformat()}",
            "yellow",
        )

    def step(repository: Repository, path: Path, now: datetime) -> Step:
        return schedule(repository, path, moment, now=now, dry_run=dry_run)

    _run(app, references, step, dry_run)


def _publish_due(app: AppContext, by: str | None, note: str, dry_run: bool) -> None:
    from prcli.workflow import due

    repository = app.repository()
    now = app.now()
    loaded = repository.load_all(bodies=False)
    ready = due((entry.release for entry in loaded.entries), now)
    paths = {entry.release.id: entry.path for entry in loaded.entries}
    if not ready:
        output.say(f"Nothing is due at {now.isoformat()}.")
        return
    output.say(f"{len(ready)} release(s) due at {now.isoformat()}:")
    _run(
        app,
        [str(paths[release.id]) for release in ready],
        _mover(Status.PUBLISHED, app, by, note or "scheduled publication", "", dry_run),
        dry_run,
    )


def archive(
    ctx: typer.Context, references: Ids, note: Note = "", by: By = None, dry_run: DryRun = False
) -> None:
    """Archive published releases."""
    app = AppContext.of(ctx)
    _run(app, references, _mover(Status.ARCHIVED, app, by, note, "", dry_run), dry_run)


def retract(
    ctx: typer.Context,
    references: Ids,
    reason: Annotated[
        str, typer.Option("--reason", help="The public retraction notice (required).")
    ] = "",
    by: By = None,
    dry_run: DryRun = False,
) -> None:
    """Retract published releases. The release stays, with a retraction notice."""
    _check_reason(reason, "retract", _RETRACT_HINT, "the release is withdrawn")
    app = AppContext.of(ctx)
    _run(app, references, _mover(Status.RETRACTED, app, by, reason.strip(), "", dry_run), dry_run)


def status(
    ctx: typer.Context,
    reference: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="A release.", show_default=False)
    ] = None,
    state: Annotated[
        Status | None,
        typer.Argument(metavar="[STATE]", help="Move it to this state.", show_default=False),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATETIME",
            help="The overview at this time (default: now).",
            show_default=False,
        ),
    ] = None,
    note: Note = "",
    by: By = None,
    force: Annotated[
        bool, typer.Option("--force", help="Approve your own release (needs --reason).")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="Override reason, or the retraction notice.")
    ] = "",
    fmt: Annotated[
        Format,
        format_option(
            Format.table,
            Format.json,
            Format.jsonl,
            Format.csv,
            help="Output format of the overview (jsonl and csv: one release a line, with its state).",
        ),
    ] = Format.table,
    dry_run: DryRun = False,
) -> None:
    """Show what is live now, or move one release to another state.

    Without ID: the releases under embargo, scheduled, live, expired and retracted at --at (default
    now). With ID: its state and the allowed moves. With ID and STATE: any allowed move."""
    app = AppContext.of(ctx)
    if reference is None:
        _overview(app, at, fmt)
        return
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    if state is None:
        from prcli.workflow import allowed

        release = repository.read(path).release
        moves = ", ".join(str(s) for s in allowed(release)) or "none (final)"
        output.write_line(str(release.status))
        output.say(f"{release.id} is {release.status}; allowed moves: {moves}")
        return
    _check_override(force, reason, retracting=state is Status.RETRACTED)
    text = reason if state is Status.RETRACTED else note
    _run(app, [str(path)], _mover(state, app, by, text, reason if force else "", dry_run), dry_run)


OVERVIEW_COLUMNS = ("state", "id", "title", "language", "status", "embargo_until", "publish_at")


def _overview(app: AppContext, at: str | None, fmt: Format) -> None:
    from prcli.workflow import LiveState, overview

    repository = app.repository()
    moment = clock.parse_moment(at, repository.config.timezone, app.now()) if at else app.now()
    loaded = repository.load_all(bodies=False)
    view = overview([entry.release for entry in loaded.entries], moment)
    groups = {
        state.name.lower(): [_overview_row(release) for release in releases]
        for state, releases in view.groups.items()
    }
    if fmt is Format.json:
        Sink(fmt).document({"at": moment.isoformat(), **groups})
    elif fmt is not Format.table:
        rows = ({"state": state, **row} for state, rows in groups.items() for row in rows)
        Sink(fmt).rows(rows, OVERVIEW_COLUMNS)
    else:
        from prcli.cli.render import overview_tables

        console = output.stdout_console()
        for renderable in overview_tables(view, LiveState, console.width):
            console.print(renderable)
    if loaded.errors:
        output.report_unreadable(loaded.errors, repository)
        raise typer.Exit(1)


def _overview_row(release: Release) -> dict[str, Any]:
    return {
        "id": release.id,
        "title": release.title,
        "language": release.language,
        "status": str(release.status),
        "embargo_until": release.embargo_until.isoformat() if release.embargo_until else None,
        "publish_at": release.publish_at.isoformat() if release.publish_at else None,
    }


HISTORY_COLUMNS = ("status", "at", "by", "note", "override", "kind", "clock")


def log(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="ID", help="A release.")],
    fmt: Annotated[
        Format,
        format_option(
            Format.table,
            Format.json,
            Format.jsonl,
            Format.csv,
            help="Output format (jsonl and csv: one workflow step a line).",
        ),
    ] = Format.table,
    sends: Annotated[
        bool,
        typer.Option(
            "--sends",
            help="json: an object with the history and every send-log record of the release "
            "(the table always shows send runs; not with jsonl or csv).",
        ),
    ] = False,
) -> None:
    """Show a release's audit trail: every state it went through and every e-mail send run."""
    if sends and fmt in (Format.jsonl, Format.csv):
        raise UsageError(
            f"--sends has no {fmt} form", hint="use --format json --sends, or leave out --sends"
        )
    app = AppContext.of(ctx)
    repository = app.repository()
    release = repository.read(repository.resolve(reference, app.cwd)).release
    from prcli.publication import status_problem

    problem = status_problem(release)
    if problem:
        output.say(
            f"error: {release.id}: {problem}: the status was not set by the workflow, so this "
            f"trail does not back it [PR503] (prcli validate {release.id})",
            "bold red",
        )
    records = _send_records(repository, release.id)
    if fmt is not Format.table:
        from prcli.records import to_json_value

        history = to_json_value(release.history)
        if sends:
            from prcli.distribution.sendlog import iter_json

            Sink(fmt).document({"history": history, "sends": list(iter_json(records))})
        else:
            Sink(fmt).rows(history, HISTORY_COLUMNS)
        return
    from prcli.cli.render import history_table
    from prcli.distribution.sendlog import runs

    output.stdout_console().print(history_table(release, runs(records, release.id)))


def _send_records(repository: Repository, release_id: str) -> list[Any]:
    """The send-log records of one release ([] when nothing was ever sent)."""
    from prcli.contacts.store import private_folder
    from prcli.distribution.sendlog import SendLog

    return SendLog(private_folder(repository)).records_for(release_id)
