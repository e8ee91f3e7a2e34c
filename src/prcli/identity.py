"""Who is acting: git's user.name in the repository, else the login name."""

from __future__ import annotations

import getpass
import subprocess
from pathlib import Path


def current_user(repository_root: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "config", "user.name"],
            cwd=repository_root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        name = result.stdout.strip()
        if result.returncode == 0 and name:
            return name
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
