"""The editor round trip shared by `new` and `edit`: edit, re-read, and never lose the user's text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prcli.cli import output, prompts
from prcli.editor import EditSession
from prcli.errors import Cancelled, Interrupted, InvalidRelease, PrcliError, StorageError
from prcli.model import Release
from prcli.releasefile import Entry, parse_release
from prcli.repository import Repository

Check = Callable[[Release], None]


def open_session(repository: Repository, path: Path) -> EditSession:
    """The temp file the editor works on; a killed session's text is rescued to .prcli/recovery."""
    return EditSession(path.name, repository.work_dir / "recovery")


def save_recovery(
    repository: Repository, path: Path, data: bytes, session: EditSession | None = None
) -> Path:
    """Keep text that could not be saved: .prcli/recovery/ (git-ignored), else beside the release,
    else the system temp folder, else the editor's own temp file. Returns where it is."""
    from prcli.recovery import keep_text

    try:
        return keep_text(repository.work_dir, path.stem, data, beside=path.parent)
    except StorageError:
        if session is None:
            raise
        return session.keep()


def not_saved(
    repository: Repository,
    error: PrcliError,
    path: Path,
    data: bytes,
    session: EditSession | None,
    hint: str = "",
) -> PrcliError:
    """The error to raise when the user's text could not be saved: it names where the text is."""
    recovery = save_recovery(repository, path, data, session)
    message = (
        f"{error.message}; your text was NOT saved and is kept in {repository.display(recovery)}"
    )
    if isinstance(error, InvalidRelease):
        return InvalidRelease(
            error.path, message, line=error.line, hint=hint or error.hint, code=error.code
        )
    return PrcliError(message, hint=hint or error.hint or "fix the cause and run the command again")


def edit_until_valid(
    repository: Repository,
    data: bytes,
    *,
    path: Path,
    interactive: bool,
    session: EditSession,
    check: Check | None = None,
) -> tuple[Entry, bytes] | None:
    """Open `data` in the editor until it reads as a release. None when saved without changes.

    Text that does not read is kept in a recovery file; on a terminal the user may edit again.
    """
    current = data
    while True:
        edited = session.edit(current)
        if edited == data:
            return None
        try:
            entry = parse_release(path, edited)
            if check is not None:
                check(entry.release)
            return entry, edited
        except InvalidRelease as error:
            recovery = save_recovery(repository, path, edited, session)
            shown = repository.display(recovery)
            if interactive:
                output.report_error(error, repository)
                if _edit_again(shown):
                    current = edited
                    continue
            raise InvalidRelease(
                error.path,
                f"{error.message}; your text is kept in {shown}",
                line=error.line,
                hint=error.hint or "fix the text and run the command again",
                code=error.code,
            ) from None


def _edit_again(shown: str) -> bool:
    """Ask whether to edit the text kept in `shown` again. No answer (end of input) is a no; Ctrl-C
    stops the command (exit 130) and names the file that keeps the text."""
    try:
        return prompts.confirm("Edit again?")
    except (Interrupted, KeyboardInterrupt):
        raise Interrupted(
            f"interrupted; your text was NOT saved and is kept in {shown}",
            hint="fix the text and run the command again",
        ) from None
    except Cancelled:
        return False
