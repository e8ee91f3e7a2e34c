"""The `prcli import` summary table at 80 columns: ids and path names whole, no empty column."""

from __future__ import annotations

from pathlib import Path

import pytest

from prcli.repository import Repository

from .conftest import Run
from .test_import import ENGLISH

FOLDER = "press-office-archive-of-the-state-security-service-2021"


@pytest.mark.parametrize("columns", [80, 120])
def test_summary_keeps_ids_and_path_names_whole(
    repository: Repository, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    source = tmp_path / FOLDER / "security-chiefs-meet.txt"
    source.parent.mkdir()
    source.write_text(ENGLISH, encoding="utf-8")
    assert run("import", str(source)).exit_code == 0
    (release_id,) = [path.stem for path in repository.release_files()]
    again = run("import", str(source))  # a duplicate: a row with a note
    assert again.exit_code == 0, again
    lines = again.stdout.splitlines()
    assert all(len(line) <= columns for line in lines), again.stdout
    words = again.stdout.replace("/", " ").split()
    assert release_id in words, again.stdout  # the id on one line, not broken
    assert FOLDER in words and "security-chiefs-meet.txt" in words, again.stdout
    assert "already imported as" in " ".join(again.stdout.split())
    # header, rule, the id, the path (pytest's tmp_path is long) and the note
    assert len([line for line in lines if line.strip()]) <= 10, again.stdout


def test_no_notes_no_notes_column(
    repository: Repository, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    source = tmp_path / "news.txt"
    source.write_text(ENGLISH, encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 0, result
    (release_id,) = [path.stem for path in repository.release_files()]
    header = result.stdout.strip().splitlines()[0]
    assert "Notes" not in header.split()
    assert release_id in result.stdout.split(), result.stdout
