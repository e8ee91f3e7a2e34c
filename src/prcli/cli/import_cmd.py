"""prcli import: bring existing releases in from web-archive text, IPTC ninjs, JSON and front matter."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.sink import Format, Sink, format_option
from prcli.errors import UsageError
from prcli.model import Status

EPILOG = """Examples:

  prcli import archive/2021/                          (every file in the folder; format guessed)

  prcli import seed-release.txt --from text --status review

  prcli import wire.json --from ninjs

  prcli export -f jsonl > all.jsonl && prcli --repo ../copy import all.jsonl

  prcli import old-site/content/ --from markdown --dry-run

Importing the same source twice creates nothing new (matched by source id, or by date and title);
--update refreshes the existing release instead. Exit status 1 when any input failed. One import
runs at a time per repository (a second one waits), so duplicates are caught across processes.
"""


class ImportFormat(StrEnum):
    text = "text"
    ninjs = "ninjs"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


SUMMARY_COLUMNS = ("input", "action", "id", "path", "reason", "findings")


def import_releases(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files or folders to import.")
    ],
    source: Annotated[
        ImportFormat | None,
        typer.Option(
            "--from",
            help="Source format. Default: guessed from each file's content.",
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status",
            help="Status of the imported releases (default: as the source says).",
            show_default=False,
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option("--update", help="Refresh releases imported before instead of skipping them."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
    fmt: Annotated[
        Format,
        format_option(
            Format.table,
            Format.json,
            Format.jsonl,
            Format.csv,
            help="Summary format (jsonl and csv: one input a line).",
        ),
    ] = Format.table,
) -> None:
    """Import releases; a summary says per input what was created, updated, skipped or failed."""
    from prcli.identity import current_user
    from prcli.importers import ImportContext
    from prcli.importing import Importer, input_files

    app = AppContext.of(ctx)
    repository = app.repository()
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    files = input_files(paths)
    context = ImportContext(
        settings=repository.config,
        now=app.now(),
        status=status,
        actor=current_user(repository.root),
        clock=app.clock_mark(),
    )
    # One import at a time per repository (a dry run writes nothing and needs no lock): each
    # judges duplicates against everything the others wrote, so two runs never both create a record.
    lock = (
        contextlib.nullcontext()
        if dry_run
        else repository.import_lock(
            waiting=lambda: output.say(
                "Waiting for another import into this repository to finish..."
            )
        )
    )
    with lock:
        importer = Importer(repository, context, update=update, dry_run=dry_run)
        with output.progress(len(files), "Importing") as advance:
            outcomes = importer.run(files, source.value if source else None, advance)

    if fmt is not Format.table:
        Sink(fmt).rows(
            (
                {
                    "input": o.source,
                    "action": o.action,
                    "id": o.release_id,
                    "path": str(o.path.relative_to(repository.root)) if o.path else None,
                    "reason": o.reason,
                    "findings": o.findings,
                }
                for o in outcomes
            ),
            SUMMARY_COLUMNS,
        )
    else:
        _table(outcomes)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
    summary = (
        ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to import"
    )
    failed = counts.get("failed", 0)
    output.say(f"{len(files)} input file(s): {summary}.", "red" if failed else "green")
    if failed:
        raise typer.Exit(1)


def _table(outcomes: Sequence[object]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from prcli.importing import Outcome
    from prcli.text import one_line

    styles = {
        "created": "green",
        "updated": "cyan",
        "duplicate": "dim",
        "failed": "bold red",
        "unchanged": "dim",
    }
    console = output.stdout_console()
    # One row per input: the release id, the input it came from and any notes stacked in one
    # cell, so at 80 columns an id or path keeps whole words rather than sharing the line.
    result_width = max([6] + [len(getattr(o, "action", "")) for o in outcomes])
    room = max(20, console.width - 2 - result_width - 3)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("Result", no_wrap=True)
    table.add_column("Release / input / notes", overflow="fold")
    for outcome in outcomes:
        assert isinstance(outcome, Outcome)
        notes = outcome.reason
        if outcome.findings:
            notes = (notes + "; " if notes else "") + "findings: " + ", ".join(outcome.findings)
        cell = Text()
        if outcome.release_id:
            cell.append(outcome.release_id + "\n")
        cell.append(_wrapped_path("from " + one_line(outcome.source), room), style="dim")
        if notes:
            cell.append("\n" + one_line(notes))
        table.add_row(Text(outcome.action, style=styles.get(outcome.action, "")), cell)
    console.print(table)


def _wrapped_path(path: str, room: int) -> str:
    """A long path broken after a '/' (not inside a name) into lines of at most `room`."""
    lines, line = [], ""
    for part in path.split("/"):
        piece = part if not line else "/" + part
        if line and len(line) + len(piece) > room:
            lines.append(line + "/")
            line = "  " + part
        else:
            line += piece
    return "\n".join([*lines, line])
