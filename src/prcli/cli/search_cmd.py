"""prcli search: ranked full-text search over the index cache (SQLite FTS5, BM25)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import typer
from typer._click import core as click
from typer.core import TyperCommand, TyperOption

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.options import (
    CategoryFilter,
    LanguageFilter,
    SinceFilter,
    StatusFilter,
    TagFilter,
    UntilFilter,
    build_filters,
)
from prcli.cli.sink import Format, Sink, format_option
from prcli.records import CSV_COLUMNS, encode, record

EPILOG = """Examples:

  prcli search Kura river

  prcli search '"Alley of Honor"'            (a phrase: the inner quotes reach prcli)

  prcli search susa --language az            (finds Şuşa: case and accents do not matter)

  prcli search secur* -exercise --since 2021-01-01

  prcli search --status published warn* -siren

  prcli search "CIS meeting" --format json | jq -r '.[].id'

  prcli search briefing --public            (only what the public may see now)

  prcli search --limit 5 -- -fire brigade     (after --, every word is a word, even -f...)

Type words as they come: all must appear; "quoted words" must appear together (quote the quotes
for the shell); word* matches any
ending; -word excludes (no quotes needed). Options go before or after the words; a -word that is
also an option of search (-n, -f, -s, -c, -l, -t, -h) is read as the option unless it comes after
--. Title matches rank above body matches.

Search covers every release, drafts and embargoed news included, and marks each result the public
may not see yet (draft, under embargo until ..., scheduled, status not backed by its history); in
json/jsonl output `public` is false and `held_back` says why. --public keeps only releases that are
public now: published (or retracted, with its notice), past their embargo, status backed by the
history, the same rule every public export uses.
"""


SEARCH_COLUMNS = ("score", "public", "held_back", "snippet")  # after the record's, in csv


class WordsCommand(TyperCommand):
    """A command whose words may start with '-' (exclusions): a token starting with a single '-'
    that is none of the command's options is passed on as a word, wherever it stands. A token
    starting with '--' is always an option (Click reports an unknown one as a usage error, with
    the options it may have meant); after '--' everything is a word."""

    # '-cold front' is a word here, not -c with a value: no warning about it (prcli.cli.app)
    words_may_start_with_dash = True

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: set[str] = set()
        with_value: set[str] = set()
        for param in self.get_params(ctx):
            if isinstance(param, TyperOption):
                options.update(param.opts, param.secondary_opts)
                if not param.is_flag and not param.count:
                    with_value.update(param.opts)
        kept: list[str] = []
        words: list[str] = []
        index = 0
        while index < len(args):
            token = args[index]
            if token == "--":
                words.extend(args[index + 1 :])
                break
            name = token.split("=", 1)[0]
            exclusion = (
                token.startswith("-")
                and not token.startswith("--")
                and len(token) > 1
                and name not in options
            )
            if exclusion:
                words.append(token)  # -siren, -exercise: an exclusion
            else:
                kept.append(token)
                if token in with_value and index + 1 < len(args):
                    kept.append(args[index + 1])
                    index += 1
            index += 1
        return super().parse_args(ctx, [*kept, "--", *words] if words else kept)


def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...",
            help='Words, "phrases", prefix* and -exclusions, as typed (no quotes needed).',
            show_default=False,
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N results.")
    ] = 20,
    fmt: Annotated[
        Format, format_option(Format.table, Format.json, Format.jsonl, Format.csv, Format.ids)
    ] = Format.table,
    fail_empty: Annotated[
        bool, typer.Option("--fail-empty", help="Exit 1 when nothing is found.")
    ] = False,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Only releases the public may see now (published, past their embargo, status "
            "backed by the history).",
        ),
    ] = False,
    status: StatusFilter = None,
    category: CategoryFilter = None,
    language: LanguageFilter = None,
    tag: TagFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Search titles, summaries, bodies, tags, people, places and organisations, best match first."""
    from prcli.publication import held_back_reason, public_state
    from prcli.search import find, parse_query, snippet

    app = AppContext.of(ctx)
    repository = app.repository()
    text = " ".join(words)  # one quoted argument reads exactly as several unquoted ones
    parsed = parse_query(text)
    filters = build_filters(
        repository.config,
        status=status,
        category=category,
        language=language,
        tag=tag,
        since=since,
        until=until,
    )
    now = app.now()
    accept = (lambda release: public_state(release, now).public) if public else None
    shown, total, errors = find(repository, parsed, filters, limit, accept)
    if fmt is not Format.table:
        rows = []
        flat: list[dict[str, object]] = []
        for entry, score in shown:
            row = record(entry.release, path=str(entry.path.relative_to(repository.root)))
            state = public_state(entry.release, now)
            row["public"] = state.public
            row["held_back"] = held_back_reason(entry.release, state)
            row["score"] = round(score, 4)
            row["snippet"] = "".join(
                text for text, _ in snippet(entry.release.body or entry.release.summary, parsed)
            )
            flat.append({**row, "public": "true" if state.public else "false"})
            rows.append(encode(row))
        if fmt is Format.csv:  # the record's columns, then what the search adds (as in json)
            Sink(fmt).rows(flat, (*CSV_COLUMNS, *SEARCH_COLUMNS))
        else:
            Sink(fmt).records(rows)
    elif shown:
        _table(shown, parsed, now)
    if not total:
        output.say(f"No releases match {text!r}.")
    elif total > len(shown):
        output.say(f"{len(shown)} of {total} results shown; --limit N shows more.", "dim")
    if errors:
        output.report_unreadable(errors, repository)
        raise typer.Exit(1)
    if not total and fail_empty:
        raise typer.Exit(1)


def _table(hits: Sequence[tuple[object, float]], parsed: object, now: datetime) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from prcli.cli.render import STATUS_STYLES
    from prcli.model import Status
    from prcli.publication import held_back_reason, public_state
    from prcli.releasefile import Entry
    from prcli.search import Query, snippet
    from prcli.text import for_terminal, one_line

    assert isinstance(parsed, Query)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("ID", no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column("Lang", no_wrap=True)
    table.add_column("Title and snippet", ratio=1, overflow="fold")
    for entry, score in hits:
        assert isinstance(entry, Entry)
        release = entry.release
        cell = Text(one_line(release.title), style="bold")
        state = public_state(release, now)
        if not state.public:
            cell.append(f"  [{held_back_reason(release, state)}]", style="bold yellow")
        elif release.status is Status.RETRACTED:  # public with its notice; list says so in red
            cell.append(f"  [{release.status}]", style=STATUS_STYLES[release.status])
        pieces = snippet(release.body or release.summary, parsed)
        if pieces:
            cell.append("\n")
            for text, matched in pieces:
                cell.append(for_terminal(text), style="reverse" if matched else "dim")
        table.add_row(f"{score:.1f}", Text(release.id), release.language, cell)
    output.stdout_console().print(table)
