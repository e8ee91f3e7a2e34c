"""prcli search (ranking, folding, prefixes, phrases, exclusions, filters, bad queries) and
prcli stats (figures on a fixed corpus with a pinned clock)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import pytest

from prcli.model import HistoryEntry, Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import BAKU, make_release, write_release

FILLER = "The service reported on its regular work with partners across the region. "


@pytest.fixture
def corpus(repository: Repository) -> Repository:
    def add(**fields: object) -> None:
        day = date.fromisoformat(str(fields["id"])[:10])
        write_release(repository, make_release(date=day, **fields))

    add(
        id="2021-10-15-body",
        title="Regional meeting held",
        body=FILLER + "Delegates visited the Alley of Honor in Baku.",
    )
    add(id="2021-10-16-title", title="Alley of Honor visit", body=FILLER * 3)
    add(
        id="2021-10-17-susa",
        title="Şuşa hosts an exercise",
        language="az",
        category="Official",
        body=FILLER + "Rescue teams trained in Şuşa.",
    )
    add(
        id="2021-10-18-elka",
        title="Новогодняя ёлка в Баку",
        language="ru",
        body=FILLER + "Праздник для детей.",
    )
    add(
        id="2021-10-19-security",
        title="Security council statement",
        tags=("security",),
        body=FILLER + "Securing the border.",
    )
    add(
        id="2021-10-20-other",
        title="Weather warning",
        body=FILLER + "Heavy rain and honour.",
        status=Status.DRAFT,
    )
    return repository


def ids(run: Run, *arguments: str) -> list[str]:
    result = run("search", *arguments, "--format", "ids")
    assert result.exit_code == 0, result
    return result.stdout.split()


def test_title_match_ranks_above_body_match(corpus: Repository, run: Run) -> None:
    assert ids(run, '"Alley of Honor"') == ["2021-10-16-title", "2021-10-15-body"]


def test_case_and_diacritics_do_not_matter(corpus: Repository, run: Run) -> None:
    assert ids(run, "susa") == ["2021-10-17-susa"]
    assert ids(run, "ŞUŞA") == ["2021-10-17-susa"]
    assert ids(run, "елка") == ["2021-10-18-elka"]


def test_prefix_phrase_and_exclusion(corpus: Repository, run: Run) -> None:
    assert ids(run, "secur*") == ["2021-10-19-security"]
    assert ids(run, "secur") == []
    assert ids(run, "Alley -Baku") == ["2021-10-16-title"]
    assert ids(run, '"Honor Alley"') == []


def test_filters(corpus: Repository, run: Run) -> None:
    assert ids(run, "service", "--language", "az") == ["2021-10-17-susa"]
    assert ids(run, "service", "--status", "draft") == ["2021-10-20-other"]
    assert ids(run, "service", "--category", "official") == ["2021-10-17-susa"]
    assert ids(run, "service", "--since", "2021-10-19", "--until", "2021-10-19") == [
        "2021-10-19-security"
    ]
    assert ids(run, "service", "--tag", "security") == ["2021-10-19-security"]
    assert len(ids(run, "service", "--limit", "2")) == 2


def test_json_has_score_and_snippet(corpus: Repository, run: Run) -> None:
    results = json.loads(run("search", "honor", "--format", "json").stdout)
    assert [r["id"] for r in results][:2] == ["2021-10-16-title", "2021-10-15-body"]
    assert results[0]["score"] > results[1]["score"] > 0
    assert "Alley of Honor" in results[1]["snippet"]


def test_table_highlights_the_snippet(corpus: Repository, run: Run) -> None:
    out = run("search", "Baku").stdout
    assert "2021-10-15-body" in out and "Alley of Honor in Baku" in out


def test_search_sees_changes_at_once(corpus: Repository, run: Run) -> None:
    path = corpus.releases_dir / "2021" / "2021-10-20-other.md"
    path.write_text(path.read_text().replace("Weather warning", "Flood warning for Lankaran"))
    assert ids(run, "lankaran") == ["2021-10-20-other"]
    path.unlink()
    assert ids(run, "lankaran") == []


def test_empty_result(corpus: Repository, run: Run) -> None:
    result = run("search", "zebra")
    assert result.exit_code == 0 and "No releases match 'zebra'" in result.stderr
    assert run("search", "zebra", "--fail-empty").exit_code == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?!. --- ()", "nothing to search for"),
        ('"', "nothing to search for"),
        ("-alley", "only excludes words"),
        ("x " * 300, "at most 500"),
        (" ".join(f"w{i}" for i in range(40)), "at most 32"),
    ],
)
def test_bad_queries_get_clear_errors(
    corpus: Repository, run: Run, query: str, message: str
) -> None:
    result = run("search", "--", query)
    assert result.exit_code == 2 and message in result.stderr
    assert "sqlite" not in result.stderr.lower() and "fts5" not in result.stderr.lower()


@pytest.mark.parametrize(
    "query", ['alley "of honor', "NEAR(a b)", "title:alley", "alley AND OR NOT", "a*b*", "^alley"]
)
def test_fts_syntax_in_queries_is_just_text(corpus: Repository, run: Run, query: str) -> None:
    result = run("search", "--", query)
    assert result.exit_code == 0, result


@pytest.fixture
def stats_corpus(repository: Repository) -> Repository:
    def step(status: Status, day: date, hour: int, by: str) -> HistoryEntry:
        return HistoryEntry(status, datetime(day.year, day.month, day.day, hour, tzinfo=BAKU), by)

    rows = [
        ("2026-01-10", "en", "k1", "Events", "Leyla", 2),
        ("2026-01-10", "az", "k1", "Events", "Aysel", 4),
        ("2026-01-10", "ru", "k1", "Events", "Olga", None),
        ("2026-03-05", "en", "k2", "Official", "Leyla", 6),
        ("2026-03-05", "az", "k2", "Official", "Aysel", None),
        ("2026-11-20", "en", "", "Statements", "Leyla", 30),
        ("2024-05-01", "en", "", "Events", "Old", 1),  # outside the default period
    ]
    for number, (day_text, language, key, category, author, hours) in enumerate(rows):
        day = date.fromisoformat(day_text)
        history = [step(Status.DRAFT, day, 8, author)]
        status = Status.DRAFT
        if hours is not None:
            submitted = step(Status.REVIEW, day, 9, author)
            published = HistoryEntry(
                Status.PUBLISHED, submitted.at + timedelta(hours=hours), "Kamran"
            )
            history += [submitted, published]
            status = Status.PUBLISHED
        write_release(
            repository,
            make_release(
                id=f"{day_text}-release-{number}",
                title=f"Release {number}",
                date=day,
                language=language,
                translation_key=key,
                category=category,
                status=status,
                history=tuple(history),
            ),
        )
    return repository


def test_stats_figures(stats_corpus: Repository, run: Run) -> None:
    data = json.loads(run("stats", "--format", "json").stdout)
    assert (data["since"], data["until"]) == ("2025-12-01", "2026-11-27")
    # Output counts the four published releases; the two drafts are in the pipeline.
    assert data["total"] == 4
    assert data["per_month"]["2026-01"] == 2 and data["per_month"]["2026-03"] == 1
    assert data["per_month"]["2026-11"] == 1 and data["per_month"]["2025-12"] == 0
    assert len(data["per_month"]) == 12
    assert data["by_category"] == {"Events": 2, "Official": 1, "Statements": 1}
    assert data["by_language"] == {"en": 3, "az": 1}
    assert data["by_status"] == {"published": 4, "archived": 0, "retracted": 0}
    assert list(data["by_status"]) == ["published", "archived", "retracted"]  # workflow order
    assert sum(data["by_status"].values()) == data["total"]
    assert data["pipeline"] == {"draft": 2, "review": 0, "approved": 0}
    assert data["by_author"] == {"Leyla": 3, "Aysel": 1}
    assert (data["stories"], data["complete_stories"]) == (3, 0)
    assert data["coverage"] == 0.0
    assert data["language_availability"] == {
        "en": 1.0,
        "az": pytest.approx(1 / 3),
        "ru": 0.0,
    }
    assert data["approval_samples"] == 4
    assert data["median_hours_to_publish"] == 5.0  # of 2, 4, 6, 30


def test_stats_with_filters_and_period(stats_corpus: Repository, run: Run) -> None:
    data = json.loads(
        run(
            "stats",
            "--format",
            "json",
            "--language",
            "az",
            "--since",
            "2026-01-01",
            "--until",
            "2026-02-28",
        ).stdout
    )
    assert data["total"] == 1 and list(data["per_month"]) == ["2026-01", "2026-02"]
    assert data["median_hours_to_publish"] == 4.0


def test_stats_csv_and_plain_tables(stats_corpus: Repository, run: Run) -> None:
    rows = list(csv.reader(io.StringIO(run("stats", "--format", "csv").stdout)))
    assert rows[0] == ["section", "key", "value"]
    assert ["category", "Events", "2"] in rows and [
        "approval",
        "median_hours_to_publish",
        "5.0",
    ] in rows
    table = run("stats").stdout
    assert "2026-01" in table and "█" not in table  # no bar chart when not on a terminal
    assert "Median time from first submission to publication: 5.0 h (4 releases)" in table


def test_stats_counts_only_releases_that_went_out(repository: Repository, run: Run) -> None:
    def at(hour: int) -> datetime:
        return datetime(2026, 6, 1, hour, tzinfo=BAKU)

    out = (HistoryEntry(Status.DRAFT, at(8), "A"), HistoryEntry(Status.PUBLISHED, at(9), "A"))
    cases = [
        (Status.DRAFT, (HistoryEntry(Status.DRAFT, at(8), "A"),)),
        (Status.REVIEW, (HistoryEntry(Status.REVIEW, at(8), "A"),)),
        (Status.APPROVED, (HistoryEntry(Status.APPROVED, at(8), "A"),)),
        (Status.PUBLISHED, out),
        (Status.ARCHIVED, (*out, HistoryEntry(Status.ARCHIVED, at(10), "A"))),
        (Status.RETRACTED, (*out, HistoryEntry(Status.RETRACTED, at(10), "A"))),
    ]
    for number, (status, history) in enumerate(cases):
        write_release(
            repository,
            make_release(
                id=f"2026-06-01-r-{number}",
                title=f"R {number}",
                date=date(2026, 6, 1),
                category="Events",
                status=status,
                history=history,
            ),
        )
    data = json.loads(run("stats", "--format", "json").stdout)
    assert data["total"] == 3
    assert data["per_month"]["2026-06"] == 3
    assert data["by_category"] == {"Events": 3}
    assert data["pipeline"] == {"draft": 1, "review": 1, "approved": 1}
    assert data["by_status"] == {"published": 1, "archived": 1, "retracted": 1}
    rows = list(csv.reader(io.StringIO(run("stats", "--format", "csv").stdout)))
    assert ["total", "releases", "3"] in rows and ["pipeline", "approved", "1"] in rows
    table = run("stats").stdout
    assert "3 releases out from" in table
    assert "In the pipeline: 3 (draft 1, review 1, approved 1)" in table


def test_stats_on_an_empty_repository(repository: Repository, run: Run) -> None:
    data = json.loads(run("stats", "--format", "json").stdout)
    assert (
        data["total"] == 0 and data["coverage"] is None and data["median_hours_to_publish"] is None
    )
    assert "n/a" in run("stats").stdout


def test_stats_draws_bars_on_a_terminal(
    stats_corpus: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("prcli.cli.terminal.stdout_is_terminal", lambda: True)
    assert "█" in run("stats").stdout


def test_the_period_defaults_to_the_twelve_months_up_to_until() -> None:
    from prcli.stats import period

    today = date(2026, 11, 27)
    assert period(today, None, None) == (date(2025, 12, 1), today)
    # --until alone: the year before it (it used to start at today's default and be empty)
    assert period(today, None, date(2021, 12, 31)) == (date(2021, 1, 1), date(2021, 12, 31))
    assert period(today, date(2021, 3, 1), None) == (date(2021, 3, 1), today)


def test_stats_agree_with_themselves_under_a_status_filter(
    stats_corpus: Repository, run: Run
) -> None:
    data = json.loads(run("stats", "--format", "json", "--status", "draft").stdout)
    assert data["total"] == 0 and sum(data["by_status"].values()) == 0
    assert data["pipeline"]["draft"] == 2


def test_stats_table_counts_in_words(repository: Repository, run: Run) -> None:
    write_release(
        repository,
        make_release(
            id="2026-06-01-one",
            title="One",
            date=date(2026, 6, 1),
            history=(
                HistoryEntry(Status.REVIEW, datetime(2026, 6, 1, 8, tzinfo=BAKU), "A"),
                HistoryEntry(Status.PUBLISHED, datetime(2026, 6, 1, 9, tzinfo=BAKU), "A"),
            ),
        ),
    )
    table = run("stats").stdout
    assert "1 release out from" in table
    assert "of 1 story in every language" in table
    assert "(1 release)" in table
    assert "releases)" not in table and "stories" not in table
