"""One export at a time into a folder (prcli.folderexport.locked): two site exports started truly at
once end in one whole site; a second export waits, then does its work; a bounded wait fails with one
clear line; the lock leaves nothing in the folder a web server would publish."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prcli import folderexport
from prcli.folderexport import FolderBusy, FolderConflict, locked, write_folder

from .concurrency import run_together
from .conftest import Run
from .test_site import sample

NOW = "2026-11-27T10:00:00+04:00"  # the clock of tests/concurrency.py


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones too) with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_consistent(site: Path) -> None:
    """The manifest lists exactly the files there, with their bytes; no staging or lock left."""
    files = snapshot(site)
    del files[".prcli-manifest"]
    manifest = json.loads((site / ".prcli-manifest").read_text(encoding="utf-8"))
    assert manifest["files"] == files
    assert not [p for p in os.listdir(site) if p.startswith((".prcli-staging", ".prcli-lock"))]


@pytest.fixture
def holder() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """Hold the lock of a folder from another process, as a running export would."""
    started: list[subprocess.Popen[str]] = []

    def hold(folder: Path) -> subprocess.Popen[str]:
        code = (
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n"
        )
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


@pytest.mark.subprocess
def test_two_site_exports_started_at_once_end_in_one_whole_site(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `export --format html -o site` released together, of two different sites (two base
    URLs): one waits for the other, both succeed, and the folder is exactly the site of the one
    that ran last: every page, the manifest listing each file with its bytes, no staging folder.
    (Without the lock neither waits, and the two write the folder at the same time.)"""
    root = sample(tmp_path)
    # Without the search: Pagefind answers before its last file is written (about 1 bundle in
    # 30 gets a manifest digest of the file half written), which is not what this test is about.
    with (root / "prcli.toml").open("a", encoding="utf-8") as config:
        config.write("\n[site]\nsearch = false\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", NOW)
    references = {}
    for name in ("a", "b"):  # each site as one export alone makes it
        result = run(
            "export", "-f", "html", "-o", f"ref-{name}", "--base-url", f"https://{name}.org"
        )
        assert result.exit_code == 0, result
        references[name] = snapshot(root / f"ref-{name}")
    assert references["a"] != references["b"]

    commands = [
        ["export", "-f", "html", "-o", "site", "--base-url", f"https://{name}.org"]
        for name in ("a", "b")
    ]
    results = run_together(commands, cwd=root, work=tmp_path / "sync")

    assert [r.returncode for r in results] == [0, 0], results
    waited = [r for r in results if "Waiting for another prcli export into site/" in r.stderr]
    assert len(waited) == 1, results  # the other one held the folder from start to end
    last = "ab"[results.index(waited[0])]
    site = root / "site"
    assert snapshot(site) == references[last]
    assert_consistent(site)
    for r in results:
        assert "Traceback" not in r.stderr and "error" not in r.stderr, r


def test_a_second_export_waits_a_bounded_time_then_fails_in_one_line(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, holder: Callable[[Path], None]
) -> None:
    """Another export holds copy/ for longer than the wait: exit 1, one error line naming the
    folder, a hint saying what to do, nothing written."""
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    copy = root / "copy"
    copy.mkdir()
    holder(copy)
    monkeypatch.setattr(folderexport, "LOCK_TIMEOUT", 0.3)
    result = run("export", "-f", "markdown", "-o", "copy")
    assert result.exit_code == 1, result
    lines = result.stderr.strip().splitlines()
    assert "Waiting for another prcli export into copy/ to end (up to 0.3 seconds)..." in lines
    assert lines[-2] == (
        "error: another prcli export into copy/ has been running for more than 0.3 seconds"
    )
    assert lines[-1].strip().startswith("hint: wait for it to end and export again")
    assert os.listdir(copy) == []


def test_the_lock_waits_for_the_holder_then_goes_on(
    tmp_path: Path, holder: Callable[[Path], None]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    holder(folder)
    told: list[str] = []
    with (
        pytest.raises(FolderBusy, match=r"into .*out/ has been running for more than 0.2 s"),
        locked(folder, waiting=lambda: told.append("waiting"), timeout=0.2),
    ):
        pass
    assert told == ["waiting"]  # said once, however long the wait


def test_the_lock_is_a_lock_on_the_folder_itself_and_leaves_nothing(tmp_path: Path) -> None:
    """Held: another process cannot take it; released: the folder holds only what was written.
    A folder the lock had to create is removed again when nothing was written into it."""
    folder = tmp_path / "new" / "site"
    with locked(folder):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)
        with locked(folder):  # the same process again: already held, no deadlock
            pass
        assert os.listdir(folder) == []
    assert not (tmp_path / "new").exists()
    write_folder(folder, [("a.html", b"a")])
    assert sorted(os.listdir(folder)) == [".prcli-manifest", "a.html"]


