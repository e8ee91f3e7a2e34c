"""The index cache: parsed releases in SQLite (.prcli/index.sqlite), keyed by each file's stat.

An accelerator, never a source of truth. A file is re-read when its size, mtime, ctime or inode
differ from what was stored, and a file changed within two seconds before a scan is stored as
"racy" (re-read next time), so an edit of the same size within the same second is never missed
(git's index does the same). A missing, corrupt, locked or foreign-version cache is rebuilt or
bypassed without a word; `--no-cache` (PRCLI_NO_CACHE=1) skips it.

Every row carries checksums (CRC-32) of what it holds: the small columns together, the stored
record, and the body. A row whose checksum does not match is treated like a changed file and read
again from the file, so a damaged cache never changes what a command answers.

Checking the small columns of every row costs about as much as answering, so a listing that has
checked them all, written nothing, and found the database file untouched from before it opened
until after it closed, vouches for it in a small file next to it (`index.sqlite-trusted`: the
database's stat and a digest of the scan of the release files). The next listing that finds the
database with that very stat skips the check of the small columns (records and bodies are still
checked as they are read); one that also finds the same scan knows the index is current without
reading a row. Any write to the database, by prcli or by anything else, changes its stat and
withdraws the vouch; a database changed less than two seconds before it was checked is never
vouched for (a later write within the same clock tick could leave the stat unchanged).

This module owns the row: `row_of` turns a parse outcome into one, `outcome_of` turns one back.
"""

from __future__ import annotations

import json
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

SCHEMA_VERSION = "11"  # bump whenever a row's shape, or what the reader accepts, changes: an older cache is rebuilt silently
RACY_NANOSECONDS = 2_000_000_000
Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
FileState = tuple[Signature | None, Signature | None]  # of the database and of its WAL
TRUST_SUFFIX = "-trusted"
# The full-text index's columns and tokenizer (prcli.search checks hits against the same).
FULL_TEXT = (
    "fts5(title, subtitle, summary, body, tags, names, tokenize = 'unicode61 remove_diacritics 2')"
)
MEMORY = ":memory:"
OPEN_TIMEOUT = 0.5  # seconds
WRITE_TIMEOUT_MS = 5000

