"""One release file: its parsed form (`Entry`), parsing and rendering it, and parsing many at once.

Nothing else parses or renders release files. Parsing many files uses worker processes that die
with the process that started them (a killed `prcli` never leaves workers behind).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prcli import codec, fileformat
from prcli.errors import InvalidRelease
from prcli.fileformat import FrontMatterFormat
from prcli.model import Release

RELEASE_SUFFIX = ".md"
PARALLEL_THRESHOLD = 400  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Entry:
    """A release as stored: where it lives, in which front-matter format, and on which lines."""

    path: Path
    release: Release
    format: FrontMatterFormat = "yaml"
    key_lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> file line
    body_line: int = 0  # file line where the body starts (0: unknown)
    # False when loaded without bodies (load_all(bodies=False)): such an entry is never saved.
    body_loaded: bool = True

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


@dataclass(slots=True)
class LoadResult:
    entries: list[Entry] = field(default_factory=list)
    errors: list[InvalidRelease] = field(default_factory=list)


def render(release: Release, fmt: FrontMatterFormat) -> bytes:
    return fileformat.render(codec.encode(release), release.body, fmt).encode("utf-8")


def parse_release(path: Path, data: bytes) -> Entry:
    """Parse the bytes of a release file; every problem becomes InvalidRelease with its line."""
    try:
        document = fileformat.parse(fileformat.decode_bytes(data), codec.EXACT_TEXT_KEYS)
    except fileformat.FormatError as error:
        raise InvalidRelease(path, error.message, line=error.line, hint=error.hint) from None
    try:
        release = codec.decode(document.metadata, document.body)
    except codec.FieldError as error:
        line = document.key_lines.get(error.key, 1)
        raise InvalidRelease(
            path, error.message, line=line, hint=error.hint, code=error.code
        ) from None
    return Entry(path, release, document.format, document.key_lines, document.body_line)


def _parse_one(path: Path) -> Entry | InvalidRelease:
    try:
        return parse_release(path, path.read_bytes())
    except InvalidRelease as error:
        return error
    except OSError as error:
        return InvalidRelease(path, f"cannot read: {error.strerror}")


Derive = Callable[[str, "Entry | InvalidRelease"], Any]


def _parse_chunk(paths: list[str], derive: Derive | None = None) -> list[tuple[str, Any, Any]]:
    """Worker side: parse files (and derive what the caller asked for from each, here in the
    worker); errors travel as plain tuples (exceptions do not pickle well)."""
    results: list[tuple[str, Any, Any]] = []
    for key in paths:
        outcome = _parse_one(Path(key))
        derived = None if derive is None else derive(key, outcome)
        if isinstance(outcome, Entry):
            results.append(("entry", outcome, derived))
        else:
            error = (key, outcome.message, outcome.line, outcome.hint, outcome.code)
            results.append(("error", error, derived))
    return results


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker when the process that started it ends, however it ends
    (kill -9 included), instead of waiting forever for work that will never come. Ctrl-C in a
    terminal reaches every process of the command: a worker ignores it (no traceback of its
    own), and the process that started it stops its work (parse chunks are short; the site's
    render workers stop between two pages)."""
    import signal
    import threading

    # Ctrl-C and SIGHUP reach every process of a terminal's command: the parent stops its workers
    # itself. SIGTERM ends a worker (the pool ends its workers so when one died; a SIGTERM to the
    # whole group reaches the parent too) quietly, not through the parent's handler (inherited by
    # the fork, prcli.interrupts); the parent blocked it while forking, unblocked here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux): the kernel ends us
    except (OSError, AttributeError):
        pass  # not Linux: the watcher below does it
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="prcli-parent-watch").start()


def parse_files(paths: list[Path]) -> list[Entry | InvalidRelease]:
    """Parse files in order; on several cores and many files, in worker processes."""
    return [outcome for outcome, _ in parse_and_derive(paths, None)]


@contextmanager
def forking() -> Iterator[None]:
    """Ctrl-C (SIGTERM, SIGHUP: prcli.interrupts) waits while worker processes are forked, and comes right after: raised inside the
    interpreter's at-fork handlers it would be lost ("Exception ignored") and the command would
    go on."""
    import signal

    from prcli.interrupts import STOPPING

    before = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOPPING))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def parse_and_derive(
    paths: list[Path], derive: Derive | None
) -> list[tuple[Entry | InvalidRelease, Any]]:
    """Parse files in order, each with `derive(path, outcome)` (None without it), computed where
    the file was parsed: on several cores and many files, in worker processes that die with
    this process."""
    size = max(50, len(paths) // (_workers() * 4))
    return list(parse_stream(paths, derive, chunk=size))


STREAM_CHUNK = 100  # files a worker parses at once when streaming
IN_FLIGHT = 2  # chunks per worker sent ahead while the results are used


def _workers() -> int:
    return min(os.cpu_count() or 1, 4)


def parse_stream(
    paths: Sequence[Path], derive: Derive | None = None, *, chunk: int = STREAM_CHUNK
) -> Iterator[tuple[Entry | InvalidRelease, Any]]:
    """`parse_and_derive` one file at a time, in order: on several cores and many files, worker
    processes parse chunks of `chunk` files, at most IN_FLIGHT chunks per worker ahead of what
    was taken, so memory stays bounded however many files there are."""
    workers = _workers()
    if len(paths) < PARALLEL_THRESHOLD or workers < 2:
        for path in paths:
            yield _derived(_parse_one(path), derive)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    chunks = [[str(p) for p in paths[i : i + chunk]] for i in range(0, len(paths), chunk)]
    done = 0  # files yielded: where to go on without workers if they fail
    try:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )
    except (OSError, RuntimeError, ValueError):  # no fork, no processes: do it here
        pool = None
    if pool is not None:
        try:
            pending: deque[Future[list[tuple[str, Any, Any]]]] = deque()
            following = iter(chunks)
            with forking():  # the first submit forks the workers
                for piece in following:
                    pending.append(pool.submit(_parse_chunk, piece, derive))
                    if len(pending) >= workers * IN_FLIGHT:
                        break
            while pending:
                results = pending.popleft().result()
                for piece in following:  # one more in flight for the one taken
                    pending.append(pool.submit(_parse_chunk, piece, derive))
                    break
                for kind, value, derived in results:
                    done += 1
                    yield _from_worker(kind, value), derived
        except (OSError, RuntimeError, ValueError):  # workers failed: do the rest here
            pass
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for path in paths[done:]:
        yield _derived(_parse_one(path), derive)


def _from_worker(kind: str, value: Any) -> Entry | InvalidRelease:
    if kind == "entry":
        entry: Entry = value
        return entry
    key, message, line, hint, code = value
    return InvalidRelease(Path(key), message, line=line, hint=hint, code=code)


def _derived(
    outcome: Entry | InvalidRelease, derive: Derive | None
) -> tuple[Entry | InvalidRelease, Any]:
    return outcome, None if derive is None else derive(str(outcome.path), outcome)
