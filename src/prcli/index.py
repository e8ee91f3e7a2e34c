"""The index: the cache brought up to date with the release files, and the questions it answers.

`sync` makes the cache a projection of the files (parsing what is new, changed or damaged).
`load` builds `Entry` values from it for commands that reason about releases; `listing` answers
list-like questions (filters, order, limit in SQL) with the stored, already-encoded records and
builds no `Release` at all. Both raise `sqlite3.Error` when the database fails them; callers then
do without the cache (see `Repository`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
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
    scan_digest,
)
from prcli.errors import InvalidRelease
from prcli.query import (
    Filters,
    needle,
    order,
    select,
    sql_order,
    sql_where,
    translations,
)
from prcli.releasefile import Entry, LoadResult, parse_and_derive, parse_files, parse_stream

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
    # Synced with `trusting`: `good` and `fresh` are not kept; ask the cache (it now holds exactly
    # the current files, every small column checked or vouched for).
    trusting: bool = False

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


def sync(
    cache: IndexCache,
    files: list[tuple[str, os.stat_result]],
    *,
    trusting: bool = False,
    keep: bool = True,
) -> Synced:
    """Bring the cache up to date with the files: parse what is new, changed or stored damaged,
    forget what is gone. Raises sqlite3.Error.

    `trusting` (for list and search, which then ask the cache rather than the result): a database
    vouched for and untouched since (`IndexCache.trust`) is compared by signatures only, without
    checking its small columns, or not read at all when the scan is the one it was vouched for
    with; a sync that wrote nothing asks the cache to vouch for the database when it closes.

    keep=False, for commands that stream (prcli.releasestream): what is parsed is stored
    STORE_BATCH rows at a time and let go (without `trusting`, `good` then names it, to be read
    back from the cache, and only what the cache could not take stays in `fresh`), so memory
    stays bounded on a cold cache."""
    started = now_ns()
    synced = Synced(
        # `signature` inlined: at 50,000 files the call alone costs 10 ms of every listing
        {key: (s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino) for key, s in files},
        trusting=trusting,
    )
    digest = scan_digest(synced.current) if trusting else ""
    vouched = cache.trust() if trusting else None
    if vouched is not None and vouched == digest:
        return synced  # the index is the projection of exactly these files
    forget: list[int] = []
    unchanged: set[str] = set()
    if vouched is not None:
        for number, key, *stat in cache.signatures():
            if synced.current.get(key) == tuple(stat):
                unchanged.add(key)
            else:
                forget.append(number)  # deleted, moved or changed
    else:
        for number, checked, *small in cache.smalls():
            key = small[_PATH]
            if row_check(small) != checked:
                forget.append(number)  # damaged: its file is read again below
            elif key not in synced.current:
                forget.append(number)  # deleted or moved
            elif synced.current[key] == tuple(small[1:5]):
                unchanged.add(key)
                if not trusting:
                    # Only what later steps read: at 50,000 rows whole rows cost tens of MB.
                    synced.good[key] = (
                        key,
                        small[_ERROR],
                        small[_RID],
                        small[_LANGUAGE],
                        small[_TKEY],
                    )
    if trusting and vouched is None:
        cache.check_indexes()  # list and search read in the order of the indexes
    changed = [key for key in synced.current if key not in unchanged]
    paths = [Path(key) for key in changed]
    # Rows are made where the files are parsed (in worker processes when there are many).
    if keep:
        parsed: Iterable[tuple[Entry | InvalidRelease, Row]] = parse_and_derive(
            paths, _unsigned_row
        )
    else:
        parsed = parse_stream(paths, _unsigned_row)
    rows: list[Row] = []
    outcomes: list[tuple[str, Entry | InvalidRelease]] = []
    for key, (outcome, row) in zip(changed, parsed, strict=True):
        row.path = key
        row.signature = synced.current[key]
        rows.append(row)
        if keep:
            if not trusting:
                synced.fresh[key] = outcome
            continue
        outcomes.append((key, outcome))
        if len(rows) >= STORE_BATCH:
            _store_batch(cache, synced, rows, forget, started, outcomes)
            rows, forget, outcomes = [], [], []
    if keep:
        synced.stored = cache.store(rows, forget, started)
    else:
        _store_batch(cache, synced, rows, forget, started, outcomes)
    if trusting:
        cache.vouch(digest)  # kept only if nothing was written (see IndexCache.close)
    return synced


STORE_BATCH = 500  # rows stored at once by a streaming sync


def _store_batch(
    cache: IndexCache,
    synced: Synced,
    rows: list[Row],
    forget: list[int],
    started: int,
    outcomes: list[tuple[str, Entry | InvalidRelease]],
) -> None:
    stored = cache.store(rows, forget, started)
    synced.stored = synced.stored and stored
    if synced.trusting:
        return  # its callers ask the cache (or give up when it could not store)
    for key, outcome in outcomes:
        if stored and isinstance(outcome, Entry):
            release = outcome.release
            synced.good[key] = (key, None, release.id, release.language, release.translation_key)
        else:
            synced.fresh[key] = outcome


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
    live (`paths`, filled as the records are read); how many matched before the limit; the
    unreadable files; how many are readable; the other languages of (at least) the releases
    listed."""

    records: Iterable[bytes]  # may stream: read once
    paths: list[str]
    total: int
    errors: list[InvalidRelease]
    readable: int
    translations: dict[str, tuple[str, ...]]
    # With `near_ids`: the repository's ids next to each listed one, in order (all of them without
    # the index); what the table needs to cut an id only to a prefix that names one release
    # (prcli.idprefix).
    near_ids: list[str] = field(default_factory=list)


