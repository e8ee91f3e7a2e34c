"""Issue 12, finding 6: -o with a format that can write a file or a folder says which it chose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import Run


def test_ninjs_to_a_name_is_one_file_and_says_so(
    add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    add()
    result = run("export", "-f", "ninjs", "-o", str(tmp_path / "wire"))
    assert result.exit_code == 0, result
    assert (tmp_path / "wire").is_file()
    assert "Writing one ninjs stream to the file" in result.stderr
    assert "end the path with / for a folder" in result.stderr


def test_ninjs_to_a_folder_path_is_a_folder_and_says_so(
    add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    add()
    result = run("export", "-f", "ninjs", "-o", f"{tmp_path / 'wire'}/")
    assert result.exit_code == 0, result
    assert (tmp_path / "wire").is_dir() and len(list((tmp_path / "wire").glob("*.json"))) == 1
    assert "Writing a folder: one .json file per release" in result.stderr


def test_a_folder_only_format_says_it_writes_a_folder(
    add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    add()
    result = run("export", "-f", "markdown", "-o", str(tmp_path / "copy"))
    assert result.exit_code == 0, result
    assert "markdown writes a folder: one file per release in" in result.stderr
    site = run("export", "-f", "html", "-o", str(tmp_path / "site"))
    assert site.exit_code == 0 and "Building the newsroom site in" in site.stderr
    (tmp_path / "file.html").write_text("x")
    refused = run("export", "-f", "html", "-o", str(tmp_path / "file.html"))
    assert refused.exit_code == 2 and "exists and is not a folder" in refused.stderr
    assert "html writes a folder" in refused.stderr
