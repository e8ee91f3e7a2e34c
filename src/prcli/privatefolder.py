"""The private place for personal data: media lists and the send log.

Default `private/` at the repository root ([distribution] private_folder in prcli.toml may point
elsewhere, also outside the repository). prcli creates it readable by its owner only (0700) with a
`.gitignore` of `*`, so nothing in it reaches git even when the repository's own .gitignore forgets
it; the files in it are 0600. It must never lie inside the releases folder.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prcli.errors import ConfigError, PrcliError

GITIGNORE = "# Personal data (media lists, send log): never committed.\n*\n"


def locate(root: Path, releases_dir: Path, folder: str, config_path: Path) -> Path:
    path = (root / Path(folder).expanduser()).resolve()
    releases = releases_dir.resolve()
    if path == releases or path.is_relative_to(releases) or releases.is_relative_to(path):
        raise ConfigError(
            config_path,
            f"distribution.private_folder '{folder}' overlaps the releases folder: personal data "
            "would end up in the release history",
            hint='use a folder of its own, e.g. private_folder = "private"',
        )
    return path


def ensure(path: Path) -> Path:
    """Create the folder (0700) and its .gitignore if missing."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        ignore = path / ".gitignore"
        if not ignore.exists():
            ignore.write_text(GITIGNORE, encoding="utf-8")
    except OSError as error:
        raise PrcliError(
            f"cannot create the private folder {path}: {error.strerror}",
            hint="check the permissions, or set [distribution] private_folder in prcli.toml",
        ) from None
    return path


def touch_private(path: Path) -> None:
    """Create `path` readable by its owner only, if it does not exist yet."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


@contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock file next to the data; refuse at once when another process holds it."""
    import fcntl

    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PrcliError(
                f"{what} is in use by another prcli process",
                hint="wait for it to finish and run the command again",
            ) from None
        yield
    finally:
        os.close(fd)
