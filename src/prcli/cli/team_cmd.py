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


SYNC_EPILOG = """Examples:

  prcli sync                       (commit, take in the team's work, validate, push)

  prcli sync --dry-run             (what would be committed, attached files too; changes nothing)

Configure in the git table of prcli.toml:  pull = "rebase" or "merge",  remote = "origin",  autocommit = true
"""


def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what would be committed (release files, then their attached files); "
            "change nothing. Refuses as sync would (no remote, detached HEAD, ...).",
        ),
    ] = False,
) -> None:
    """Share your work with the team: commit, take in theirs, validate, push.

    Commits each changed release on its own, with the files it attaches (media/...), with a
    message naming the action and the id; fetches, renames a release whose id someone else also
    created, rebases (or merges, as configured) with
    the merge driver for release files, validates, and pushes; a rejected push is retried up to
    three times. Refuses, naming the git command to run, on a detached HEAD, during a rebase or
    merge, or without a remote. Exit 1 when a merge left a conflict to settle (nothing is pushed
    then) or when the push kept being rejected (your commits stay here)."""
    from prcli.gitsync import sync as syncing

    app = AppContext.of(ctx)
    repository = app.repository()
    if dry_run:
        _dry_run(repository)
        return
    try:
        report = syncing.sync(repository, now=app.now(), say=lambda text: output.say(text))
    finally:
        repository.written.clear()  # sync committed what it wrote itself
    if report.held:
        output.say(
            f"not pushed: {len(report.held)} problem(s) from the merge need a decision first",
            "red",
        )
        for finding in report.held:
            where = repository.display(finding.path) + (f":{finding.line}" if finding.line else "")
            output.say(f"  {where}: {finding.message} [{finding.code}]")
            if finding.hint:
                output.say(f"    hint: {finding.hint}")
        output.say("Settle them, then run prcli sync again (your commits are kept here).")
        raise typer.Exit(1)


def _dry_run(repository: object) -> None:
    from prcli.gitsync import commits, git
    from prcli.gitsync import sync as syncing
    from prcli.gitsync.settings import git_settings
    from prcli.repository import Repository

    assert isinstance(repository, Repository)
    # The same refusals as the real run (no remote, detached HEAD, a rebase in progress, ...).
    syncing.check_ready(repository.root, git_settings(repository.config))
    top = git.toplevel(repository.root)
    folder = repository.config.releases_folder
    paths = commits.pending_release_paths(top, repository.root, folder)
    attached = commits.pending_attached_files(top, repository.root, folder, paths)
    if not paths and not attached:
        output.say("Nothing to commit.")
    for path in [*paths, *attached]:
        output.write_line(path)
    output.say(
        f"{len(paths)} release file(s) and {len(attached)} attached file(s) would be committed; "
        "nothing was changed."
    )


SETUP_CI_EPILOG = """Examples:

  prcli setup ci github                          (.github/workflows/prcli-publish.yml, every 10 minutes)

  prcli setup ci gitlab --every 5                (.gitlab/prcli-publish.yml, included from .gitlab-ci.yml)

  prcli setup ci github --install 'python -m pip install "prcli @ git+https://example.org/prcli.git"'
"""


@setup_app.command("ci", epilog=SETUP_CI_EPILOG)
def setup_ci(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(metavar="HOST", help="github or gitlab.")],
    every: Annotated[
        int,
        typer.Option(
            "--every", metavar="MINUTES", help="How often to publish what is due (5 to 60)."
        ),
    ] = 10,
    install: Annotated[
        str,
        typer.Option(
            "--install",
            metavar="COMMAND",
            help="The shell command that installs prcli on the runner, e.g. a pip install from "
            "a git URL or a path. prcli is not on the package index: without this option the "
            "workflow's install step fails until you set it (a warning says so).",
            show_default=False,
        ),
    ] = "",
    force: Annotated[
        bool, typer.Option("--force", help="Replace a workflow file that differs.")
    ] = False,
) -> None:
    """Write a CI workflow for scheduled publishing (GitHub Actions or GitLab CI).

    The workflow runs `prcli publish --due` on a schedule, commits and pushes with `prcli sync`
    (retried when rejected), exports the site and feeds to public/, and never runs twice at once
    (a concurrency group / resource group). Hosts start schedules late under load; a late run
    catches up and never publishes early. Prints the path written."""
    from prcli.gitsync import ci, git

    app = AppContext.of(ctx)
    repository = app.repository()
    top = git.toplevel(repository.root)
    written = ci.write_ci(
        host.lower(), top, repository.root, every=every, install=install, force=force
    )
    output.write_line(repository.display(written.path))
    output.say(f"Wrote {repository.display(written.path)}", "green")
    for warning in written.warnings:
        output.warn(warning)
    for note in written.notes:
        output.say(f"Next: {note}")
