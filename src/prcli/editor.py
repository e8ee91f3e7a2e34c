"""Open text in the user's editor ($VISUAL, then $EDITOR, then vi) and read it back.

Typer 0.26+ no longer exports click.edit, so this is the small helper it used to be.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from prcli.errors import EditorError


def editor_command() -> list[str]:
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


def edit_bytes(data: bytes, *, name: str = "release.md") -> bytes:
    """Let the user edit `data` in a temp file named like `name`; returns the saved bytes."""
    import tempfile

    command = editor_command()
    folder = tempfile.mkdtemp(prefix="prcli-edit-")
    path = Path(folder) / name
    try:
        path.write_bytes(data)
        try:
            completed = subprocess.run([*command, str(path)], check=False)
        except FileNotFoundError:
            raise EditorError(
                f"editor '{command[0]}' not found",
                hint="set $VISUAL or $EDITOR to an installed editor, e.g. export EDITOR=nano",
            ) from None
        if completed.returncode != 0:
            raise EditorError(
                f"editor '{command[0]}' exited with status {completed.returncode}; nothing was saved",
                hint="save and quit normally to keep your changes",
            )
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(folder)
