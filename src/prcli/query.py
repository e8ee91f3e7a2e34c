"""Select and order releases: the filters shared by list, export and (later) search and stats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from prcli.model import Release, Status
from prcli.releasefile import Entry
from prcli.text import fold

# Each sort field with its natural direction: dates newest first, text A to Z.
SORT_FIELDS: dict[str, tuple[Callable[[Release], Any], bool]] = {
    "date": (lambda r: r.date, True),
    "created": (lambda r: (r.created is not None, r.created.timestamp() if r.created else 0), True),
    "updated": (lambda r: (r.updated is not None, r.updated.timestamp() if r.updated else 0), True),
    "id": (lambda r: r.id, False),
    "title": (lambda r: fold(r.title), False),
    "status": (lambda r: list(Status).index(r.status), False),
    "category": (lambda r: fold(r.category), False),
    "language": (lambda r: r.language, False),
}


@dataclass(frozen=True)
class Filters:
    """Repeated values of one filter match any of them; different filters must all match."""

    statuses: frozenset[Status] = frozenset()
    categories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    text: str = ""
    ids: frozenset[str] = frozenset()

    @cached_property
    def _folded(self) -> tuple[frozenset[str], frozenset[str], str]:
        return (
            frozenset(fold(c) for c in self.categories),
            frozenset(fold(t) for t in self.tags),
            fold(self.text),
        )

    def matches(self, release: Release) -> bool:
        if self.ids and release.id not in self.ids:
            return False
        if self.statuses and release.status not in self.statuses:
            return False
        categories, tags, needle = self._folded
        if categories and fold(release.category) not in categories:
            return False
        if self.languages and release.language not in self.languages:
            return False
        if tags and not tags & {fold(t) for t in release.tags}:
            return False
        if self.since and release.date < self.since:
            return False
        if self.until and release.date > self.until:
            return False
        if self.text:
            haystack = (release.title, release.summary, release.body)
            if not any(needle in fold(part) for part in haystack):
                return False
        return True


# The index columns (prcli.records.COLUMNS) that order rows as SORT_FIELDS orders releases.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "created": ("created_ts IS NOT NULL", "created_ts"),
    "updated": ("updated_ts IS NOT NULL", "updated_ts"),
    "id": ("rid",),
    "title": ("title_f",),
    "status": ("status_rank",),
    "category": ("category_f",),
    "language": ("language",),
}


def sql_order(field: str = "date", reverse: bool = False) -> str:
    """The ORDER BY of `order()` over index rows: the field, then the id, then the file path (the
    order releases are read in), exactly as the stable sorts of `order()` leave ties."""
    _, newest_first = SORT_FIELDS[field]
    direction = "DESC" if newest_first != reverse else "ASC"
    return ", ".join(f"{column} {direction}" for column in (*SORT_COLUMNS[field], "rid")) + (
        ", path ASC"
    )


def sql_where(filters: Filters) -> tuple[str, list[Any]]:
    """The WHERE clause of `Filters.matches` over index rows, except `text` (see `needle`)."""
    clauses: list[str] = []
    parameters: list[Any] = []

    def among(column: str, values: Iterable[str]) -> None:
        chosen = sorted(values)
        clauses.append(f"{column} IN ({', '.join('?' for _ in chosen)})")
        parameters.extend(chosen)

    categories, tags, _ = filters._folded
    if filters.ids:
        among("rid", filters.ids)
    if filters.statuses:
        among("status", (str(status) for status in filters.statuses))
    if categories:
        among("category_f", categories)
    if filters.languages:
        among("language", filters.languages)
    if tags:
        chosen = sorted(tags)
        clauses.append(
            "EXISTS (SELECT 1 FROM json_each(tags_f) WHERE value IN "
            f"({', '.join('?' for _ in chosen)}))"
        )
        parameters.extend(chosen)
    if filters.since:
        clauses.append("date >= ?")
        parameters.append(filters.since.isoformat())
    if filters.until:
        clauses.append("date <= ?")
        parameters.append(filters.until.isoformat())
    return " AND ".join(clauses) or "1", parameters


def needle(filters: Filters) -> str:
    """The folded text `--query` looks for ('' for none)."""
    return filters._folded[2] if filters.text else ""


def select(entries: Iterable[Entry], filters: Filters) -> list[Entry]:
    return [entry for entry in entries if filters.matches(entry.release)]


def order(entries: Sequence[Entry], field: str = "date", reverse: bool = False) -> list[Entry]:
    """Sort by `field` in its natural direction (flipped by `reverse`); ties by id, stable."""
    key, newest_first = SORT_FIELDS[field]
    by_id = sorted(entries, key=lambda e: e.release.id, reverse=newest_first != reverse)
    return sorted(by_id, key=lambda e: key(e.release), reverse=newest_first != reverse)


def translations(entries: Iterable[Entry]) -> dict[str, tuple[str, ...]]:
    """For each release id, the languages of the other releases sharing its translation_key."""
    return translation_languages(
        (e.release.id, e.release.translation_key, e.release.language) for e in entries
    )


def translation_languages(releases: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, ...]]:
    """`translations` from (id, translation_key, language) of each release, in reading order."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for release_id, key, language in releases:
        if key:
            groups[key].append((release_id, language))
    result: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        for release_id, _ in members:
            others = sorted({lang for other, lang in members if other != release_id})
            result[release_id] = tuple(others)
    return result
