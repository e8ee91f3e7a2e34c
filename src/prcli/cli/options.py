"""Options shared by several commands, defined once as Annotated aliases. What the options' values
become (filters, the sort field) is in prcli.cli.filters, which needs no Typer."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli.filters import (
    SortField,
    build_filters,
    canonical_category,
    checked_language,
    parse_date_option,
)
from prcli.model import Status

__all__ = [
    "CategoryFilter",
    "LanguageFilter",
    "QueryFilter",
    "ReverseOption",
    "SinceFilter",
    "SortField",
    "SortOption",
    "StatusFilter",
    "TagFilter",
    "UntilFilter",
    "build_filters",
    "canonical_category",
    "checked_language",
    "parse_date_option",
]

StatusFilter = Annotated[
    list[Status] | None,
    typer.Option(
        "--status", "-s", help="Only this status (repeat for several).", show_default=False
    ),
]
CategoryFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--category", "-c", help="Only this category (repeat for several).", show_default=False
    ),
]
LanguageFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--language", "-l", help="Only this language (repeat for several).", show_default=False
    ),
]
TagFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--tag", "-t", help="Only releases with this tag (repeat: any of them).", show_default=False
    ),
]
SinceFilter = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only releases dated on or after YYYY-MM-DD.",
        metavar="DATE",
        show_default=False,
    ),
]
UntilFilter = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Only releases dated on or before YYYY-MM-DD.",
        metavar="DATE",
        show_default=False,
    ),
]
QueryFilter = Annotated[
    str | None,
    typer.Option(
        "--query",
        "-q",
        help="Only releases whose title, summary or body contain TEXT (ignores case and accents).",
        metavar="TEXT",
        show_default=False,
    ),
]
SortOption = Annotated[
    SortField,
    typer.Option("--sort", help="Order by this field: dates newest first, text A to Z."),
]
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Flip the order.")]
