"""Id prefixes: the ids of the index that start with what someone typed, and how much of an id
must be shown for it to name one release of the whole repository.

Tab completion (prcli.cli.completion) offers the ids starting with what was typed; `prcli list`
cuts long ids in its table to a prefix no other release of the repository shares (not only the
rows listed: `prcli list --status draft` must not show a prefix that `prcli show` finds ambiguous).
Both read the index cache's ids in order, through its index on `releases.rid`: a range for
completion, the ids next to each listed one for the table (a few lookups, not a pass over every
id). Standard library only: completion runs on every Tab press.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

# `error IS NULL`: the condition of the index releases_by_rid (prcli.cache), so SQLite uses it.
_READABLE = "SELECT rid FROM releases WHERE error IS NULL AND "
IDS_STARTING = _READABLE + "rid >= ? AND rid < ? ORDER BY rid"
_BEFORE = _READABLE + "rid < ? ORDER BY rid DESC LIMIT 1"
_AFTER = _READABLE + "rid > ? ORDER BY rid LIMIT 1"
_SAME = _READABLE + "rid = ? LIMIT 2"


def ids_starting(connection: Any, typed: str = "") -> list[str]:
    """The ids of the index that start with `typed` (every id for ''), in order. Raises
    sqlite3.Error."""
    rows = connection.execute(IDS_STARTING, (typed, typed + "\U0010ffff"))
    return [rid for (rid,) in rows if isinstance(rid, str)]


def ids_around(connection: Any, ids: Iterable[str]) -> list[str]:
    """The ids of the index right before and after each of `ids` (and an id twice when the index
    holds it twice), in order: all `shared_lengths` needs to know of the repository's ids. Three
    lookups per id through the index on rid. Raises sqlite3.Error."""
    found: set[str] = set()
    twice: list[str] = []
    for rid in ids:
        for query in (_BEFORE, _AFTER):
            row = connection.execute(query, (rid,)).fetchone()
            if row is not None and isinstance(row[0], str):
                found.add(row[0])
        if len(connection.execute(_SAME, (rid,)).fetchall()) > 1:
            twice += [rid, rid]
    return sorted([*found, *twice])


def shared_lengths(known: Sequence[str], ids: Iterable[str]) -> dict[str, int]:
    """For each of `ids`, how many of its first characters another id of `known` (sorted) shares:
    its prefix one character longer names it alone. An id that `known` holds twice shares all of
    itself (only the whole id can name it)."""
    shared = {}
    for rid in ids:
        start, end = bisect_left(known, rid), bisect_right(known, rid)
        if end - start > 1:
            shared[rid] = len(rid)
            continue
        before = common_length(rid, known[start - 1]) if start > 0 else 0
        after = common_length(rid, known[end]) if end < len(known) else 0
        shared[rid] = max(before, after)
    return shared


def common_length(first: str, second: str) -> int:
    """How many first characters two ids share."""
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length
