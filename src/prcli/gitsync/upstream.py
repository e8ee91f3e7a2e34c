"""Ids already taken on the team's remotes: a new release's id is checked against every
remote-tracking branch (as of the last fetch), so two clones rarely pick the same one; `prcli sync`
renames the rare collision that still happens between two fetches."""

from __future__ import annotations

import subprocess
from functools import lru_cache
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
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return relative.as_posix() in _remote_files(str(root.resolve()), relative.parts[0])


@lru_cache(maxsize=4)
def _remote_files(root: str, folder: str) -> frozenset[str]:
    """Every file under `folder` (relative to `root`) on any remote-tracking branch, read once per
    process: an import of thousands of releases asks git twice, not thousands of times."""
    try:
        refs = _git(root, "for-each-ref", "--format=%(refname)", "refs/remotes").split()
        files: set[str] = set()
        for ref in refs:
            if not ref.endswith("/HEAD"):
                listing = _git(root, "ls-tree", "-r", "--name-only", "-z", ref, "--", folder)
                files.update(name for name in listing.split("\0") if name)
        return frozenset(files)
    except (OSError, subprocess.SubprocessError):
        return frozenset()


def _git(root: str, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
    ).stdout