# The small columns of a row, covered together by `checked` (see `row_check`).
SMALL = ("path", "size", "mtime", "ctime", "inode", "error", *records.COLUMNS, "rcrc", "lcrc")


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def scan_digest(current: dict[str, Signature]) -> str:
    """A digest of a scan: every release file's path and signature, in order."""
    from array import array
    from itertools import chain

    try:
        # The BLAKE2 module itself: `hashlib` would load OpenSSL first, 2-3 ms of every listing's
        # start-up (benchmarks/README.md), for a hash it does not provide.
        from _blake2 import blake2b
    except ImportError:  # a Python without the module: hashlib's, the same function
        from hashlib import blake2b

    digest = blake2b(digest_size=20)
    try:
        digest.update(array("q", chain.from_iterable(current.values())).tobytes())
    except OverflowError:  # an inode past 2**63
        digest.update(repr(list(current.values())).encode("ascii"))
    digest.update("\0".join(current).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _stat(path: str) -> Signature | None:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


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
    release = records.from_stored(stored_record, body or "")
    return Entry(
        path, release, data["format"], data["key_lines"], data["body_line"], body is not None
    )


class IndexCache:
    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.connection: sqlite3.Connection | None = None
        self.opened_ns = 0
        self.before: FileState = (None, None)  # the database files' state before opening
        self.wrote = False
        self.vouch_for: str | None = None  # the scan digest to vouch for when closing

    def _state(self) -> FileState:
        return (_stat(str(self.path)), _stat(f"{self.path}-wal"))

    @property
    def trust_path(self) -> str:
        return f"{self.path}{TRUST_SUFFIX}"

    def trust(self) -> str | None:
        """The scan digest the database was vouched for with, when the database is untouched
        since (its small columns need no check then); None when it must be checked."""
        if self.in_memory or self.before[0] is None or self.wrote:
            return None  # (written: the tables were just made afresh)
        try:
            with open(self.trust_path, "rb") as handle:
                data = handle.read(4096)
            vouched = json.loads(data)
            state = [vouched["db"], vouched["wal"]]
            body = json.dumps([SCHEMA_VERSION, state, vouched["scan"]])
            if vouched["check"] != crc(body) or vouched["schema"] != SCHEMA_VERSION:
                return None
            if [list(part) if part else None for part in self.before] != state:
                return None
            scan = vouched["scan"]
            return scan if isinstance(scan, str) else None
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def vouch(self, digest: str) -> None:
        """Ask `close` to vouch for the database as checked against the scan `digest`."""
        self.vouch_for = digest

    def _write_trust(self, digest: str) -> None:
        after = self._state()
        if self.wrote or after != self.before or after[0] is None:
            return
        newest = max(part[1] for part in after if part is not None)
        if newest >= self.opened_ns - RACY_NANOSECONDS:
            return  # changed too recently to be sure a later write would change its stat
        state = [list(part) if part else None for part in after]
        body = json.dumps([SCHEMA_VERSION, state, digest])
        vouched = {
            "schema": SCHEMA_VERSION,
            "db": state[0],
            "wal": state[1],
            "scan": digest,
            "check": crc(body),
        }
        temporary = f"{self.trust_path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as handle:
                handle.write(json.dumps(vouched).encode("utf-8"))
            os.replace(temporary, self.trust_path)
        except OSError:
            with suppress(OSError):
                os.unlink(temporary)

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
                    self.opened_ns = now_ns()
                    self.before = self._state()
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
        self.wrote = True
        with closing(connection.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            for table in ("releases", "records", "bodies", "search"):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            # One row per release file, only its small columns (SMALL): `rcrc` is the checksum of
            # its stored record, `lcrc` of its layout, `checked` of the small columns together.
            cursor.execute(
                "CREATE TABLE releases (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, "
                "mtime INTEGER, ctime INTEGER, inode INTEGER, error TEXT, "
                "rid TEXT, date TEXT, status TEXT, status_rank INTEGER, category_f TEXT, "
                "language TEXT, tags_f TEXT, title_f TEXT, created_ts REAL, updated_ts REAL, "
                "tkey TEXT, rcrc INTEGER, lcrc INTEGER, checked INTEGER, "
                "indexed INTEGER DEFAULT 0)"
            )
            # The default order of `list` (prcli.query.sql_order), so a first page reads a page.
            cursor.execute(
                "CREATE INDEX releases_by_date ON releases (date DESC, rid DESC, path) "
                "WHERE error IS NULL"
            )
            # Ids in order: completion's matches and the ids next to a listed one (prcli.idprefix).
            cursor.execute("CREATE INDEX releases_by_rid ON releases (rid) WHERE error IS NULL")
            # Translation groups, read without touching the rows.
            cursor.execute(
                "CREATE INDEX releases_by_tkey ON releases (tkey, rid, language) "
                "WHERE error IS NULL AND tkey != ''"
            )
            cursor.execute(
                "CREATE INDEX releases_unreadable ON releases (path) WHERE error IS NOT NULL"
            )
            # Rows still to add to the full-text index (search adds them when it runs).
            cursor.execute(
                "CREATE INDEX releases_unindexed ON releases (id) "
                "WHERE indexed = 0 AND error IS NULL"
            )
            # The stored record (prcli.records.stored) and layout apart, so checking the index
            # against the files reads small rows only.
            cursor.execute(
                "CREATE TABLE records (id INTEGER PRIMARY KEY, record BLOB, layout TEXT)"
            )
            # Bodies apart, so listing never reads past them; `folded` is what --query looks in.
            cursor.execute(
                "CREATE TABLE bodies (id INTEGER PRIMARY KEY, body TEXT, bcrc INTEGER, folded TEXT, "
                "fcrc INTEGER)"
            )
            # Full-text index of the same rows (rowid = releases.id), over folded text.
            cursor.execute(f"CREATE VIRTUAL TABLE search USING {FULL_TEXT}")
            cursor.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            cursor.execute("COMMIT")

    def discard(self) -> None:
        """A corrupt or foreign file: remove it (and its WAL) so the next open starts afresh."""
        self.close()
        if self.in_memory:
            return
        for suffix in (TRUST_SUFFIX, "", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def close(self) -> None:
        if self.connection is not None:
            with suppress(sqlite3.Error):
                self.connection.close()
            self.connection = None
        if self.vouch_for is not None and not self.in_memory:
            digest, self.vouch_for = self.vouch_for, None
            self._write_trust(digest)

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
        self.wrote = True
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
        marks = ", ".join("?" for _ in range(len(SMALL) + 1))
        cursor.execute(
            f"INSERT INTO releases ({', '.join(SMALL)}, checked) VALUES ({marks})",
            (*small, row_check(small)),
        )
        if row.error is None:
            number = cursor.lastrowid
            cursor.execute(
                "INSERT INTO records (id, record, layout) VALUES (?, ?, ?)",
                (number, row.record, row.layout),
            )
            cursor.execute(
                "INSERT INTO bodies (id, body, bcrc, folded, fcrc) VALUES (?, ?, ?, ?, ?)",
                (number, row.body, crc(row.body), row.folded, crc(row.folded)),
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
        cursor.execute("DELETE FROM records WHERE id = ?", (number,))
        cursor.execute("DELETE FROM releases WHERE id = ?", (number,))

    def check_indexes(self) -> None:
        """Check the SQL indexes of `releases` against its rows, and rebuild them if they differ:
        the row checksums cannot see a damaged index entry, which would misorder or hide a row in
        every listing that reads through it. Raises sqlite3.Error if even that fails."""
        result = self.db.execute("PRAGMA integrity_check(releases)").fetchall()
        if result != [("ok",)]:
            self.wrote = True
            self.db.execute("REINDEX releases")

    def signatures(self) -> Iterator[tuple[int, str, int, int, int, int]]:
        """(row id, path, size, mtime, ctime, inode) of every row, unchecked: only for a database
        vouched for (see `trust`), where the small columns need no check."""
        yield from self.db.execute("SELECT id, path, size, mtime, ctime, inode FROM releases")

    def unreadable(self) -> list[tuple[str, str]]:
        """(path, error) of the rows of files that could not be read."""
        return list(
            self.db.execute(
                "SELECT path, error FROM releases WHERE error IS NOT NULL ORDER BY path"
            )
        )

    def listed(
        self, where: str, parameters: Sequence[Any], order: str, limit: int | None
    ) -> Iterator[tuple[int, str, str, bytes, bytes, int]]:
        """(row id, path, release id, other languages, stored record, its checksum) of the
        readable rows matching `where`, in order, as SQLite reads them. The other languages (of
        the readable rows sharing the translation key, other ids, sorted, as a JSON array) are
        those of `prcli.query.translations`."""
        sql = (
            "SELECT r.id, r.path, r.rid, CAST((SELECT json_group_array(language) FROM "
            "(SELECT DISTINCT o.language FROM releases o WHERE o.error IS NULL AND o.tkey != '' "
            "AND o.tkey = r.tkey AND o.rid != r.rid ORDER BY o.language)) AS BLOB), "
            "d.record, r.rcrc FROM releases r LEFT JOIN records d ON d.id = r.id "
            f"WHERE r.error IS NULL AND {where} ORDER BY {order}"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        yield from self.db.execute(sql, tuple(parameters))

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
                "SELECT r.path, d.layout, r.lcrc, d.record, r.rcrc, b.body, b.bcrc "
                "FROM releases r LEFT JOIN records d ON d.id = r.id "
                "LEFT JOIN bodies b ON b.id = r.id WHERE r.error IS NULL"
            )
        else:
            yield from self.db.execute(
                "SELECT r.path, d.layout, r.lcrc, d.record, r.rcrc, NULL, NULL FROM releases r "
                "LEFT JOIN records d ON d.id = r.id WHERE r.error IS NULL"
            )

    def unindexed(self) -> list[tuple[int, str, bytes, int, str | None, int | None]]:
        """(id, path, record, rcrc, body, bcrc) of readable rows not yet in the full-text index."""
        rows = self.db.execute(
            "SELECT r.id, r.path, d.record, r.rcrc, b.body, b.bcrc FROM releases r "
            "LEFT JOIN records d ON d.id = r.id LEFT JOIN bodies b ON b.id = r.id "
            "WHERE r.indexed = 0 AND r.error IS NULL"
        )
        return list(rows)

    def index(self, rows: Iterable[tuple[int, tuple[str, ...]]]) -> None:
        """Add rows to the full-text index. Only `search` needs it, so only `search` pays for it."""
        rows = list(rows)
        if not rows:
            return
        self.wrote = True
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
        self,
        match: str,
        weights: tuple[float, ...],
        where: str,
        parameters: Sequence[Any],
        limit: int | None = None,
    ) -> list[tuple[str, float]]:
        """(path, score) of the readable rows matching an FTS5 expression and `where`, best
        first; the best `limit` only when given."""
        placeholders = ", ".join("?" for _ in weights)
        sql = (
            f"SELECT r.path, bm25(search, {placeholders}) AS rank "
            "FROM search JOIN releases r ON r.id = search.rowid "
            f"WHERE search MATCH ? AND r.error IS NULL AND {where} ORDER BY rank, r.path"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, (*weights, match, *parameters))
        return [(path, -float(rank)) for path, rank in rows]

    def reset_search(self) -> None:
        """Empty the full-text index (every row is indexed again by the next search): for an
        index found to answer what its rows do not say."""
        self.wrote = True
        with closing(self.db.cursor()) as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("DROP TABLE IF EXISTS search")
            cursor.execute(f"CREATE VIRTUAL TABLE search USING {FULL_TEXT}")
            cursor.execute("UPDATE releases SET indexed = 0")
            cursor.execute("COMMIT")

    def count_matches(self, match: str, where: str, parameters: Sequence[Any]) -> int:
        """How many readable rows match an FTS5 expression and `where`."""
        sql = (
            "SELECT count(*) FROM search JOIN releases r ON r.id = search.rowid "
            f"WHERE search MATCH ? AND r.error IS NULL AND {where}"
        )
        return int(self.db.execute(sql, (match, *parameters)).fetchone()[0])

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
                f"SELECT r.path, d.layout, r.lcrc, d.record, r.rcrc, {text} FROM releases r "
                f"LEFT JOIN records d ON d.id = r.id {join}WHERE r.path IN ({marks})",
                chunk,
            )
            for path, layout, lcrc, stored_record, rcrc, body, bcrc in rows:
                found[path] = (layout, lcrc, stored_record, rcrc, body, bcrc)
        return found


def now_ns() -> int:
    return time.time_ns()
