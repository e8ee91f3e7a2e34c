"""prcli send: e-mail a release to a media list through SMTP, one message per recipient, with a
send log that makes a rerun after a crash send nobody a second copy."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext

EPILOG = """Examples:

  prcli send 2021-11-02-statement --list baku-press --dry-run

  prcli send 2021-11-02-statement --test me@example.org

  PRCLI_SMTP_PASSWORD=... prcli send 2021-11-02-statement --list baku-press

  prcli send 2026-11-26-new-public --list baku-press --advance        (embargoed: an advance copy)

  prcli send 2021-11-02-statement --list baku-press --resend     (after a correction)

The server is the smtp table of prcli.toml (host, port, security = "starttls" | "ssl" | "none", user, rate_per_minute, retries, backoff). The password is never read from a file in the repository: it comes from the environment variable PRCLI_SMTP_PASSWORD (or the one smtp.password_env names), or from the system keyring (pip install keyring; keyring set prcli USER).

Only published releases go out. An embargoed release (approved or published) goes only with --advance, as an advance copy with the embargo notice in the subject and on top of the text. A retracted release is never sent. Contacts without consent, who unsubscribed, or who read another language (unless --all-languages) are skipped and named.

Every message is recorded in private/sends.jsonl before and after it is handed to the server. A rerun (after a crash, kill or a dropped connection) sends only what is missing. A recipient whose message was being handed over at the moment of a crash is reported as unconfirmed and not sent again unless --retry-unconfirmed. A recipient who has an earlier version gets a correction only with --resend, with "Updated" in the subject. Output: one line per recipient on stdout (sent, failed, deferred).
"""


def send(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="ID", help="The release.")],
    list_name: Annotated[
        str,
        typer.Option("--list", "-L", metavar="NAME", help="The media list to send to."),
    ] = "",
    test: Annotated[
        str,
        typer.Option(
            "--test",
            metavar="ADDRESS",
            help="Send one test copy to ADDRESS (TEST in the subject).",
        ),
    ] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would get it and who not; send nothing.")
    ] = False,
    advance: Annotated[
        bool,
        typer.Option(
            "--advance",
            help="Send an embargoed release as an advance copy with the embargo notice.",
        ),
    ] = False,
    resend: Annotated[
        bool,
        typer.Option(
            "--resend", help="Send a corrected version to those who had an earlier one ('Updated')."
        ),
    ] = False,
    retry_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--retry-unconfirmed",
            help="Send again to recipients whose delivery was interrupted at the server (may "
            "duplicate).",
        ),
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option("--retry-failed", help="Try again where the server refused for good (5xx)."),
    ] = False,
    all_languages: Annotated[
        bool,
        typer.Option("--all-languages", help="Also send to list members who read other languages."),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Who sends (for the log). Default: git user.name.", show_default=False
        ),
    ] = None,
) -> None:
    """E-mail a release to a media list (one message per recipient), or a test copy."""
    from prcli.contacts.store import ContactStore, private_folder
    from prcli.distribution import message as messages
    from prcli.distribution import sending
    from prcli.distribution import settings as dist_settings
    from prcli.distribution.sendlog import LOCK_NAME, SendLog
    from prcli.errors import UsageError
    from prcli.identity import current_user
    from prcli.privatefolder import exclusive

    if test and list_name:
        raise UsageError("--test sends one copy; leave out --list")
    if test and (resend or retry_unconfirmed or retry_failed):
        raise UsageError("--test goes alone: it always sends one copy")
    app = AppContext.of(ctx)
    repository = app.repository()
    settings = repository.config
    entry = repository.read(repository.resolve(reference, app.cwd))
    release = entry.release
    now = app.now()
    dist = dist_settings.load(settings)
    sender = messages.default_sender(settings, dist.sender, release.language)
    if not messages.sender_address(sender):
        raise messages.MessageError(
            "no sender address for e-mail",
            hint='set from = "Press Office <press@example.org>" under [distribution] in prcli.toml',
        )
    is_advance = sending.check_sendable(release, now, advance=advance)
    # Attachments are read (and pictures rendered) before anything is sent: a missing file stops
    # the command here, not half-way through a list.
    media, media_mode = messages.media_of(release, entry.path, repository.root, settings)
    if advance and not is_advance:
        output.warn(f"{release.id} is not under embargo; --advance changes nothing")
    folder = private_folder(repository)
    log = SendLog(folder)
    book = None if test else ContactStore(folder).load()

    def run() -> None:
        read = log.read(release.id)
        if read.damaged:
            output.warn(
                f"{log.path}: line(s) {', '.join(map(str, read.damaged[:10]))} could not be read "
                "and were skipped"
            )
        if read.truncated_tail:
            output.warn(f"{log.path}: the last line was cut short (a crash while writing); skipped")
        plan = sending.plan(
            release,
            book,
            list_name,
            read.records,
            test_address=test,
            resend=resend,
            retry_unconfirmed=retry_unconfirmed,
            retry_failed=retry_failed,
            all_languages=all_languages,
            advance=is_advance,
        )
        _describe(plan, dry_run)
        if dry_run or not plan.send:
            return
        from prcli.distribution import smtp

        secret = smtp.password(dist.smtp)
        connection = smtp.Connection(dist.smtp, secret)
        delivery = sending.Delivery(
            settings=settings,
            dist=dist,
            sender=sender,
            now=now,
            base_url=settings.url,
            by=by.strip() if by and by.strip() else current_user(repository.root),
            media=tuple(media),
            media_mode=media_mode,
            report=_progress,
        )
        try:
            with log:
                outcome = sending.deliver(plan, delivery, log, connection)
        finally:
            connection.close()
        _finish(outcome)

    if dry_run:
        run()
        return
    from prcli import privatefolder

    privatefolder.ensure(folder)
    with exclusive(folder / LOCK_NAME, f"the send log of {folder}"):
        run()


def _describe(plan: object, dry_run: bool) -> None:
    from prcli.distribution.sending import Plan

    assert isinstance(plan, Plan)
    release = plan.release
    target = "a test copy" if plan.test else f"list {plan.list_name}"
    kind = "advance copy of " if plan.advance else ""
    output.say(
        f"{'Would send' if dry_run else 'Sending'} {kind}{release.id} (version {plan.version}, "
        f"{release.language}) to {target}: {len(plan.send)} recipient(s), "
        f"{len(plan.skipped)} skipped"
    )
    for address, why in plan.skipped:
        output.warn(f"skipped {address}: {why}")
    updated = {r.key for r in plan.updated}
    if dry_run:
        for recipient in plan.send:
            tag = "would-send-update" if recipient.key in updated else "would-send"
            output.write_line(f"{tag}\t{recipient.email}")
        for address, _why in plan.skipped:
            output.write_line(f"skip\t{address}")
    elif not plan.send:
        output.say("Nothing to send.")


def _progress(event: str, address: str, detail: str) -> None:
    style = {"sent": "green", "failed": "red", "deferred": "red", "retry": "yellow"}.get(event, "")
    output.say(f"{event} {address}: {detail}", style)


def _finish(outcome: object) -> None:
    from prcli.distribution.sending import Outcome

    assert isinstance(outcome, Outcome)
    for address, message_id, _reply in outcome.sent:
        output.write_line(f"sent\t{address}\t{message_id}")
    for address, reply in outcome.failed:
        output.write_line(f"failed\t{address}\t{reply}")
    for address, reply in outcome.deferred:
        output.write_line(f"deferred\t{address}\t{reply}")
    output.say(
        f"{len(outcome.sent)} sent, {len(outcome.failed)} refused, {len(outcome.deferred)} deferred",
        "green" if not (outcome.failed or outcome.deferred) else "yellow",
    )
    if outcome.stopped:
        output.say(
            f"Stopped: {outcome.stopped}. {len(outcome.not_tried)} recipient(s) not tried; run the "
            "same command again to continue (nobody gets a second copy).",
            "red",
        )
    if outcome.failed or outcome.deferred or outcome.stopped:
        raise typer.Exit(1)
