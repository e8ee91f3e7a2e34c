"""Exclusive locks between prcli processes: flock(2), so a lock dies with its process (kill -9
included) and nothing has to be cleaned up after a crash.

One mechanism for every writer: the repository's locks (one per release, one for imports: files
in `.prcli/locks/`) and the export folder's lock (the folder itself, see `prcli.folderexport`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from prcli.errors import PrcliError

POLL = 0.05  # seconds between two tries while another process holds the lock


def acquire(
    open_lock: Callable[[], int],
    path: Path,
    timeout: float,
    busy: Callable[[], PrcliError],
    waiting: Callable[[], None] = lambda: None,
) -> int:
    """Lock what `open_lock()` opens (its file descriptor; `path` names it) and return the
    descriptor, held: closing it releases the lock. Waits up to `timeout` seconds while another
    process holds it (`waiting()` is called once, when the wait begins), then raises `busy()`.
    A lock file or folder removed or replaced while this process waited is opened again: only
    the one `path` names now counts."""
    import fcntl
    import time

    fd = open_lock()
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if names(path, fd):
                    return fd
                # removed (or removed and made again) while we waited on it: lock the one there now
                os.close(fd)
                fd = -1
                fd = open_lock()
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise busy() from None
                if not told:
                    waiting()
                    told = True
                time.sleep(POLL)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        raise


def names(path: Path, fd: int) -> bool:
    """Whether `path` still names the file open as `fd` (a lock file removed by prune_locks, or
    removed and created again, is another file)."""
    try:
        there = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino)
