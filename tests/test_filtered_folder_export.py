"""A filtered export never removes what it did not select (trial item 13): a folder whose manifest
came from another selection is refused with one line and a hint, and nothing in it changes."""

from __future__ import annotations

from pathlib import Path

from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release


def _three_languages(repository: Repository) -> None:
    for language, title in (
        ("en", "Floods in the north"),
        ("az", "Şimalda daşqın"),
        ("ru", "Паводок"),
    ):
        write_release(repository, make_release(title=title, language=language))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_filtered_site_export_into_the_full_site_is_refused_and_removes_nothing(
    repository: Repository, run: Run
) -> None:
    _three_languages(repository)
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    site = repository.root / "site"
    before = _files(site)
    assert any(name.startswith("en/") for name in before)

    result = run("export", "-f", "html", "-o", "site", "--language", "az")

    assert result.exit_code != 0, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "exported from every release" in lines[0] and "--language az" in lines[0], result
    assert "folder of its own" in result.stderr, result
    assert "Removed" not in result.stderr, result
    assert _files(site) == before


def test_same_filter_again_and_a_full_export_over_a_filtered_folder_work(
    repository: Repository, run: Run
) -> None:
    _three_languages(repository)
    assert run("export", "-f", "markdown", "-o", "part/", "--language", "az").exit_code == 0
    part = repository.root / "part"
    assert run("export", "-f", "markdown", "-o", "part/", "--language", "az").exit_code == 0
    other = run("export", "-f", "markdown", "-o", "part/", "--language", "ru")
    assert other.exit_code != 0 and "(--language az)" in other.stderr, other
    full = run("export", "-f", "markdown", "-o", "part/")
    assert full.exit_code == 0, full
    assert len([p for p in part.iterdir() if p.suffix == ".md"]) == 3
    # The full export is recorded as such: now a filtered one into it is refused.
    assert run("export", "-f", "markdown", "-o", "part/", "--language", "az").exit_code != 0
