"""Keep exports out of the repository's own folders and files.

An export written among the releases (or into media/, .prcli/, the private folder) would be read
back as repository content: duplicate ids, validation errors, personal data in git. One written over
prcli.toml, .gitattributes, .gitignore or any other file git keeps for the repository breaks every
later command or the team's merges. Every export path goes through `refuse_repository_folders`
before anything is written; --force does not lift it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from prcli.errors import UsageError
from prcli.media.files import MEDIA_FOLDER
from prcli.paths import CONFIG_NAME
from prcli.repository import WORK_FOLDER, Repository

# The repository's own files at its top, whether or not git tracks them yet.
OWN_FILES = {
    CONFIG_NAME: "the repository's settings file",
    ".gitattributes": "git's attributes file (the merge driver of releases)",
    ".gitignore": "git's ignore file",
    ".gitmodules": "git's submodule file",
    ".mailmap": "git's author map",
}


def _protected(repository: Repository) -> list[tuple[Path, str]]:
    from prcli.contacts.store import private_folder

    root = repository.root.resolve()
    return [
        (repository.releases_dir.resolve(), "the releases folder"),
        ((root / MEDIA_FOLDER).resolve(), "the media folder"),
        ((root / WORK_FOLDER).resolve(), "prcli's work folder"),
        ((root / ".git").resolve(), "git's folder"),
        (private_folder(repository), "the private folder (personal data)"),
    ]


def refuse_repository_folders(repository: Repository, path: Path, shown: str) -> None:
    """Raise UsageError when `path` (file or folder, existing or not) lies inside one of the
    repository's own folders, or is the repository root or a folder holding it."""
    target = path.expanduser().resolve()
    root = repository.root.resolve()
    hint = "export beside them instead, e.g. -o site/ (a folder) or -o out.json (a file)"
    if root.is_relative_to(target):
        raise UsageError(
            f"{shown} is the repository itself (or holds it): the export would mix with the "
            "releases, even with --force",
            hint=hint,
        )
    for folder, what in _protected(repository):
        if target.is_relative_to(folder):
            raise UsageError(
                f"{shown} is inside {what} ({repository.display(folder)}/), where an export would "
                "corrupt the repository: refused even with --force",
                hint=hint,
            )
    own = _own_file(root, target)
    if own:
        raise UsageError(
            f"{shown} is {own}: an export never replaces a file of the repository itself, "
            "even with --force",
            hint=hint,
        )


def _own_file(root: Path, target: Path) -> str:
    """What the file `target` is to the repository at `root` ('' when it is none of its files):
    one of OWN_FILES at the top, or a file git tracks in the work tree holding the repository."""
    if target.parent == root and target.name in OWN_FILES:
        return OWN_FILES[target.name]
    if not target.is_file() or not target.is_relative_to(root):
        return ""
    try:  # only an existing file inside the repository asks git, once
        tracked = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", str(target)],
            cwd=root,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return "a file git tracks in the repository" if tracked.returncode == 0 else ""
