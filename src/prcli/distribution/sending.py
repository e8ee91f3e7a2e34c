"""`prcli send`: who gets a release, the gate that decides whether it may go, and the delivery loop
with rate limit, retries with back-off and the send log.

One message per recipient (nobody sees the list), recipients in a fixed order. Every step that
reached the server is in the send log before prcli moves on; see sendlog.py for what that
guarantees after a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from prcli.config import Config
from prcli.contacts.model import MediaContact, address_problem, normalise_address
from prcli.contacts.store import ContactBook
from prcli.distribution import message as messages
from prcli.distribution.content import Copy, make_copy, version
from prcli.distribution.sendlog import LogState, Record, SendLog
from prcli.distribution.settings import DistributionSettings
from prcli.distribution.smtp import Connection, PermanentFailure, TemporaryFailure
from prcli.errors import PrcliError, UsageError
from prcli.model import Release, Status
from prcli.publication import under_embargo


class SendRefused(PrcliError):
    """The release may not be sent (unpublished, under embargo without --advance, retracted)."""


def check_sendable(release: Release, now: dt.datetime, *, advance: bool) -> bool:
    """Raise SendRefused unless the release may go out now; True when it is an advance copy."""
    from prcli.publication import status_problem, workflow_command

    problem = status_problem(release)
    if problem:
        raise SendRefused(
            f"{release.id}: {problem}; nothing is sent",
            hint=f"move it with the workflow ({workflow_command(release.status)})",
        )
    if release.status is Status.RETRACTED:
        raise SendRefused(
            f"{release.id} was retracted; it is not sent again",
            hint="journalists who had it can be told with a new release",
        )
    embargoed = under_embargo(release, now)
    if embargoed and release.status in (Status.APPROVED, Status.PUBLISHED):
        if not advance:
            assert release.embargo_until is not None
            raise SendRefused(
                f"{release.id} is under embargo until {release.embargo_until.isoformat()}",
                hint="send it as an advance copy (the embargo notice goes in the subject and on "
                "top) with --advance, or wait until the embargo lifts",
            )
        return True
    if release.status is not Status.PUBLISHED:
        hint = (
            "publish it first: prcli publish ID"
            if release.status is Status.APPROVED
            else f"a {release.status} release does not go out"
        )
        raise SendRefused(f"{release.id} is {release.status}, not published", hint=hint)
    return False


@dataclass(frozen=True, slots=True)
class Recipient:
    email: str  # as written on the list
    name: str = ""

    @property
    def key(self) -> str:
        return normalise_address(self.email)

    @property
    def smtp_address(self) -> str:
        """The address as SMTP takes it: domain IDNA-encoded."""
        local, _, domain = self.email.strip().rpartition("@")
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")
        return f"{local}@{domain}"


@dataclass
class Plan:
    release: Release
    version: int
    list_name: str
    send: list[Recipient] = field(default_factory=list)
    updated: list[Recipient] = field(default_factory=list)  # the subset that gets "Updated"
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    test: bool = False
    advance: bool = False


def plan(
    release: Release,
    book: ContactBook | None,
    list_name: str,
    records: list[Record],
    *,
    test_address: str = "",
    resend: bool = False,
    retry_unconfirmed: bool = False,
    retry_failed: bool = False,
    all_languages: bool = False,
    advance: bool = False,
) -> Plan:
    current = version(release)
    result = Plan(release, current, list_name, test=bool(test_address), advance=advance)
    if test_address:
        problem = address_problem(test_address)
        if problem:
            raise UsageError(f"--test: {problem}")
        result.send.append(Recipient(test_address.strip()))
        return result
    assert book is not None
    if not list_name.strip():
        raise UsageError("say who gets it: --list NAME (or --test ADDRESS for one copy)")
    members = book.members(list_name)
    if not members:
        known = ", ".join(f"{name} ({n})" for name, n in book.list_names().items()) or "none yet"
        if list_name in book.list_names():
            raise PrcliError(f"the list {list_name} is empty")
        raise PrcliError(
            f"no list named {list_name}",
            hint=f"lists: {known}; add people with prcli contacts add|import --list {list_name}",
        )
    state = LogState(records, release.id)
    seen: set[str] = set()
    for contact in sorted(members, key=lambda c: c.key):
        reason = _skip_reason(contact, release, seen, book, all_languages)
        if reason:
            result.skipped.append((contact.email, reason))
            continue
        seen.add(contact.key)
        recipient = Recipient(contact.email, contact.name)
        had = state.of(recipient.key)
        if current in had.sent_versions:
            result.skipped.append((contact.email, f"already has version {current}"))
        elif current in had.unconfirmed and not retry_unconfirmed:
            result.skipped.append(
                (
                    contact.email,
                    "unconfirmed: an earlier run was interrupted after handing this message to "
                    "the server; --retry-unconfirmed sends it again",
                )
            )
        elif current in had.failed and not retry_failed:
            result.skipped.append(
                (contact.email, f"refused earlier ({had.failed[current].reply}); --retry-failed")
            )
        elif had.sent_versions:
            if resend:
                result.send.append(recipient)
                result.updated.append(recipient)
            else:
                older = max(had.sent_versions)
                result.skipped.append(
                    (
                        contact.email,
                        f"has version {older}; --resend sends version {current} as 'Updated'",
                    )
                )
        else:
            result.send.append(recipient)
    return result


def _skip_reason(
    contact: MediaContact,
    release: Release,
    seen: set[str],
    book: ContactBook,
    all_languages: bool,
) -> str:
    problem = address_problem(contact.email)
    if problem:
        return problem
    if contact.key in seen:
        return "listed twice"
    if book.is_suppressed(contact.email):
        return "unsubscribed"
    if not contact.has_consent:
        return "no consent recorded"
    if not all_languages and not contact.reads(release.language):
        return f"reads {', '.join(contact.languages)}, not {release.language}"
    return ""


@dataclass
class Outcome:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # address, message id, reply
    failed: list[tuple[str, str]] = field(default_factory=list)  # address, reply
    deferred: list[tuple[str, str]] = field(default_factory=list)
    stopped: str = ""  # why the run stopped early ('' when it went through the plan)
    not_tried: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Delivery:
    settings: Config
    dist: DistributionSettings
    sender: str
    now: dt.datetime
    base_url: str
    by: str
    media: tuple[Any, ...] = ()  # prcli.media.library.MediaFile of the release's attachments
    media_mode: str = "inline"
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    report: Callable[[str, str, str], None] = lambda event, address, detail: None


def build_message(
    copy: Copy, delivery: Delivery, recipient: Recipient, *, updated: bool, test: bool
) -> EmailMessage:
    unsubscribe = delivery.dist.unsubscribe or (
        f"mailto:{messages.sender_address(delivery.sender)}?subject=unsubscribe"
    )
    envelope = messages.Envelope(
        sender=delivery.sender,
        recipient=recipient.email,
        recipient_name=recipient.name,
        reply_to=delivery.dist.reply_to,
        unsubscribe=unsubscribe,
        updated=updated,
        test=test,
    )
    return messages.build(
        copy,
        envelope,
        date=delivery.now,
        media=delivery.media,
        media_mode=delivery.media_mode,
        templates=messages.templates_of(delivery.settings),
    )


def deliver(plan: Plan, delivery: Delivery, log: SendLog, connection: Connection) -> Outcome:
    """Send the plan's messages, recording each step in `log` (opened by the caller)."""
    smtp = delivery.dist.smtp
    copy = make_copy(plan.release, delivery.settings, delivery.now, delivery.base_url)
    kind = "test" if plan.test else "list"
    run_id = f"{delivery.now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    updated = {r.key for r in plan.updated}
    # Build every message first: a missing attachment stops the run before anything is sent.
    built = [
        (r, build_message(copy, delivery, r, updated=r.key in updated, test=plan.test))
        for r in plan.send
    ]
    outcome = Outcome()
    connection.open()  # a wrong password or a silent host fails here, before any record
    log.append(
        Record(
            "run",
            run_id,
            _stamp(),
            plan.release.id,
            plan.version,
            kind=kind,
            extra={
                "list": plan.list_name,
                "by": delivery.by,
                "recipients": len(plan.send),
                "skipped": len(plan.skipped),
                "advance": plan.advance,
            },
        )
    )
    interval = 60.0 / smtp.rate_per_minute if smtp.rate_per_minute > 0 else 0.0
    last_start: float | None = None
    sender = messages.sender_address(delivery.sender)
    for position, (recipient, message) in enumerate(built):
        data = message.as_bytes()
        message_id = str(message["Message-ID"])
        step = _Step(log, run_id, plan.release.id, plan.version, recipient.key, message_id, kind)
        attempt = 0
        while True:
            if last_start is not None and interval:
                wait = last_start + interval - delivery.clock()
                if wait > 0:
                    delivery.sleep(wait)
            last_start = delivery.clock()
            step.handed_over = False
            try:
                reply = connection.send(sender, recipient.smtp_address, data, step.attempt)
            except PermanentFailure as refused:
                step.record("failed", refused.reply)
                outcome.failed.append((recipient.email, refused.reply))
                delivery.report("failed", recipient.email, refused.reply)
                break
            except TemporaryFailure as problem:
                if step.handed_over:  # no answer to DATA: the server did not take it
                    step.record("retry", problem.reply)
                attempt += 1
                if attempt > smtp.retries:
                    step.record("deferred", problem.reply)
                    outcome.deferred.append((recipient.email, problem.reply))
                    delivery.report("deferred", recipient.email, problem.reply)
                    if problem.connection_lost:
                        outcome.stopped = f"the server stays unreachable ({problem.reply})"
                        outcome.not_tried = [r.email for r, _ in built[position + 1 :]]
                        return outcome
                    break
                pause = min(smtp.backoff * (2 ** (attempt - 1)), smtp.backoff_max)
                delivery.report("retry", recipient.email, f"{problem.reply}; again in {pause:g} s")
                delivery.sleep(pause)
                continue  # a lost connection is opened again by the next send
            step.record("sent", reply)
            outcome.sent.append((recipient.email, message_id, reply))
            delivery.report("sent", recipient.email, reply)
            break
    return outcome


class _Step:
    """The send-log records of one message to one recipient."""

    def __init__(
        self,
        log: SendLog,
        run: str,
        release: str,
        version: int,
        recipient: str,
        message_id: str,
        kind: str,
    ) -> None:
        self.log = log
        self.fields = (run, release, version, recipient, message_id, kind)
        self.handed_over = False

    def record(self, event: str, reply: str = "") -> None:
        run, release, version, recipient, message_id, kind = self.fields
        self.log.append(
            Record(event, run, _stamp(), release, version, recipient, message_id, reply, kind)
        )

    def attempt(self) -> None:
        """Called by the connection just before DATA: durable before the message goes."""
        self.record("attempt")
        self.handed_over = True


def _stamp() -> str:
    """Log times are the real clock (UTC), never the pinned --now: they say when it happened."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
