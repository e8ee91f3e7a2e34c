"""prcli rename: give a release a new id (file name and id field), keeping references intact."""

from __future__ import annotations

from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext

EPILOG = """Examples:

  prcli rename 2026-11-27-interview-with-the-head-of-the-mountain-rescue-unit 2026-11-27-mountain-rescue-interview

  prcli rename releases/2026/2026-11-27-interview-with-the-head-of-the-mountain-rescue-unit.md      (a short random suffix: after a duplicate id)
"""


def rename(
    ctx: typer.Context,
    reference: Annotated[
        str, typer.Argument(metavar="ID", help="The release: an id, a unique prefix or its path.")
    ],
    new_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[NEW-ID]",
            help="The new id (starting with the release's date). Default: the id plus a short "
            "random suffix.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rename a published release too (its address changes).")
    ] = False,
) -> None:
    """Give a release a new id: its file, its `id`, and the references to it.

    Renames the file, sets `id`, and updates `related` and `translation_of` in the releases that
    point at it. Prints the new path. Published releases keep their id unless --force."""
    from prcli.renaming import rename as do_rename

    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    done = do_rename(repository, path, new_id, force=force)
    output.write_line(repository.display(done.new_path))
    output.say(f"Renamed {done.old_id} to {done.new_id}", "green")
    for other in done.references:
        output.say(f"  updated the reference in {repository.display(other)}")
