"""The index cache: parsed releases in SQLite (.prcli/index.sqlite), keyed by each file's stat.

An accelerator, never a source of truth. A file is re-read when its size, mtime, ctime or inode
differ from what was stored, and a file changed within two seconds before a scan is stored as
"racy" (re-read next time), so an edit of the same size within the same second is never missed
(git's index does the same). A missing, corrupt, locked or foreign-version cache is rebuilt or
bypassed without a word; `--no-cache` (PRCLI_NO_CACHE=1) skips it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "7"  # bump whenever the stored record shape changes
RACY_NANOSECONDS = 2_000_000_000
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
# path, signature, metadata, body, error
Row = tuple[str, Signature, "dict[str, Any] | None", str, "dict[str, Any] | None"]


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


class IndexCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection: sqlite3.Connection | None = None

    def open(self) -> bool:
        """Open (or create) the cache; False when it cannot be used at all."""
        for _attempt in range(2):
            connection: sqlite3.Connection | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                self._prepare(connection)
                self.connection = connection
                return True
            except sqlite3.OperationalError:
                # Busy or locked by another prcli, or not writable: do without the cache this
                # time. Never delete a database another process may be using.
                if connection is not None:
                    connection.close()
                return False
            except (sqlite3.DatabaseError, OSError):
                if connection is not None:
                    connection.close()
                self._discard()  # not a database (corrupt, truncated, foreign): start afresh
        return False

    def _prepare(self, connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and row[0] == SCHEMA_VERSION:
            return
        with closing(connection.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("DROP TABLE IF EXISTS releases")
            cursor.execute("DROP TABLE IF EXISTS search")
            cursor.execute(
                "CREATE TABLE releases (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, "
                "mtime INTEGER, ctime INTEGER, inode INTEGER, meta TEXT, body TEXT, error TEXT, "
                "indexed INTEGER DEFAULT 0)"
            )
            # Full-text index of the same rows (rowid = releases.id), over folded text.
            cursor.execute(
                "CREATE VIRTUAL TABLE search USING fts5(title, subtitle, summary, body, tags, "
                "names, tokenize = 'unicode61 remove_diacritics 2')"
            )
            cursor.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            cursor.execute("COMMIT")

    def _discard(self) -> None:
        """A corrupt or foreign file: remove it (and its WAL) so the next open starts afresh."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def close(self) -> None:
        if self.connection is not None:
            with suppress(sqlite3.Error):
                self.connection.close()
            self.connection = None

    def signatures(self) -> dict[str, Signature]:
        assert self.connection is not None
        rows = self.connection.execute("SELECT path, size, mtime, ctime, inode FROM releases")
        return {path: (size, mtime, ctime, inode) for path, size, mtime, ctime, inode in rows}

    def rows(self, with_bodies: bool) -> Iterator[tuple[str, str | None, str, str | None]]:
        """(path, meta JSON, body, error JSON) of every stored file."""
        assert self.connection is not None
        body = "body" if with_bodies else "''"
        yield from self.connection.execute(f"SELECT path, meta, {body}, error FROM releases")

    def body(self, path: str) -> str | None:
        assert self.connection is not None
        row = self.connection.execute(
            "SELECT body FROM releases WHERE path = ?", (path,)
        ).fetchone()
        return None if row is None else str(row[0])

    def store(self, rows: Iterable[Row], deleted: Iterable[str], scan_started_ns: int) -> None:
        """Write what was parsed and forget deleted files. Best effort: a busy database is skipped."""
        assert self.connection is not None
        rows = list(rows)
        deleted = list(deleted)
        if not rows and not deleted:
            return
        try:
            with closing(self.connection.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                for path in [row[0] for row in rows] + deleted:
                    self._forget(cursor, path)
                for path, (size, mtime, ctime, inode), meta, body, error in rows:
                    if mtime >= scan_started_ns - RACY_NANOSECONDS:
                        size = (
                            -1
                        )  # racy: this stat cannot prove the next one is a different version
                    cursor.execute(
                        "INSERT INTO releases (path, size, mtime, ctime, inode, meta, body, error) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (path, size, mtime, ctime, inode, _dump(meta), body, _dump(error)),
                    )
                cursor.execute("COMMIT")
        except sqlite3.Error:
            with suppress(sqlite3.Error):
                self.connection.execute("ROLLBACK")

    @staticmethod
    def _forget(cursor: sqlite3.Cursor, path: str) -> None:
        row = cursor.execute("SELECT id FROM releases WHERE path = ?", (path,)).fetchone()
        if row is not None:
            cursor.execute("DELETE FROM search WHERE rowid = ?", row)
            cursor.execute("DELETE FROM releases WHERE id = ?", row)

    def unindexed(self) -> list[tuple[int, str, str]]:
        """(id, meta JSON, body) of readable rows not yet in the full-text index."""
        assert self.connection is not None
        rows = self.connection.execute(
            "SELECT id, meta, body FROM releases WHERE indexed = 0 AND meta IS NOT NULL"
        )
        return [(number, meta, body) for number, meta, body in rows]

    def index(self, rows: Iterable[tuple[int, tuple[str, ...]]]) -> None:
        """Add rows to the full-text index. Only `search` needs it, so only `search` pays for it."""
        assert self.connection is not None
        with closing(self.connection.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            for number, words in rows:
                cursor.execute(
                    "INSERT INTO search (rowid, title, subtitle, summary, body, tags, names) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (number, *words),
                )
                cursor.execute("UPDATE releases SET indexed = 1 WHERE id = ?", (number,))
            cursor.execute("COMMIT")

    def search(self, match: str, weights: tuple[float, ...]) -> list[tuple[str, float]]:
        """(path, score) of the rows matching an FTS5 expression, best first."""
        assert self.connection is not None
        placeholders = ", ".join("?" for _ in weights)
        rows = self.connection.execute(
            f"SELECT r.path, bm25(search, {placeholders}) AS rank "
            "FROM search JOIN releases r ON r.id = search.rowid "
            "WHERE search MATCH ? ORDER BY rank, r.path",
            (*weights, match),
        )
        return [(path, -float(rank)) for path, rank in rows]

    def fetch(self, paths: list[str], with_bodies: bool) -> dict[str, tuple[str, str]]:
        """(meta JSON, body) of the named rows (body '' unless asked for)."""
        assert self.connection is not None
        body = "body" if with_bodies else "''"
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(paths), 500):  # SQLite limits the number of parameters
            chunk = paths[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.connection.execute(
                f"SELECT path, meta, {body} FROM releases WHERE path IN ({marks})", chunk
            )
            found.update((path, (meta, text)) for path, meta, text in rows)
        return found

    def errors(self) -> list[tuple[str, str]]:
        assert self.connection is not None
        rows = self.connection.execute("SELECT path, error FROM releases WHERE error IS NOT NULL")
        return [(path, error) for path, error in rows]


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def now_ns() -> int:
    return time.time_ns()
