"""The index: the cache brought up to date with the release files, and the questions it answers.

`sync` makes the cache a projection of the files (parsing what is new, changed or damaged).
`load` builds `Entry` values from it for commands that reason about releases; `listing` answers
list-like questions (filters, order, limit in SQL) with the stored, already-encoded records and
builds no `Release` at all. Both raise `sqlite3.Error` when the database fails them; callers then
do without the cache (see `Repository`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prcli import records
from prcli.cache import (
    SMALL,
    IndexCache,
    Row,
    Signature,
    crc,
    entry_of,
    error_of,
    now_ns,
    row_check,
    row_of,
    signature,
)
from prcli.errors import InvalidRelease
from prcli.query import (
    Filters,
    needle,
    order,
    select,
    sql_order,
    sql_where,
    translation_languages,
    translations,
)
from prcli.releasefile import Entry, LoadResult, parse_and_derive, parse_files

_PATH, _ERROR, _RID, _LANGUAGE, _TKEY = (
    SMALL.index("path"),
    SMALL.index("error"),
    SMALL.index("rid"),
    SMALL.index("language"),
    SMALL.index("tkey"),
)
# Synced.good keeps (path, error, id, language, translation key) of each verified row.
_G_ERROR, _G_RID, _G_LANGUAGE, _G_TKEY = 1, 2, 3, 4


class Unusable(Exception):
    """The cache cannot answer this time (busy, or could not store what it must)."""


@dataclass
class Synced:
    """The cache after `sync`: every current file, and for each either a verified stored row
    (`good`, its small columns) or the outcome parsed just now (`fresh`)."""

    current: dict[str, Signature]
    good: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    fresh: dict[str, Entry | InvalidRelease] = field(default_factory=dict)
    stored: bool = True

    def errors(self) -> list[InvalidRelease]:
        found: list[InvalidRelease] = []
        for key in self.current:
            outcome = self.fresh.get(key)
            if isinstance(outcome, InvalidRelease):
                found.append(outcome)
            elif outcome is None and self.good[key][_G_ERROR] is not None:
                found.append(error_of(Path(key), self.good[key][_G_ERROR]))
        return found

    def readable(self) -> Iterable[tuple[str, str, str, str]]:
        """(path, id, translation key, language) of every readable file, in reading order."""
        for key in self.current:
            outcome = self.fresh.get(key)
            if isinstance(outcome, Entry):
                release = outcome.release
                yield key, release.id, release.translation_key, release.language
            elif outcome is None and self.good[key][_G_ERROR] is None:
                small = self.good[key]
                yield key, small[_G_RID], small[_G_TKEY], small[_G_LANGUAGE]


def sync(cache: IndexCache, files: list[tuple[str, os.stat_result]]) -> Synced:
    """Bring the cache up to date with the files: parse what is new, changed or stored damaged,
    forget what is gone. Raises sqlite3.Error."""
    started = now_ns()
    synced = Synced({key: signature(stat) for key, stat in files})
    forget: list[int] = []
    for number, checked, *small in cache.smalls():
        key = small[_PATH]
        if row_check(small) != checked:
            forget.append(number)  # damaged: its file is read again below
        elif key not in synced.current:
            forget.append(number)  # deleted or moved
        elif synced.current[key] == tuple(small[1:5]):
            # Only what later steps read: at 50,000 rows the whole row would cost tens of MB.
            synced.good[key] = (key, small[_ERROR], small[_RID], small[_LANGUAGE], small[_TKEY])
    changed = [key for key in synced.current if key not in synced.good]
    # Rows are made where the files are parsed (in worker processes when there are many).
    parsed = parse_and_derive([Path(key) for key in changed], _unsigned_row)
    rows: list[Row] = []
    for key, (outcome, row) in zip(changed, parsed, strict=True):
        synced.fresh[key] = outcome
        row.path = key
        row.signature = synced.current[key]
        rows.append(row)
    synced.stored = cache.store(rows, forget, started)
    return synced


def _unsigned_row(key: str, outcome: Entry | InvalidRelease) -> Row:
    return row_of(key, (0, 0, 0, 0), outcome)


def load(
    cache: IndexCache, files: list[tuple[str, os.stat_result]], bodies: bool
) -> list[Entry | InvalidRelease]:
    """Every file's outcome in reading order, from the cache where it holds a verified row."""
    synced = sync(cache, files)
    stored: dict[str, Entry] = {}
    if len(synced.fresh) < len(synced.current):
        for key, layout, lcrc, record, rcrc, body, bcrc in cache.full_rows(bodies):
            if key not in synced.good or synced.good[key][_G_ERROR] is not None:
                continue
            if not (intact(record, rcrc) and intact(layout, lcrc)) or (
                bodies and not intact(body, bcrc)
            ):
                continue  # damaged: read from the file below
            stored[key] = entry_of(Path(key), layout, record, body if bodies else None)
    outcomes: list[Entry | InvalidRelease] = []
    errors = {error.path: error for error in synced.errors()}
    for key in synced.current:
        path = Path(key)
        outcome = synced.fresh.get(key) or stored.get(key) or errors.get(path)
        if outcome is None:  # damaged or vanished from the cache meanwhile: read the file
            outcome = parse_files([path])[0]
        outcomes.append(outcome)
    return outcomes


