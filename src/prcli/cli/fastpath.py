"""A bare `prcli list` (or `prcli list --format FORMAT`) without Typer.

Typer and the Click it bundles cost about a fifth of `prcli list`'s start-up (benchmarks/README.md),
and `list` with no options is what people type most. So when the command line is exactly that, and
no PRCLI_REPO / PRCLI_NOW / PRCLI_NO_CACHE asks the root command for anything, `main` runs the same
`prcli.cli.listing.run` the Typer command runs, with the values Typer would pass, through the same
guard (prcli.cli.guard), and ends the way Typer's standalone mode ends. Everything else (any other
option or word, `--help`, a value Typer would refuse) goes to Typer, so help texts and usage errors
only ever come from there. tests/test_fastpath.py holds the two paths to the same arguments, output
and exit codes.
"""

from __future__ import annotations

import os
import sys

# The root command's options that read the environment (prcli.cli.app.root).
ROOT_VARIABLES = ("PRCLI_REPO", "PRCLI_NOW", "PRCLI_NO_CACHE")
# `list --format`'s choices (prcli.cli.list_cmd; the test compares them with the Click option's).
FORMATS = ("table", "json", "jsonl", "csv", "ids")


def listing_format(arguments: list[str]) -> str | None:
    """The format of a command line the fast path answers, or None (then Typer answers)."""
    if any(name in os.environ for name in ROOT_VARIABLES):
        return None
    if arguments == ["list"]:
        return "table"
    if len(arguments) == 3 and arguments[0] == "list" and arguments[1] in ("--format", "-f"):
        value = arguments[2]
    elif len(arguments) == 2 and arguments[0] == "list" and arguments[1].startswith("--format="):
        value = arguments[1].removeprefix("--format=")
    else:
        return None
    return value if value in FORMATS else None


def run_list(fmt: str) -> int:
    """`prcli list --format fmt` as the Typer command runs it; returns the exit code."""
    from functools import partial

    from prcli.cli.context import AppContext
    from prcli.cli.filters import SortField
    from prcli.cli.guard import ExitCode, guarded
    from prcli.cli.listing import run
    from prcli.cli.sink import Format

    app = AppContext()  # what the root command's callback makes without options
    command = partial(
        run,
        app,
        status=None,
        category=None,
        language=None,
        tag=None,
        since=None,
        until=None,
        query=None,
        sort=SortField.date,
        reverse=False,
        limit=None,
        show_all=False,
        fmt=Format(fmt),
    )
    try:
        guarded(command, lambda: app)
    except ExitCode as stop:
        return stop.code
    except KeyboardInterrupt as stop:  # Ctrl-C outside the command (guarded reports one inside it)
        from prcli.interrupts import status

        return status(stop)
    except EOFError:
        sys.stderr.write("\nAborted!\n")
        return 1
    return 0