# Up to this many records a listing reads them all before the first is written (a page: an error
# then falls back before anything was written); past it, they stream.
FEW = 2000


def listing(
    cache: IndexCache,
    root: Path,
    files: list[tuple[str, os.stat_result]],
    filters: Filters,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
    fallback: Callable[[], Listing] | None = None,
    near_ids: bool = False,
) -> Listing:
    """The records `list` shows, straight from the index: filters, order, limit and translation
    groups in SQL; each record is checked as it is read. Raises Unusable or sqlite3.Error before
    the first record. Past `FEW` records they stream from the cache as they are read (the cache is
    closed when they have all been read); should the database fail after the first, the rest
    comes from `fallback` (the same listing from the files). With `near_ids`, the answer also
    holds the ids of the index next to each listed one (prcli.idprefix.ids_around), once the
    records have been read."""
    text = needle(filters)
    if "\0" in text:
        raise Unusable("a NUL in --query")
    synced = sync(cache, files, trusting=True)
    if not synced.stored:
        raise Unusable("the cache could not store what changed")
    current = synced.current
    errors = [error_of(Path(key), error) for key, error in cache.unreadable() if key in current]
    where, parameters = sql_where(filters)
    order = sql_order(sort, reverse)
    answer = Listing([], [], 0, errors, cache.count("1", ()), {})
    chosen: Iterable[Listed]
    if text:
        suspect: set[int] = set()
        contains = _containing(text.encode("utf-8"), suspect)
        cache.db.create_function("prcli_contains", 3, contains, deterministic=True)
        # A row without its text (NULL) is suspect too: its file decides.
        where += (
            " AND prcli_contains(r.id, (SELECT CAST(folded AS BLOB) FROM bodies b "
            "WHERE b.id = r.id), (SELECT fcrc FROM bodies b WHERE b.id = r.id))"
        )
        found = list(cache.listed(where, parameters, order, None))
        found = [row for row in found if row[0] not in suspect or _contains(row[1], text)]
        answer.total = len(found)
        chosen = found[:limit]
    else:
        answer.total = answer.readable if where == "1" else cache.count(where, parameters)
        shown = answer.total if limit is None else min(limit, answer.total)
        chosen = cache.listed(where, parameters, order, limit)
        if shown <= FEW:
            chosen = list(chosen)
    answer.records = _stream(cache, chosen, len(str(root)) + 1, current, answer, fallback, near_ids)
    return answer


