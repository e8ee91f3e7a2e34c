"""The folder repository: find its root, list, read, resolve, create and save release files.

Every command reads releases through `Repository.load_all()`, `Repository.stream()` (one batch
at a time, for commands that go through every release but keep little of each) or
`Repository.read()`; nothing else parses release files.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prcli import config
from prcli.atomicfile import TEMP_SUFFIX, clean_stale_temps, write_atomic
from prcli.config import CONFIG_NAME, Config
from prcli.errors import (
    AmbiguousReference,
    InvalidRelease,
    OutsideRepository,
    PrcliError,
    ReleaseNotFound,
    RepositoryNotFound,
    StorageError,
)
from prcli.fileformat import FrontMatterFormat
from prcli.ids import REFERENCE_PATTERN, check_id, with_suffix
from prcli.model import Release
from prcli.paths import CACHE_NAME as CACHE_NAME
from prcli.paths import WORK_FOLDER as WORK_FOLDER
from prcli.records import from_record, record
from prcli.releasefile import RELEASE_SUFFIX as RELEASE_SUFFIX  # re-exported for older imports
from prcli.releasefile import Entry as Entry
from prcli.releasefile import LoadResult as LoadResult
from prcli.releasefile import parse_files
from prcli.releasefile import parse_release as parse_release
from prcli.releasefile import render as render

if TYPE_CHECKING:
    from prcli.cache import IndexCache
    from prcli.index import Listing
    from prcli.query import Filters
    from prcli.releasestream import ReleaseStream

REPO_VARIABLE = "PRCLI_REPO"
LOCK_PRUNE_AGE = 3600.0  # seconds a lock file rests unchanged before prune_locks may remove it
IMPORT_LOCK = "import.lock"  # release locks are named <id>.lock and ids start with a date
NO_CACHE_VARIABLE = "PRCLI_NO_CACHE"


def _cache_row(
    outcome: Entry | InvalidRelease,
) -> tuple[dict[str, Any] | None, str, dict[str, Any] | None]:
    if isinstance(outcome, InvalidRelease):
        error = {
            "message": outcome.message,
            "line": outcome.line,
            "hint": outcome.hint,
            "code": outcome.code,
        }
        return None, "", error
    meta = {
        "record": record(outcome.release),
        "format": outcome.format,
        "key_lines": dict(outcome.key_lines),
        "body_line": outcome.body_line,
    }
    return meta, outcome.release.body, None


def _error_from_json(path: Path, error: str) -> InvalidRelease:
    problem = json.loads(error)
    return InvalidRelease(
        path, problem["message"], line=problem["line"], hint=problem["hint"], code=problem["code"]
    )


def _from_cache_row(
    path: Path, meta: str | None, body: str, error: str | None, with_body: bool
) -> Entry | InvalidRelease:
    if error is not None:
        return _error_from_json(path, error)
    assert meta is not None
    data = json.loads(meta)
    return Entry(
        path,
        from_record(data["record"], body if with_body else ""),
        data["format"],
        data["key_lines"],
        data["body_line"],
        with_body,
    )


class Repository:
    def __init__(self, root: Path, settings: Config, *, use_cache: bool = True) -> None:
        self.root = root
        self.config = settings
        self.releases_dir = root / settings.releases_folder
        # Release files this process wrote (created or saved), for `[git] autocommit`.
        self.written: list[Path] = []
        self.use_cache = use_cache and not os.environ.get(NO_CACHE_VARIABLE)

    # -- finding ------------------------------------------------------------------------------------

    @classmethod
    def discover(
        cls, start: Path, explicit: str | None = None, *, use_cache: bool = True
    ) -> Repository:
        """The repository named by `explicit` (--repo / PRCLI_REPO), else the nearest one above `start`."""
        if explicit:
            root = Path(explicit).expanduser()
            if not (root / CONFIG_NAME).is_file():
                raise RepositoryNotFound(
                    f"{explicit} is not a prcli repository (no {CONFIG_NAME} there)",
                    hint=f"run `prcli init {explicit}` or point --repo at a folder with {CONFIG_NAME}",
                )
            return cls.open(root, use_cache=use_cache)
        here = start.resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls.open(folder, use_cache=use_cache)
        raise RepositoryNotFound(
            f"not inside a prcli repository (no {CONFIG_NAME} in {here} or any folder above it)",
            hint="run `prcli init` to create one here, or pass --repo PATH (or set PRCLI_REPO)",
        )

    @classmethod
    def open(cls, root: Path, *, use_cache: bool = True) -> Repository:
        root = root.resolve()
        repository = cls(root, config.load(root / CONFIG_NAME), use_cache=use_cache)
        releases = repository.releases_dir.resolve()
        if not releases.is_relative_to(root):
            raise OutsideRepository(
                f"{repository.releases_dir} leads outside the repository (to {releases})",
                hint="make releases/ a real folder inside the repository",
            )
        return repository

    # -- listing and reading ------------------------------------------------------------------------

    def release_files(self, problems: list[InvalidRelease] | None = None) -> list[Path]:
        """Every release file, sorted by path. Links leading outside the repository are not read."""
        return [path for path, _ in self.scan(problems)]

    def scan(
        self, problems: list[InvalidRelease] | None = None
    ) -> list[tuple[Path, os.stat_result]]:
        """Every release file with its stat, sorted by path."""
        return [(Path(key), stat) for key, stat in self.scan_keys(problems)]

    def scan_keys(
        self, problems: list[InvalidRelease] | None = None
    ) -> list[tuple[str, os.stat_result]]:
        """`scan` with paths as strings (the index cache's keys): no Path for every file."""
        files: list[tuple[str, os.stat_result]] = []
        temps: list[str] = []
        if self.releases_dir.is_dir():
            self._walk(str(self.releases_dir), problems, temps, files)
        if temps:  # left by a killed writer: removed once old enough and not locked
            clean_stale_temps([Path(temp) for temp in temps])
        files.sort()  # by path: paths are unique, so the stats are never compared
        return files

    def _walk(
        self,
        folder: str,
        problems: list[InvalidRelease] | None,
        temps: list[str],
        files: list[tuple[str, os.stat_result]],
    ) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            if problems is not None:
                problems.append(
                    InvalidRelease(Path(folder), f"cannot read folder: {error.strerror}")
                )
            return
        found = files.append
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if name.endswith(TEMP_SUFFIX):
                    temps.append(entry.path)
                continue  # hidden files, our own temp files, .git
            if entry.is_symlink():
                path = Path(entry.path)
                target = path.resolve()
                if not target.is_relative_to(self.root):
                    if problems is not None:
                        problems.append(
                            InvalidRelease(
                                path,
                                f"symbolic link to {target}, outside the repository; not read",
                                hint="copy the file into the repository instead of linking it",
                                code="PR404",
                            )
                        )
                    continue
                if entry.is_dir():
                    continue  # links to folders inside the repository would list files twice
            if entry.is_dir():
                self._walk(entry.path, problems, temps, files)
            elif name.endswith(RELEASE_SUFFIX) and entry.is_file():
                try:
                    found((entry.path, entry.stat()))
                except OSError:
                    continue  # deleted while we looked

    def read(self, path: Path) -> Entry:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InvalidRelease(path, f"cannot read: {error.strerror}") from None
        return parse_release(path, data)

    def load_all(self, *, bodies: bool = True, use_cache: bool = True) -> LoadResult:
        """Every readable release, and one error per file that could not be read.

        Through the index cache when it can be used: only new and changed files are parsed (in
        worker processes when there are many). `bodies=False` skips the release texts for commands
        that never look at them; such entries are marked and cannot be saved.
        """
        import sqlite3

        result = LoadResult()
        # Parsing allocates many small objects that all stay alive: the cyclic GC would re-scan the
        # growing heap again and again (about 20 % of the time) and find nothing to free.
        collecting = gc.isenabled()
        gc.disable()
        try:
            files = self.scan_keys(result.errors)
            outcomes: list[Entry | InvalidRelease] | None = None
            cache = self.open_cache() if use_cache else None
            if cache is not None:
                from prcli import index

                try:
                    outcomes = index.load(cache, files, bodies)
                except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
                    if isinstance(error, sqlite3.Error) and index.damaged(error):
                        cache.discard()
                finally:
                    cache.close()
            if outcomes is None:
                outcomes = parse_files([Path(key) for key, _ in files])
            for outcome in outcomes:
                if isinstance(outcome, Entry):
                    result.entries.append(outcome)
                else:
                    result.errors.append(outcome)
        finally:
            if collecting:
                gc.enable()
        return result

    def stream(self, *, use_cache: bool = True) -> ReleaseStream:
        """Every release file, read one batch at a time on demand (see prcli.releasestream):
        for commands that go through every release but keep only a little of each."""
        from prcli.releasestream import ReleaseStream

        return ReleaseStream(self, use_cache=use_cache)

    def listing(
        self,
        filters: Filters,
        sort: str = "date",
        reverse: bool = False,
        limit: int | None = None,
        near_ids: bool = False,
    ) -> Listing:
        """What `list` shows, as encoded records. Straight from the index cache when it can answer
        (filters, order and limit in SQL; no Release is built); else from the loaded releases,
        with the same result. `near_ids`: with the repository's ids next to the listed ones too
        (Listing.near_ids: what a table needs to cut ids to prefixes that name one release)."""
        import sqlite3

        from prcli import index

        cache = self.open_cache()
        if cache is not None:
            problems: list[InvalidRelease] = []
            collecting = gc.isenabled()
            gc.disable()
            try:
                files = self.scan_keys(problems)

                def from_files() -> Listing:  # should the index fail part-way through
                    loaded = self.load_all(bodies=bool(filters.text), use_cache=False)
                    return index.from_releases(
                        loaded, self.root, filters, sort, reverse, limit, near_ids
                    )

                answer = index.listing(
                    cache, self.root, files, filters, sort, reverse, limit, from_files, near_ids
                )
                if problems:
                    answer.errors[:0] = problems
                    answer.errors.sort(key=lambda e: str(e.path))
                return answer  # its records stream from the cache, which closes after them
            except index.Unusable:
                cache.close()
            except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
                if isinstance(error, sqlite3.Error) and index.damaged(error):
                    cache.discard()
                cache.close()
            finally:
                if collecting:
                    gc.enable()
        loaded = self.load_all(bodies=bool(filters.text), use_cache=False)
        return index.from_releases(loaded, self.root, filters, sort, reverse, limit, near_ids)

    def open_cache(self) -> IndexCache | None:
        if not self.use_cache:
            return None
        from prcli.index import open_cache  # sqlite3 only for commands that load releases

        return open_cache(self.work_dir / CACHE_NAME)

    # -- ids and paths ------------------------------------------------------------------------------

    def resolve(self, reference: str, cwd: Path) -> Path:
        """The file for an id, a unique id prefix, or a path inside the releases folder."""
        if _looks_like_path(reference):
            candidate = Path(reference).expanduser()
            resolved = (cwd / candidate).resolve()
            self.check_inside(resolved, reference)
            if not resolved.is_file():
                raise ReleaseNotFound(f"no release file {reference}", hint="`prcli list` shows ids")
            return resolved
        if not REFERENCE_PATTERN.fullmatch(reference):
            raise ReleaseNotFound(
                f"'{reference}' is not a release id",
                hint="ids look like 2021-10-15-cis-security-meeting; `prcli list` shows them",
            )
        wanted = reference.lower()
        files = self.release_files()
        exact = [path for path in files if path.stem == wanted]
        if len(exact) == 1:
            return exact[0]
        matches = exact or [path for path in files if path.stem.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousReference(reference, [path.stem for path in matches])
        import difflib  # only on this error path: it costs 15 ms to import

        close = difflib.get_close_matches(wanted, [path.stem for path in files], n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else "`prcli list` shows the ids"
        raise ReleaseNotFound(f"no release with id '{reference}'", hint=hint)

    def check_inside(self, path: Path, shown: str) -> None:
        if not path.resolve().is_relative_to(self.releases_dir.resolve()):
            raise OutsideRepository(
                f"{shown} is outside the repository's releases folder "
                f"({self.display(self.releases_dir)})",
                hint="give a release id, or a path inside that folder",
            )

    def path_for(self, release: Release) -> Path:
        """Where a release lives. Refuses (InvalidValue) an id that is not safe as a file name."""
        check_id(release.id)
        return self.releases_dir / f"{release.date.year:04d}" / f"{release.id}{RELEASE_SUFFIX}"

    def display(self, path: Path) -> str:
        """A path as a user should see it: relative to the working folder when below it."""
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, OSError):  # not below it, or the working folder was deleted
            return str(path)

    @property
    def work_dir(self) -> Path:
        return self.root / WORK_FOLDER

    # -- writing ------------------------------------------------------------------------------------

    def create(self, release: Release, fmt: FrontMatterFormat | None = None) -> Entry:
        """Write a new release with exclusive create; an id taken here or on a git remote-tracking
        branch (as of the last fetch) gets a random suffix."""
        from prcli.errors import storage_error
        from prcli.gitsync.upstream import taken_upstream

        chosen = fmt or self.config.format
        candidate = release
        for _attempt in range(32):
            path = self.path_for(candidate)
            self.check_inside(path.parent, str(path))
            data = self.serialise(candidate, chosen, path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise storage_error(self.display(path.parent), error, "create the folder") from None
            try:
                if taken_upstream(self.root, path):
                    raise FileExistsError(path)
                write_atomic(path, data, exclusive=True)
            except FileExistsError:
                candidate = release.replace(id=with_suffix(release.id))
                continue
            self.written.append(path)
            return Entry(path, candidate, chosen)
        raise PrcliError(f"could not find a free id for {release.id}", hint="choose another --slug")

    @contextmanager
    def locked(self, release_id: str, timeout: float = 10.0) -> Iterator[None]:
        """Hold the lock of one release, so read-change-write steps of two processes never mix."""
        with self._lock(
            f"{release_id}.lock",
            timeout,
            busy=f"{release_id} is being changed by another prcli process",
        ):
            yield

    @contextmanager
    def import_lock(
        self, timeout: float = 600.0, waiting: Callable[[], None] = lambda: None
    ) -> Iterator[None]:
        """One import at a time per repository: duplicates are judged against what the others wrote."""
        with self._lock(
            IMPORT_LOCK,
            timeout,
            busy="another import into this repository is still running",
            waiting=waiting,
        ):
            yield

    @contextmanager
    def _lock(
        self, name: str, timeout: float, *, busy: str, waiting: Callable[[], None] = lambda: None
    ) -> Iterator[None]:
        from prcli import filelock

        folder = self.work_dir / "locks"
        fd = filelock.acquire(
            lambda: self._open_lock_file(folder, name),
            folder / name,
            timeout,
            lambda: PrcliError(busy, hint="try again in a moment"),
            waiting,
        )
        try:
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def prune_locks(self, older_than: float = LOCK_PRUNE_AGE) -> int:
        """Remove lock files nobody holds, so .prcli/locks/ does not grow with every release ever
        changed: only regular files named *.lock, of this user, not changed for `older_than`
        seconds, and only while this process holds them itself (a non-blocking lock). A process
        that opened such a file before it went re-opens the new one (see `_lock`). Returns how
        many were removed."""
        import fcntl
        import stat
        import time

        from prcli import filelock

        folder = self.work_dir / "locks"
        try:
            names = os.listdir(folder)
        except OSError:
            return 0
        limit = time.time() - older_than
        removed = 0
        for name in names:
            path = folder / name
            try:
                info = os.lstat(path)
                if (
                    not name.endswith(".lock")
                    or not stat.S_ISREG(info.st_mode)
                    or info.st_uid != os.getuid()
                    or info.st_mtime > limit
                ):
                    continue
                fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if filelock.names(path, fd):
                    os.unlink(path)  # while holding it
                    removed += 1
            except OSError:
                continue  # held by a live process, or gone meanwhile
            finally:
                os.close(fd)
        return removed

    def _open_lock_file(self, folder: Path, name: str) -> int:
        from prcli.errors import storage_error

        work = self.work_dir
        if work.exists() and not work.is_dir():
            raise StorageError(
                work,
                f"{self.display(work)} is a file, but prcli keeps its locks, recovery files and "
                "index cache in a folder of that name",
                hint=f"move the file {self.display(work)} away (prcli recreates the folder)",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise storage_error(self.display(folder), error, "create the lock folder") from None
        try:
            return os.open(folder / name, os.O_CREAT | os.O_RDWR, 0o666)
        except OSError as error:
            raise storage_error(
                self.display(folder / name), error, "create the lock file"
            ) from None

    def update(self, path: Path, change: Callable[[Entry], Release | None]) -> tuple[Entry, bool]:
        """Read, change and save one release under its lock. `change` sees the release as it is on
        disk now (not as it was when a command started) and returns None to leave it alone."""
        with self.locked(path.stem):
            entry = self.read(path)
            new = change(entry)
            if new is None:
                return entry, False
            updated = dataclasses.replace(entry, release=new)
            return updated, self.save(updated)

    def serialise(self, release: Release, fmt: FrontMatterFormat, path: Path) -> bytes:
        """The bytes of a release file, read back before anything is written: prcli never writes a
        file it would then refuse to read (a NUL or a lone surrogate in a text, a value the
        format cannot hold)."""
        try:
            data = render(release, fmt)
        except (UnicodeEncodeError, ValueError, TypeError) as error:
            raise InvalidRelease(
                path,
                f"not written: the release cannot be stored as UTF-8 {fmt} ({error})",
                hint="remove control characters and binary data from the text, then try again",
            ) from None
        try:
            back = parse_release(path, data).release
        except InvalidRelease as error:
            raise InvalidRelease(
                path,
                f"not written: the release would not read back ({error.message})",
                hint="remove control characters and binary data from the text, then try again",
                code=error.code,
            ) from None
        if back.id != release.id:
            raise InvalidRelease(
                path, f"not written: the id '{release.id}' would read back as '{back.id}'"
            )
        return data

    def save(self, entry: Entry) -> bool:
        """Replace the release file atomically. Returns False, touching nothing, when no byte changes."""
        if not entry.body_loaded:
            raise ValueError(f"{entry.release.id} was loaded without its body and cannot be saved")
        check_id(entry.release.id)
        self.check_inside(entry.path, str(entry.path))
        data = self.serialise(entry.release, entry.format, entry.path)
        try:
            if entry.path.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
        write_atomic(entry.path, data)
        self.written.append(entry.path)
        return True


def _looks_like_path(reference: str) -> bool:
    return (
        "/" in reference
        or os.sep in reference
        or reference.endswith(RELEASE_SUFFIX)
        or reference.startswith((".", "~"))
        or os.path.isabs(reference)
    )
