"""Open text in the user's editor ($VISUAL, then $EDITOR, then vi) and read it back.

Typer 0.26+ no longer exports click.edit, so this is the small helper it used to be. The text lives
in a private folder `prcli-edit-*` of the system temp folder while the editor runs; the folder holds
a lock for as long as its prcli process lives, so folders left by a killed process can be told apart
and cleaned (`clean_stale_edit_folders`) without touching a live session.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from prcli.errors import EditorError, Interrupted, storage_error

FOLDER_PREFIX = "prcli-edit-"
LOCK_NAME = ".prcli-edit.lock"  # holds the lock and the sha256 of the text first written
STALE_AFTER = 60 * 60  # seconds; and only when no live process holds the folder's lock


def editor_command() -> list[str]:
    import shlex

    configured = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(configured)
    except ValueError as error:
        raise EditorError(
            f"cannot read the editor command {configured!r}: {error}",
            hint="set $EDITOR to a command such as 'nano' or 'code --wait'",
        ) from None
    if not command:
        raise EditorError(
            "the editor command is empty", hint="set $EDITOR, e.g. export EDITOR=nano"
        )
    return command


class EditSession:
    """One private temp folder for one command's editing; `close()` removes it unless kept."""

    def __init__(self, name: str = "release.md", recovery_dir: Path | None = None) -> None:
        import fcntl
        import tempfile

        self.command = editor_command()
        clean_stale_edit_folders()
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
            self._lock = os.open(self.folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as error:
            raise storage_error(
                tempfile.gettempdir(), error, "create the editor's file in"
            ) from None
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.path = self.folder / name
        self.recovery_dir = recovery_dir
        self.kept = False

    def edit(self, data: bytes) -> bytes:
        """Let the user edit `data`; returns the saved bytes."""
        import hashlib
        import subprocess

        try:
            self.path.write_bytes(data)
            os.ftruncate(self._lock, 0)
            note = f"{hashlib.sha256(data).hexdigest()}\n{self.recovery_dir or ''}\n"
            os.pwrite(self._lock, note.encode("utf-8", "surrogateescape"), 0)
        except OSError as error:
            raise storage_error(self.path, error) from None
        try:
            completed = subprocess.run([*self.command, str(self.path)], check=False)
        except KeyboardInterrupt:
            raise self._interrupted(data) from None
        except FileNotFoundError:
            raise EditorError(
                f"editor '{self.command[0]}' not found",
                hint="set $VISUAL or $EDITOR to an installed editor, e.g. export EDITOR=nano",
            ) from None
        if completed.returncode != 0:
            raise EditorError(
                f"editor '{self.command[0]}' exited with status {completed.returncode}; "
                "nothing was saved",
                hint="save and quit normally to keep your changes",
            )
        try:
            return self.path.read_bytes()
        except OSError as error:
            raise EditorError(
                f"cannot read back the edited file {self.path}: {error.strerror}",
                hint="save the file under its own name in the editor",
            ) from None

    def _interrupted(self, written: bytes) -> Interrupted:
        """Ctrl-C while the editor was open (an editor that waits, like `code --wait`, is stopped
        with prcli): what it saved so far is kept in the recovery folder and named."""
        try:
            text = self.path.read_bytes()
        except OSError:
            text = written
        if text == written:
            return Interrupted("interrupted; nothing was changed")
        kept: Path | None = None
        if self.recovery_dir is not None:
            from prcli.errors import StorageError
            from prcli.recovery import keep_text

            with contextlib.suppress(StorageError):
                kept = keep_text(self.recovery_dir.parent, Path(self.path.name).stem, text)
        if kept is None:
            kept = self.keep()
        return Interrupted(
            f"interrupted; your text was NOT saved and is kept in {kept}",
            hint="fix the text and run the command again",
        )

    def keep(self) -> Path:
        """Leave the edited file where it is (the last place to keep a text); returns its path."""
        self.kept = True
        return self.path

    def close(self) -> None:
        if not self.kept:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
        os.close(self._lock)

    def __enter__(self) -> EditSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def edit_bytes(data: bytes, *, name: str = "release.md") -> bytes:
    """Let the user edit `data` in a temp file named like `name`; returns the saved bytes."""
    with EditSession(name) as session:
        return session.edit(data)


def clean_stale_edit_folders(temp_dir: Path | None = None, *, now: float | None = None) -> int:
    """Remove `prcli-edit-*` folders left by killed prcli processes. Only folders of this user,
    older than STALE_AFTER, whose lock no live process holds. A text the user changed is theirs: it
    is first moved to its repository's recovery folder (kept in place when that fails). Returns
    how many folders were removed."""
    import fcntl
    import hashlib
    import shutil
    import tempfile

    folder = temp_dir or Path(tempfile.gettempdir())
    limit = (time.time() if now is None else now) - STALE_AFTER
    removed = 0
    try:
        candidates = [e for e in os.scandir(folder) if e.name.startswith(FOLDER_PREFIX)]
    except OSError:
        return 0
    for entry in candidates:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not entry.is_dir(follow_symlinks=False) or info.st_uid != os.getuid():
                continue
            if info.st_mtime >= limit:
                continue
            lock = Path(entry.path) / LOCK_NAME
            fd = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live session
                note = os.read(fd, 8192).decode("utf-8", "surrogateescape").split("\n")
                written, recovery = note[0], (note[1] if len(note) > 1 else "")
                texts = [
                    p for p in Path(entry.path).iterdir() if p.name != LOCK_NAME and p.is_file()
                ]
                changed = [
                    p for p in texts if hashlib.sha256(p.read_bytes()).hexdigest() != written
                ]
                if changed and not (recovery and _rescue(changed, Path(recovery), info.st_mtime)):
                    continue  # the user's changed text is never thrown away
                shutil.rmtree(entry.path)
                removed += 1
            finally:
                os.close(fd)
    return removed


def _rescue(texts: list[Path], recovery: Path, when: float) -> bool:
    """Copy texts of a killed edit into the repository's recovery folder; False when impossible."""
    from prcli.atomicfile import write_atomic
    from prcli.errors import StorageError

    if not recovery.parent.is_dir():
        return False
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(when))
    try:
        recovery.mkdir(exist_ok=True)
        for text in texts:
            target = recovery / f"{Path(text.name).stem}-{stamp}-interrupted-{os.getpid()}.md"
            with contextlib.suppress(FileExistsError):  # rescued by a cleaner running alongside
                write_atomic(target, text.read_bytes(), exclusive=True)
    except (OSError, StorageError):
        return False
    return True
