"""What the shared filter and sort options become: prcli.query.Filters and a sort field, checked
against the repository's settings. No Typer here (prcli.cli.options declares the options), so the
fast path of `prcli list` (prcli.cli.fastpath) builds its filters with the same code."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TypedDict

from prcli.config import Config
from prcli.errors import InvalidValue
from prcli.model import Status
from prcli.query import SORT_FIELDS, Filters


class SortField(Enum):
    date = "date"
    created = "created"
    updated = "updated"
    id = "id"
    title = "title"
    status = "status"
    category = "category"
    language = "language"


assert {field.value for field in SortField} == set(SORT_FIELDS)


def parse_date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(
            f"{option} '{value}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2021-10-15"
        ) from None


def canonical_category(value: str, settings: Config) -> str:
    """The repository's spelling of a category, matched without regard to case."""
    for category in settings.categories:
        if category.casefold() == value.strip().casefold():
            return category
    raise InvalidValue(
        f"unknown category '{value}'",
        hint=f"use one of: {', '.join(settings.categories)} (or add it to prcli.toml)",
    )


def checked_language(value: str, settings: Config) -> str:
    if value in settings.languages:
        return value
    lowered = value.strip().lower()
    for language in settings.languages:
        if language.lower() == lowered:
            return language
    raise InvalidValue(
        f"unknown language '{value}'",
        hint=f"use one of: {', '.join(settings.languages)} (or add it to prcli.toml)",
    )


class FilterOptions(TypedDict, total=False):
    """The filter options of a command by name, for a command that needs them twice (export
    records them as typed and builds its filters from them)."""

    status: list[Status] | None
    category: list[str] | None
    language: list[str] | None
    tag: list[str] | None
    since: str | None
    until: str | None
    query: str | None


def build_filters(
    settings: Config,
    *,
    status: list[Status] | None = None,
    category: list[str] | None = None,
    language: list[str] | None = None,
    tag: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    query: str | None = None,
) -> Filters:
    """The filters of a command, from its filter options passed by name, each one explicitly:
    `build_filters(settings, status=status, category=category, ...)`. (Nothing is read from the
    Click context, so renaming an option cannot silently drop its filter; tests/test_filters_passed
    checks every filter option of every command narrows the result.)"""
    since_date = parse_date_option(since, "--since")
    until_date = parse_date_option(until, "--until")
    if since_date and until_date and since_date > until_date:
        raise InvalidValue(
            f"--since {since_date} is after --until {until_date}", hint="swap the two dates"
        )
    return Filters(
        statuses=frozenset(status or ()),
        categories=frozenset(canonical_category(c, settings) for c in category or ()),
        languages=frozenset(checked_language(lang, settings) for lang in language or ()),
        tags=frozenset(tag or ()),
        since=since_date,
        until=until_date,
        text=(query or "").strip(),
    )
