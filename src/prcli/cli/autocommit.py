"""`[git] autocommit = true`: after a command, commit each release file it wrote, one commit per
release with a message naming the action and the id. Never during a rebase or merge."""

from __future__ import annotations

from prcli.cli import output
from prcli.errors import PrcliError
from prcli.repository import Repository


def autocommit(repository: Repository) -> None:
    written, repository.written = list(repository.written), []
    try:
        from prcli.gitsync.settings import git_settings

        if not git_settings(repository.config).autocommit:
            return
        from prcli.gitsync import commits, git
        from prcli.gitsync.upstream import in_git

        if not in_git(repository.root):
            output.warn("autocommit is on but the repository is not in git; nothing committed")
            return
        ongoing = git.unfinished_operation(git.toplevel(repository.root))
        if ongoing is not None:
            output.warn(f"not committed: {ongoing[0]} is in progress ({ongoing[1]})")
            return
        for subject in commits.commit_written(repository.root, written):
            output.say(f"committed: {subject}")
    except PrcliError as error:
        output.warn(f"autocommit failed: {error}; the files are saved, commit them yourself")
