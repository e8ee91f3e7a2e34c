"""The folder manifest: prcli removes only what it wrote, never foreign files, and survives a
manifest edited or deleted by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prcli.errors import PrcliError
from prcli.folderexport import MANIFEST, FolderConflict, read_manifest, write_folder


def names(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_rewrite_removes_own_stale_files_and_keeps_foreign(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = write_folder(out, [("index.html", b"i1"), ("a.html", b"a"), ("en/b.html", b"b")])
    assert sorted(first.written) == ["a.html", "en/b.html", "index.html"]
    (out / "robots.txt").write_text("mine")  # a file the office added by hand
    second = write_folder(out, [("index.html", b"i2"), ("a.html", b"a")])
    assert second.written == ["index.html"]
    assert second.unchanged == ["a.html"]
    assert second.removed == ["en/b.html"]
    assert second.foreign == ["robots.txt"]
    assert names(out) == {"index.html", "a.html", "robots.txt", MANIFEST}
    assert not (out / "en").exists()  # emptied folder pruned
    assert (out / "robots.txt").read_text() == "mine"
    files, distrust = read_manifest(out)
    assert distrust == "" and set(files) == {"index.html", "a.html"}


def test_own_file_edited_by_hand_is_kept_when_no_longer_produced(tmp_path: Path) -> None:
    write_folder(tmp_path, [("a.html", b"a"), ("b.html", b"b")])
    (tmp_path / "b.html").write_bytes(b"edited")
    report = write_folder(tmp_path, [("a.html", b"a")])
    assert report.removed == [] and report.kept_edited == ["b.html"]
    assert (tmp_path / "b.html").read_bytes() == b"edited"


def test_foreign_file_of_the_same_name_needs_force(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"theirs")
    with pytest.raises(FolderConflict) as caught:
        write_folder(tmp_path, [("a.html", b"ours")])
    assert caught.value.names == ["a.html"]
    assert (tmp_path / "a.html").read_bytes() == b"theirs"
    assert not (tmp_path / MANIFEST).exists()
    report = write_folder(tmp_path, [("a.html", b"ours")], force=True)
    assert report.replaced_foreign == ["a.html"]
    assert (tmp_path / "a.html").read_bytes() == b"ours"


@pytest.mark.parametrize("damage", ["delete", "edit-entry", "garbage"])
def test_damaged_manifest_is_rebuilt_and_nothing_is_removed(tmp_path: Path, damage: str) -> None:
    write_folder(tmp_path, [("a.html", b"a"), ("old.html", b"old")])
    (tmp_path / "foreign.txt").write_bytes(b"x")
    manifest = tmp_path / MANIFEST
    if damage == "delete":
        manifest.unlink()
    elif damage == "edit-entry":  # someone lists a foreign file as prcli's, with its real hash
        import hashlib

        data = json.loads(manifest.read_text())
        data["files"]["foreign.txt"] = hashlib.sha256(b"x").hexdigest()
        manifest.write_text(json.dumps(data))
    else:
        manifest.write_text("{not json")
    report = write_folder(tmp_path, [("a.html", b"a2")], force=True)
    assert report.manifest_rebuilt
    assert report.removed == []
    assert names(tmp_path) == {"a.html", "old.html", "foreign.txt", MANIFEST}
    assert "foreign.txt" in report.foreign and "old.html" in report.foreign
    files, distrust = read_manifest(tmp_path)
    assert distrust == "" and set(files) == {"a.html"}


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a/../../x", "a\\b", "", MANIFEST])
def test_names_cannot_leave_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(PrcliError):
        write_folder(tmp_path / "out", [(name, b"x")])
    assert not (tmp_path / "x").exists()


def test_staged_files_with_their_digest_are_moved_unread_and_keep_the_mode_they_replace(
    tmp_path: Path,
) -> None:
    import hashlib
    import os

    from prcli.folderexport import Staged, staging

    out = tmp_path / "site"
    write_folder(out, [("a.html", b"old"), ("b.html", b"same")])
    (out / "a.html").chmod(0o600)  # the office narrowed one page's mode by hand

    def staged(name: str, data: bytes, told: bytes | None = None) -> Staged:
        path = staging(out) / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        said = data if told is None else told  # what the writer says it wrote
        return Staged(path, hashlib.sha256(said).hexdigest(), len(said))

    # c.html's file holds other bytes than its writer said: what it said is what is listed, so
    # the writer's word is what counts (it is never read back).
    report = write_folder(
        out,
        [
            ("a.html", staged("1", b"new")),
            ("b.html", staged("2", b"same")),
            ("en/c.html", staged("3", b"xyz", told=b"abc")),
        ],
        durable=False,
    )
    assert sorted(report.written) == ["a.html", "en/c.html"]
    assert report.unchanged == ["b.html"]
    assert (out / "a.html").read_bytes() == b"new"
    assert (out / "a.html").stat().st_mode & 0o777 == 0o600
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "en" / "c.html").stat().st_mode & 0o777 == 0o666 & ~mask
    files, _ = read_manifest(out)
    assert files["en/c.html"] == hashlib.sha256(b"abc").hexdigest()
    assert files["a.html"] == hashlib.sha256(b"new").hexdigest()
    assert not staging(out).exists()
