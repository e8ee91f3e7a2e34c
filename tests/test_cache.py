"""The index cache: an accelerator that is never a source of truth."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from prcli.cache import SCHEMA_VERSION
from prcli.repository import CACHE_NAME, Repository

from .conftest import Run
from .helpers import make_release, write_release


def titles(run: Run) -> dict[str, str]:
    result = run("list", "--format", "json")
    assert result.exit_code in (0, 1), result
    return {r["id"]: r["title"] for r in json.loads(result.stdout)}


@pytest.fixture
def cached(repository: Repository, run: Run) -> Repository:
    write_release(repository, make_release(title="First release"))
    write_release(repository, make_release(title="Second release"))
    assert len(titles(run)) == 2
    assert (repository.work_dir / CACHE_NAME).exists()
    return repository


def test_edit_add_delete_rename_show_up(cached: Repository, run: Run) -> None:
    first = cached.releases_dir / "2021" / "2021-10-15-first-release.md"
    first.write_text(first.read_text().replace("First release", "Edited release"))
    third = write_release(cached, make_release(title="Third release"))
    (cached.releases_dir / "2021" / "2021-10-15-second-release.md").unlink()
    moved = cached.releases_dir / "2022"
    moved.mkdir()
    third.rename(moved / third.name)
    assert titles(run) == {
        "2021-10-15-first-release": "Edited release",
        "2021-10-15-third-release": "Third release",
    }


def test_same_size_edit_within_the_same_second(cached: Repository, run: Run) -> None:
    path = cached.releases_dir / "2021" / "2021-10-15-first-release.md"
    stat = path.stat()
    path.write_text(path.read_text().replace("First release", "FiRST release"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert titles(run)["2021-10-15-first-release"] == "FiRST release"


def test_checkout_of_another_branch(cached: Repository, run: Run) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = cached.root
    git = [
        "git",
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "-c",
        "init.defaultBranch=main",
    ]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "releases"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=root, check=True)
    subprocess.run([*git, "checkout", "-qb", "other"], cwd=root, check=True)
    path = root / "releases" / "2021" / "2021-10-15-first-release.md"
    path.write_text(path.read_text().replace("First release", "Other branch"))
    subprocess.run([*git, "commit", "-qam", "two"], cwd=root, check=True)
    assert titles(run)["2021-10-15-first-release"] == "Other branch"
    subprocess.run([*git, "checkout", "-q", "main"], cwd=root, check=True)
    assert titles(run)["2021-10-15-first-release"] == "First release"


def test_broken_files_are_remembered_and_reported_every_time(cached: Repository, run: Run) -> None:
    bad = cached.releases_dir / "2021" / "2021-01-01-bad.md"
    bad.write_text("---\ntitle: [\n---\n")
    for _ in range(2):
        result = run("list", "--format", "ids")
        assert result.exit_code == 1 and "2021-01-01-bad.md:2: YAML syntax error" in result.stderr


@pytest.mark.parametrize("damage", ["garbage", "foreign-version", "empty", "wrong-table"])
def test_a_damaged_cache_is_rebuilt_silently(cached: Repository, run: Run, damage: str) -> None:
    cache = cached.work_dir / CACHE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        cache.write_bytes(b"this is not a database" * 100)
    elif damage == "empty":
        cache.write_bytes(b"")
    else:
        with sqlite3.connect(cache) as connection:
            if damage == "foreign-version":
                connection.execute("UPDATE meta SET value = 'other' WHERE key = 'schema'")
            else:
                connection.execute("DROP TABLE releases")
                connection.execute("CREATE TABLE releases (x)")
                connection.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,)
                )
    result = run("list", "--format", "ids")
    assert result.exit_code == 0, result
    assert result.stderr == ""
    assert sorted(result.stdout.split()) == [
        "2021-10-15-first-release",
        "2021-10-15-second-release",
    ]


def test_no_cache_reads_the_files(cached: Repository, run: Run) -> None:
    cache = cached.work_dir / CACHE_NAME
    before = cache.stat().st_mtime_ns
    assert len(json.loads(run("--no-cache", "list", "--format", "json").stdout)) == 2
    assert cache.stat().st_mtime_ns == before


def test_the_cache_never_decides_content(cached: Repository, run: Run) -> None:
    """Poison a cached row: as soon as the file's stat differs, the file wins."""
    cache = cached.work_dir / CACHE_NAME
    with sqlite3.connect(cache) as connection:
        connection.execute(
            "UPDATE records SET record = "
            "CAST(replace(CAST(record AS TEXT), 'First release', 'Poisoned') AS BLOB)"
        )
    path = cached.releases_dir / "2021" / "2021-10-15-first-release.md"
    path.touch()
    assert titles(run)["2021-10-15-first-release"] == "First release"


