"""Keep a user's text that could not be saved: in .prcli/recovery/, else beside the release, else in
the system temp folder. Whichever place takes it is named to the user; nothing is lost silently."""

from __future__ import annotations

import time
from pathlib import Path

from prcli.atomicfile import write_atomic
from prcli.errors import StorageError, storage_error

RECOVERY_FOLDER = "recovery"
TEMP_PREFIX = "prcli-recovery-"


def keep_text(work_dir: Path, stem: str, data: bytes, *, beside: Path | None = None) -> Path:
    """Write `data` to the first place that takes it and return that file. Raises StorageError
    (naming every place tried) when none does."""
    import secrets
    import tempfile

    stamp = time.strftime("%Y%m%dT%H%M%S")
    token = secrets.token_hex(2)
    places: list[tuple[Path, str]] = [(work_dir / RECOVERY_FOLDER, f"{stem}-{stamp}-{token}.md")]
    if beside is not None:
        # Not ending in .md, so it is never read as a release; not hidden, so `git status` shows it.
        places.append((beside, f"{stem}.recovered-{stamp}-{token}.txt"))
    places.append((Path(tempfile.gettempdir()), f"{TEMP_PREFIX}{stem}-{stamp}-{token}.md"))
    failures: list[str] = []
    for folder, name in places:
        try:
            if folder.name == RECOVERY_FOLDER:
                folder.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / name, data, exclusive=True)
        except StorageError as error:
            failures.append(error.message)
            continue
        except OSError as error:
            failures.append(storage_error(folder, error, "create").message)
            continue
        return folder / name
    raise StorageError(
        places[0][0],
        "could not keep your text anywhere (" + "; ".join(failures) + ")",
        hint="free some disk space or make .prcli/ writable",
    )
