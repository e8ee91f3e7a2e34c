"""The send log: an append-only record of every message handed to the SMTP server.

`private/sends.jsonl`, one JSON object a line, each line written with a single write() and fsync'd
before prcli goes on. Events of one recipient in one run:

    attempt   written after the server accepted MAIL FROM and RCPT TO, before DATA
    sent      the server answered 250 to the message (reply kept)
    failed    a permanent refusal (5xx): not retried
    deferred  a temporary refusal (4xx) or a dropped connection, still failing after the retries
    retry     the connection dropped during DATA with no reply: the server did not take the
              message, it is tried again (as every mail server does)

and one `run` line at the start of a run (release, version, list, who, skipped recipients).

What a later run concludes (see `LogState`):

- `sent` for this release version and recipient: never sent again;
- `attempt` with no outcome after it: the process died between handing over the message and writing
  the server's answer. The server may have taken it: prcli does not send again on its own
  (`--retry-unconfirmed` does, when you have checked). This is the only window of doubt, and prcli
  resolves it towards "nobody gets a second copy";
- no `attempt`: the message never reached DATA, so it was not delivered: it is sent.

A truncated last line (a crash in the middle of a write) is skipped: it can only be the newest
record, and because `attempt` is fsync'd before DATA starts, a lost `sent` line leaves its `attempt`
behind and the recipient counts as unconfirmed, not as unsent. Lines that do not parse elsewhere are
skipped and counted. The next append first ends a truncated line so records never run together.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from prcli import privatefolder
from prcli.errors import PrcliError

FILE_NAME = "sends.jsonl"
LOCK_NAME = ".send.lock"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Record:
    event: str
    run: str
    at: str
    release: str
    version: int
    recipient: str = ""
    message_id: str = ""
    reply: str = ""
    kind: str = "list"  # "list" or "test"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "event": self.event,
            "run": self.run,
            "at": self.at,
            "release": self.release,
            "version": self.version,
        }
        for name in ("recipient", "message_id", "reply"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.kind != "list":
            data["kind"] = self.kind
        data.update(self.extra)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        known = {
            "v",
            "event",
            "run",
            "at",
            "release",
            "version",
            "recipient",
            "message_id",
            "reply",
            "kind",
        }
        return cls(
            event=str(data["event"]),
            run=str(data.get("run", "")),
            at=str(data.get("at", "")),
            release=str(data["release"]),
            version=int(data.get("version", 1)),
            recipient=str(data.get("recipient", "")),
            message_id=str(data.get("message_id", "")),
            reply=str(data.get("reply", "")),
            kind=str(data.get("kind", "list")),
            extra={k: v for k, v in data.items() if k not in known},
        )


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)  # line numbers that did not parse
    truncated_tail: bool = False


class SendLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self._fd: int | None = None

    # -- reading --------------------------------------------------------------------------------

    def read(self, release_id: str = "") -> ReadResult:
        """Every record, or only those of `release_id` (lines of other releases are skipped
        before they are parsed: a large log costs little)."""
        result = ReadResult()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return result
        except OSError as error:
            raise PrcliError(f"cannot read the send log {self.path}: {error.strerror}") from None
        lines = data.split(b"\n")
        last = len(lines) - 1  # after the final newline: b"" unless the last line is truncated
        needle = json.dumps(release_id).encode() if release_id else b""
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            if needle and needle not in raw and number - 1 != last:
                continue
            try:
                value = json.loads(raw)
                if not isinstance(value, dict):
                    raise ValueError("not an object")
                result.records.append(Record.from_json(value))
            except (ValueError, KeyError, TypeError):
                if number - 1 == last:
                    result.truncated_tail = True
                else:
                    result.damaged.append(number)
        return result

    def records_for(self, release_id: str) -> list[Record]:
        return [r for r in self.read(release_id).records if r.release == release_id]

    # -- writing --------------------------------------------------------------------------------

    def __enter__(self) -> SendLog:
        privatefolder.ensure(self.folder)
        privatefolder.touch_private(self.path)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self._end_truncated_line()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _end_truncated_line(self) -> None:
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with self.path.open("rb") as handle:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                os.write(self._fd, b"\n")
                os.fsync(self._fd)

    def append(self, record: Record) -> None:
        """Write one record durably: a single write of the whole line, then fsync."""
        if self._fd is None:
            raise RuntimeError("SendLog.append outside `with`")
        data = (record.to_json() + "\n").encode("utf-8")
        written = os.write(self._fd, data)
        while written < len(data):  # a short write on a full disk: finish the line or fail loudly
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)


@dataclass
class RecipientState:
    sent_versions: set[int] = field(default_factory=set)
    unconfirmed: dict[int, Record] = field(default_factory=dict)  # version -> the attempt
    failed: dict[int, Record] = field(default_factory=dict)  # version -> permanent failure
    deferred: dict[int, Record] = field(default_factory=dict)


class LogState:
    """What the log says about one release: who has which version, what is in doubt."""

    def __init__(self, records: Iterable[Record], release_id: str, kind: str = "list") -> None:
        self.recipients: dict[str, RecipientState] = {}
        open_attempts: dict[tuple[str, str, int], Record] = {}
        for record in records:
            if record.release != release_id or record.kind != kind or not record.recipient:
                continue
            state = self.recipients.setdefault(record.recipient, RecipientState())
            key = (record.run, record.recipient, record.version)
            if record.event == "attempt":
                open_attempts[key] = record
                continue
            open_attempts.pop(key, None)
            if record.event == "sent":
                state.sent_versions.add(record.version)
                state.unconfirmed.pop(record.version, None)
                state.failed.pop(record.version, None)
                state.deferred.pop(record.version, None)
            elif record.event == "failed":
                state.failed[record.version] = record
            elif record.event == "deferred":
                state.deferred[record.version] = record
        for (_run, recipient, version), attempt in open_attempts.items():
            state = self.recipients[recipient]
            if version not in state.sent_versions:
                state.unconfirmed[version] = attempt

    def of(self, recipient: str) -> RecipientState:
        return self.recipients.get(recipient, RecipientState())


@dataclass(frozen=True, slots=True)
class RunSummary:
    run: str
    at: datetime
    release: str
    version: int
    list_name: str
    by: str
    kind: str
    counts: dict[str, int]  # event -> recipients

    def describe(self) -> str:
        target = f"list {self.list_name}" if self.list_name else "test copy"
        parts = [
            f"{self.counts.get(e, 0)} {e}"
            for e in ("sent", "failed", "deferred")
            if self.counts.get(e)
        ]
        unconfirmed = self.counts.get("unconfirmed", 0)
        if unconfirmed:
            parts.append(f"{unconfirmed} unconfirmed")
        skipped = self.counts.get("skipped", 0)
        if skipped:
            parts.append(f"{skipped} skipped")
        return f"{target}, version {self.version}: {', '.join(parts) or 'nothing sent'}"


def runs(records: Iterable[Record], release_id: str) -> list[RunSummary]:
    """One summary per send run of a release, oldest first."""
    heads: dict[str, Record] = {}
    outcomes: dict[str, dict[str, str]] = {}  # run -> recipient -> last event
    for record in records:
        if record.release != release_id:
            continue
        if record.event == "run":
            heads[record.run] = record
        elif record.recipient:
            outcomes.setdefault(record.run, {})[record.recipient] = record.event
    summaries = []
    for run_id, head in heads.items():
        counts: dict[str, int] = {}
        for event in outcomes.get(run_id, {}).values():
            name = "unconfirmed" if event == "attempt" else event
            counts[name] = counts.get(name, 0) + 1
        counts["skipped"] = int(head.extra.get("skipped", 0))
        try:
            at = datetime.fromisoformat(head.at)
        except ValueError:
            continue
        summaries.append(
            RunSummary(
                run_id,
                at,
                head.release,
                head.version,
                str(head.extra.get("list", "")),
                str(head.extra.get("by", "")),
                head.kind,
                counts,
            )
        )
    return sorted(summaries, key=lambda s: s.at)


def iter_json(records: Iterable[Record]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield json.loads(record.to_json())
