"""Every example printed in any --help runs: the words and options it shows are accepted by the
command as it is today (issue 12, finding 4: the search example failed with "No such option: -e").

Each example is run against an unchanged copy of the project's sample repository (`releases/`,
`prcli.toml`), the one a new user tries them on: every release id, id prefix and release path an
example names must be found there (a new-user trial found ids that were only in this test's own
fixture). An example may fail for a reason of the moment (a file outside the repository it names is
not here, the release has no attachments): exit 1 with a clear message is fine. A usage error is
not: exit 2, "No such option", an unexpected extra argument or a traceback fails the test, and so
does an id or path that names no release of the sample repository."""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from prcli.cli.app import app

from .conftest import PROJECT_ROOT, Run

USAGE_ERRORS = (
    "No such option",
    "unexpected extra argument",
    "Missing argument",
    "Usage:",
    "Error: ",  # Click's own usage errors; prcli's start with "error:"
)
# An example that names a release the sample repository does not have (or an ambiguous prefix).
UNKNOWN_RELEASE = re.compile(r"no release with id|no release file|matches \d+ releases")


def _commands() -> Iterator[tuple[str, object]]:
    def walk(command: object, path: list[str]) -> Iterator[tuple[str, object]]:
        yield " ".join(path), command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


def examples() -> list[tuple[str, str]]:
    """(command, example) for every `prcli ...` line in every epilog; a line whose quote is left
    open runs on to the next."""
    found = []
    for path, command in _commands():
        lines = (getattr(command, "epilog", None) or "").splitlines()
        index = 0
        while index < len(lines):
            line = lines[index].strip()
            index += 1
            if not re.match(r"""(?:\w+=(?:"[^"]*"|'[^']*'|\S+)\s+)*prcli(?:\s|$)""", line):
                continue
            while line.count('"') % 2 and index < len(lines):
                line += " " + lines[index].strip()
                index += 1
            found.append((path or "prcli", line))
    return found


def argv(example: str) -> list[str]:
    """The prcli part of an example: no trailing (comment), pipe, redirection or second command,
    no VAR=value prefix."""
    text = re.split(r"\s{2,}\(", example)[0]
    words = shlex.split(text, posix=True)
    cut = next((i for i, w in enumerate(words) if w in ("|", ">", "&&", ">>")), len(words))
    words = words[:cut]
    while words and re.fullmatch(r"\w+=.*", words[0]):
        words.pop(0)
    assert words[0] == "prcli", example
    return words[1:]


EXAMPLES = examples()


def test_examples_were_found() -> None:
    assert len(EXAMPLES) > 60
    assert ("search", "prcli search secur* -exercise --since 2021-01-01") in EXAMPLES
    # a VAR="quoted value" prefix does not hide an example
    assert any(e.startswith('EDITOR="code --wait" prcli edit') for _, e in EXAMPLES)


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_editor) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the sample repository as it ships: no release added for the examples' sake."""
    root = tmp_path / "press"
    shutil.copytree(PROJECT_ROOT / "releases", root / "releases")
    shutil.copy(PROJECT_ROOT / "prcli.toml", root / "prcli.toml")
    fake_editor()  # an editor that changes nothing
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_help_example_runs(sample: Path, run: Run, command: str, example: str) -> None:
    words = argv(example)
    if command == "init" or words[:1] == ["init"]:
        words = [*words, "--help"] if words == ["init"] else words  # init asks on a terminal
    result = run(*words)
    # 0, or a failure prcli explains (its own "error:" line; exit 1, or 2 for a bad value it checks)
    assert result.exit_code == 0 or re.search(r"^error: ", result.stderr, re.M), result
    for marker in USAGE_ERRORS:
        assert marker not in result.stderr, result
    assert "Traceback" not in result.stderr
    assert not UNKNOWN_RELEASE.search(result.stderr), f"not in the sample repository: {result}"
