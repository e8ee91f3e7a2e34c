"""Issue 12, finding 4: search takes words as people type them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

Add = Callable[..., Path]


@pytest.fixture
def releases(add: Add) -> None:
    add(title="Kura river levels rise", body="The Kura river rose by two metres near Sabirabad.")
    add(title="Siren test on Monday", body="Warning sirens will sound at noon in Baku.")
    add(title="Warning about floods", body="A warning for the river districts; no siren needed.")
    add(title="Security exercise held", body="Security services held an exercise in Ganja.")
    add(title="Security council meets", body="The security council discussed the fire season.")


def ids(run: Run, *args: str) -> list[str]:
    result = run("search", "-f", "ids", *args)
    assert result.exit_code == 0, result
    return sorted(line.split("-", 3)[3] for line in result.stdout.split())


def test_several_words_without_quotes(releases: None, run: Run) -> None:
    assert ids(run, "Kura", "river") == ["kura-river-levels-rise"]


def test_exclusions_unquoted_with_options_before_or_after(releases: None, run: Run) -> None:
    # "warn*" matches "Warning" and "warnings"; -siren drops the release that mentions sirens
    assert ids(run, "warn*", "-floods") == ["siren-test-on-monday"]
    assert ids(run, "--status", "published", "warn*", "-siren") == []  # both mention a siren
    assert ids(run, "warn*", "-floods", "--status", "published") == ["siren-test-on-monday"]
    assert ids(run, "warn*", "-test") == ["warning-about-floods"]
    assert ids(run, "secur*", "-exercise", "--since", "2021-01-01") == ["security-council-meets"]
    assert ids(run, "--since", "2021-01-01", "secur*", "-exercise") == ["security-council-meets"]


def test_double_dash_makes_everything_a_word(releases: None, run: Run) -> None:
    # "-fire" would otherwise be an unknown option spelled like -f; after -- it is an exclusion
    assert ids(run, "--limit", "5", "--", "security", "-fire") == ["security-exercise-held"]


@pytest.mark.parametrize(
    ("args", "unknown", "meant"),
    [
        (["river", "--limt", "3"], "--limt", "--limit"),
        (["--pubic", "river"], "--pubic", "--public"),
        (["river", "--statsu=draft"], "--statsu", "--status"),
    ],
)
def test_misspelt_long_option_is_a_usage_error(
    releases: None, run: Run, args: list[str], unknown: str, meant: str
) -> None:
    result = run("search", *args)
    assert result.exit_code == 2, result
    assert f"No such option: {unknown}" in result.stderr, result
    assert meant in result.stderr, result
    assert result.stdout == ""


def test_double_dash_still_ends_the_options(releases: None, run: Run) -> None:
    result = run("search", "-f", "ids", "--", "river", "--limt")
    assert result.exit_code == 0, result  # '--limt' is a word here, not an option
    assert "No such option" not in result.stderr


def test_one_quoted_argument_reads_as_the_same_words(releases: None, run: Run) -> None:
    assert ids(run, "council security") == ["security-council-meets"]  # both words, any order
    assert ids(run, '"council security"') == []  # a phrase needs the quotes to reach prcli
    assert ids(run, '"security council"') == ["security-council-meets"]
    assert ids(run, "secur* -exercise") == ids(run, "secur*", "-exercise")


def test_only_exclusions_is_a_clear_error(releases: None, run: Run) -> None:
    result = run("search", "-siren")
    assert result.exit_code != 0 and "only excludes words" in result.stderr


@pytest.mark.parametrize(
    ("command", "bracketed"),
    [("export", "[organisation] url"), ("rules", '[validation.rules] PR305 = "off"')],
)
def test_bracketed_help_text_is_kept(run: Run, command: str, bracketed: str) -> None:
    """Finding 7: help is plain text; Rich markup no longer eats [organisation]."""
    result = run(command, "--help")
    assert bracketed in " ".join(result.stdout.split())


def test_the_table_marks_retracted_results_as_list_does(add: Add, run: Run) -> None:
    """A retracted release is found (its notice stays public) and its row says so, like list's
    status cell; JSON carries the status."""
    from datetime import timedelta

    from prcli.model import HistoryEntry, Status

    from .helpers import NOW

    published = HistoryEntry(Status.PUBLISHED, NOW - timedelta(days=3), "Kamran")
    add(
        title="Kura river levels rise",
        body="The Kura river rose by two metres.",
        history=(published,),
    )
    add(
        title="Kura river dam closed",
        body="The Kura river dam was closed.",
        status=Status.RETRACTED,
        history=(published, HistoryEntry(Status.RETRACTED, NOW, "Kamran", "Issued in error.")),
        retraction="Issued in error.",
    )
    result = run("search", "Kura")
    assert result.exit_code == 0, result
    rows = {
        line for line in result.stdout.splitlines() if "dam closed" in line or "levels rise" in line
    }
    assert len(rows) == 2, result.stdout
    assert [row for row in rows if "retracted" in row] == [
        row for row in rows if "dam closed" in row
    ], result.stdout
    records = run("search", "Kura", "--format", "json")
    assert {r["title"]: r["status"] for r in json.loads(records.stdout)} == {
        "Kura river levels rise": "published",
        "Kura river dam closed": "retracted",
    }
