"""What `prcli list` does once its options are read: one page of releases as a table for people,
every match in a machine format for scripts.

No Typer here: the Typer command (prcli.cli.list_cmd) and the fast path of a bare `prcli list`
(prcli.cli.fastpath) both call `run`.
"""

from __future__ import annotations

import json
from pathlib import Path

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.filters import SortField, build_filters
from prcli.cli.guard import ExitCode
from prcli.cli.sink import Format, Sink
from prcli.model import Status
from prcli.records import from_record
from prcli.releasefile import Entry

DEFAULT_PAGE = 50


def run(
    app: AppContext,
    *,
    status: list[Status] | None,
    category: list[str] | None,
    language: list[str] | None,
    tag: list[str] | None,
    since: str | None,
    until: str | None,
    query: str | None,
    sort: SortField,
    reverse: bool,
    limit: int | None,
    show_all: bool,
    fmt: Format,
) -> None:
    """List the releases that match; unreadable files are reported on stderr and end it with
    ExitCode(1)."""
    repository = app.repository()
    filters = build_filters(
        repository.config,
        status=status,
        category=category,
        language=language,
        tag=tag,
        since=since,
        until=until,
        query=query,
    )
    table = fmt is Format.table
    page_size = None if show_all else (limit or DEFAULT_PAGE) if table else limit
    # The table cuts long ids to a prefix no other release of the repository shares.
    answer = repository.listing(filters, sort.value, reverse, page_size, near_ids=table)

    if table:
        records = list(answer.records)
        page = [_entry(data, path) for data, path in zip(records, answer.paths, strict=True)]
        if page:
            from prcli.cli.render import release_table
            from prcli.publication import under_embargo
            from prcli.workflow import self_approved

            console = output.stdout_console()
            now = app.now()
            unicode = console.encoding.lower().startswith("utf")
            console.print(
                release_table(
                    page, answer.translations, now, console.width, unicode, answer.near_ids
                )
            )
            if console.width < 120 and any(under_embargo(e.release, now) for e in page):
                output.say("* under embargo", "magenta")
            if any(self_approved(e.release) for e in page):
                output.say(
                    "! approved by its own submitter (override recorded; see prcli log ID)",
                    "yellow",
                )
        hidden = answer.total - len(page)
        if not answer.total:
            output.say(
                "No releases match." if answer.readable else "The repository has no releases yet."
            )
        elif hidden:
            output.say(
                f"{len(page)} of {answer.total} shown; --all shows every one, --limit N shows N.",
                "dim",
            )
    else:
        Sink(fmt).records(answer.records)

    if answer.errors:
        count = output.report_unreadable(answer.errors, repository)
        output.say(f"{count} release file(s) could not be read (listed above).", "red")
        raise ExitCode(1)


def _entry(data: bytes, path: str) -> Entry:
    # The standard library's decoder, not msgspec's: importing msgspec costs more start-up time
    # than it saves on a page of the table (and drawing a table of thousands costs far more).
    return Entry(Path(path), from_record(json.loads(data), ""), body_loaded=False)
