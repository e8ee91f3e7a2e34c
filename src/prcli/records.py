"""A release as a flat, JSON-ready record: the documented shape of prcli's machine formats.

Every key is always present (empty text "", empty list [], unset date null) so scripts can rely on it.
Dates are ISO 8601 strings; datetimes carry their offset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from prcli.model import Contact, Event, Release

RECORD_VERSION = 1
# Columns of `list --format csv`, in order; multi-valued fields are joined with "; ".
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "status",
    "category",
    "language",
    "title",
    "subtitle",
    "summary",
    "tags",
    "translation_key",
    "translations",
    "embargo_until",
    "path",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_json_value(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(type(value))
    if names is None:  # a dataclass part (Contact, HistoryEntry, ...); asdict would deep-copy
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {name: to_json_value(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def record(
    release: Release,
    *,
    path: str = "",
    translations: Sequence[str] = (),
    body: bool = False,
) -> dict[str, Any]:
    """The release's fields in canonical order, plus where it lives and its other languages.

    Written out field by field (not with a generic walk): `list` and `export` build one per
    release, and this is their hot path."""
    r = release
    result: dict[str, Any] = {
        "id": r.id,
        "title": r.title,
        "subtitle": r.subtitle,
        "summary": r.summary,
        "status": r.status.value,
        "category": r.category,
        "language": r.language,
        "date": r.date.isoformat(),
        "embargo_until": _iso(r.embargo_until),
        "publish_at": _iso(r.publish_at),
        "expires": _iso(r.expires),
        "event_date": _iso(r.event_date),
        "dateline": r.dateline,
        "event": event_record(r.event),
        "issuer": r.issuer,
        "tags": list(r.tags),
        "people": list(r.people),
        "organisations": list(r.organisations),
        "places": list(r.places),
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in r.contacts
        ],
        "related": list(r.related),
        "translation_key": r.translation_key,
        "translation_of": r.translation_of,
        "attachments": [
            {
                "path": a.path,
                "kind": a.kind,
                "caption": a.caption,
                "alt": a.alt,
                "credit": a.credit,
                "licence": a.licence,
                "language": a.language,
            }
            for a in r.attachments
        ],
        "created": _iso(r.created),
        "updated": _iso(r.updated),
        "history": [
            {
                "status": h.status.value,
                "at": h.at.isoformat(),
                "by": h.by,
                "note": h.note,
                "override": h.override,
                "kind": h.kind,
                "clock": h.clock,
            }
            for h in r.history
        ],
        "retraction": r.retraction,
        "silence": [{"rule": s.rule, "reason": s.reason} for s in r.silence],
        "extra": to_json_value(r.extra),
    }
    if r.unknown:
        result["unknown"] = to_json_value(r.unknown)
    result["translations"] = list(translations)
    result["path"] = path
    if body:
        result["body"] = r.body
    return result


def event_record(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    contact = event.accreditation
    return {
        "start": event.start.isoformat(),
        "end": _iso(event.end),
        "place": event.place,
        "accreditation": None
        if contact is None
        else {
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
        },
    }


def _event(data: Mapping[str, Any] | None) -> Event | None:
    if data is None:
        return None
    contact = data["accreditation"]
    return Event(
        start=datetime.fromisoformat(data["start"]),
        end=_moment(data["end"]),
        place=data["place"],
        accreditation=None if contact is None else Contact(**contact),
    )


def csv_cell(value: Any) -> str:
    """One spreadsheet-safe cell: lists joined with '; ', formula starters neutralised."""
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = "; ".join(str(item) for item in value)
    else:
        text = str(value)
    if text.startswith(_FORMULA_START):
        # A leading apostrophe makes spreadsheets show the text instead of running it (OWASP).
        text = "'" + text
    return text


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def from_record(data: Mapping[str, Any], body: str) -> Release:
    """The Release a record (as written by `record`) describes. Trusts its input: it is for prcli's
    own index cache, which stores only records of releases that passed the strict reader."""
    from prcli.model import Attachment, HistoryEntry, Silence, Status

    return Release(
        id=data["id"],
        title=data["title"],
        subtitle=data["subtitle"],
        summary=data["summary"],
        status=Status(data["status"]),
        category=data["category"],
        language=data["language"],
        date=date.fromisoformat(data["date"]),
        embargo_until=_moment(data["embargo_until"]),
        publish_at=_moment(data["publish_at"]),
        expires=_date(data["expires"]),
        event_date=_date(data["event_date"]),
        dateline=data["dateline"],
        event=_event(data.get("event")),
        issuer=data["issuer"],
        tags=tuple(data["tags"]),
        people=tuple(data["people"]),
        organisations=tuple(data["organisations"]),
        places=tuple(data["places"]),
        contacts=tuple(Contact(**c) for c in data["contacts"]),
        related=tuple(data["related"]),
        translation_key=data["translation_key"],
        translation_of=data["translation_of"],
        attachments=tuple(Attachment(**a) for a in data["attachments"]),
        created=_moment(data["created"]),
        updated=_moment(data["updated"]),
        history=tuple(
            HistoryEntry(
                Status(h["status"]),
                datetime.fromisoformat(h["at"]),
                h["by"],
                h["note"],
                h["override"],
                h.get("kind", ""),
                h.get("clock", ""),
            )
            for h in data["history"]
        ),
        retraction=data["retraction"],
        silence=tuple(Silence(**s) for s in data["silence"]),
        extra=data["extra"],
        unknown=data.get("unknown", {}),
        body=body,
    )
