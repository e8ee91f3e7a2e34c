"""Every filter option of every command reaches the filters: set to a value that excludes the one
release, the release must disappear. (Filters are passed by name to build_filters; an option that
is renamed, added or forgotten in that call fails here.)"""

from __future__ import annotations

import json

import pytest
import typer.main

from prcli.cli.app import app
from prcli.repository import Repository

from .conftest import Run
from .helpers import write_release
from .test_validation import good

RELEASE_ID = "2021-10-15-cis-security-chiefs-meet"
# The option, and a value that excludes the release (published, Events, en, tag "security",
# dated 2021-10-15, about a meeting).
EXCLUDING = {
    "--status": "draft",
    "--category": "Official",
    "--language": "az",
    "--tag": "weather",
    "--since": "2021-10-16",
    "--until": "2021-10-14",
    "--query": "zzzz-nowhere",
}
# How each command is run so the release shows, and how to tell it is there.
COMMANDS = {
    "list": ["list", "--format", "ids"],
    "search": ["search", "meeting", "--format", "ids"],
    "export": ["export", "--format", "jsonl"],
    "stats": ["stats", "--format", "json"],
}


def _shown(command: str, stdout: str) -> bool:
    if command == "stats":
        figures = json.loads(stdout)
        return figures["total"] + sum(figures["pipeline"].values()) > 0
    return RELEASE_ID in stdout


def _filter_options(command: str) -> list[str]:
    group = typer.main.get_command(app)
    params = group.commands[command].params  # type: ignore[attr-defined]
    return [opt for p in params for opt in getattr(p, "opts", ()) if opt in EXCLUDING]


def test_every_command_with_filters_is_checked() -> None:
    group = typer.main.get_command(app)
    with_filters = {
        name
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        if any(opt == "--until" for p in command.params for opt in p.opts)
    }
    assert with_filters == set(COMMANDS)


@pytest.fixture
def one_release(repository: Repository) -> Repository:
    write_release(repository, good(id=RELEASE_ID, tags=("security",), body="A meeting was held."))
    return repository


@pytest.mark.parametrize(
    ("command", "option"),
    [(command, option) for command in COMMANDS for option in _filter_options(command)],
)
def test_each_filter_option_narrows_the_result(
    one_release: Repository, run: Run, command: str, option: str
) -> None:
    args = COMMANDS[command]
    if command == "stats":  # the period (from --since/--until) must include the release
        args = [
            *args,
            *(("--until", "2021-12-31") if option == "--since" else ("--since", "2021-01-01")),
        ]
    unfiltered = run(*args)
    assert unfiltered.exit_code == 0, unfiltered
    assert _shown(command, unfiltered.stdout)
    filtered = run(*args, option, EXCLUDING[option])
    assert filtered.exit_code in (0, 1), filtered  # search may say "no results" with 0
    assert not _shown(command, filtered.stdout), f"{command} ignored {option}"


def test_the_commands_declare_the_filters_they_document() -> None:
    assert set(_filter_options("list")) == set(EXCLUDING)
    assert set(_filter_options("export")) == set(EXCLUDING)
    assert set(_filter_options("search")) == set(EXCLUDING) - {"--query"}
    assert set(_filter_options("stats")) == set(EXCLUDING) - {"--query"}
