"""Install the release merge driver: a line in .gitattributes (shared through the repository) and
the driver's command in the clone's own git config (git never shares config, so each clone, and
each CI runner, installs it: `prcli setup git`; `prcli sync` does it when it is missing)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from prcli.atomicfile import write_atomic
from prcli.gitsync import git

DRIVER = "prcli"
DRIVER_NAME = "prcli: release files merged field by field, history kept whole"


def attribute_line(releases_folder: str) -> str:
    return f"{releases_folder.strip('/')}/**/*.md merge={DRIVER}"


def driver_command() -> str:
    """This very prcli, by its interpreter's absolute path: git may run with a PATH (IDEs, GUIs)
    where `prcli` is not found."""
    return f"{shlex.quote(sys.executable)} -m prcli.gitsync.driver %O %A %B %P"


def ensure_attributes(root: Path, releases_folder: str) -> bool:
    """Add the driver's line to .gitattributes, keeping what it says. True when it changed."""
    path = root / ".gitattributes"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    line = attribute_line(releases_folder)
    if line in existing.splitlines():
        return False
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    write_atomic(path, (existing + prefix + line + "\n").encode("utf-8"))
    return True


def configured(root: Path) -> bool:
    """Whether this clone's git config runs this prcli as the release merge driver."""
    return git.config_get(root, f"merge.{DRIVER}.driver") == driver_command()


def ensure_config(root: Path) -> bool:
    """Set the driver in the clone's git config (.git/config). True when it changed."""
    if configured(root):
        return False
    git.run(root, "config", "--local", f"merge.{DRIVER}.name", DRIVER_NAME)
    git.run(root, "config", "--local", f"merge.{DRIVER}.driver", driver_command())
    return True


def install(root: Path, releases_folder: str) -> list[str]:
    """Both parts; returns what was done, for the user."""
    done = []
    if ensure_attributes(root, releases_folder):
        done.append(f"added '{attribute_line(releases_folder)}' to .gitattributes")
    if git.is_work_tree(root) and ensure_config(root):
        done.append(f"set merge.{DRIVER}.driver in .git/config")
    return done
