"""Front-matter values <-> Release: the one place that knows each field's name, type and order."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from prcli.clock import FIRST_YEAR, LAST_YEAR
from prcli.model import Attachment, Contact, Event, HistoryEntry, Release, Silence, Status


class Kind(Enum):
    TEXT = "text"
    STATUS = "status"
    DATE = "date"
    DATETIME = "datetime"
    TEXT_LIST = "list of text"
    CONTACTS = "list of contacts"
    ATTACHMENTS = "list of attachments"
    EVENT = "event (start, end, place, accreditation)"
    HISTORY = "list of history entries"
    SILENCES = "list of silenced rules"
    MAPPING = "table"


# Canonical, readable key order on write (never alphabetical).
FIELDS: dict[str, Kind] = {
    "id": Kind.TEXT,
    "title": Kind.TEXT,
    "subtitle": Kind.TEXT,
    "summary": Kind.TEXT,
    "status": Kind.STATUS,
    "category": Kind.TEXT,
    "language": Kind.TEXT,
    "date": Kind.DATE,
    "embargo_until": Kind.DATETIME,
    "publish_at": Kind.DATETIME,
    "expires": Kind.DATE,
    "event_date": Kind.DATE,
    "dateline": Kind.TEXT,
    "event": Kind.EVENT,
    "issuer": Kind.TEXT,
    "tags": Kind.TEXT_LIST,
    "people": Kind.TEXT_LIST,
    "organisations": Kind.TEXT_LIST,
    "places": Kind.TEXT_LIST,
    "contacts": Kind.CONTACTS,
    "related": Kind.TEXT_LIST,
    "translation_key": Kind.TEXT,
    "translation_of": Kind.TEXT,
    "attachments": Kind.ATTACHMENTS,
    "created": Kind.DATETIME,
    "updated": Kind.DATETIME,
    "history": Kind.HISTORY,
    "retraction": Kind.TEXT,
    "silence": Kind.SILENCES,
    "extra": Kind.MAPPING,
}
REQUIRED: tuple[str, ...] = ("id", "title", "status", "language", "date")
# Values under these keys are read as exact text (no YAML type guessing).
EXACT_TEXT_KEYS = frozenset(key for key, kind in FIELDS.items() if kind is not Kind.MAPPING)

CONTACT_KEYS = ("name", "role", "email", "phone")
# Written in this order; `alt` is the image description, `licence` the usage terms.
ATTACHMENT_KEYS = ("path", "kind", "caption", "alt", "credit", "licence", "language")
EVENT_KEYS = ("start", "end", "place", "accreditation")
HISTORY_KEYS = ("status", "at", "by", "note", "override", "kind", "clock")
SILENCE_KEYS = ("rule", "reason")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# Validation rule codes for the problems found while decoding (see prcli.validation).
CODE_MISSING = "PR002"
CODE_TYPE = "PR003"
CODE_STATUS = "PR101"
CODE_DATE = "PR104"
CODE_TIMEZONE = "PR105"
CODE_UNSAFE_ID = "PR009"


class FieldError(Exception):
    """A field whose value has the wrong type. `key` names the top-level field."""

    def __init__(self, key: str, message: str, hint: str = "", code: str = CODE_TYPE) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.hint = hint
        self.code = code


# ---------------------------------------------------------------------------------------------------
# Reading


def to_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FieldError(key, f"'{key}' must be text, not {_describe(value)}", 'quote it: key: "value"')


def _in_range(key: str, value: date) -> None:
    """Dates prcli can compute with: years FIRST_YEAR-LAST_YEAR, in UTC and in any offset."""
    year = value.year
    if isinstance(value, datetime):
        try:
            year = min(year, value.astimezone(UTC).year)
        except OverflowError:
            year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FieldError(
            key,
            f"'{key}' ({value.isoformat()}) is outside the years {FIRST_YEAR}-{LAST_YEAR}",
            "check the year",
            CODE_DATE,
        )


def to_date(key: str, value: Any) -> date:
    if isinstance(value, datetime):
        raise FieldError(
            key, f"'{key}' must be a date without a time", "write YYYY-MM-DD", CODE_DATE
        )
    if isinstance(value, date):
        _in_range(key, value)
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FieldError(
                key, f"'{key}': {value} is not a real date", "write YYYY-MM-DD", CODE_DATE
            ) from None
        _in_range(key, day)
        return day
    raise FieldError(
        key, f"'{key}' must be a date, not {_describe(value)}", "write YYYY-MM-DD", CODE_DATE
    )


def to_datetime(key: str, value: Any) -> datetime:
    parsed: datetime | None = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) > 10:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        raise FieldError(
            key,
            f"'{key}' must be a date and time, not {_describe(value)}",
            "write YYYY-MM-DDTHH:MM:SS+HH:MM",
            CODE_DATE,
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise FieldError(
            key,
            f"'{key}' ({value}) has no timezone",
            "add the offset, e.g. 2026-05-01T09:00:00+04:00",
            CODE_TIMEZONE,
        )
    _in_range(key, parsed)
    return parsed


def to_text_list(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise FieldError(key, f"'{key}' must be a list", f'write {key}: ["{value}"]')
    if not isinstance(value, list):
        raise FieldError(key, f"'{key}' must be a list of text, not {_describe(value)}")
    return tuple(to_text(key, item) for item in value)


def _records(key: str, value: Any, allowed: tuple[str, ...], required: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(key, f"'{key}' must be a list of tables, not {_describe(value)}")
    records = []
    for position, item in enumerate(value, 1):
        if not isinstance(item, Mapping):
            raise FieldError(key, f"'{key}' item {position} must be a table ({', '.join(allowed)})")
        for name in item:
            if name not in allowed:
                raise FieldError(
                    key,
                    f"'{key}' item {position} has an unknown field '{name}'",
                    f"allowed: {', '.join(allowed)}",
                )
        if not item.get(required):
            raise FieldError(key, f"'{key}' item {position} needs '{required}'")
        records.append(dict(item))
    return records


def to_contacts(key: str, value: Any) -> tuple[Contact, ...]:
    return tuple(
        Contact(**{name: to_text(key, item.get(name)) for name in CONTACT_KEYS})
        for item in _records(key, value, CONTACT_KEYS, "name")
    )


def to_attachments(key: str, value: Any) -> tuple[Attachment, ...]:
    if isinstance(value, list):
        # Older releases list bare paths (`attachments: [photo.jpg]`): each is a record with a path.
        value = [{"path": item} if isinstance(item, str) else item for item in value]
    return tuple(
        Attachment(**{name: to_text(key, item.get(name)) for name in ATTACHMENT_KEYS})
        for item in _records(key, value, ATTACHMENT_KEYS, "path")
    )


def to_event(key: str, value: Any) -> Event:
    if not isinstance(value, Mapping):
        raise FieldError(
            key,
            f"'{key}' must be a table ({', '.join(EVENT_KEYS)}), not {_describe(value)}",
            'write event: {start: "2021-10-13T10:00:00+03:00", place: "..."}',
        )
    for name in value:
        if name not in EVENT_KEYS:
            raise FieldError(
                key, f"'{key}' has an unknown field '{name}'", f"allowed: {', '.join(EVENT_KEYS)}"
            )
    if value.get("start") in (None, ""):
        raise FieldError(key, f"'{key}' needs 'start'", "write start: YYYY-MM-DDTHH:MM:SS+HH:MM")
    end = value.get("end")
    contact = value.get("accreditation")
    accreditation = None
    if contact not in (None, "", {}):
        if not isinstance(contact, Mapping) or any(n not in CONTACT_KEYS for n in contact):
            raise FieldError(
                key,
                f"'{key}.accreditation' must be a table ({', '.join(CONTACT_KEYS)})",
                "name whom journalists ask for accreditation, e.g. accreditation: {email: ...}",
            )
        accreditation = Contact(**{n: to_text(key, contact.get(n)) for n in CONTACT_KEYS})
    try:
        start = to_datetime(f"{key}.start", value["start"])
        finish = None if end in (None, "") else to_datetime(f"{key}.end", end)
    except FieldError as error:  # located at the event block's line
        raise FieldError(key, error.message, error.hint, error.code) from None
    return Event(
        start=start, end=finish, place=to_text(key, value.get("place")), accreditation=accreditation
    )


def to_history(key: str, value: Any) -> tuple[HistoryEntry, ...]:
    entries = []
    for item in _records(key, value, HISTORY_KEYS, "status"):
        entries.append(
            HistoryEntry(
                status=to_status(key, item["status"]),
                at=to_datetime(key, item.get("at")),
                by=to_text(key, item.get("by")),
                note=to_text(key, item.get("note")),
                override=to_text(key, item.get("override")),
                kind=to_text(key, item.get("kind")),
                clock=to_text(key, item.get("clock")),
            )
        )
    return tuple(entries)


def to_silences(key: str, value: Any) -> tuple[Silence, ...]:
    return tuple(
        Silence(**{name: to_text(key, item.get(name)) for name in SILENCE_KEYS})
        for item in _records(key, value, SILENCE_KEYS, "rule")
    )


def to_status(key: str, value: Any) -> Status:
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(status.value for status in Status)
        raise FieldError(
            key, f"'{key}': unknown status '{value}'", f"use one of: {allowed}", CODE_STATUS
        ) from None


def to_mapping(key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise FieldError(key, f"'{key}' must be a table, not {_describe(value)}")
    check_free_value(key, value)
    return dict(value)


MAX_FREE_DEPTH = 32
MAX_FREE_INT = 2**63  # what every JSON reader (and the index's encoder) carries exactly


def check_free_value(key: str, value: Any) -> None:
    """Free-form values (under `extra`, and keys prcli does not know) must be what JSON carries:
    text, true/false, null, finite numbers of at most 64 bits, dates and date-times, lists and
    tables with text keys, at most MAX_FREE_DEPTH deep. NaN and infinity (YAML `.nan`/`.inf`,
    TOML `nan`/`inf`), a TOML time of day without a date, or an integer beyond 64 bits are refused
    with a finding naming the place: prcli's JSON outputs must stay JSON. Walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, key, 0)]
    while stack:
        item, where, depth = stack.pop()
        problem = ""
        if isinstance(item, Mapping):
            if depth >= MAX_FREE_DEPTH:
                problem = f"is nested more than {MAX_FREE_DEPTH} levels deep"
            else:
                for name, child in item.items():
                    if not isinstance(name, str):
                        problem = f"has a key that is not text ({_describe(name)})"
                        break
                    stack.append((child, f"{where}.{name}", depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_FREE_DEPTH:
                problem = f"is nested more than {MAX_FREE_DEPTH} levels deep"
            else:
                stack.extend((child, f"{where}[{n}]", depth + 1) for n, child in enumerate(item))
        elif isinstance(item, bool) or item is None or isinstance(item, str | date):
            pass  # datetime is a date
        elif isinstance(item, int):
            if not -MAX_FREE_INT <= item < MAX_FREE_INT:
                problem = "is an integer beyond 64 bits"
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                problem = f"is {item!r}, which JSON cannot carry"
        else:
            problem = f"is a {type(item).__name__} value ({str(item)[:40]})"
        if problem:
            raise FieldError(
                key,
                f"'{where}' {problem}",
                'write it as text (quoted), e.g. value: "07:30"',
            )


_CONVERTERS: dict[Kind, Callable[[str, Any], Any]] = {
    Kind.TEXT: to_text,
    Kind.STATUS: to_status,
    Kind.DATE: to_date,
    Kind.DATETIME: to_datetime,
    Kind.TEXT_LIST: to_text_list,
    Kind.CONTACTS: to_contacts,
    Kind.ATTACHMENTS: to_attachments,
    Kind.EVENT: to_event,
    Kind.HISTORY: to_history,
    Kind.SILENCES: to_silences,
    Kind.MAPPING: to_mapping,
}


def decode(metadata: Mapping[str, Any], body: str) -> Release:
    """Build a Release from parsed front matter; raises FieldError naming the first bad field."""
    for key in REQUIRED:
        if metadata.get(key) in (None, ""):
            raise FieldError(
                key,
                f"missing required field '{key}'",
                f"add '{key}:' to the front matter",
                CODE_MISSING,
            )
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    for key, raw in metadata.items():
        kind = FIELDS.get(key)
        if kind is None:
            check_free_value(key, raw)
            unknown[key] = raw
            continue
        if raw is not None:  # an empty optional field is the same as an absent one
            values[key] = _CONVERTERS[kind](key, raw)
    from prcli.ids import id_problem

    problem = id_problem(values["id"])
    if problem:
        raise FieldError(
            "id",
            f"unsafe id {_shown(values['id'])}: {problem}",
            "ids are ASCII letters, digits and hyphens, e.g. 2021-10-15-lower-case-words",
            CODE_UNSAFE_ID,
        )
    return Release(**values, unknown=unknown, body=body)


def _shown(text: str) -> str:
    """Text for a one-line message: controls visible, long text cut."""
    shown = repr(text if len(text) <= 80 else text[:77] + "...")
    return shown


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return f"'{value}'"


# ---------------------------------------------------------------------------------------------------
# Writing


def encode(release: Release) -> dict[str, Any]:
    """Front-matter values in canonical order; unset optional fields are left out."""
    data: dict[str, Any] = {}
    for key, kind in FIELDS.items():
        value = getattr(release, key)
        if key not in REQUIRED and value in ("", (), None, {}):
            continue
        if kind is Kind.STATUS:
            data[key] = str(value)
        elif kind is Kind.TEXT_LIST:
            data[key] = list(value)
        elif kind is Kind.CONTACTS:
            data[key] = [_compact(contact, CONTACT_KEYS) for contact in value]
        elif kind is Kind.ATTACHMENTS:
            data[key] = [_compact(attachment, ATTACHMENT_KEYS) for attachment in value]
        elif kind is Kind.EVENT:
            data[key] = encode_event(value)
        elif kind is Kind.HISTORY:
            data[key] = [
                {
                    name: str(v) if name == "status" else v
                    for name, v in _compact(entry, HISTORY_KEYS).items()
                }
                for entry in value
            ]
        elif kind is Kind.SILENCES:
            data[key] = [_compact(silence, SILENCE_KEYS) for silence in value]
        elif kind is Kind.MAPPING:
            data[key] = dict(value)
        else:
            data[key] = value
    for key, value in release.unknown.items():
        data.setdefault(key, value)
    return data


def encode_event(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"start": event.start}
    if event.end is not None:
        data["end"] = event.end
    if event.place:
        data["place"] = event.place
    if event.accreditation is not None:
        contact = _compact(event.accreditation, CONTACT_KEYS)
        if contact:
            data["accreditation"] = contact
    return data


def _compact(item: object, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: getattr(item, key) for key in keys if getattr(item, key) not in ("", None)}
