"""prcli show."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from .conftest import Run

Add = Callable[..., Path]


@pytest.fixture
def two(add: Add) -> tuple[Path, Path]:
    first = add(
        title="CIS security chiefs meet in Moscow",
        tags=("CIS",),
        translation_key="cis",
        body="## Heading\n\nHeld on **October 13**.",
    )
    second = add(title="CIS meeting in Azerbaijani", language="az", translation_key="cis")
    return first, second


def test_show_panel_renders_metadata_and_body(two: tuple[Path, Path], run: Run) -> None:
    result = run("show", "2021-10-15-cis-security")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "CIS security chiefs meet in Moscow" in out
    assert "en (also az)" in out
    assert "Heading" in out and "October 13" in out and "**" not in out
    assert "About the Service." in out  # boilerplate of the repository for this language
    assert "Press office" in out  # default contacts


def test_show_json_has_every_field_and_the_body(two: tuple[Path, Path], run: Run) -> None:
    data = json.loads(run("show", "2021-10-15-cis-security", "--format", "json").stdout)
    assert data["body"] == "## Heading\n\nHeld on **October 13**."
    assert data["translations"] == ["az"]
    assert data["tags"] == ["CIS"]


def test_show_raw_is_the_file_byte_for_byte(two: tuple[Path, Path], run: Run) -> None:
    assert run("show", str(two[0]), "--format", "raw").stdout == two[0].read_text()


def test_show_markdown(two: tuple[Path, Path], run: Run) -> None:
    out = run("show", "2021-10-15-cis-security", "-f", "markdown").stdout
    assert out.startswith("# CIS security chiefs meet in Moscow\n\n")
    assert out.rstrip().endswith("Held on **October 13**.")


def test_show_by_relative_path(two: tuple[Path, Path], run: Run, repo_root: Path) -> None:
    relative = two[1].relative_to(repo_root)
    assert "CIS meeting in Azerbaijani" in run("show", str(relative)).stdout


def test_ambiguous_prefix_lists_candidates(two: tuple[Path, Path], run: Run) -> None:
    result = run("show", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "'2021-10-15-cis' matches 2 releases" in result.stderr
    assert "2021-10-15-cis-meeting-in-azerbaijani" in result.stderr
    assert "2021-10-15-cis-security-chiefs-meet-in-moscow" in result.stderr


def test_unknown_id_suggests_a_close_one(two: tuple[Path, Path], run: Run) -> None:
    result = run("show", "2021-10-15-cis-security-chiefs-meat-in-moscow")
    assert result.exit_code == 1
    assert "no release with id" in result.stderr
    assert "did you mean 2021-10-15-cis-security-chiefs-meet-in-moscow" in result.stderr


@pytest.mark.parametrize(
    "reference", ["../prcli.toml", "/etc/passwd", "../../outside.md", "~/x.md"]
)
def test_paths_outside_the_releases_folder_are_refused(
    two: tuple[Path, Path], run: Run, reference: str
) -> None:
    result = run("show", reference, "--format", "raw")
    assert result.exit_code == 1
    assert "outside the repository's releases folder" in result.stderr
    assert result.stdout == ""


def test_symlink_to_outside_is_refused(
    two: tuple[Path, Path], run: Run, repo_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("secret")
    link = repo_root / "releases" / "2021" / "link.md"
    link.symlink_to(target)
    result = run("show", "releases/2021/link.md", "--format", "raw")
    assert result.exit_code == 1
    assert "outside" in result.stderr
    assert "secret" not in result.stdout


def test_show_a_broken_release_names_file_and_line(add: Add, run: Run, repo_root: Path) -> None:
    path = repo_root / "releases" / "2021" / "2021-10-15-bad.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '---\nid: "2021-10-15-bad"\ntitle: "T"\nstatus: "draft"\nlanguage: "en"\ndate: 2021-10-15\nx: &a [1]\ny: *a\n---\n'
    )
    result = run("show", "2021-10-15-bad")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: releases/2021/2021-10-15-bad.md:7: YAML aliases")
    assert "Traceback" not in result.stderr


def test_show_with_an_id_that_is_not_an_id(two: tuple[Path, Path], run: Run) -> None:
    result = run("show", "x;rm -rf")
    assert result.exit_code == 1
    assert "is not a release id" in result.stderr


def test_date_stays_when_listing_missing_dates(add: Add, run: Run) -> None:
    add(title="Old", date=date(1999, 1, 1))
    assert "1999-01-01" in run("show", "1999-01-01-old").stdout
