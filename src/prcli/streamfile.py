"""Outputs that are not files on a disk: a character device (/dev/null, a terminal), a pipe or
FIFO, or a descriptor the shell handed over (/dev/stdout, /dev/fd/N, as `>(gzip > x.gz)` gives).

These take the bytes as they come. The atomic write of a regular file (temp file beside it, then
rename) would replace the device node or the FIFO by a regular file, or fail in /dev; so they are
written straight into, and "exists" means nothing for them (no --force needed).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from prcli.errors import storage_error

# /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: a descriptor of this process.
_DESCRIPTOR_PATH = re.compile(r"/(?:dev|proc/self)/fd/(\d+)")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def descriptor(path: Path) -> int | None:
    """The descriptor `path` names when it is /dev/stdout, /dev/fd/N and the like and that
    descriptor is open in this process; otherwise None."""
    text = os.path.normpath(str(path))
    number = _STANDARD.get(text)
    if number is None:
        match = _DESCRIPTOR_PATH.fullmatch(text)
        if match is None:
            return None
        number = int(match.group(1))
    try:
        os.fstat(number)
    except OSError:
        return None
    return number


def is_stream(path: Path) -> bool:
    """Whether `path` is written straight into: a descriptor path, a character device or a FIFO."""
    if descriptor(path) is not None:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def special_kind(path: Path) -> str:
    """'' for a regular file, a folder or nothing at `path`; else what it is ("a block device",
    "a socket"): something an export must neither write into nor replace."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return ""


@contextlib.contextmanager
def open_stream(path: Path) -> Iterator[BinaryIO]:
    """`path` (see is_stream) opened for writing, without a temp file: a descriptor path writes
    through a copy of that very descriptor (its offset and mode, as the shell set them up)."""
    number = descriptor(path)
    try:
        handle = os.fdopen(os.dup(number), "wb") if number is not None else open(path, "wb")  # noqa: SIM115
    except OSError as error:
        raise storage_error(path, error, "write") from None
    with handle:
        try:
            yield handle
            handle.flush()
        except BrokenPipeError:
            raise  # the reader left: the command line ends quietly (141)
        except OSError as error:  # /dev/full, a device that refuses
            raise storage_error(path, error, "write") from None
