"""prcli export -o: never into the repository's own folders; folder vs file paths; one kit ZIP."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from prcli.repository import Repository

from .conftest import Run


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "html", "-o", "releases/", "--force"),
        ("--format", "markdown", "-o", "releases/2021/", "--force"),
        ("--format", "json", "-o", "releases/out.json", "--force"),
        ("--format", "ninjs", "-o", "media/", "--force"),
        ("--format", "csv", "-o", ".prcli/out.csv", "--force"),
        ("--format", "jsonl", "-o", "private/list.jsonl", "--force"),
        ("--format", "markdown", "-o", ".", "--force"),
        ("--format", "html", "-o", "../", "--force"),
    ],
)
def test_export_into_the_repository_folders_is_refused_even_with_force(
    repository: Repository, add: Callable[..., Path], run: Run, args: tuple[str, ...]
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    before = _files(repository.root.parent)
    result = run("export", *args)
    assert result.exit_code == 2, result
    assert "even with --force" in result.stderr
    assert "-o site/" in result.stderr
    assert "pass --force" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # the error and its hint
    assert _files(repository.root.parent) == before
    assert run("validate").exit_code == 0


@pytest.mark.parametrize("name", ["prcli.toml", ".gitattributes", ".gitignore"])
def test_export_over_a_file_of_the_repository_is_refused_even_with_force(
    repository: Repository, add: Callable[..., Path], run: Run, name: str
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    own = repository.root / name
    if not own.exists():
        own.write_text(".prcli/\n", encoding="utf-8")
    before = own.read_bytes()
    result = run("export", "--format", "json", "-o", name, "--force")
    assert result.exit_code == 2, result
    assert f"{name} is " in result.stderr
    assert "even with --force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # the error and its hint
    assert own.read_bytes() == before
    assert run("validate").exit_code == 0


def test_export_over_a_file_git_tracks_is_refused_but_an_untracked_one_is_replaced(
    repository: Repository, add: Callable[..., Path], run: Run
) -> None:
    import subprocess

    add(title="CIS security chiefs meet in Moscow")
    root = repository.root
    (root / "README.md").write_text("# Our press office\n", encoding="utf-8")
    (root / "out.json").write_text("[]\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "README.md"], check=True)
    result = run("export", "--format", "json", "-o", "README.md", "--force")
    assert result.exit_code == 2, result
    assert "git tracks" in result.stderr
    assert (root / "README.md").read_text(encoding="utf-8") == "# Our press office\n"
    assert run("export", "--format", "json", "-o", "out.json", "--force").exit_code == 0
    assert "Moscow" in (root / "out.json").read_text(encoding="utf-8")


def test_a_private_folder_set_elsewhere_is_protected_too(
    repository: Repository, add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    config = repository.root / "prcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[distribution]\nprivate_folder = "../people"\n',
        encoding="utf-8",
    )
    add(title="CIS security chiefs meet in Moscow")
    result = run("export", "--format", "json", "-o", str(tmp_path / "people" / "x.json"))
    assert result.exit_code == 2, result
    assert "private folder" in result.stderr
    assert not (tmp_path / "people" / "x.json").exists()


def test_exports_beside_the_repository_folders_are_fine(
    repository: Repository, add: Callable[..., Path], run: Run
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    assert run("export", "--format", "markdown", "-o", "site/").exit_code == 0
    assert run("export", "--format", "json", "-o", "out.json").exit_code == 0
    assert (repository.root / "out.json").is_file()
    assert len(list((repository.root / "site").glob("*.md"))) == 1
    assert run("validate").exit_code == 0


@pytest.mark.parametrize("fmt, extension", [("csv", ".csv"), ("atom", ".xml")])
def test_a_single_file_format_refuses_a_path_ending_with_a_slash(
    add: Callable[..., Path], run: Run, tmp_path: Path, fmt: str, extension: str
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    (tmp_path / "out").mkdir()
    target = f"{tmp_path}/out/newdir/"
    result = run("export", "--format", fmt, "-o", target)
    assert result.exit_code == 2, result
    assert f"{fmt} writes one file" in result.stderr
    assert f"-o {tmp_path}/out/newdir/releases{extension}" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_a_kit_for_one_release_goes_to_the_zip_name_given(
    add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    target = tmp_path / "kit.zip"
    result = run("export", "--format", "kit", "-o", str(target))
    assert result.exit_code == 0, result
    assert target.is_file()
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist()
    again = run("export", "--format", "kit", "-o", str(target))
    assert again.exit_code == 2 and "exists" in again.stderr


def test_a_kit_zip_name_for_several_releases_is_refused(
    add: Callable[..., Path], run: Run, tmp_path: Path
) -> None:
    add(title="CIS security chiefs meet in Moscow")
    add(title="Statement on the summit")
    target = tmp_path / "kit.zip"
    result = run("export", "--format", "kit", "-o", str(target))
    assert result.exit_code == 2, result
    assert "2 releases match" in result.stderr
    assert "-o kit/" in result.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "press"]
