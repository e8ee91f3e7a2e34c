"""Ctrl-C: exit 130 and one line on stderr (not Click's "Aborted!" and 1), and a site export leaves
its folder as it was (or, once the files are going into place, whole), with its render workers and
Pagefind ended too."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from prcli import interrupts
from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release
from .test_export_lock import assert_consistent, snapshot
from .test_subprocess import PRCLI


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
            return [int(n) for n in listing.read().split()]
    except OSError:
        return []


def name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
            return comm.read().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.subprocess
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_during_a_site_export_exits_130_and_leaves_the_site_as_it_was(
    repository: Repository, repo_root: Path, run: Run
) -> None:
    """A site of a few releases is exported; 500 more are added and the export started again, and
    Ctrl-C is pressed (SIGINT to the whole process group, as a terminal sends it) while its render
    workers and Pagefind run. Exit 130, one line on stderr, no traceback; the folder byte for byte
    as the first export left it, no staging folder; every process the export started ended."""
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    for number in range(3):
        write_release(repository, make_release(title=f"First release {number}"))
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    site = repo_root / "site"
    before = snapshot(site)
    text = " ".join(f"Sentence {n} of a longer body about the regional meeting." for n in range(40))
    for number in range(500):
        release = make_release(
            title=f"Release number {number}",
            date=date(2021, 1, 1) + timedelta(days=number),
            body=text,
        )
        write_release(repository, release)

    environment = {k: v for k, v in os.environ.items() if not k.startswith("FORCE_COLOR")}
    process = subprocess.Popen(
        [PRCLI, "export", "-f", "html", "-o", "site"],
        cwd=repo_root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the "terminal" below
    )
    try:
        # The render: the staging folder is there and the render workers (then Pagefind) run.
        deadline = time.monotonic() + 60
        started: list[int] = []
        names: list[str] = []
        while process.poll() is None:
            assert time.monotonic() < deadline, "the export never reached its render"
            if list(site.glob(".prcli-staging.*")):
                started = children(process.pid)
                names = [name(pid) for pid in started]
                if len(started) >= 3 and any("pagefind" in found for found in names):
                    break
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    # render workers and Pagefind were running
    assert len(started) >= 3 and any("pagefind" in found for found in names), names
    assert process.returncode == 130, stderr
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines == [
        "Building the newsroom site in site/",
        "error: interrupted; site/ was left as it was",
    ]
    assert snapshot(site) == before  # the manifest and every file as they were
    assert not list(site.glob(".prcli-staging*"))
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if alive(pid)]


def test_ctrl_c_in_any_command_exits_130_with_one_line(
    add: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wherever a command is when Ctrl-C comes (here: reading the releases of `export`)."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Repository, "stream", interrupted)
    result = run("export", "-f", "json")
    assert result.exit_code == 130, result
    assert result.stderr == "error: interrupted\n"
    assert result.stdout == ""


def test_ctrl_c_in_a_folder_export_says_the_folder_was_left_as_it_was(
    add: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch, repo_root: Path
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Repository, "stream", interrupted)
    result = run("export", "-f", "markdown", "-o", "copy")
    assert result.exit_code == 130, result
    assert result.stderr.splitlines()[-1] == "error: interrupted; copy/ was left as it was"
    assert not (repo_root / "copy").exists()  # made for the lock, removed again


def test_ctrl_c_while_files_go_into_place_lets_the_folder_become_whole(
    add: Callable[..., Path], run: Run, monkeypatch: pytest.MonkeyPatch, repo_root: Path
) -> None:
    """Ctrl-C after the first file is in place: the others follow and the manifest lists them,
    then the command stops (130) saying so."""
    import prcli.folderexport as folderexport

    real = folderexport.write_atomic
    calls: list[Path] = []

    def write_then_ctrl_c(path: Path, data: bytes, **kwargs: bool) -> None:
        real(path, data, **kwargs)
        calls.append(path)
        if len(calls) == 2:  # the manifest (old and new), then the first file
            os.kill(os.getpid(), signal.SIGINT)

    add(title="One")
    add(title="Two")
    monkeypatch.setattr(folderexport, "write_atomic", write_then_ctrl_c)
    result = run("export", "-f", "markdown", "-o", "copy")
    assert result.exit_code == 130, result
    assert result.stderr.splitlines()[-1] == (
        "error: interrupted once the files were in place: copy/ is whole, as this export made it"
    )
    assert len([p for p in (repo_root / "copy").iterdir() if p.suffix == ".md"]) == 2
    assert_consistent(repo_root / "copy")


def test_deferred_holds_ctrl_c_until_the_block_ends() -> None:
    done = []
    with pytest.raises(interrupts.Held), interrupts.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        with interrupts.deferred():  # nested: the outer one raises, at its end
            done.append("inner")
        done.append("outer")
    assert done == ["inner", "outer"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with interrupts.deferred():  # nothing came: nothing raised
        pass
