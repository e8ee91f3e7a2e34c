"""The `prcli` entry point. `--version` answers before Typer is imported, to keep it instant."""

from __future__ import annotations

import os
import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments in (["--version"], ["-V"]):
        from prcli import __version__

        sys.stdout.write(f"prcli {__version__}\n")
        return
    shell = os.environ.get("_PRCLI_COMPLETE")
    if shell:  # a Tab press in a shell with prcli's completion script: answer without Typer
        from prcli.cli.completion import SHELLS, run

        if shell in SHELLS:
            run(shell)
        return
    from prcli.cli.app import app

    try:
        app(prog_name="prcli")
    except BrokenPipeError:
        # `prcli list --format ids | head -1`: the reader left; stop quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
