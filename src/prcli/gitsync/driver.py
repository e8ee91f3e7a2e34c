"""The merge driver git runs (`python -m prcli.gitsync.driver %O %A %B %P`, also reachable as
`prcli merge-driver`): what git runs for a release file both sides changed.

The merged text is written over %A (git's contract). Exit 0 when the result is a readable release
(conflicting fields recorded inside it for `prcli validate` and `prcli edit`); a file that does not
read as a release is merged as plain text with conflict markers and exit 1, as git itself would.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from prcli.gitsync.merge import Unreadable, merge_file, merge_texts


@dataclass
class DriverResult:
    exit_code: int
    messages: list[str] = field(default_factory=list)


def run_driver(base: Path, ours: Path, theirs: Path, shown: str) -> DriverResult:
    base_data = base.read_bytes() if base.exists() else b""
    ours_data, theirs_data = ours.read_bytes(), theirs.read_bytes()
    stem = Path(shown).stem
    try:
        outcome = merge_texts(base_data, ours_data, theirs_data, shown)
    except (Unreadable, OSError, ValueError, TypeError) as error:
        # Not a release we can read (or something we did not foresee): git's own text merge.
        merged, conflicts = merge_file(
            ours_data, base_data, theirs_data, (f"ours:{shown}", "base", f"theirs:{shown}")
        )
        ours.write_bytes(merged)
        reason = error if isinstance(error, Unreadable) else f"{type(error).__name__}: {error}"
        result = DriverResult(1 if conflicts else 0)
        result.messages.append(f"prcli: {shown} merged as plain text ({reason})")
        if conflicts:
            result.messages.append(
                f"prcli: {shown}: {conflicts} conflict(s) marked with <<<<<<< and >>>>>>>; "
                f"fix the file, then `prcli validate {stem}` and `git add {shown}`"
            )
        return result
    ours.write_text(outcome.text, encoding="utf-8", newline="\n")
    result = DriverResult(0)
    for conflict in outcome.conflicts:
        result.messages.append(
            f"prcli: {shown}: conflict in '{conflict['field']}' kept under merge_conflicts; "
            f"settle it with `prcli edit {stem}`"
        )
    if outcome.status_note:
        result.messages.append(f"prcli: {shown}: {outcome.status_note}")
    return result


def main(arguments: list[str]) -> int:
    """`python -m prcli.gitsync.driver BASE OURS THEIRS [PATH]`: the command git runs. No Typer
    here, so each merged file costs only the interpreter and the release reader."""
    if len(arguments) not in (3, 4):
        sys.stderr.write("usage: python -m prcli.gitsync.driver BASE OURS THEIRS [PATH]\n")
        return 2
    base, ours, theirs = (Path(argument) for argument in arguments[:3])
    shown = arguments[3] if len(arguments) == 4 else ours.name
    result = run_driver(base, ours, theirs, shown)
    for message in result.messages:
        sys.stderr.write(message + "\n")
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
