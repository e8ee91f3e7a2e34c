"""Keep exports out of the repository's own folders.

An export written among the releases (or into media/, .prcli/, the private folder) would be read
back as repository content: duplicate ids, validation errors, personal data in git. Every export
path goes through `refuse_repository_folders` before anything is written; --force does not lift it.
"""

from __future__ import annotations

from pathlib import Path

from prcli.errors import UsageError
from prcli.media.files import MEDIA_FOLDER
from prcli.repository import WORK_FOLDER, Repository


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
