"""prcli list: one page of releases for people, every match for scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli.context import AppContext
from prcli.cli.listing import DEFAULT_PAGE, run
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
)
from prcli.cli.sink import Format, format_option
from prcli.errors import UsageError

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
            metavar="N",
            help=f"Show at most N releases (the table shows {DEFAULT_PAGE} by default).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", "-a", help="Show every match in the table (not with --limit)."),
    ] = False,
    fmt: Annotated[
        Format, format_option(Format.table, Format.json, Format.jsonl, Format.csv, Format.ids)
    ] = Format.table,
) -> None:
    """List releases, newest first. Unreadable files are reported on stderr and make the exit code 1."""
    if show_all and limit is not None:
        raise UsageError(
            "--all and --limit exclude each other",
            hint="--all shows every match, --limit N the first N",
        )
    run(
        AppContext.of(ctx),
        status=status,
        category=category,
        language=language,
        tag=tag,
        since=since,
        until=until,
        query=query,
        sort=sort,
        reverse=reverse,
        limit=limit,
        show_all=show_all,
        fmt=fmt,
    )
