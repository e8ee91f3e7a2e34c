"""The editor round trip shared by `new` and `edit`: edit, re-read, and never lose the user's text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prcli.atomicfile import write_atomic
from prcli.cli import output, prompts
from prcli.editor import edit_bytes
from prcli.errors import InvalidRelease
from prcli.model import Release
from prcli.releasefile import Entry, parse_release
from prcli.repository import Repository

Check = Callable[[Release], None]


def save_recovery(repository: Repository, stem: str, data: bytes) -> Path:
    """Keep text that could not be saved in .prcli/recovery/ (git-ignored) and return its path."""
    import secrets
    import time

    folder = repository.work_dir / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stem}-{stamp}-{secrets.token_hex(2)}.md"
    write_atomic(path, data, exclusive=True)
    return path


def edit_until_valid(
    repository: Repository,
    data: bytes,
    *,
    path: Path,
    interactive: bool,
    check: Check | None = None,
) -> tuple[Entry, bytes] | None:
    """Open `data` in the editor until it reads as a release. None when saved without changes.

    Text that does not read is kept in a recovery file; on a terminal the user may edit again.
    """
    current = data
    while True:
        edited = edit_bytes(current, name=path.name)
        if edited == data:
            return None
        try:
            entry = parse_release(path, edited)
            if check is not None:
                check(entry.release)
            return entry, edited
        except InvalidRelease as error:
            recovery = save_recovery(repository, path.stem, edited)
            shown = repository.display(recovery)
            if interactive:
                output.report_error(error, repository)
                if prompts.confirm("Edit again?"):
                    current = edited
                    continue
            raise InvalidRelease(
                error.path,
                f"{error.message}; your text is kept in {shown}",
                line=error.line,
                hint=error.hint or "fix the text and run the command again",
                code=error.code,
            ) from None