def test_two_users_of_the_cache_at_once(cached: Repository) -> None:
    for number in range(30):
        write_release(cached, make_release(title=f"Release {number}"))
    results: list[int] = []

    def load() -> None:
        results.append(len(Repository.open(cached.root).load_all().entries))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [32] * 4


def test_entries_without_bodies_cannot_be_saved(cached: Repository) -> None:
    for path in cached.release_files():  # old enough not to be "racy": served from the cache
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    cached.load_all()
    entry = cached.load_all(bodies=False).entries[0]
    assert entry.release.body == "" and not entry.body_loaded
    with pytest.raises(ValueError, match="without its body"):
        cached.save(entry)
    assert cached.load_all().entries[0].release.body.startswith("The regular meeting")


def test_a_cache_locked_by_another_process_is_bypassed_not_deleted(
    cached: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prcli.cache

    class Impatient(prcli.cache.IndexCache):  # the real timeout is 5 s; keep the test quick
        def open(self) -> bool:
            original = sqlite3.connect
            monkeypatch.setattr(
                sqlite3, "connect", lambda *a, **k: original(*a, **{**k, "timeout": 0.1})
            )
            try:
                return super().open()
            finally:
                monkeypatch.setattr(sqlite3, "connect", original)

    monkeypatch.setattr(prcli.cache, "IndexCache", Impatient)
    path = cached.work_dir / CACHE_NAME
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        loaded = Repository.open(cached.root).load_all()
        assert len(loaded.entries) == 2 and loaded.errors == []
        assert path.exists()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- a database vouched for (prcli.cache: IndexCache.trust) -----------------------------------------

OLD = 1_600_000_000_000_000_000


def _vouched(repository: Repository, run: Run) -> Path:
    """Age the files and the index so that listings vouch for it, and list until one has."""
    for path in repository.release_files():
        os.utime(path, ns=(OLD, OLD))
    run("list", "--format", "ids")  # re-reads the files stored as too recent to trust
    cache = repository.work_dir / CACHE_NAME
    for suffix in ("", "-wal"):
        if Path(f"{cache}{suffix}").exists():
            os.utime(f"{cache}{suffix}", ns=(OLD, OLD))
    trusted = Path(f"{cache}-trusted")
    trusted.unlink(missing_ok=True)
    run("list", "--format", "ids")  # checks every row, writes nothing: vouches
    assert trusted.exists()
    return trusted


def test_a_vouched_index_still_sees_every_change_to_the_files(cached: Repository, run: Run) -> None:
    first = cached.releases_dir / "2021" / "2021-10-15-first-release.md"
    _vouched(cached, run)
    stat = first.stat()
    first.write_text(first.read_text().replace("First release", "FiRST release"))
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert titles(run)["2021-10-15-first-release"] == "FiRST release"
    _vouched(cached, run)
    third = write_release(cached, make_release(title="Third release"))
    os.utime(third, ns=(OLD, OLD))
    assert "2021-10-15-third-release" in titles(run)
    _vouched(cached, run)
    third.unlink()
    assert "2021-10-15-third-release" not in titles(run)
    _vouched(cached, run)
    moved = cached.releases_dir / "2022"
    moved.mkdir()
    first.rename(moved / first.name)
    result = run("list", "--format", "json")
    assert [r["path"] for r in json.loads(result.stdout) if "first" in r["id"]] == [
        "releases/2022/2021-10-15-first-release.md"
    ]


def test_any_write_to_a_vouched_index_has_it_checked_again(cached: Repository, run: Run) -> None:
    expected = run("list", "--format", "json").stdout
    by_title = run("--no-cache", "list", "--format", "json", "--sort", "title").stdout
    _vouched(cached, run)
    with sqlite3.connect(cached.work_dir / CACHE_NAME) as connection:
        connection.execute("UPDATE releases SET title_f = 'aaa', rid = 'x', language = 'ru'")
    assert run("list", "--format", "json", "--sort", "title").stdout == by_title
    assert run("list", "--format", "json").stdout == expected
    assert run("list", "--format", "ids", "--language", "ru").stdout == ""


def test_records_are_checked_even_in_a_vouched_index(cached: Repository, run: Run) -> None:
    """Only the small columns are vouched for: each record is still checked as it is read."""
    from prcli.cache import IndexCache

    expected = run("list", "--format", "json").stdout
    trusted = _vouched(cached, run)
    scan = json.loads(trusted.read_bytes())["scan"]
    path = cached.work_dir / CACHE_NAME
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE records SET record = "
            "CAST(replace(CAST(record AS TEXT), 'First release', 'Poisoned') AS BLOB)"
        )
    forged = IndexCache(path)  # vouch for the damaged database, as bit rot would go unseen
    forged.before = forged._state()
    forged.opened_ns = OLD * 2
    forged._write_trust(scan)
    assert json.loads(trusted.read_bytes())["db"] == list(forged.before[0] or ())
    assert run("list", "--format", "json").stdout == expected
    assert "Poisoned" not in run("list").stdout
