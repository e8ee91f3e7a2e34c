"""The `prcli list` table at fixed widths: titles stay readable, ids stay usable.

Ids are what people copy into `prcli show`: a cut id must still be a prefix of one listed id
only. A scheduled release shows its time under its status, not beside it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from prcli.model import Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import BAKU, NOW

Add = Callable[..., Path]
TITLES = {
    "en": "Regional civil protection chiefs meet in Tbilisi",
    "az": "Regional mülki müdafiə rəhbərləri Tbilisidə görüşüb",
    "ru": "Региональные руководители гражданской защиты встретились в Тбилиси",
}
IDS = {
    "en": "2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi",
    "az": "2021-10-15-regional-mulki-mudafie-rehberleri-tbiliside-gorusub",
    "ru": "2021-10-15-regionalnye-rukovoditeli-grazhdanskoi-zashchity-vstretilis-v",
}
SCHEDULED = "New public warning system to reach every mobile phone"
SCHEDULED_ID = "2026-11-26-new-public-warning-system-to-reach-every-mobile-phone"


@pytest.fixture
def releases(add: Add) -> None:
    for language, title in TITLES.items():
        add(
            title=title,
            id=IDS[language],
            language=language,
            translation_key="regional-2021",
        )
    add(
        title=SCHEDULED,
        id=SCHEDULED_ID,
        date=date(2026, 11, 26),
        status=Status.APPROVED,
        publish_at=datetime(2026, 12, 1, 10, 0, tzinfo=BAKU),
    )


def shown_ids(stdout: str) -> list[str]:
    """The first cell of every row that has one (continuation lines start with spaces)."""
    return [m.group(1) for m in re.finditer(r"^ (\d{4}-\S+)", stdout, re.MULTILINE)]


@pytest.mark.parametrize("columns", [80, 100, 120, 200])
def test_titles_stay_readable_and_ids_unique(
    releases: None, run: Run, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run("list")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines), result.stdout
    # Whole words of every title, and no more than four lines a release.
    words = result.stdout.split()
    for title in [*TITLES.values(), SCHEDULED]:
        for word in title.split():
            assert word in words, (word, result.stdout)
    assert len([line for line in lines if line.strip()]) <= 2 + 4 * 4, result.stdout
    every_id = [*IDS.values(), SCHEDULED_ID]
    shown = shown_ids(result.stdout)
    assert len(shown) == 4, result.stdout
    for cell in shown:
        prefix = cell.removesuffix("…")
        matches = [i for i in every_id if i.startswith(prefix)]
        assert len(matches) == 1 or prefix in every_id, (cell, result.stdout)
    # The schedule sits under the status, in a short form below 160 columns.
    status_line = next(line for line in lines if "approved" in line)
    assert "⏲" not in status_line
    assert ("⏲ 2026-12-01 10:00" if columns >= 160 else "⏲ 12-01 10:00") in result.stdout


def test_wide_terminal_shows_whole_ids(
    releases: None, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "240")
    result = run("list")
    assert set(shown_ids(result.stdout)) == {*IDS.values(), SCHEDULED_ID}, result.stdout


def test_a_cut_id_works_in_show(releases: None, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for cell in shown_ids(run("list").stdout):
        result = run("show", cell.removesuffix("…"), "--format", "json")
        assert result.exit_code == 0, (cell, result)


def test_machine_formats_carry_no_table_marks(releases: None, run: Run) -> None:
    records = json.loads(run("list", "--format", "json").stdout)
    assert {record["id"] for record in records} == {*IDS.values(), SCHEDULED_ID}
    assert "⏲" not in json.dumps(records, ensure_ascii=False)


def test_narrow_table_leaves_the_date_to_ids_that_begin_with_it(
    releases: None, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("list").stdout.splitlines()
    assert "Date" not in lines[1], lines
    assert not any("2021-10-15   " in line for line in lines)


def test_ascii_stdout_gets_ascii_marks_not_question_marks(
    releases: None, repository: Repository
) -> None:
    """On a stdout that is not UTF-8 '…' and '⏲' would print as '?', inside an id one copies."""
    from rich.console import Console

    from prcli.cli.render import release_table

    entries = repository.load_all().entries
    drawn = io.StringIO()
    console = Console(file=drawn, width=80, color_system=None)
    console.print(release_table(entries, {}, NOW, 80, unicode=False))
    text = drawn.getvalue()
    assert "…" not in text and "⏲" not in text, text
    assert "at 12-01 10:00" in text, text
    for cell in shown_ids(text):
        prefix = cell.removesuffix("...")
        every_id = [*IDS.values(), SCHEDULED_ID]
        matches = [i for i in every_id if i.startswith(prefix)]
        assert len(matches) == 1 or prefix in every_id, (cell, text)
    assert any(cell.endswith("...") for cell in shown_ids(text)), text


def test_a_cut_id_names_one_release_of_the_repository_not_only_of_the_rows(
    releases: None, add: Add, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a filter, the rows are a part of the repository: a prefix unique among them may be
    shared by a release not listed, and `prcli show PREFIX` would then find two."""
    batumi = "2021-10-15-regional-civil-protection-chiefs-meet-in-batumi"
    add(title="Regional civil protection chiefs meet in Batumi", id=batumi, status=Status.DRAFT)
    monkeypatch.setenv("COLUMNS", "80")
    for filters in (["--status", "published"], ["--status", "draft"], ["--limit", "1"], []):
        result = run("list", *filters)
        assert result.exit_code == 0, result
        cut = [cell for cell in shown_ids(result.stdout) if cell.endswith("…")]
        assert cut, result.stdout  # the test needs ids too long for 80 columns
        for cell in shown_ids(result.stdout):
            shown = run("show", cell.removesuffix("…"), "--format", "json")
            assert shown.exit_code == 0, (filters, cell, shown)
    tbilisi = next(
        cell for cell in shown_ids(run("list", "--status", "published").stdout) if "-ch" in cell
    )
    assert tbilisi.startswith("2021-10-15-regional-civil-protection-chiefs-meet-in-t"), tbilisi
