"""prcli translate: start a language version of a release, linked by its translation_key."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.options import checked_language
from prcli.drafts import Author, translation_draft, translation_key
from prcli.errors import InvalidValue
from prcli.identity import current_user
from prcli.query import translations

EPILOG = """Examples:

  prcli translate 2026-11-20-winter --language az

  prcli translate 2026-11-26-new-public-warning -l ru --edit
"""


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
    author = Author(current_user(repository.root), app.now(), app.clock_mark())
    from prcli.l10n import localiser

    # The issuer in the new language ([l10n.<lang>] issuer), not the source's: a Russian page
    # showed the English department's name above its Russian title.
    issuer = localiser(repository.config, target).issuer
    draft = translation_draft(source, language=target, issuer=issuer, author=author)
    if not source.translation_key:
        # The source joins the group too: one key links every language version.
        key = translation_key(source)
        repository.update(path, lambda entry: entry.release.replace(translation_key=key))
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
