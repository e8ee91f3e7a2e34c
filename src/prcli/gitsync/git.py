"""A small typed runner for the git command line, and the repository states sync must refuse."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from prcli.errors import PrcliError

TIMEOUT = 120  # seconds; a push over a slow link is the longest step


class GitError(PrcliError):
    """git is missing, the folder is not a git work tree, or a git step failed."""


def run(
    root: Path, *args: str, check: bool = True, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `git ARGS` in `root`; with `check`, a failure raises GitError naming the command."""
    environment = dict(os.environ)
    environment.setdefault("GIT_TERMINAL_PROMPT", "0")  # never hang on a password prompt
    environment["LC_ALL"] = "C"  # messages we parse are the English ones
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            input=input_text,
            timeout=TIMEOUT,
            check=False,
            env=environment,
        )
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git and run again") from None
    except subprocess.TimeoutExpired:
        raise GitError(
            f"`git {' '.join(args)}` did not finish in {TIMEOUT} s",
            hint="check the network and the remote, then run again",
        ) from None
    if check and result.returncode != 0:
        raise GitError(
            f"`git {' '.join(args)}` failed: {last_line(result.stderr or result.stdout)}",
            hint="run the git command yourself to see the whole message",
        )
    return result


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def output(root: Path, *args: str) -> str:
    return run(root, *args).stdout.strip()


def toplevel(folder: Path) -> Path:
    result = run(folder, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise GitError(
            f"{folder} is not inside a git repository",
            hint="run `git init` (or clone the team's repository) first",
        )
    return Path(result.stdout.strip())


def git_dir(root: Path) -> Path:
    return Path(output(root, "rev-parse", "--absolute-git-dir"))


def is_work_tree(folder: Path) -> bool:
    try:
        return run(folder, "rev-parse", "--is-inside-work-tree", check=False).stdout.strip() == (
            "true"
        )
    except GitError:
        return False


def config_get(root: Path, key: str) -> str:
    result = run(root, "config", "--get", key, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def unfinished_operation(root: Path) -> tuple[str, str] | None:
    """(what, the git command that ends it) when a rebase, merge, cherry-pick or revert is
    in progress; None otherwise."""
    folder = git_dir(root)
    if (folder / "rebase-merge").exists() or (folder / "rebase-apply").exists():
        return "a rebase", "git rebase --continue (after fixing the files) or git rebase --abort"
    if (folder / "MERGE_HEAD").exists():
        return "a merge", "git commit (after fixing the files) or git merge --abort"
    if (folder / "CHERRY_PICK_HEAD").exists():
        return "a cherry-pick", "git cherry-pick --continue or git cherry-pick --abort"
    if (folder / "REVERT_HEAD").exists():
        return "a revert", "git revert --continue or git revert --abort"
    return None


def current_branch(root: Path) -> str | None:
    """The checked-out branch; None on a detached HEAD."""
    result = run(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def remotes(root: Path) -> list[str]:
    return [line for line in output(root, "remote").splitlines() if line]


def has_commits(root: Path) -> bool:
    return run(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def unmerged_paths(root: Path) -> list[str]:
    text = output(root, "diff", "--name-only", "--diff-filter=U")
    return [line for line in text.splitlines() if line]


def changed_paths(root: Path, pathspecs: Sequence[str]) -> list[str]:
    """Paths under `pathspecs` that differ from HEAD or are untracked (porcelain, NUL-separated)."""
    text = run(
        root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *pathspecs
    ).stdout
    paths: list[str] = []
    records = text.split("\0")
    index = 0
    while index < len(records):
        record = records[index]
        index += 1
        if len(record) < 4:
            continue
        code, path = record[:2], record[3:]
        paths.append(path)
        if "R" in code or "C" in code:
            index += 1  # the source of a rename follows
    return paths
