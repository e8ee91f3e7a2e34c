"""The `prcli` entry point. `--version`, shell completion and a bare `prcli list`
(prcli.cli.fastpath) answer before Typer is imported."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    if sys.stdout is None or sys.stderr is None or sys.stdin is None:  # `prcli list >&-`
        from prcli.cli.closedstreams import guard_closed

        guard_closed()
    arguments = sys.argv[1:]
    if arguments in (["--version"], ["-V"]):
        from prcli import __version__

        try:
            sys.stdout.write(f"prcli {__version__}\n")
        except Exception as error:  # a closed stdout (prcli.cli.closedstreams): one error line
            from prcli.cli.output import report_error
            from prcli.errors import PrcliError

            if not isinstance(error, PrcliError):
                raise
            report_error(error)
            sys.exit(error.exit_code)
        return
    shell = os.environ.get("_PRCLI_COMPLETE")
    if shell:  # a Tab press in a shell with prcli's completion script: answer without Typer
        from prcli.cli.completion import SHELLS, run

        if shell in SHELLS:
            run(shell)
        return
    # Start-up allocates much and frees little: cyclic collections during the imports cost some 5 %
    # of `prcli list`. Off until the command runs: prcli.cli.app.build turns it on once a command
    # is built; the fast path leaves it off (a page or a stream of records, which
    # Repository.listing runs without it anyway).
    gc.disable()
    from prcli.interrupts import install, status

    install()  # SIGTERM (kill, timeout, systemd) and SIGHUP stop a command as Ctrl-C does
    from prcli.cli.fastpath import listing_format

    fmt = listing_format(arguments)
    try:
        if fmt is not None:  # a bare `prcli list`: the same command without Typer's start-up
            from prcli.cli.fastpath import run_list

            sys.exit(run_list(fmt))
        from prcli.cli.app import app

        app(prog_name="prcli")
    except KeyboardInterrupt as stop:  # Ctrl-C (SIGTERM, SIGHUP) before a command runs
        with contextlib.suppress(OSError):
            sys.stderr.write("error: interrupted\n")
        sys.exit(status(stop))
    except BrokenPipeError:
        # `prcli list --format ids | head -1`: the reader left; stop quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    finally:
        gc.enable()  # for a caller that goes on in the same process
