"""prcli edit: change a release in $VISUAL/$EDITOR; a text that does not read is never saved."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli import output, terminal
from prcli.cli.context import AppContext
from prcli.cli.editing import edit_until_valid, save_recovery
from prcli.errors import InvalidRelease, PrcliError
from prcli.model import Release
from prcli.releasefile import Entry

EPILOG = """Examples:

  prcli edit 2021-10-15-cis

  EDITOR="code --wait" prcli edit releases/2021/2021-10-15-cis-security-chiefs-meet-in-moscow.md
"""


def edit(
    ctx: typer.Context,
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A release id, a unique prefix of one, or its file path."
        ),
    ],
) -> None:
    """Open a release in your editor, check it, and save it with `updated` set to now.

    A release that no longer reads is not saved: the original stays untouched and your text is kept
    in a recovery file; on a terminal you are offered to edit again.
    """
    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    original = path.read_bytes()
    try:
        before: Entry | None = repository.read(path)
    except InvalidRelease:
        before = None  # editing is how a broken file gets fixed

    def same_id(edited: Release) -> None:
        if edited.id != path.stem:
            raise InvalidRelease(
                path,
                f"the id must stay '{path.stem}' (the file name), not '{edited.id}'",
                line=2,
                hint="ids are permanent so links keep working; change the title instead",
            )

    result = edit_until_valid(
        repository,
        original,
        path=path,
        interactive=terminal.stdin_is_interactive(),
        check=same_id,
    )
    if result is None:
        output.say("No changes; nothing saved.")
        return
    edited_entry, edited = result
    release = edited_entry.release
    if path.read_bytes() != original:
        recovery = save_recovery(repository, path.stem, edited)
        raise PrcliError(
            f"{repository.display(path)} changed on disk while you were editing; your text is kept "
            f"in {repository.display(recovery)}",
            hint="compare the two and edit again",
        )
    now = app.now()
    if before is None or release != before.release:
        release = release.replace(updated=now)
    if repository.save(Entry(path, release, edited_entry.format)):
        output.say(f"Saved {release.id}", "green")
        output.report_findings(repository, path, now)
    else:
        output.say("No changes; nothing saved.")
