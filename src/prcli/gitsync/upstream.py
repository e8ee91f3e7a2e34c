"""Ids already taken on the team's remotes: a new release's id is checked against every
remote-tracking branch (as of the last fetch), so two clones rarely pick the same one; `prcli sync`
renames the rare collision that still happens between two fetches."""

from __future__ import annotations

import subprocess
from pathlib import Path


def in_git(folder: Path) -> bool:
    """Whether `folder` is inside a git work tree (checked without running git)."""
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


def taken_upstream(root: Path, path: Path) -> bool:
    """Whether a remote-tracking branch has a file at `path` (a path inside `root`). False when
    git or the remotes cannot tell: this check only lowers the chance of a collision."""
    if not in_git(root):
        return False
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        refs = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname)", "refs/remotes"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.split()
        refs = [ref for ref in refs if not ref.endswith("/HEAD")]
        if not refs:
            return False
        found = subprocess.run(
            ["git", "cat-file", "--batch-check"],
            cwd=root,
            input="".join(f"{ref}:./{relative}\n" for ref in refs),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    return any(line and not line.endswith("missing") for line in found.splitlines())
