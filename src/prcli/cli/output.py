"""Where output goes: data to stdout, everything for people (messages, errors, prompts) to stderr.

Rich decides on colour per stream: none when the stream is not a terminal or NO_COLOR is set.
User text is always passed as `Text` (never markup) after `for_terminal()` strips escapes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prcli.errors import InvalidRelease, PrcliError
from prcli.text import for_terminal

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rich.console import Console

    from prcli.folderexport import FolderReport
    from prcli.repository import Repository


def stdout_console() -> Console:
    from rich.console import Console

    _replace_unencodable(sys.stdout)

    class DataConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1; the command line ends every closed pipe the same way (141).
            raise BrokenPipeError

    return DataConsole(highlight=False)


def _replace_unencodable(stream: object) -> None:
    """A stream whose encoding cannot hold every character (PYTHONIOENCODING=ascii, a Latin-1
    terminal) shows '?' for what it cannot encode instead of failing with a UnicodeEncodeError;
    Rich then draws the table's lines in ASCII (it does so for any encoding that is not UTF)."""
    import codecs

    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if not encoding or reconfigure is None or getattr(stream, "errors", "") != "strict":
        return
    try:
        if codecs.lookup(encoding).name.startswith("utf"):
            return
    except LookupError:
        return
    reconfigure(errors="replace")


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(message: str, style: str = "") -> None:
    """A message for the person at the terminal (stderr); `message` is plain text, not markup."""
    from rich.text import Text

    stderr_console().print(Text(for_terminal(message), style=style), soft_wrap=True)


def warn(message: str) -> None:
    say(f"warning: {message}", "yellow")


def report_error(error: PrcliError, repository: Repository | None = None) -> None:
    from rich.text import Text

    if isinstance(error, InvalidRelease) and repository is not None:
        text = error.located(repository.display(error.path))
    else:
        text = str(error)
    line = Text.assemble(("error: ", "bold red"), for_terminal(text))
    console = stderr_console()
    # soft_wrap: one logical line stays one line for grep, however narrow the terminal.
    console.print(line, soft_wrap=True)
    if error.hint:
        console.print(Text(f"  hint: {for_terminal(error.hint)}", style="dim"), soft_wrap=True)


def report_unreadable(errors: Iterable[InvalidRelease], repository: Repository) -> int:
    """One line per release file that could not be read; returns how many."""
    count = 0
    for error in errors:
        report_error(error, repository)
        count += 1
    return count


def report_findings(repository: Repository, path: Path, now: datetime) -> None:
    """After `new` and `edit`: what validation says about the release just written (stderr)."""
    from prcli.validation import validate

    report = validate(repository, now, only=[path])
    console = stderr_console()
    for finding in report.findings:
        from rich.text import Text

        where = f"line {finding.line}: " if finding.line else ""
        line = Text.assemble(
            (f"{finding.severity.label}: ", _FINDING_STYLES[finding.severity.label]),
            f"{where}{for_terminal(finding.message)} [{finding.code} {finding.rule}]",
        )
        console.print(line, soft_wrap=True)


_FINDING_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def write_bytes(data: bytes) -> None:
    """UTF-8 bytes to stdout, past the text layer when there is one underneath."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        binary.write(data)
        binary.flush()


def write_json(value: Any) -> None:
    """One JSON document (show, validate --list-rules): through the one sink of machine formats."""
    from prcli.cli.sink import Format, Sink

    Sink(Format.json).document(value)


def write_line(text: str) -> None:
    sys.stdout.write(text + "\n")


PROGRESS_THRESHOLD = 200


class Advance:
    def __init__(self, progress: object = None, task: object = None) -> None:
        self.progress = progress
        self.task = task

    def __call__(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)  # type: ignore[attr-defined]


class progress:
    """A Rich progress bar on stderr for large batches at a terminal; nothing otherwise."""

    def __init__(self, total: int, label: str = "Working") -> None:
        self.total = total
        self.label = label
        self.bar: object = None

    def __enter__(self) -> Advance:
        from prcli.cli import terminal

        if self.total < PROGRESS_THRESHOLD or not terminal.stderr_is_terminal():
            return Advance()
        from rich.progress import Progress

        bar = Progress(console=stderr_console(), transient=True)
        bar.start()
        self.bar = bar
        return Advance(bar, bar.add_task(self.label, total=self.total))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]


def _listed(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def report_folder(report: FolderReport, folder: Path, counted: str = "") -> None:
    """What a folder export did to the folder (see prcli.folderexport): on stderr. Files under
    the folder `counted` (e.g. "search/": Pagefind's hashed files) are in the totals but not
    named among the removed (the caller says how many)."""
    if report.manifest_rebuilt:
        warn(
            f"{report.manifest_rebuilt} in {folder}: nothing was removed; a new manifest lists "
            "the files written now"
        )
    say(
        f"{folder}/: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed (no longer current)"
    )
    removed = [name for name in report.removed if not counted or not name.startswith(counted)]
    if removed:
        say(f"Removed: {_listed(removed)}")
    if report.replaced_foreign:
        warn(
            f"replaced {len(report.replaced_foreign)} file(s) prcli had not written (--force): "
            f"{_listed(report.replaced_foreign)}"
        )
    if report.kept_edited:
        warn(
            f"kept {len(report.kept_edited)} file(s) prcli wrote but someone changed since, though "
            f"no longer current: {_listed(report.kept_edited)}"
        )
    if report.foreign:
        say(f"Kept {len(report.foreign)} file(s) prcli did not write: {_listed(report.foreign)}")
