"""Every release of a repository one at a time, in a stable order, in bounded memory.

`Repository.stream()` opens one. Commands that go through every release but keep only a little
of each (validate, the machine exports) read it in two passes: the metadata of every release
first (`read(bodies=False)`), then the releases they write or check, with their bodies, in the
order they need (`read(keys)`). At most a batch of releases is in memory at once: from the index
cache in batches of BATCH rows, or parsed in chunks by worker processes (`parse_stream`).

The outcomes are the ones `Repository.load_all()` gives for the same files (an `Entry`, or the
`InvalidRelease` of a file that cannot be read), so a command reads the same whichever it uses.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from prcli.errors import InvalidRelease
from prcli.releasefile import Entry, parse_files, parse_stream

if TYPE_CHECKING:
    from prcli.cache import IndexCache
    from prcli.index import Synced
    from prcli.repository import Repository

BATCH = 200  # rows read from the index cache at once


class ReleaseStream:
    """The release files of a repository as found by one scan, read on demand."""

    def __init__(self, repository: Repository, *, use_cache: bool = True) -> None:
        self.repository = repository
        # Folders that cannot be read and links leading outside, found by the scan.
        self.problems: list[InvalidRelease] = []
        files = repository.scan_keys(self.problems)
        self.keys: list[str] = [key for key, _ in files]
        self._files = files
        self._cache: IndexCache | None = None
        self._synced: Synced | None = None
        cache = repository.open_cache() if use_cache else None
        if cache is not None:
            from prcli import index

            try:
                self._synced = index.sync(cache, files, keep=False)
                self._cache = cache
            except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
                if isinstance(error, sqlite3.Error) and index.damaged(error):
                    cache.discard()
                cache.close()

    @property
    def signatures(self) -> dict[str, tuple[int, int, int, int]]:
        """Each file's signature (size, mtime_ns, ctime_ns, inode) as the scan found it: the
        file as read by `read` (a file changed since is read as it was, or as it is now when it
        had to be parsed again: never older than its signature)."""
        if self._synced is not None:
            return self._synced.current
        return {k: (s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino) for k, s in self._files}

    def __enter__(self) -> ReleaseStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def read(
        self, keys: Sequence[str] | None = None, *, bodies: bool = True
    ) -> Iterator[Entry | InvalidRelease]:
        """The outcome of each file named in `keys` (default: every file, by path), in that
        order. bodies=False may leave the release texts out (such entries are never saved)."""
        wanted = self.keys if keys is None else keys
        if self._synced is None or self._cache is None:
            for outcome, _ in parse_stream([Path(key) for key in wanted]):
                yield outcome
            return
        iterator = iter(wanted)
        while batch := list(islice(iterator, BATCH)):
            # A batch allocates many small objects that all stay alive while it is made: the
            # cyclic GC would scan them again and again and find nothing to free.
            collecting = gc.isenabled()
            gc.disable()
            try:
                outcomes = self._batch(batch, bodies)
            finally:
                if collecting:
                    gc.enable()
            yield from outcomes

    def _batch(self, batch: list[str], bodies: bool) -> list[Entry | InvalidRelease]:
        from prcli.cache import entry_of, error_of
        from prcli.index import _G_ERROR, intact

        synced = self._synced
        assert synced is not None and self._cache is not None
        stored: dict[str, tuple[str, int, bytes, int, str, int]] = {}
        asked = [
            key
            for key in batch
            if key not in synced.fresh
            and key in synced.good
            and synced.good[key][_G_ERROR] is None  # readable when stored
        ]
        if asked:
            try:
                stored = self._cache.fetch(asked, bodies)
            except (sqlite3.Error, ValueError):
                stored = {}  # damaged under our feet: the files answer
        outcomes: list[Entry | InvalidRelease] = []
        for key in batch:
            fresh = synced.fresh.get(key)
            if fresh is not None:
                outcomes.append(fresh)
                continue
            small = synced.good.get(key)
            if small is not None and small[_G_ERROR] is not None:
                outcomes.append(error_of(Path(key), small[_G_ERROR]))
                continue
            row = stored.get(key)
            if row is not None:
                layout, lcrc, record, rcrc, body, bcrc = row
                if (
                    intact(record, rcrc)
                    and intact(layout, lcrc)
                    and (not bodies or intact(body, bcrc))
                ):
                    outcomes.append(entry_of(Path(key), layout, record, body if bodies else None))
                    continue
            outcomes.append(parse_files([Path(key)])[0])  # damaged or gone: the file decides
        return outcomes
