"""prcli show: one release, as a panel for people or as Markdown, JSON or the raw file."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.query import translations
from prcli.records import record

EPILOG = """Examples:

  prcli show 2021-10-15-regional-civil            (a unique prefix of the id is enough)

  prcli show releases/2021/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.md

  prcli show 2021-10-15-regional-civil --format json | jq .body
"""


class ShowFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    raw = "raw"


def show(
    ctx: typer.Context,
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A release id, a unique prefix of one, or its file path."
        ),
    ],
    fmt: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: metadata panel and rendered body; markdown: the release as one Markdown "
            "document; json: every field and the body; raw: the file exactly as stored.",
        ),
    ] = ShowFormat.text,
) -> None:
    """Show one release."""
    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    if fmt is ShowFormat.raw:
        sys.stdout.buffer.write(path.read_bytes())
        sys.stdout.flush()
        return
    entry = repository.read(path)
    release = entry.release
    others: tuple[str, ...] = ()
    if release.translation_key:
        others = translations(repository.load_all(bodies=False).entries).get(release.id, ())
    if fmt is ShowFormat.json:
        output.write_json(
            record(
                release,
                path=str(path.relative_to(repository.root)),
                translations=others,
                body=True,
            )
        )
    elif fmt is ShowFormat.markdown:
        from prcli.notices import notices
        from prcli.publication import public_state

        told = notices(public_state(release, app.now()), release.language)
        parts = [f"# {release.title}"]
        if told.retracted_heading:
            parts.append(
                f"> **{told.retracted_heading}**\n>\n> {told.retracted_line}\n>\n"
                f"> {told.original_follows}"
            )
        parts.extend(f"*{line}*" for line in told.updates)
        if release.subtitle:
            parts.append(f"*{release.subtitle}*")
        meta = " · ".join(
            part for part in (release.issuer, release.category, release.date.isoformat()) if part
        )
        parts.append(meta)
        if release.summary:
            parts.append(f"**{release.summary}**")
        if release.body:
            parts.append(release.body)
        output.write_line("\n\n".join(parts))
    else:
        from prcli.cli.render import release_panel

        output.stdout_console().print(
            release_panel(entry, repository.config, others, repository.display(path), app.now())
        )
