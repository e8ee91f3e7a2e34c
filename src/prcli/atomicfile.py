"""Durable file writes: a temp file in the same folder, fsync, then rename (or link for create)."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def _default_mode() -> int:
    # mkstemp makes 0600 files; a release should get the mode any new file gets (umask applied).
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write `data` to `path` so readers see the old file or the whole new one, never a part.

    exclusive=True fails with FileExistsError when `path` exists (hard link, so creation and
    complete content appear in one step); otherwise the file is replaced keeping its mode.
    """
    import tempfile  # writers only; readers should not pay for it at start-up

    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.chmod(temp, _default_mode())
            try:
                os.link(temp, path)
            except OSError as error:
                if error.errno == errno.EEXIST:
                    raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
                _create_without_link(path, data)
        else:
            try:
                mode = os.stat(path).st_mode & 0o7777
            except FileNotFoundError:
                mode = _default_mode()
            os.chmod(temp, mode)
            os.replace(temp, path)
        _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _create_without_link(path: Path, data: bytes) -> None:
    """For file systems without hard links: exclusive create, then write (not atomic, still safe)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _default_mode())
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
