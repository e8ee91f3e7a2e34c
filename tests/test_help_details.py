"""Help texts say the same thing twice the same way; option combinations that cannot both hold are
refused; search csv carries what search json carries (trial item 16)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

Add = Callable[..., Path]


def test_include_unpublished_names_every_public_format(run: Run) -> None:
    text = " ".join(run("export", "--help").stdout.split())
    option = text[text.index("--include-unpublished") :][:200]
    for name in ("html", "ninjs", "atom", "rss", "wire", "eml", "kit", "ics"):
        assert name in option, option


@pytest.mark.parametrize("columns", ["60", "80"])
def test_root_help_keeps_every_summary_whole(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    text = run("--help").stdout
    commands = text[text.index("Commands:") :]
    assert "..." not in commands and "…" not in commands, text
    flat = " ".join(text.split())
    assert "(merge driver, scheduled publishing)." in flat
    assert "(personal data, kept out of git)." in flat


@pytest.mark.parametrize(
    ("command", "odd"),
    [
        (["completion"], "{shell}:"),
        (["export"], "<int range>"),
        (["list"], "<int range>"),
        (["search"], "<int range>"),
    ],
)
def test_metavars_are_readable(run: Run, command: list[str], odd: str) -> None:
    text = run(*command, "--help").stdout
    assert odd not in text and "<bash|zsh|fish>" not in text, text


def test_list_all_and_limit_exclude_each_other(add: Add, run: Run) -> None:
    add(title="One")
    result = run("list", "--all", "--limit", "5")
    assert result.exit_code == 2, result
    assert "--all and --limit exclude each other" in result.stderr
    assert result.stdout == ""


def test_search_csv_has_the_columns_json_adds(add: Add, run: Run) -> None:
    add(title="Flood warning for the river districts", body="Floods expected.")
    rows = list(csv.DictReader(io.StringIO(run("search", "flood", "--format", "csv").stdout)))
    (found,) = json.loads(run("search", "flood", "--format", "json").stdout)
    assert len(rows) == 1
    for column in ("score", "public", "held_back", "snippet"):
        assert column in rows[0], rows[0]
    assert float(rows[0]["score"]) == found["score"]
    assert rows[0]["public"] == "true" and found["public"] is True
    assert rows[0]["snippet"] == found["snippet"]
    assert rows[0]["id"] == found["id"]
