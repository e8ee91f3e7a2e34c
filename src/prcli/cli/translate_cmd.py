"""prcli translate: start a language version of a release, linked by its translation_key."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.options import checked_language
from prcli.errors import InvalidValue
from prcli.identity import current_user
from prcli.ids import ID_PATTERN
from prcli.model import HistoryEntry, Release, Status
from prcli.query import translations

EPILOG = """Examples:

  prcli translate 2026-11-26-new-public-warning --language az

  prcli translate 2026-11-26-new-public-warning -l ru --edit
"""
MARKER = "TODO: translate from {language} ({source}), then remove this line."


def translate(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(metavar="ID", help="The release to translate.")],
    language: Annotated[
        str, typer.Option("--language", "-l", help="The language of the new version.")
    ],
    edit: Annotated[
        bool, typer.Option("--edit/--no-edit", help="Open the new draft in $EDITOR.")
    ] = False,
) -> None:
    """Start a language version of a release as a linked draft.

    Same translation_key, metadata copied, and the source text kept under a TODO marker (an error
    for `validate` once the draft moves on)."""
    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    source = repository.read(path).release
    target = checked_language(language, repository.config)
    if target == source.language:
        raise InvalidValue(f"{source.id} is already in {target}", hint="choose another --language")
    existing = translations(repository.load_all(bodies=False).entries).get(source.id, ())
    if target in existing:
        raise InvalidValue(
            f"{source.id} already has a version in {target}", hint="`prcli list --query` finds it"
        )
    now = app.now()
    author = current_user(repository.root)
    key = source.translation_key or source.id
    if not source.translation_key:
        # The source joins the group too: one key links every language version.
        repository.update(path, lambda entry: entry.release.replace(translation_key=key))
    marker = MARKER.format(language=source.language, source=source.id)
    draft = Release(
        id=_translation_id(source.id, target),
        title=f"TODO translate: {source.title}",  # PR307 keeps it from review until translated
        subtitle=source.subtitle,
        summary=source.summary,
        status=Status.DRAFT,
        category=source.category,
        language=target,
        date=source.date,
        embargo_until=source.embargo_until,
        expires=source.expires,
        event_date=source.event_date,
        dateline=source.dateline,
        event=source.event,
        issuer=repository.config.default_issuer,
        tags=source.tags,
        people=source.people,
        organisations=source.organisations,
        places=source.places,
        contacts=source.contacts,
        related=source.related,
        translation_key=key,
        translation_of=source.id,
        attachments=source.attachments,
        created=now,
        updated=now,
        history=(
            HistoryEntry(
                Status.DRAFT,
                now,
                author,
                f"translation of {source.id}",
                clock=app.clock_mark(),
            ),
        ),
        body=f"{marker}\n\n{source.body}".rstrip("\n"),
    )
    entry = repository.create(draft)
    output.write_line(repository.display(entry.path))
    output.say(
        f"Created {entry.release.id}: a draft in {target} of {source.id} (title and text still in "
        f"{source.language}, marked TODO)",
        "green",
    )
    if edit:
        from prcli.cli.edit_cmd import edit as edit_command

        ctx.invoke(edit_command, ctx, reference=str(entry.path))


def _translation_id(source_id: str, language: str) -> str:
    """'2026-11-26-new-warning' -> '2026-11-26-ru-new-warning': the source's own prefixes stay
    unique (a suffix would make every prefix of the source match its translations too)."""
    tag = language.lower().replace("_", "-")
    if ID_PATTERN.fullmatch(source_id):
        return f"{source_id[:10]}-{tag}-{source_id[11:]}"
    return f"{source_id}-{tag}"
