"""A release as a flat, JSON-ready record: the documented shape of prcli's machine formats.

Every key is always present (empty text "", empty list [], unset date null) so scripts can rely on it.
Dates are ISO 8601 strings; datetimes carry their offset.

This module owns the three forms of a release and the ways between them: `Release` <-> record
(`record`, `from_record`) <-> index row (`stored`, `finish`, `columns`). The index cache keeps each
record already encoded, so listing commands stream it without building `Release` values; a property
test proves that what they stream equals `encode(record(...))` of the parsed file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from prcli.model import Contact, Event, Release, Status
from prcli.text import fold

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


if TYPE_CHECKING:
    import msgspec


@cache
def _msgspec() -> Any:
    """msgspec, imported on first use (it costs start-up time that `--help` should not pay)."""
    import msgspec

    return msgspec


@cache
def _encoder() -> msgspec.json.Encoder:
    return _msgspec().json.Encoder()  # type: ignore[no-any-return]


@cache
def _decoder() -> msgspec.json.Decoder[Any]:
    return _msgspec().json.Decoder()  # type: ignore[no-any-return]


def encode(value: Any) -> bytes:
    """Compact JSON (UTF-8, no ASCII escaping): the one encoding of every machine format."""
    try:
        return _encoder().encode(value)
    except (OverflowError, TypeError, ValueError, _msgspec().EncodeError):
        # Integers past 64 bits (kept from imported extra keys) and other rarities.
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> Any:
    return _decoder().decode(data)


# The record keys that depend on where a release lives and on the other releases: the index stores
# the record without them and `finish` adds them when the record is written out.
_PLACED_KEYS = ("translations", "path")


def stored(release: Release) -> bytes:
    """The release's record as the index keeps it: encoded, without its closing brace, translations
    and path (so `finish` can add them without decoding)."""
    data = record(release)
    for key in _PLACED_KEYS:
        del data[key]
    return encode(data)[:-1]


def finish(stored_record: bytes, path: str, translations: Sequence[str]) -> bytes:
    """The encoded record of `record(release, path=..., translations=...)` from its stored form.

    The two strings are quoted by the standard library's C string encoder, which writes the same
    bytes as msgspec for any string (tests/test_startup.py): a warm `list` never imports msgspec."""
    from json.encoder import encode_basestring as quoted

    listed = ",".join(map(quoted, translations))
    return b"".join(
        (
            stored_record,
            f',"translations":[{listed}],"path":{quoted(path)}}}'.encode(),
        )
    )


def unfinished(stored_record: bytes) -> dict[str, Any]:
    """The record a stored form holds (without translations and path)."""
    value = decode(stored_record + b"}")
    if not isinstance(value, dict):
        raise ValueError("a stored record is not an object")
    return value


@cache
def _release_decoder() -> msgspec.json.Decoder[Release]:
    return _msgspec().json.Decoder(Release)  # type: ignore[no-any-return]


def from_stored(stored_record: bytes, body: str) -> Release:
    """The Release a stored record (`stored`) describes: `from_record(unfinished(...), body)`,
    decoded by msgspec straight into the model's types (about 4 x faster: a site export decodes
    every release). What that typed decoding does not take as `from_record` would (an offset
    with seconds, a value of an unexpected type) goes the slow way."""
    msgspec = _msgspec()
    try:
        release = _release_decoder().decode(stored_record + b"}")
    except (msgspec.ValidationError, msgspec.DecodeError, ValueError, TypeError):
        return from_record(unfinished(stored_record), body)
    if body:  # the decoder's own new object, not yet seen by anyone
        object.__setattr__(release, "body", body)
    return release


STATUS_RANK = {status: rank for rank, status in enumerate(Status)}


def timestamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def columns(release: Release) -> tuple[Any, ...]:
    """The values the index filters and sorts on, in `COLUMNS` order (see prcli.query)."""
    return (
        release.id,
        release.date.isoformat(),
        release.status.value,
        STATUS_RANK[release.status],
        fold(release.category),
        release.language,
        encode([fold(tag) for tag in release.tags]).decode("utf-8"),
        fold(release.title),
        timestamp(release.created),
        timestamp(release.updated),
        release.translation_key,
    )


COLUMNS = (
    "rid",
    "date",
    "status",
    "status_rank",
    "category_f",
    "language",
    "tags_f",
    "title_f",
    "created_ts",
    "updated_ts",
    "tkey",
)


def searchable_text(release: Release) -> str:
    """What `list --query` looks in: the folded title, summary and body."""
    return "\0".join((fold(release.title), fold(release.summary), fold(release.body)))


@cache
def _field_decoders() -> tuple[Any, Any]:
    """Decoders of only the fields the CSV columns and `ids` need (the rest is skipped unread)."""
    msgspec = _msgspec()

    class CsvFields(msgspec.Struct):  # type: ignore[misc,name-defined]
        id: str
        date: str
        status: str
        category: str
        language: str
        title: str
        subtitle: str
        summary: str
        tags: list[str]
        translation_key: str
        translations: list[str]
        embargo_until: str | None
        path: str

    class IdField(msgspec.Struct):  # type: ignore[misc,name-defined]
        id: str

    return msgspec.json.Decoder(CsvFields), msgspec.json.Decoder(IdField)


def record_ids(encoded: Iterable[bytes]) -> list[str]:
    decoder = _field_decoders()[1]
    return [decoder.decode(data).id for data in encoded]


def csv_rows(encoded: Iterable[bytes], *, header: bool = True) -> str:
    """Encoded records as CSV: a header of CSV_COLUMNS, one spreadsheet-safe row each."""
    import io

    from prcli.csvout import CsvWriter

    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    if header:
        writer.row(CSV_COLUMNS)
    decoder = _field_decoders()[0]
    for data in encoded:
        fields = decoder.decode(data)
        writer.row(getattr(fields, column) for column in CSV_COLUMNS)
    return buffer.getvalue()


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
