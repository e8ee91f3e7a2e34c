"""The one place where a failing command becomes a message and an exit code, without Typer.

`PrcliGroup.invoke` runs every command through `guarded`, and so does the fast path of a bare
`prcli list` (prcli.cli.fastpath), so both end the same way: a PrcliError as one error line, a hint
and its exit code (no traceback; PRCLI_DEBUG=1 shows it), a closed pipe as 141, Ctrl-C as one line
and 130 (not Click's "Aborted!" and 1; SIGTERM 143, SIGHUP 129, prcli.interrupts), an unwrapped write failure as one storage error, and what the
command wrote committed when `[git] autocommit` is on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from prcli.errors import PrcliError

if TYPE_CHECKING:
    from prcli.cli.context import AppContext

DEBUG_VARIABLE = "PRCLI_DEBUG"

T = TypeVar("T")


class ExitCode(Exception):
    """End the command with this exit code (the Typer path raises it again as typer.Exit)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def guarded(call: Callable[[], T], context: Callable[[], AppContext | None]) -> T:
    """`call()`, with its failures mapped to a message and ExitCode; `context()` gives the
    command's AppContext (or None) when it is needed, after the call."""
    try:
        return call()
    except PrcliError as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        from prcli.cli.output import report_error

        obj = context()
        report_error(error, obj._repository if obj else None)
        raise ExitCode(error.exit_code) from None
    except KeyboardInterrupt as stop:
        # Ctrl-C (or SIGTERM, SIGHUP: prcli.interrupts) where the command had nothing better to
        # say (a command that knows what it left behind raises errors.Interrupted instead): one
        # line, the status a shell gives it (130, 143, 129). A closed terminal may not take it.
        import contextlib

        from prcli.cli.output import report_error
        from prcli.errors import Interrupted
        from prcli.interrupts import status

        with contextlib.suppress(OSError):
            report_error(Interrupted("interrupted"))
        raise ExitCode(status(stop)) from None
    except BrokenPipeError:
        # `prcli list | head -1`: the reader left; stop quietly with the status of a process
        # ended by SIGPIPE (128 + 13), as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise ExitCode(141) from None
    except OSError as error:
        # A write path the core did not wrap (disk full, permissions): one line, no traceback.
        if os.environ.get(DEBUG_VARIABLE):
            raise
        from prcli.cli.output import report_error
        from prcli.errors import storage_error

        where = error.filename if error.filename is not None else "a file"
        report_error(storage_error(where, error, "use"))
        raise ExitCode(1) from None
    finally:
        obj = context()
        if obj is not None and obj._repository is not None and obj._repository.written:
            from prcli.cli.autocommit import autocommit

            autocommit(obj._repository)
