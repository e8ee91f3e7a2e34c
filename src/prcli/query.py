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


def select(entries: Iterable[Entry], filters: Filters) -> list[Entry]:
    return [entry for entry in entries if filters.matches(entry.release)]


def order(entries: Sequence[Entry], field: str = "date", reverse: bool = False) -> list[Entry]:
    """Sort by `field` in its natural direction (flipped by `reverse`); ties by id, stable."""
    key, newest_first = SORT_FIELDS[field]
    by_id = sorted(entries, key=lambda e: e.release.id, reverse=newest_first != reverse)
    return sorted(by_id, key=lambda e: key(e.release), reverse=newest_first != reverse)


def translations(entries: Iterable[Entry]) -> dict[str, tuple[str, ...]]:
    """For each release id, the languages of the other releases sharing its translation_key."""
    groups: dict[str, list[Release]] = defaultdict(list)
    for entry in entries:
        if entry.release.translation_key:
            groups[entry.release.translation_key].append(entry.release)
    result: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        for release in members:
            others = sorted({m.language for m in members if m.id != release.id})
            result[release.id] = tuple(others)
    return result