Listed = tuple[int, str, str, bytes, bytes, int]


def _stream(
    cache: IndexCache,
    chosen: Iterable[Listed],
    start: int,
    current: dict[str, Signature],
    answer: Listing,
    fallback: Callable[[], Listing] | None,
    near_ids: bool = False,
) -> Iterator[bytes]:
    from json.encoder import encode_basestring as quoted

    few = isinstance(chosen, list)
    paths = answer.paths
    crc32 = zlib.crc32
    written = 0
    listed: list[str] = []
    try:
        try:
            for _, key, rid, languages, stored, rcrc in chosen:
                if key not in current:
                    continue  # written meanwhile by another prcli for a file now gone
                if type(stored) is not bytes or crc32(stored) != rcrc:
                    outcome = parse_files([Path(key)])[0]  # damaged: the file decides
                    if isinstance(outcome, InvalidRelease):
                        answer.errors.append(outcome)
                        answer.errors.sort(key=lambda error: str(error.path))
                        answer.total -= 1
                        answer.readable -= 1
                        continue
                    stored = records.stored(outcome.release)
                if few:
                    answer.translations[rid] = tuple(json.loads(languages))
                paths.append(key)
                written += 1
                if near_ids:
                    listed.append(rid)
                # records.finished, inlined: this loop runs once per release listed
                yield b"".join(
                    (
                        stored,
                        b',"translations":',
                        languages,
                        f',"path":{quoted(key[start:])}}}'.encode(),
                    )
                )
            if near_ids:
                from prcli.idprefix import ids_around

                answer.near_ids = ids_around(cache.db, listed)
        except (sqlite3.Error, ValueError):
            if fallback is None:
                raise
            _close_rows(chosen)
            cache.close()
            yield from _rest(fallback(), written, answer)
    finally:
        _close_rows(chosen)
        cache.close()


def _close_rows(chosen: Iterable[Listed]) -> None:
    """Close the rows' cursor before the database: left to the garbage collector after it (a
    reader that left early, `prcli list | head -1`), it would complain on stderr."""
    if isinstance(chosen, Generator):
        with contextlib.suppress(sqlite3.Error):
            chosen.close()


def _rest(whole: Listing, written: int, answer: Listing) -> Iterator[bytes]:
    """The records of `whole` past the first `written` (an index that failed mid-way)."""
    answer.paths[written:] = []
    answer.paths.extend(whole.paths[written:])
    answer.errors[:] = whole.errors
    answer.total, answer.readable = whole.total, whole.readable
    answer.near_ids = whole.near_ids
    for number, data in enumerate(whole.records):
        if number >= written:
            yield data


def from_releases(
    loaded: LoadResult,
    root: Path,
    filters: Filters,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
    near_ids: bool = False,
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
    known = sorted(entry.release.id for entry in loaded.entries) if near_ids else []
    return Listing(encoded, paths, len(matches), errors, len(loaded.entries), languages, known)


def _containing(wanted: bytes, suspect: set[int]) -> Callable[[int, object, object], bool]:
    """The SQL function that tells whether a row's folded text contains `wanted` (UTF-8, so a
    byte match is a text match); a row whose text fails its checksum is let through and put in
    `suspect`, for its file to decide."""

    def contains(number: int, folded: object, fcrc: object) -> bool:
        if not isinstance(folded, bytes) or zlib.crc32(folded) != fcrc:
            suspect.add(number)
            return True
        return wanted in folded

    return contains


def _contains(key: str, text: str) -> bool:
    outcome = parse_files([Path(key)])[0]
    return isinstance(outcome, Entry) and text in records.searchable_text(outcome.release)


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