@dataclass
class Listing:
    """The answer of `listing`: encoded records (`prcli.records.finish`) in order, with where they
    live; how many matched before the limit; the unreadable files; how many are readable."""

    records: Iterable[bytes]  # may stream: read once
    paths: list[str]
    total: int
    errors: list[InvalidRelease]
    readable: int
    translations: dict[str, tuple[str, ...]]


def listing(
    cache: IndexCache,
    root: Path,
    files: list[tuple[str, os.stat_result]],
    filters: Filters,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
) -> Listing:
    """The records `list` shows, straight from the index; they stream from the cache as they are
    read (the cache is closed when they have all been read). Raises Unusable or sqlite3.Error
    before the first record; after it, a failing cache only means reading the remaining files."""
    text = needle(filters)
    if "\0" in text:
        raise Unusable("a NUL in --query")
    synced = sync(cache, files)
    if not synced.stored:
        raise Unusable("the cache could not store what changed")
    readable = list(synced.readable())
    languages = translation_languages((rid, tkey, lang) for _, rid, tkey, lang in readable)
    ids = {key: rid for key, rid, _, _ in readable}
    where, parameters = sql_where(filters)
    order = sql_order(sort, reverse)
    allowed = _containing(cache, synced, text) if text else None
    chosen = cache.ordered(where, parameters, order, None if allowed is not None else limit)
    chosen = [(number, key) for number, key in chosen if key in synced.current]
    if allowed is not None:
        chosen = [(number, key) for number, key in chosen if key in allowed]
        total = len(chosen)
        chosen = chosen[:limit] if limit is not None else chosen
    else:
        total = len(chosen) if limit is None else cache.count(where, parameters)
    errors = synced.errors()
    errors.sort(key=lambda error: str(error.path))
    answer = Listing([], [key for _, key in chosen], total, errors, len(readable), languages)
    answer.records = _stream(cache, chosen, root, languages, ids, answer)
    return answer


BATCH = 500  # rows fetched at once (SQLite limits the number of parameters)


def _stream(
    cache: IndexCache,
    chosen: list[tuple[int, str]],
    root: Path,
    languages: dict[str, tuple[str, ...]],
    ids: dict[str, str],
    answer: Listing,
) -> Iterator[bytes]:
    start = len(str(root)) + 1
    healthy = True
    try:
        for first in range(0, len(chosen), BATCH):
            batch = chosen[first : first + BATCH]
            rows: dict[int, tuple[bytes, int]] = {}
            if healthy:
                try:
                    rows = cache.records([number for number, _ in batch])
                except (sqlite3.Error, ValueError):
                    healthy = False  # damaged under our feet: the files answer from here on
            for number, key in batch:
                stored, rcrc = rows.get(number, (b"", -1))
                if not intact(stored, rcrc):
                    outcome = parse_files([Path(key)])[0]  # damaged: the file decides
                    if isinstance(outcome, InvalidRelease):
                        answer.errors.append(outcome)
                        answer.paths.remove(key)
                        continue
                    stored = records.stored(outcome.release)
                languages_of = languages.get(ids.get(key, ""), ())
                yield records.finish(stored, key[start:], languages_of)
    finally:
        cache.close()


def from_releases(
    loaded: LoadResult,
    root: Path,
    filters: Filters,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
) -> Listing:
    """What `listing` answers, from `Release` values (no index): the reference the fast path
    must equal (tests/test_index.py proves it does)."""
    matches = order(select(loaded.entries, filters), sort, reverse)
    languages = translations(loaded.entries)
    shown = matches[:limit] if limit is not None else matches
    encoded = [
        records.encode(
            records.record(
                entry.release,
                path=str(entry.path.relative_to(root)),
                translations=languages.get(entry.release.id, ()),
            )
        )
        for entry in shown
    ]
    paths = [str(entry.path) for entry in shown]
    errors = sorted(loaded.errors, key=lambda error: str(error.path))
    return Listing(encoded, paths, len(matches), errors, len(loaded.entries), languages)


def _containing(cache: IndexCache, synced: Synced, text: str) -> set[str]:
    """The files whose folded title, summary or body contain `text`."""
    found: set[str] = set()
    for key, folded, fcrc in cache.folded():
        if key not in synced.current:
            continue
        if not intact(folded, fcrc):
            outcome = parse_files([Path(key)])[0]
            if not isinstance(outcome, Entry):
                continue
            folded = records.searchable_text(outcome.release)
        if text in folded:
            found.add(key)
    return found


def intact(value: object, checksum: object) -> bool:
    """Whether a stored value is what was written (a damaged file may even change its type)."""
    return isinstance(value, bytes | str) and crc(value) == checksum


def open_cache(path: Path | str) -> IndexCache | None:
    cache = IndexCache(path)
    return cache if cache.open() else None


def damaged(error: sqlite3.Error) -> bool:
    """A database error that means the file is damaged (not merely busy or locked)."""
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


__all__ = ["Listing", "Row", "Synced", "Unusable", "listing", "load", "open_cache", "sync"]
