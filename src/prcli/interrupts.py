"""Ctrl-C, and the signals that mean the same for a command (SIGTERM from `kill`, `timeout`, cron
or systemd; SIGHUP when the terminal closes), held back while files are put in place: a folder is
left as it was or whole, never half written.

One path for all three: `install` (at the CLI's start) makes SIGTERM and SIGHUP raise `Stopped`, a
KeyboardInterrupt, so everything that stops on Ctrl-C (render workers, Pagefind, the wait for a
folder's lock, prompts, the editor) stops on them too. The CLI ends the command with one line and
the status a shell reports for the signal (`status`: 130 for SIGINT, 143 for SIGTERM, 129 for
SIGHUP; prcli.cli.guard)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# The signals that stop a command as Ctrl-C does (a process ended by one reports 128 + its number).
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP came (see `install`): handled wherever Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


class Held(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, SIGHUP) came while a `deferred` block ran; raised when the block had
    done its work. `signum` is the signal that came first."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def status(stop: BaseException) -> int:
    """The exit status of a command stopped by `stop` (a KeyboardInterrupt): 128 + the signal."""
    code = getattr(stop, "exit_code", None)
    return code if isinstance(code, int) else 128 + signal.SIGINT


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def install() -> None:
    """Make SIGTERM and SIGHUP stop this process as Ctrl-C does (raise `Stopped`), where they
    would end it at once (a signal the caller ignores, as `nohup` does SIGHUP, stays ignored).
    Main thread only; child processes prcli starts get the default handlers back on exec."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOPPING[1:]:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _stop)


def _ours(signum: int, handler: object) -> bool:
    """Whether `handler` stops the command with a KeyboardInterrupt (Python's for SIGINT, ours
    for the others): only those are held back."""
    return handler is (signal.default_int_handler if signum == signal.SIGINT else _stop)


_pending: list[int] = []  # the signals that came while a block was deferred
_depth = 0


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block to its end even when Ctrl-C (SIGINT), SIGTERM or SIGHUP comes meanwhile, then
    raise Held. Nested blocks count as one; outside the main thread, or for a signal that does not
    raise KeyboardInterrupt (ignored, or someone else's handler), the block runs as it is."""
    global _depth
    if _depth:  # inside another one: that one holds the signals, and raises Held at its end
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in STOPPING}
    held = [signum for signum, handler in previous.items() if _ours(signum, handler)]
    if not held:
        yield
        return

    def hold(signum: int, frame: FrameType | None) -> None:
        _pending.append(signum)

    for signum in held:
        signal.signal(signum, hold)
    _depth = 1
    try:
        yield
    finally:
        _depth = 0
        for signum in held:
            signal.signal(signum, previous[signum])
        came = _pending[0] if _pending else 0
        _pending.clear()
    if came:
        raise Held(came)
