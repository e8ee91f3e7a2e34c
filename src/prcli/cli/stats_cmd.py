"""prcli stats: the press office's output at a glance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated

import typer

from prcli.cli import output, terminal
from prcli.cli.context import AppContext
from prcli.cli.options import (
    CategoryFilter,
    LanguageFilter,
    SinceFilter,
    StatusFilter,
    TagFilter,
    UntilFilter,
    build_filters,
    parse_date_option,
)
from prcli.cli.sink import Format, Sink, format_option
from prcli.stats import Stats, compute, period

EPILOG = """Examples:

  prcli stats                                  (the last twelve months)

  prcli stats --since 2026-01-01 --language az

  prcli stats --format json | jq .median_hours_to_publish

  prcli stats --format csv > output.csv
"""


def stats(
    ctx: typer.Context,
    fmt: Annotated[Format, format_option(Format.table, Format.json, Format.csv)] = Format.table,
    status: StatusFilter = None,
    category: CategoryFilter = None,
    language: LanguageFilter = None,
    tag: TagFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Show the press office's output: per month, by category, language, status and author.

    Every figure counts the output: releases dated in the period that went out (published, or
    archived/retracted after publication); "by status" splits that total by status now. Drafts,
    releases in review and approved ones are shown apart as the pipeline. Also translation
    coverage and the median time from first submission to publication."""
    app = AppContext.of(ctx)
    repository = app.repository()
    today = app.now().date()
    start, end = period(
        today, parse_date_option(since, "--since"), parse_date_option(until, "--until")
    )
    filters = build_filters(
        repository.config,
        status=status,
        category=category,
        language=language,
        tag=tag,
        since=since,
        until=until,
    )
    loaded = repository.load_all(bodies=False)
    releases = [entry.release for entry in loaded.entries if filters.matches(entry.release)]
    figures = compute(releases, start, end, repository.config.languages)
    if fmt is Format.json:
        data = asdict(figures)
        data["since"], data["until"] = figures.since.isoformat(), figures.until.isoformat()
        for key in (
            "per_month",
            "by_category",
            "by_language",
            "by_status",
            "pipeline",
            "by_author",
            "language_availability",
        ):
            data[key] = dict(data[key])
        Sink(fmt).document(data)
    elif fmt is Format.csv:
        Sink(fmt).rows(_csv_rows(figures), ("section", "key", "value"))
    else:
        _tables(figures)
    if loaded.errors:
        output.report_unreadable(loaded.errors, repository)
        raise typer.Exit(1)


def _csv_rows(figures: Stats) -> Iterator[dict[str, object]]:
    def row(section: str, key: str, value: object) -> dict[str, object]:
        return {"section": section, "key": key, "value": value}

    yield row("period", "since", figures.since.isoformat())
    yield row("period", "until", figures.until.isoformat())
    yield row("total", "releases", figures.total)
    for section, rows in (
        ("month", figures.per_month),
        ("category", figures.by_category),
        ("language", figures.by_language),
        ("status", figures.by_status),
        ("pipeline", figures.pipeline),
        ("author", figures.by_author),
    ):
        for key, value in rows:
            yield row(section, key, value)
    yield row("translation", "stories", figures.stories)
    yield row("translation", "complete_stories", figures.complete_stories)
    coverage = figures.coverage
    yield row("translation", "coverage", "" if coverage is None else round(coverage, 4))
    for language, share in figures.language_availability:
        yield row("availability", language, round(share, 4))
    yield row("approval", "samples", figures.approval_samples)
    hours = figures.median_hours_to_publish
    yield row("approval", "median_hours_to_publish", "" if hours is None else round(hours, 2))


def _tables(figures: Stats) -> None:
    from rich import box
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    from prcli.text import one_line

    charts = terminal.stdout_is_terminal()
    waiting = sum(n for _, n in figures.pipeline)
    detail = ", ".join(f"{status} {n}" for status, n in figures.pipeline if n)
    parts: list[RenderableType] = [
        Text(
            f"{_count(figures.total, 'release')} out from {figures.since} to {figures.until}",
            style="bold",
        ),
        Text(f"In the pipeline: {waiting}" + (f" ({detail})" if detail else "")),
    ]
    months = Table(
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
        title="Per month",
        title_justify="left",
    )
    months.add_column("Month", no_wrap=True)
    months.add_column("Releases", justify="right")
    if charts:
        months.add_column("")
    peak = max((n for _, n in figures.per_month), default=0) or 1
    for month, count in figures.per_month:
        row = [month, str(count)]
        if charts:
            row.append("█" * round(30 * count / peak))
        months.add_row(*row)
    parts.append(months)
    for title, rows in (
        ("By category", figures.by_category),
        ("By language", figures.by_language),
        ("By status", figures.by_status),
        ("By author", figures.by_author),
    ):
        table = Table(
            box=box.SIMPLE_HEAD,
            header_style="bold",
            pad_edge=False,
            title=title,
            title_justify="left",
        )
        table.add_column(title.split()[-1].capitalize(), no_wrap=True)
        table.add_column("Releases", justify="right")
        for key, count in rows:
            table.add_row(Text(one_line(key)), str(count))
        parts.append(table)
    coverage = "n/a" if figures.coverage is None else f"{figures.coverage:.0%}"
    lines = [
        f"Translation coverage: {coverage} of {_count(figures.stories, 'story', 'stories')} "
        f"in every language ({figures.complete_stories} complete)",
    ]
    for language, share in figures.language_availability:
        lines.append(f"  available in {language}: {share:.0%}")
    hours = figures.median_hours_to_publish
    lines.append(
        "Median time from first submission to publication: "
        + (
            "n/a (no release went through review and publication)"
            if hours is None
            else _duration(hours)
        )
        + (f" ({_count(figures.approval_samples, 'release')})" if hours is not None else "")
    )
    parts.append(Text("\n".join(lines)))
    output.stdout_console().print(Group(*parts))


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _duration(hours: float) -> str:
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"
