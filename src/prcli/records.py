"""A release as a flat, JSON-ready record: the documented shape of prcli's machine formats.

Every key is always present (empty text "", empty list [], unset date null) so scripts can rely on it.
Dates are ISO 8601 strings; datetimes carry their offset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from prcli.codec import FIELDS, Kind
from prcli.model import Release

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


def record(
    release: Release,
    *,
    path: str = "",
    translations: Sequence[str] = (),
    body: bool = False,
) -> dict[str, Any]:
    """The release's fields in canonical order, plus where it lives and its other languages."""
    result: dict[str, Any] = {}
    for key, kind in FIELDS.items():
        value = getattr(release, key)
        if kind is Kind.STATUS:
            value = str(value)
        result[key] = to_json_value(value)
    if release.unknown:
        result["unknown"] = to_json_value(release.unknown)
    result["translations"] = list(translations)
    result["path"] = path
    if body:
        result["body"] = release.body
    return result


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
