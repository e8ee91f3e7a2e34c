"""prcli list: one page of releases for people, every match for scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.options import (
    CategoryFilter,
    LanguageFilter,
    QueryFilter,
    ReverseOption,
    SinceFilter,
    SortField,
    SortOption,
    StatusFilter,
    TagFilter,
    UntilFilter,
    build_filters,
)
from prcli.cli.sink import Format, Sink, format_option
from prcli.records import from_record
from prcli.releasefile import Entry

DEFAULT_PAGE = 50

EPILOG = """Examples:

  prcli list --status draft --language az

  prcli list --since 2021-10-01 --query "security council" --all

  prcli list --format json | jq '.[].title'

  prcli list --format ids --category Events | xargs -n1 prcli show --format raw

Formats: table (for people; one page), json (one array), jsonl (one object per line), csv (columns:
id, date, status, category, language, title, subtitle, summary, tags, translation_key, translations,
embargo_until, path), ids (one id per line). See docs/formats.md.
"""


def list_releases(
    ctx: typer.Context,
    status: StatusFilter = None,
    category: CategoryFilter = None,
    language: LanguageFilter = None,
    tag: TagFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    query: QueryFilter = None,
    sort: SortOption = SortField.date,
    reverse: ReverseOption = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            help=f"Show at most N releases (the table shows {DEFAULT_PAGE} by default).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", "-a", help="Show every match in the table.")
    ] = False,
    fmt: Annotated[
        Format, format_option(Format.table, Format.json, Format.jsonl, Format.csv, Format.ids)
    ] = Format.table,
) -> None:
    """List releases, newest first. Unreadable files are reported on stderr and make the exit code 1."""
    app = AppContext.of(ctx)
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
    answer = repository.listing(filters, sort.value, reverse, page_size)

    if table:
        records = list(answer.records)
        page = [_entry(data, path) for data, path in zip(records, answer.paths, strict=True)]
        if page:
            from prcli.cli.render import release_table, under_embargo
            from prcli.workflow import self_approved

            console = output.stdout_console()
            now = app.now()
            console.print(release_table(page, answer.translations, now, console.width))
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
        raise typer.Exit(1)


def _entry(data: bytes, path: str) -> Entry:
    # The standard library's decoder, not msgspec's: importing msgspec costs more start-up time
    # than it saves on a page of the table (and drawing a table of thousands costs far more).
    return Entry(Path(path), from_record(json.loads(data), ""), body_loaded=False)