def test_a_wait_interrupted_removes_the_empty_folder_it_found_missing(
    tmp_path: Path,
    holder: Callable[[Path], subprocess.Popen[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """new/site/ is missing; another export locks it as soon as it is made, before this one can.
    This one waits; the other ends (killed: it leaves the folder it did not make), and Ctrl-C comes
    while this one still waits: the empty folders prcli made are removed. While the other export
    still holds the folder (this one gives up), it is left to that one, which works there."""
    folder = tmp_path / "new" / "site"
    real = folderexport._open_folder
    others: list[subprocess.Popen[str]] = []

    def open_then_taken(place: Path, shown: Path, *made: list[Path]) -> int:
        fd = real(place, shown, *made)
        if not others:
            others.append(holder(place))
        return fd

    def other_ends_then_ctrl_c() -> None:
        others[0].kill()
        others[0].wait()
        raise KeyboardInterrupt

    monkeypatch.setattr(folderexport, "_open_folder", open_then_taken)
    with pytest.raises(FolderBusy), locked(folder, timeout=0.1):
        pass
    assert folder.is_dir()  # the other export's to use (and tidy)
    others[0].kill()
    others[0].wait()
    folder.rmdir()
    (tmp_path / "new").rmdir()
    others.clear()

    with pytest.raises(KeyboardInterrupt), locked(folder, waiting=other_ends_then_ctrl_c):
        pass
    assert os.listdir(tmp_path) == []


def test_a_folder_made_again_after_its_holder_removed_it_is_removed_when_left_empty(
    tmp_path: Path, holder: Callable[[Path], subprocess.Popen[str]]
) -> None:
    """site/ exists and another export holds it; that one removes it (it made it, and left it
    empty) and ends. This one makes it again to lock it, then Ctrl-C comes before it wrote
    anything: the folder it made goes too."""
    folder = tmp_path / "site"
    folder.mkdir()
    other = holder(folder)

    def other_removes_it_and_ends() -> None:
        folder.rmdir()
        other.kill()
        other.wait()

    with pytest.raises(KeyboardInterrupt), locked(folder, waiting=other_removes_it_and_ends):
        assert folder.is_dir()
        raise KeyboardInterrupt
    assert not folder.exists()


@pytest.mark.subprocess
def test_sigterm_while_an_export_waits_exits_143_in_one_line(
    tmp_path: Path, holder: Callable[[Path], subprocess.Popen[str]]
) -> None:
    """`timeout` ends a cron job that waits for another export into copy/: exit 143 (128 +
    SIGTERM), one line saying the folder was left as it was, nothing written."""
    import time

    from .test_subprocess import PRCLI

    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    root = sample(tmp_path)
    copy = root / "copy"
    copy.mkdir()
    holder(copy)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FORCE_COLOR")}
    process = subprocess.Popen(
        [PRCLI, "export", "-f", "markdown", "-o", "copy"],
        cwd=root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        said = [process.stderr.readline()]  # what markdown writes, then that it waits
        while said[-1] and not said[-1].startswith("Waiting for another prcli export"):
            said.append(process.stderr.readline())
        assert said[-1].startswith("Waiting for another prcli export into copy/"), said
        time.sleep(0.1)
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 143, stderr
    assert stdout == ""
    assert stderr == "error: interrupted; copy/ was left as it was\n"  # after the lines above
    assert os.listdir(copy) == []


def test_where_a_folder_cannot_be_locked_a_lock_file_is_used_then_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NFS emulates flock by record locks, which a folder cannot take (EBADF): the lock is then a
    file in the folder, never listed as a file of the export, removed at the end."""
    real = fcntl.flock

    def flock(fd: int, operation: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(errno.EBADF, "Bad file descriptor")
        real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    folder = tmp_path / "site"
    with locked(folder):
        assert os.listdir(folder) == [".prcli-lock"]
        report = write_folder(folder, [("a.html", b"a")])
    assert report.written == ["a.html"] and report.foreign == []
    assert sorted(os.listdir(folder)) == [".prcli-manifest", "a.html"]


def test_the_selection_is_checked_again_by_the_folder_writer(tmp_path: Path) -> None:
    """The command checks before it waits for the lock; the writer checks again under it, so a
    filtered export that waited for a full one cannot remove the full one's files."""
    folder = tmp_path / "site"
    write_folder(folder, [("en.html", b"en"), ("az.html", b"az")])
    with pytest.raises(FolderConflict, match="would remove the others"):
        write_folder(folder, [("az.html", b"az")], selection="--language az")
    assert sorted(os.listdir(folder)) == [".prcli-manifest", "az.html", "en.html"]


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Make a folder immutable (chattr +i): writing into it fails with EPERM even for root, as
    CI runs; skipped where the file system or the container cannot set the attribute."""
    made: list[Path] = []

    def freeze(folder: Path) -> None:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not available here: {done.stderr.decode().strip()}")
        made.append(folder)

    yield freeze
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_unwritable_export_folder_is_named_with_what_to_do(
    tmp_path: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    immutable: Callable[[Path], None],
    fmt: str,
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    (root / "out").mkdir()
    immutable(root / "out")

    result = run("export", "-f", fmt, "-o", "out")

    assert result.exit_code == 1, result
    assert "error: cannot write into out: operation not permitted" in result.stderr, result
    assert "export into another folder (-o), or make out writable" in result.stderr
    assert ".prcli-" not in result.stderr  # not the staging folder nor the manifest
    assert "Traceback" not in result.stderr
    assert os.listdir(root / "out") == []
