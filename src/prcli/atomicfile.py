"""Durable file writes: a temp file in the same folder, fsync, then rename (or link for create)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from prcli.errors import StorageError, storage_error

TEMP_SUFFIX = ".tmp"
# mkstemp names: ".<file name>.<8 random characters>.tmp"; nothing else is ever cleaned up.
_TEMP_NAME = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")
STALE_AFTER = 15 * 60  # seconds: a write takes milliseconds; older temp files were left by a crash


def _default_mode() -> int:
    # mkstemp makes 0600 files; a release should get the mode any new file gets (umask applied).
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _write_data(handle: BinaryIO, data: bytes) -> None:
    """Write and flush (one place, so tests can make the disk fail here)."""
    handle.write(data)
    handle.flush()


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` so readers see the old file or the whole new one, never a part.

    durable=False skips the fsync calls: still atomic for readers, but a crash may lose the newest
    content. For regenerated output (a site of thousands of pages), where fsync would double the time.

    exclusive=True fails with FileExistsError when `path` exists (hard link, so creation and
    complete content appear in one step); otherwise the file is replaced keeping its mode.
    Any other failure (disk full, permissions, ...) raises StorageError and leaves no temp file.
    """
    try:
        if durable:
            _write_atomic(path, data, exclusive=exclusive)
        else:
            _write_atomic(path, data, exclusive=exclusive, durable=False)
    except FileExistsError:
        if exclusive:
            raise
        raise storage_error(path, FileExistsError(errno.EEXIST, "file exists")) from None
    except StorageError:
        raise
    except OSError as error:
        raise storage_error(path, error) from None


def _write_atomic(path: Path, data: bytes, *, exclusive: bool, durable: bool = True) -> None:
    import fcntl
    import tempfile  # writers only; readers should not pay for it at start-up

    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            # Locked while it lives: clean_stale_temps never takes the temp file of a live writer.
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            _write_data(handle, data)
            if durable:
                os.fsync(handle.fileno())
            if exclusive:
                os.chmod(temp, _default_mode())
                try:
                    os.link(temp, path)
                except OSError as error:
                    if error.errno == errno.EEXIST:
                        raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
                    if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                        raise
                    _create_without_link(path, data)
            else:
                _replace_keeping_mode(temp, path)
        if durable:
            _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


@contextlib.contextmanager
def atomic_output(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Write a file piece by piece, so readers see the old file or the whole new one, never a
    part: the pieces go to a temp file beside `path`, which replaces it (keeping its mode) when the
    block ends, and is removed if the block raises. For outputs too large to hold in memory.
    Failures of the disk raise StorageError."""
    import fcntl
    import tempfile

    folder = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as error:
        raise storage_error(path, error) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with contextlib.suppress(OSError):  # see _write_atomic
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
            _replace_keeping_mode(temp, path)
        if durable:
            _fsync_folder(folder)
    except OSError as error:
        raise storage_error(path, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _replace_keeping_mode(temp: Path, path: Path) -> None:
    """Put `temp` in place of `path`, with the mode `path` had (a new file gets the default)."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = _default_mode()
    os.chmod(temp, mode)
    os.replace(temp, path)


def _create_without_link(path: Path, data: bytes) -> None:
    """For file systems without hard links: exclusive create, then write (not atomic, still safe:
    a failed write removes the file it created)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _default_mode())
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_data(handle, data)
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def clean_stale_temps(paths: list[Path], *, now: float | None = None) -> list[Path]:
    """Remove temp files left by killed writers: only names `write_atomic` makes, only files older
    than STALE_AFTER, only when no live writer holds their lock. Returns what was removed."""
    import fcntl

    removed: list[Path] = []
    limit = (time.time() if now is None else now) - STALE_AFTER
    for path in paths:
        if not _TEMP_NAME.fullmatch(path.name):
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not (info.st_mtime < limit and os.path.isfile(path)):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live writer
            path.unlink()
            removed.append(path)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
