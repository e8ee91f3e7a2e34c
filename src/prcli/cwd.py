"""The folder prcli was started in, or a clear error when it no longer exists."""

from __future__ import annotations

from pathlib import Path

from prcli.errors import WorkingFolderGone


def current_folder() -> Path:
    """The current working folder; WorkingFolderGone when it was deleted (or moved) while a
    shell stood in it, where Path.cwd() raises a FileNotFoundError naming no file."""
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise WorkingFolderGone(
            "the current folder no longer exists (it was deleted or moved away)",
            hint="cd to an existing folder (e.g. into the repository again) and run the command "
            "again",
        ) from None
