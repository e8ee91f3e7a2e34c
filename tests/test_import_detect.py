"""import guesses prcli's own outputs right (trial items 9 and 17): the ninjs JSON Lines that
`export -f ninjs -o FILE` writes is ninjs without --from; the rows of `list --format json` (no
bodies) are refused with a pointer to `export --format json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prcli.repository import Repository

from .conftest import Run
from .helpers import CONFIG_TEXT, make_release, write_release


@pytest.fixture
def two_releases(repository: Repository) -> None:
    write_release(repository, make_release(title="Floods in the north", language="en"))
    write_release(repository, make_release(title="Şimalda daşqın", language="az"))


def _empty_repository(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (root / "releases").mkdir(parents=True)
    (root / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_ninjs_json_lines_export_is_imported_without_from(
    two_releases: None, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "out"
    result = run("export", "-f", "ninjs", "-o", str(exported))
    assert result.exit_code == 0, result
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 2

    other = _empty_repository(tmp_path / "other", monkeypatch)
    result = run("import", str(exported))

    assert result.exit_code == 0, result
    assert "ninjs" not in result.stderr or "looks like ninjs" not in result.stderr
    titles = sorted(
        path.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0].strip('"')
        for path in (other / "releases").rglob("*.md")
    )
    assert titles == ["Floods in the north", "Şimalda daşqın"]


def test_list_json_output_is_refused_with_a_hint_to_export(
    two_releases: None, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = run("list", "--format", "json")
    assert listed.exit_code == 0, listed
    source = tmp_path / "list.json"
    source.write_text(listed.stdout, encoding="utf-8")

    other = _empty_repository(tmp_path / "other", monkeypatch)
    result = run("import", str(source), "--format", "jsonl")

    assert result.exit_code != 0, result
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 and all("prcli export --format json" in str(row) for row in rows), rows
    assert not list((other / "releases").rglob("*.md"))
