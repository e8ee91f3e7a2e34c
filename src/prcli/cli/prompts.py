"""Questions for the person at the terminal, asked on stderr so stdout carries only data.

Click's prompt writes the last character of the prompt to stdout (a readline work-around), which
would put a stray space in front of `path=$(prcli new)`; these helpers never touch stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from prcli.errors import Cancelled, Interrupted, PrcliError

T = TypeVar("T")


def _read(label: str) -> str:
    sys.stderr.write(label)
    sys.stderr.flush()
    try:
        return input()
    except EOFError:
        sys.stderr.write("\n")
        raise Cancelled("no answer given; nothing was changed") from None
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise Interrupted("interrupted; nothing was changed") from None


def ask(label: str, convert: Callable[[str], T], default: str | None = None) -> T:
    """Ask until `convert` accepts the answer; an empty answer takes `default` when there is one."""
    shown = f"{label} [{default}]: " if default else f"{label}: "
    while True:
        answer = _read(shown).strip()
        if not answer:
            if default is None:
                continue
            answer = default
        try:
            return convert(answer)
        except PrcliError as error:
            sys.stderr.write(f"  {error}{f' ({error.hint})' if error.hint else ''}\n")


def ask_text(label: str, default: str | None = None) -> str:
    return ask(label, lambda answer: answer, default)


def confirm(label: str, default: bool = True) -> bool:
    choices = "Y/n" if default else "y/N"
    while True:
        answer = _read(f"{label} [{choices}]: ").strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
