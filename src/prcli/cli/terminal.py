"""What the process is connected to. Tests replace these to act as a person at a terminal."""

from __future__ import annotations

import sys


def stdin_is_interactive() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
