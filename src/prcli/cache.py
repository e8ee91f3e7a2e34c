"""The index cache: parsed releases in SQLite (.prcli/index.sqlite), keyed by each file's stat.

An accelerator, never a source of truth. A file is re-read when its size, mtime, ctime or inode
differ from what was stored, and a file changed within two seconds before a scan is stored as
"racy" (re-read next time), so an edit of the same size within the same second is never missed
(git's index does the same). A missing, corrupt, locked or foreign-version cache is rebuilt or
bypassed without a word; `--no-cache` (PRCLI_NO_CACHE=1) skips it.

Every row carries checksums (CRC-32) of what it holds: the small columns together, the stored
record, and the body. A row whose checksum does not match is treated like a changed file and read
again from the file, so a damaged cache never changes what a command answers.

This module owns the row: `row_of` turns a parse outcome into one, `outcome_of` turns one back.
"""

from __future__ import annotations

import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prcli import records
from prcli.errors import InvalidRelease
from prcli.releasefile import Entry

SCHEMA_VERSION = "9"  # bump whenever a row's shape, or what the reader accepts, changes: an older cache is rebuilt silently
RACY_NANOSECONDS = 2_000_000_000
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
MEMORY = ":memory:"
OPEN_TIMEOUT = 0.5  # seconds
WRITE_TIMEOUT_MS = 5000

