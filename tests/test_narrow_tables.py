"""Tables at 80 columns (a pipe or a narrow terminal) keep every column and whole words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from prcli.model import HistoryEntry, Status

from .conftest import Run
from .helpers import BAKU

Add = Callable[..., Path]
TITLE = "Ministry announces nationwide emergency preparedness programme for winter"


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def test_log_keeps_the_note_column_when_by_is_wide(add: Add, run: Run) -> None:
    note = "Checked the figures against the ministry's statement before approval."
    add(
        title="Short title",
        history=(
            HistoryEntry(
                Status.REVIEW,
                datetime(2026, 11, 27, 9, tzinfo=BAKU),
                "Kamran Aliyev-Mammadov (Press office, Ministry of Emergency Situations)",
            ),
            HistoryEntry(
                Status.PUBLISHED,
                datetime(2026, 11, 27, 10, tzinfo=BAKU),
                "Kamran Aliyev-Mammadov (Press office, Ministry of Emergency Situations)",
                note=note,
            ),
        ),
    )
    result = run("log", "2021-10-15-short")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "Note" in result.stdout, result.stdout
    assert " ".join(result.stdout.split()).count("before approval.") == 1, result.stdout
    for word in note.split():
        assert word in result.stdout.split(), (word, result.stdout)


def test_status_keeps_whole_title_words(add: Add, run: Run) -> None:
    add(
        title=TITLE,
        status=Status.APPROVED,
        publish_at=datetime(2026, 12, 5, 9, tzinfo=BAKU),
    )
    result = run("status")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    words = result.stdout.split()
    for word in TITLE.split():
        assert word in words, (word, result.stdout)
