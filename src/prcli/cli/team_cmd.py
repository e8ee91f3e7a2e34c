"""Working as a team: `prcli setup git`, `prcli setup ci`, `prcli sync` and the merge driver git runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext

SETUP_EPILOG = """Examples:

  prcli setup git                 (once per clone: the merge driver for release files)

  prcli setup ci github           (scheduled publishing in GitHub Actions)

  prcli setup ci gitlab
"""
SETUP_GIT_EPILOG = """Examples:

  prcli setup git

  git clone git@example.org:press/releases.git && cd releases && prcli setup git
"""
MERGE_DRIVER_EPILOG = """Examples:

  git config merge.prcli.driver "python3 -m prcli merge-driver %O %A %B %P"   (prcli setup git does this)
"""

setup_app = typer.Typer(
    name="setup",
    help="Connect the repository to git and to a CI host (merge driver, scheduled publishing).",
    epilog=SETUP_EPILOG,
    no_args_is_help=True,
)


@setup_app.command("git", epilog=SETUP_GIT_EPILOG)
def setup_git(ctx: typer.Context) -> None:
    """Install the merge driver for release files in this clone (.gitattributes and .git/config).

    Git keeps config per clone, so run it once in every clone; `prcli sync` also installs it when
    it is missing. Commit the changed .gitattributes so the whole team uses the driver."""
    from prcli.gitsync import git, install

    app = AppContext.of(ctx)
    repository = app.repository()
    git.toplevel(repository.root)  # a clear error outside git
    done = install.install(repository.root, repository.config.releases_folder)
    for line in done:
        output.say(line, "green")
    if not done:
        output.say("The merge driver for release files is already installed.")


def merge_driver(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (%O).")],
    ours: Annotated[Path, typer.Argument(help="Our version; the result is written here (%A).")],
    theirs: Annotated[Path, typer.Argument(help="Their version (%B).")],
    name: Annotated[str, typer.Argument(help="The file's path in the repository (%P).")] = "",
) -> None:
    """Merge three versions of a release file (git runs this; see `prcli setup git`).

    Front matter field by field, history as a union in time order, the body with git merge-file,
    the status recomputed from the merged history. Exit 1 only when the file had to be merged as
    plain text and conflict markers remain."""
    from prcli.gitsync.driver import run_driver

    result = run_driver(base, ours, theirs, name or ours.name)
    for message in result.messages:
        sys.stderr.write(message + "\n")
    if result.exit_code:
        raise typer.Exit(result.exit_code)