# The small columns of a row, covered together by `checked` (see `row_check`).
SMALL = ("path", "size", "mtime", "ctime", "inode", "error", *records.COLUMNS, "rcrc", "lcrc")


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def crc(data: bytes | str) -> int:
    return zlib.crc32(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def row_check(values: Sequence[Any]) -> int:
    """The checksum of a row's small columns, in `SMALL` order (their types count too)."""
    return zlib.crc32(repr(tuple(values)).encode("utf-8", "surrogatepass"))


@dataclass(slots=True)
class Row:
    """What the index stores for one file: a readable release or the reason it cannot be read."""

    path: str
    signature: Signature
    error: str | None  # JSON of the InvalidRelease; the other fields are empty then
    layout: str | None  # JSON: front-matter format, key lines, body line
    columns: tuple[Any, ...]
    record: bytes
    body: str
    folded: str


def row_of(path: str, sig: Signature, outcome: Entry | InvalidRelease) -> Row:
    if isinstance(outcome, InvalidRelease):
        error = {
            "message": outcome.message,
            "line": outcome.line,
            "hint": outcome.hint,
            "code": outcome.code,
        }
        empty = (None,) * len(records.COLUMNS)
        return Row(path, sig, records.encode(error).decode("utf-8"), None, empty, b"", "", "")
    release = outcome.release
    layout = {
        "format": outcome.format,
        "key_lines": dict(outcome.key_lines),
        "body_line": outcome.body_line,
    }
    return Row(
        path,
        sig,
        None,
        records.encode(layout).decode("utf-8"),
        records.columns(release),
        records.stored(release),
        release.body,
        records.searchable_text(release),
    )


def error_of(path: Path, error: str) -> InvalidRelease:
    problem = records.decode(error.encode("utf-8"))
    return InvalidRelease(
        path, problem["message"], line=problem["line"], hint=problem["hint"], code=problem["code"]
    )


def entry_of(path: Path, layout: str, stored_record: bytes, body: str | None) -> Entry:
    """The Entry a row describes; `body` None: loaded without it (such an entry is never saved)."""
    data = records.decode(layout.encode("utf-8"))
    release = records.from_record(records.unfinished(stored_record), body or "")
    return Entry(
        path, release, data["format"], data["key_lines"], data["body_line"], body is not None
    )


class IndexCache:
    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.connection: sqlite3.Connection | None = None

    @property
    def in_memory(self) -> bool:
        return str(self.path) == MEMORY

    def open(self) -> bool:
        """Open (or create) the cache; False when it cannot be used at all."""
        for _attempt in range(2):
            connection: sqlite3.Connection | None = None
            try:
                if not self.in_memory:
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                # A short wait to open: a cache locked by something else is bypassed at once. Once
                # open, writes wait longer for another prcli's write (WAL: reads never wait).
                connection = sqlite3.connect(self.path, timeout=OPEN_TIMEOUT, isolation_level=None)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute("PRAGMA cell_size_check=ON")
                self._prepare(connection)
                connection.execute(f"PRAGMA busy_timeout={WRITE_TIMEOUT_MS}")
                self.connection = connection
                return True
            except sqlite3.OperationalError:
                # Busy or locked by another prcli, or not writable: do without the cache this
                # time. Never delete a database another process may be using.
                if connection is not None:
                    connection.close()
                return False
            except (sqlite3.DatabaseError, OSError, ValueError):
                if connection is not None:
                    connection.close()
                # Not a database, or damaged (text that is not UTF-8 raises UnicodeDecodeError):
                # start afresh.
                self.discard()
        return False

    def _prepare(self, connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and row[0] == SCHEMA_VERSION:
            return
        with closing(connection.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            for table in ("releases", "bodies", "search"):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            # One row per release file. `record` is the stored record (prcli.records.stored);
            # `rcrc` its checksum; `checked` the checksum of the small columns (SMALL).
            cursor.execute(
                "CREATE TABLE releases (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, "
                "mtime INTEGER, ctime INTEGER, inode INTEGER, error TEXT, layout TEXT, "
                "rid TEXT, date TEXT, status TEXT, status_rank INTEGER, category_f TEXT, "
                "language TEXT, tags_f TEXT, title_f TEXT, created_ts REAL, updated_ts REAL, "
                "tkey TEXT, rcrc INTEGER, lcrc INTEGER, checked INTEGER, record BLOB, "
                "indexed INTEGER DEFAULT 0)"
            )
            # Bodies apart, so listing never reads past them; `folded` is what --query looks in.
            cursor.execute(
                "CREATE TABLE bodies (id INTEGER PRIMARY KEY, body TEXT, bcrc INTEGER, folded TEXT, "
                "fcrc INTEGER)"
            )
            # Full-text index of the same rows (rowid = releases.id), over folded text.
            cursor.execute(
                "CREATE VIRTUAL TABLE search USING fts5(title, subtitle, summary, body, tags, "
                "names, tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            cursor.execute("COMMIT")

    def discard(self) -> None:
        """A corrupt or foreign file: remove it (and its WAL) so the next open starts afresh."""
        self.close()
        if self.in_memory:
            return
        for suffix in ("", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def close(self) -> None:
        if self.connection is not None:
            with suppress(sqlite3.Error):
                self.connection.close()
            self.connection = None

    @property
    def db(self) -> sqlite3.Connection:
        assert self.connection is not None
        return self.connection

    def smalls(self) -> Iterator[tuple[Any, ...]]:
        """(row id, checked, *SMALL) of every row."""
        yield from self.db.execute(f"SELECT id, checked, {', '.join(SMALL)} FROM releases")

    def store(self, rows: Iterable[Row], forget: Iterable[int], scan_started_ns: int) -> bool:
        """Write what was parsed and forget the rows numbered in `forget` (deleted files, damaged
        rows). Best effort: False when the database was busy and nothing was written."""
        rows = list(rows)
        forget = list(forget)
        if not rows and not forget:
            return True
        try:
            with closing(self.db.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                for number in forget:
                    self._forget_row(cursor, number)
                for row in rows:
                    self._forget(cursor, row.path)
                for row in rows:
                    self._insert(cursor, row, scan_started_ns)
                cursor.execute("COMMIT")
            return True
        except (sqlite3.Error, UnicodeError, OverflowError):
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            return False

    @staticmethod
    def _insert(cursor: sqlite3.Cursor, row: Row, scan_started_ns: int) -> None:
        size, mtime, ctime, inode = row.signature
        if mtime >= scan_started_ns - RACY_NANOSECONDS:
            size = -1  # racy: this stat cannot prove the next one is a different version
        checks = (crc(row.record), crc(row.layout or ""))
        small = (row.path, size, mtime, ctime, inode, row.error, *row.columns, *checks)
        marks = ", ".join("?" for _ in range(len(SMALL) + 3))
        cursor.execute(
            f"INSERT INTO releases ({', '.join(SMALL)}, checked, record, layout) VALUES ({marks})",
            (*small, row_check(small), row.record, row.layout),
        )
        if row.error is None:
            cursor.execute(
                "INSERT INTO bodies (id, body, bcrc, folded, fcrc) VALUES (?, ?, ?, ?, ?)",
                (cursor.lastrowid, row.body, crc(row.body), row.folded, crc(row.folded)),
            )

    @classmethod
    def _forget(cls, cursor: sqlite3.Cursor, path: str) -> None:
        row = cursor.execute("SELECT id FROM releases WHERE path = ?", (path,)).fetchone()
        if row is not None:
            cls._forget_row(cursor, row[0])

    @staticmethod
    def _forget_row(cursor: sqlite3.Cursor, number: int) -> None:
        cursor.execute("DELETE FROM search WHERE rowid = ?", (number,))
        cursor.execute("DELETE FROM bodies WHERE id = ?", (number,))
        cursor.execute("DELETE FROM releases WHERE id = ?", (number,))

    def ordered(
        self, where: str, parameters: Sequence[Any], order: str, limit: int | None
    ) -> list[tuple[int, str]]:
        """(row id, path) of the readable rows matching `where`, in order."""
        sql = f"SELECT id, path FROM releases WHERE error IS NULL AND {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return list(self.db.execute(sql, tuple(parameters)))

    def records(self, numbers: Sequence[int]) -> dict[int, tuple[bytes, int]]:
        """(stored record, its checksum) of the numbered rows (at most 500 at a time)."""
        marks = ", ".join("?" for _ in numbers)
        rows = self.db.execute(
            f"SELECT id, record, rcrc FROM releases WHERE id IN ({marks})", tuple(numbers)
        )
        return {number: (stored, rcrc) for number, stored, rcrc in rows}

    def count(self, where: str, parameters: Sequence[Any]) -> int:
        sql = f"SELECT count(*) FROM releases WHERE error IS NULL AND {where}"
        return int(self.db.execute(sql, tuple(parameters)).fetchone()[0])

    def folded(self) -> Iterator[tuple[str, str, int]]:
        """(path, folded text, its checksum) of every readable row (for --query)."""
        yield from self.db.execute(
            "SELECT r.path, b.folded, b.fcrc FROM releases r LEFT JOIN bodies b ON b.id = r.id "
            "WHERE r.error IS NULL"
        )

    def full_rows(self, with_bodies: bool) -> Iterator[tuple[Any, ...]]:
        """(path, layout, lcrc, record, rcrc, body, bcrc) of every readable row; body and bcrc
        are None unless asked for."""
        if with_bodies:
            yield from self.db.execute(
                "SELECT r.path, r.layout, r.lcrc, r.record, r.rcrc, b.body, b.bcrc "
                "FROM releases r LEFT JOIN bodies b ON b.id = r.id WHERE r.error IS NULL"
            )
        else:
            yield from self.db.execute(
                "SELECT path, layout, lcrc, record, rcrc, NULL, NULL FROM releases "
                "WHERE error IS NULL"
            )

    def unindexed(self) -> list[tuple[int, str, bytes, int, str | None, int | None]]:
        """(id, path, record, rcrc, body, bcrc) of readable rows not yet in the full-text index."""
        rows = self.db.execute(
            "SELECT r.id, r.path, r.record, r.rcrc, b.body, b.bcrc FROM releases r "
            "LEFT JOIN bodies b ON b.id = r.id WHERE r.indexed = 0 AND r.error IS NULL"
        )
        return list(rows)

    def index(self, rows: Iterable[tuple[int, tuple[str, ...]]]) -> None:
        """Add rows to the full-text index. Only `search` needs it, so only `search` pays for it."""
        rows = list(rows)
        if not rows:
            return
        with closing(self.db.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            for number, words in rows:
                cursor.execute("DELETE FROM search WHERE rowid = ?", (number,))
                cursor.execute(
                    "INSERT INTO search (rowid, title, subtitle, summary, body, tags, names) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (number, *words),
                )
                cursor.execute("UPDATE releases SET indexed = 1 WHERE id = ?", (number,))
            cursor.execute("COMMIT")

    def search(
        self, match: str, weights: tuple[float, ...], where: str, parameters: Sequence[Any]
    ) -> list[tuple[str, float]]:
        """(path, score) of the readable rows matching an FTS5 expression and `where`, best
        first."""
        placeholders = ", ".join("?" for _ in weights)
        rows = self.db.execute(
            f"SELECT r.path, bm25(search, {placeholders}) AS rank "
            "FROM search JOIN releases r ON r.id = search.rowid "
            f"WHERE search MATCH ? AND r.error IS NULL AND {where} ORDER BY rank, r.path",
            (*weights, match, *parameters),
        )
        return [(path, -float(rank)) for path, rank in rows]

    def fetch(
        self, paths: list[str], bodies: bool = True
    ) -> dict[str, tuple[str, int, bytes, int, str, int]]:
        """(layout, lcrc, record, rcrc, body, bcrc) of the named readable rows; without bodies,
        body is '' and bcrc that of ''."""
        found: dict[str, tuple[str, int, bytes, int, str, int]] = {}
        text = "b.body, b.bcrc" if bodies else f"'', {crc('')}"
        join = "LEFT JOIN bodies b ON b.id = r.id " if bodies else ""
        for start in range(0, len(paths), 500):  # SQLite limits the number of parameters
            chunk = paths[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.execute(
                f"SELECT r.path, r.layout, r.lcrc, r.record, r.rcrc, {text} "
                f"FROM releases r {join}WHERE r.path IN ({marks})",
                chunk,
            )
            for path, layout, lcrc, stored_record, rcrc, body, bcrc in rows:
                found[path] = (layout, lcrc, stored_record, rcrc, body, bcrc)
        return found


def now_ns() -> int:
    return time.time_ns()
