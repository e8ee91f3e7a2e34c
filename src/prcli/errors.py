"""Typed domain errors. The core raises them; `prcli.cli.errors` turns each into one line and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report after Ctrl-C


class PrcliError(Exception):
    """Base of every error a user can cause. `hint` says what to do next."""

    exit_code = EXIT_FAILURE
    code = "PR000"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(PrcliError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = EXIT_USAGE


class RepositoryNotFound(PrcliError):
    pass


class RepositoryExists(PrcliError):
    pass


class WorkingFolderGone(PrcliError):
    """The folder prcli was started in was deleted (or moved) while a shell stood in it."""


class ConfigError(PrcliError):
    """prcli.toml is missing a value, has the wrong type or cannot be parsed."""

    def __init__(
        self, path: Path, message: str, *, line: int | None = None, hint: str = ""
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class ReleaseNotFound(PrcliError):
    pass


class AmbiguousReference(PrcliError):
    def __init__(self, reference: str, candidates: Sequence[str]) -> None:
        shown = ", ".join(candidates[:10]) + (" ..." if len(candidates) > 10 else "")
        super().__init__(
            f"'{reference}' matches {len(candidates)} releases: {shown}",
            hint="give more of the id",
        )
        self.candidates = list(candidates)


class OutsideRepository(PrcliError):
    """A path or id that would read or write outside the repository's releases folder."""


class InvalidRelease(PrcliError):
    """A release file that cannot be read as a release. Carries the file and, where known, the line.

    `code` is the validation rule the problem belongs to, so `prcli validate` reports load failures as
    findings with the same codes as its own checks.
    """

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        hint: str = "",
        code: str = "PR001",
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = Path(path)
        self.line = line
        self.code = code

    def located(self, display_path: str) -> str:
        where = f"{display_path}:{self.line}" if self.line else display_path
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.located(str(self.path))


class InvalidValue(PrcliError):
    """A value given on the command line (or typed at a prompt) that prcli cannot accept."""

    exit_code = EXIT_USAGE


class EditorError(PrcliError):
    pass


class Cancelled(PrcliError):
    """The user backed out (closed the editor without changes, answered no)."""


class Interrupted(Cancelled):
    """The user pressed Ctrl-C (exit 130, as a shell reports an interrupt), or SIGTERM or SIGHUP
    came (prcli.interrupts: 143, 129). Raised while the KeyboardInterrupt is handled, it takes
    that signal's status; `status` gives another."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, message: str, *, hint: str = "", status: int | None = None) -> None:
        super().__init__(message, hint=hint)
        if status is None:
            import sys

            # the signal being handled (prcli.interrupts.Stopped, Held), or this error again
            status = getattr(sys.exc_info()[1], "exit_code", None)
        if isinstance(status, int):
            self.exit_code = status


class MediaError(PrcliError):
    """An attachment that cannot be taken in or used: not the image it claims to be, damaged, too
    large, a link, a duplicate."""


class StorageError(PrcliError):
    """A file or folder prcli needs could not be written, created or locked (disk full, permissions,
    a file where a folder should be). `path` is what could not be written."""

    def __init__(self, path: Path | str, message: str, *, hint: str = "", errno: int | None = None):
        super().__init__(message, hint=hint)
        self.path = Path(path)
        self.errno = errno


def storage_error(path: Path | str, error: OSError, doing: str = "write") -> StorageError:
    """One clear StorageError for an OSError met while doing something to `path`."""
    import errno as codes

    reason = error.strerror or str(error)
    number = error.errno
    if number == codes.ENOSPC or number == codes.EDQUOT:
        hint = "free some disk space (or raise the quota) and run the command again"
    elif number in (codes.EACCES, codes.EPERM):
        hint = f"make {path} (or its folder) writable for you, e.g. chmod u+w"
    elif number == codes.EROFS:
        hint = "the file system is read-only; work in a writable copy of the repository"
    elif number in (codes.ENOTDIR, codes.EEXIST):
        hint = "a file stands where a folder should be; move that file away"
    else:
        hint = "check the disk and the folder, then run the command again"
    return StorageError(path, f"cannot {doing} {path}: {reason}", hint=hint, errno=number)


class TemplateError(ConfigError):
    """A site template that cannot be used: missing folder, syntax error (file and line named)."""
