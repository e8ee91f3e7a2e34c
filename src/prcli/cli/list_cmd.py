"""prcli list: one page of releases for people, every match for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
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
    filters_from,
)
from prcli.query import order, select, translations
from prcli.records import CSV_COLUMNS, csv_cell, record
from prcli.releasefile import Entry
from prcli.repository import Repository

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


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ids = "ids"


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
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """List releases, newest first. Unreadable files are reported on stderr and make the exit code 1."""
    app = AppContext.of(ctx)
    repository = app.repository()
    filters = filters_from(ctx, repository.config)
    loaded = repository.load_all(bodies=bool(filters.text))  # the body matters only to --query
    matches = order(select(loaded.entries, filters), sort.value, reverse)
    languages = translations(loaded.entries)

    if fmt is ListFormat.table:
        page_size = len(matches) if show_all else (limit or DEFAULT_PAGE)
        page = matches[:page_size]
        if page:
            from prcli.cli.render import release_table, under_embargo
            from prcli.workflow import self_approved

            console = output.stdout_console()
            now = app.now()
            console.print(release_table(page, languages, now, console.width))
            if console.width < 120 and any(under_embargo(e.release, now) for e in page):
                output.say("* under embargo", "magenta")
            if any(self_approved(e.release) for e in page):
                output.say(
                    "! approved by its own submitter (override recorded; see prcli log ID)",
                    "yellow",
                )
        hidden = len(matches) - len(page)
        if not matches:
            output.say(
                "No releases match." if loaded.entries else "The repository has no releases yet."
            )
        elif hidden:
            output.say(
                f"{len(page)} of {len(matches)} shown; --all shows every one, --limit N shows N.",
                "dim",
            )
    else:
        shown = matches[:limit] if limit else matches
        _write_machine(fmt, shown, languages, repository)

    if loaded.errors:
        count = output.report_unreadable(loaded.errors, repository)
        output.say(f"{count} release file(s) could not be read (listed above).", "red")
        raise typer.Exit(1)


def _write_machine(
    fmt: ListFormat,
    entries: Sequence[Entry],
    languages: Mapping[str, Sequence[str]],
    repository: Repository,
) -> None:
    write = sys.stdout.write
    if fmt is ListFormat.ids:
        for entry in entries:
            write(entry.release.id + "\n")
        return
    rows = (
        record(
            entry.release,
            path=str(entry.path.relative_to(repository.root)),
            translations=languages.get(entry.release.id, ()),
        )
        for entry in entries
    )
    if fmt is ListFormat.jsonl:
        for row in rows:
            write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is ListFormat.json:
        write("[")
        for position, row in enumerate(rows):
            write(("," if position else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        write("\n]\n" if entries else "]\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
