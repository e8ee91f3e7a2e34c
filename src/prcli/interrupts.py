"""Ctrl-C held back while files are put in place: a folder is left as it was or whole, never half
written. The CLI ends an interrupted command with one line and exit 130 (prcli.cli.guard)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Held(KeyboardInterrupt):
    """Ctrl-C came while a `deferred` block ran; raised when the block had done its work."""


_pending: list[int] = []  # the SIGINTs that came while a block was deferred
_depth = 0


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block to its end even when Ctrl-C (SIGINT) comes meanwhile, then raise Held.
    Nested blocks count as one; outside the main thread, or where SIGINT does not raise
    KeyboardInterrupt (ignored, or someone else's handler), the block runs as it is."""
    global _depth
    if _depth:  # inside another one: that one holds Ctrl-C, and raises Held at its end
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:
        yield
        return

    def hold(signum: int, frame: FrameType | None) -> None:
        _pending.append(signum)

    signal.signal(signal.SIGINT, hold)
    _depth = 1
    try:
        yield
    finally:
        _depth = 0
        signal.signal(signal.SIGINT, previous)
        came = bool(_pending)
        _pending.clear()
    if came:
        raise Held()
