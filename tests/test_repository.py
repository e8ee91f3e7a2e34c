"""The folder repository: discovery, config errors, atomic and exclusive writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prcli import atomicfile
from prcli.errors import ConfigError, OutsideRepository, RepositoryNotFound, StorageError
from prcli.repository import Entry, Repository

from .helpers import CONFIG_TEXT, make_release


def test_discover_walks_up_like_git(repo_root: Path) -> None:
    deep = repo_root / "releases" / "2021"
    deep.mkdir(parents=True, exist_ok=True)
    assert Repository.discover(deep).root == repo_root.resolve()


def test_explicit_repository_must_hold_a_config(tmp_path: Path) -> None:
    with pytest.raises(RepositoryNotFound, match="is not a prcli repository"):
        Repository.discover(tmp_path, str(tmp_path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[organisation\n", "TOML syntax error"),
        ('[organisation]\ntimezone = "Mars/Base"\n', "unknown timezone"),
        ('[releases]\nlanguages = "en"\n', "must be a non-empty list"),
        ('[releases]\nfolder = "../elsewhere"\n', "must be a folder inside the repository"),
        ('[releases]\nformat = "json"\n', "releases.format must be"),
        ('[releases]\nlanguages = ["en"]\ndefault_language = "az"\n', "is not in languages"),
    ],
)
def test_config_errors_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "prcli.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        Repository.open(tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "prcli.toml"))


def test_releases_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "prcli.toml").write_text(CONFIG_TEXT)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "releases").symlink_to(outside)
    with pytest.raises(OutsideRepository):
        Repository.open(root)


def test_failed_save_leaves_the_original_and_no_temp_file(
    repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = make_release()
    created = repository.create(release)
    original = created.path.read_bytes()

    def broken_replace(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomicfile.os, "replace", broken_replace)
    with pytest.raises(StorageError, match=r"cannot write .*: No space left on device"):
        repository.save(Entry(created.path, release.replace(title="Changed"), "yaml"))
    assert created.path.read_bytes() == original
    assert sorted(p.name for p in created.path.parent.iterdir()) == [created.path.name]


def test_save_without_changes_writes_nothing(repository: Repository) -> None:
    created = repository.create(make_release())
    before = os.stat(created.path).st_mtime_ns
    assert repository.save(created) is False
    assert os.stat(created.path).st_mtime_ns == before


def test_create_never_overwrites(repository: Repository) -> None:
    first = repository.create(make_release(body="first"))
    second = repository.create(make_release(body="second"))
    assert first.path != second.path
    assert repository.read(first.path).release.body == "first"
    assert repository.read(second.path).release.body == "second"
    assert second.release.id == second.path.stem


def test_new_files_get_the_usual_mode_not_0600(repository: Repository) -> None:
    created = repository.create(make_release())
    mask = os.umask(0)
    os.umask(mask)
    assert created.path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_hidden_and_temp_files_are_not_releases(repository: Repository) -> None:
    created = repository.create(make_release())
    (created.path.parent / ".x.md.abc.tmp").write_text("partial")
    (created.path.parent / "notes.txt").write_text("not a release")
    assert repository.release_files() == [created.path]


def test_prune_locks_removes_only_unheld_old_lock_files_of_ours(repository: Repository) -> None:
    import fcntl
    import time

    folder = repository.work_dir / "locks"
    with repository.locked("2021-10-15-held"):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    names = ["2021-10-15-old.lock", "2021-10-15-held.lock", "2021-10-15-new.lock", "notes.txt"]
    for name in names:
        (folder / name).touch()
    (folder / "2021-10-15-link.lock").symlink_to(folder / "notes.txt")
    hour_ago = time.time() - 2 * 3600
    for name in [*names[:2], "notes.txt"]:
        os.utime(folder / name, (hour_ago, hour_ago))
    held = os.open(folder / "2021-10-15-held.lock", os.O_RDWR)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process's lock, as far as prune can tell
        assert repository.prune_locks() == 1
    finally:
        os.close(held)
    assert sorted(p.name for p in folder.iterdir()) == [
        "2021-10-15-held.lock",
        "2021-10-15-link.lock",
        "2021-10-15-new.lock",
        "notes.txt",
    ]


def test_a_lock_whose_file_was_pruned_meanwhile_locks_the_new_file(
    repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that opened a lock file which prune_locks then removed must not hold a lock on
    the removed file while another process locks the new one: it locks the file there now."""
    import fcntl

    folder = repository.work_dir / "locks"
    with repository.locked("2021-10-15-x"):
        pass
    path = folder / "2021-10-15-x.lock"
    stale = os.open(path, os.O_RDWR)  # opened before the prune, locked after it
    assert repository.prune_locks(older_than=0) == 1
    opened: list[int] = []
    real_open = Repository._open_lock_file

    def open_lock_file(self: Repository, where: Path, name: str) -> int:
        fd = stale if not opened else real_open(self, where, name)
        opened.append(fd)
        return fd

    monkeypatch.setattr(Repository, "_open_lock_file", open_lock_file)
    with repository.locked("2021-10-15-x"):
        assert len(opened) == 2  # the removed file was let go, the new one taken
        other = os.open(path, os.O_RDWR)
        try:  # the file at the path is the one held
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
