"""prcli list: filters, order, formats, and unreadable files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from prcli.model import Status

from .conftest import Run
from .helpers import BAKU

Add = Callable[..., Path]


@pytest.fixture
def corpus(add: Add) -> None:
    add(
        title="CIS security chiefs meet in Moscow",
        date=date(2021, 10, 15),
        tags=("CIS",),
        translation_key="cis-2021",
        body="Gathered in Moscow on October 13.",
    )
    add(
        title="MDB rəhbərlərinin görüşü",
        language="az",
        date=date(2021, 10, 15),
        translation_key="cis-2021",
        body="Şuşa haqqında.",
    )
    add(
        title="Встреча руководителей спецслужб",
        language="ru",
        date=date(2021, 10, 15),
        translation_key="cis-2021",
        status=Status.DRAFT,
    )
    add(
        title="Statement on the exercise",
        category="Statements",
        date=date(2022, 3, 1),
        status=Status.REVIEW,
        summary="Ёлка and Alley of Honor",
    )
    add(
        title="Official notice",
        category="Official",
        date=date(2023, 5, 2),
        status=Status.APPROVED,
        embargo_until=datetime(2026, 12, 1, 9, 0, tzinfo=BAKU),
        tags=("cis",),
    )


def ids(result_stdout: str) -> list[str]:
    return result_stdout.split()


def test_ids_newest_first(corpus: None, run: Run) -> None:
    result = run("list", "--format", "ids")
    assert result.exit_code == 0, result
    assert ids(result.stdout) == [
        "2023-05-02-official-notice",
        "2022-03-01-statement-on-the-exercise",
        "2021-10-15-vstrecha-rukovoditelei-spetssluzhb",
        "2021-10-15-mdb-rehberlerinin-gorusu",
        "2021-10-15-cis-security-chiefs-meet-in-moscow",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--status", "draft"], ["2021-10-15-vstrecha-rukovoditelei-spetssluzhb"]),
        (
            ["-s", "review", "-s", "approved"],
            ["2023-05-02-official-notice", "2022-03-01-statement-on-the-exercise"],
        ),
        (["--category", "official"], ["2023-05-02-official-notice"]),
        (["--language", "az"], ["2021-10-15-mdb-rehberlerinin-gorusu"]),
        (
            ["--tag", "CIS"],
            ["2023-05-02-official-notice", "2021-10-15-cis-security-chiefs-meet-in-moscow"],
        ),
        (
            ["--since", "2022-01-01", "--until", "2022-12-31"],
            ["2022-03-01-statement-on-the-exercise"],
        ),
        (["--query", "susa"], ["2021-10-15-mdb-rehberlerinin-gorusu"]),
        (["--query", "ЕЛКА"], ["2022-03-01-statement-on-the-exercise"]),
        (
            ["--query", "GATHERED", "--language", "en"],
            ["2021-10-15-cis-security-chiefs-meet-in-moscow"],
        ),
        (
            ["--sort", "title"],
            [
                "2021-10-15-cis-security-chiefs-meet-in-moscow",
                "2021-10-15-mdb-rehberlerinin-gorusu",
                "2023-05-02-official-notice",
                "2022-03-01-statement-on-the-exercise",
                "2021-10-15-vstrecha-rukovoditelei-spetssluzhb",
            ],
        ),
        (
            ["--sort", "date", "--reverse", "--limit", "2"],
            [
                "2021-10-15-cis-security-chiefs-meet-in-moscow",
                "2021-10-15-mdb-rehberlerinin-gorusu",
            ],
        ),
    ],
)
def test_filters_and_order(corpus: None, run: Run, options: list[str], expected: list[str]) -> None:
    result = run("list", "--format", "ids", *options)
    assert result.exit_code == 0, result
    assert ids(result.stdout) == expected


def test_json_is_complete_and_on_stdout_alone(corpus: None, run: Run) -> None:
    result = run("list", "--format", "json", "--language", "en", "--sort", "id")
    assert result.exit_code == 0, result
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == [
        "2021-10-15-cis-security-chiefs-meet-in-moscow",
        "2022-03-01-statement-on-the-exercise",
        "2023-05-02-official-notice",
    ]
    first = records[0]
    assert first["translations"] == ["az", "ru"]
    assert first["path"] == "releases/2021/2021-10-15-cis-security-chiefs-meet-in-moscow.md"
    assert first["date"] == "2021-10-15"
    assert first["embargo_until"] is None
    assert records[2]["embargo_until"] == "2026-12-01T09:00:00+04:00"
    assert "body" not in first
    assert result.stderr == ""


def test_empty_json_is_an_empty_array(repository: object, run: Run) -> None:
    result = run("list", "--format", "json")
    assert json.loads(result.stdout) == []


def test_jsonl_one_object_per_line(corpus: None, run: Run) -> None:
    lines = run("list", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["title"] for line in lines)


def test_csv_columns_and_formula_neutralising(add: Add, run: Run) -> None:
    add(
        title='=HYPERLINK("http://evil")',
        id="2021-01-01-formula",
        tags=("a", "b"),
        summary="+1 line\nsecond",
    )
    result = run("list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["summary"] == "'+1 line\nsecond"
    assert rows[0]["tags"] == "a; b"
    assert list(rows[0]) == [
        "id",
        "date",
        "status",
        "category",
        "language",
        "title",
        "subtitle",
        "summary",
        "tags",
        "translation_key",
        "translations",
        "embargo_until",
        "path",
    ]


def test_table_shows_a_page_and_says_how_many_more(add: Add, run: Run) -> None:
    for day in range(1, 13):
        add(title=f"Release number {day}", date=date(2021, 1, day))
    result = run("list", "--limit", "5")
    assert result.exit_code == 0, result
    assert result.stdout.count("Release number") == 5
    assert "Release number 12" in result.stdout and "Release number 7" not in result.stdout
    assert "5 of 12 shown" in result.stderr
    everything = run("list", "--all")
    assert everything.stdout.count("Release number") == 12
    assert "shown" not in everything.stderr


def test_table_escapes_markup_and_terminal_sequences(add: Add, run: Run) -> None:
    add(title="Q3 results [draft] [/] \x1b[31mred\x1b[0m \u202eevil", id="2021-01-01-q3")
    result = run("list")
    assert result.exit_code == 0, result
    assert "Q3 results [draft] [/] red evil" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_no_colour_when_not_a_terminal(corpus: None, run: Run) -> None:
    assert "\x1b[" not in run("list").stdout


def test_unreadable_files_are_reported_and_the_rest_listed(
    corpus: None, repo_root: Path, run: Run
) -> None:
    broken = repo_root / "releases" / "2021" / "2021-01-01-broken.md"
    broken.write_text('---\ntitle: "x"\ntitle: "y"\n---\n')
    bom = repo_root / "releases" / "2021" / "2021-01-02-binary.md"
    bom.write_bytes(b"\x00\x01binary")
    result = run("list", "--format", "ids")
    assert result.exit_code == 1
    assert len(ids(result.stdout)) == 5
    assert "releases/2021/2021-01-01-broken.md:3: duplicate key 'title'" in result.stderr
    assert "releases/2021/2021-01-02-binary.md:1: binary content" in result.stderr
    assert "2 release file(s) could not be read" in result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--since", "2022-01-01", "--until", "2021-01-01"], "is after --until"),
        (["--category", "Gossip"], "unknown category 'Gossip'"),
        (["--status", "live"], "Invalid value for '--status'"),
        (["--format", "xml"], "Invalid value for '--format'"),
        (["--limit", "0"], "Invalid value for '--limit'"),
    ],
)
def test_bad_options_are_usage_errors(
    corpus: None, run: Run, options: list[str], message: str
) -> None:
    result = run("list", *options)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_symlink_leading_outside_is_not_read(
    repo_root: Path, tmp_path: Path, run: Run, add: Add
) -> None:
    add(title="Inside", date=date(2021, 1, 1))
    secret = tmp_path / "secret.md"
    secret.write_text(
        '---\nid: "2021-01-02-secret"\ntitle: "Secret"\nstatus: "draft"\nlanguage: "en"\ndate: 2021-01-02\n---\n'
    )
    (repo_root / "releases" / "2021" / "2021-01-02-secret.md").symlink_to(secret)
    result = run("list", "--format", "ids")
    assert result.stdout.split() == ["2021-01-01-inside"]
    assert result.exit_code == 1
    assert "outside the repository; not read" in result.stderr


@pytest.mark.parametrize("columns", ["80", "120"])
def test_table_shows_the_date_and_marks_scheduled_releases(
    add: Add, run: Run, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    add(
        title="Scheduled statement on the border exercise",
        date=date(2026, 12, 3),
        status=Status.APPROVED,
        publish_at=datetime(2026, 12, 3, 14, 0, tzinfo=BAKU),
        id="2026-12-03-scheduled-statement-on-the-border-exercise",
    )
    add(
        title="Approved without a time",
        date=date(2026, 12, 2),
        status=Status.APPROVED,
        id="2026-12-02-approved-without-a-time",
    )
    add(title="Old news", date=date(2021, 10, 15), id="2021-10-15-old-news")
    add(title="Renamed", date=date(2021, 10, 16), id="2021-10-01-renamed")
    result = run("list")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    scheduled = next(n for n, line in enumerate(lines) if "Scheduled" in line)
    assert "2026-12-03" in lines[scheduled].split("…")[-1]  # the Date column, not only the id
    assert "approved" in lines[scheduled] and "⏲" not in lines[scheduled]
    assert "⏲ 14:00" in lines[scheduled + 1]  # under the status: the title keeps its room
    plain = next(n for n, line in enumerate(lines) if "Approved without" in line)
    assert "approved" in lines[plain] and "⏲" not in lines[plain] + lines[plain + 1]
    old = next(line for line in lines if "Old news" in line)
    assert old.count("2021-10-15") == 2  # id and Date column
    machine = json.loads(run("list", "--format", "json").stdout)
    assert "⏲" not in json.dumps(machine, ensure_ascii=False)
