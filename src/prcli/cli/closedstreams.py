"""Standard streams the shell closed (`prcli list >&-`).

Python then sets sys.stdout (or stderr) to None, and the next file prcli opens would get the free
descriptor 1: git run by the command would write into the index database. So `guard_closed`
puts /dev/null on every closed standard descriptor before anything is opened, and a closed stdout
becomes a stream whose first write fails as one error line (exit 1) instead of an AttributeError
traceback; a command that writes nothing to stdout (publish, new) runs as usual.
"""

from __future__ import annotations

import io
import os
import sys

from prcli.errors import StorageError


class ClosedStdout(io.TextIOBase):
    """Stands for a closed stdout: writing to it raises StorageError (one line, exit 1)."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not text:
            return 0
        raise StorageError(
            "stdout",
            "cannot write the output: stdout is closed (>&-)",
            hint="send it to /dev/null instead of closing it: >/dev/null",
        )


def guard_closed() -> None:
    """Occupy the closed standard descriptors with /dev/null; a closed stdout writes an error."""
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != number:
                os.dup2(opened, number)
                os.close(opened)
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    if sys.stdin is None:  # a prompt reads the end of the input (and aborts) instead of failing
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    if sys.stderr is None:  # messages go nowhere, as the shell asked
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
