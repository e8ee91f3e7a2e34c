"""Ctrl-C: exit 130 and one line on stderr (not Click's "Aborted!" and 1), and a site export leaves
its folder as it was (or, once the files are going into place, whole), with its render workers and
Pagefind ended too. SIGTERM (kill, timeout, systemd) and SIGHUP the same way, with 143 and 129."""

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


def add_releases(repository: Repository, count: int) -> None:
    """`count` releases with a body long enough for their pages to take a while to render."""
    text = " ".join(f"Sentence {n} of a longer body about the regional meeting." for n in range(40))
    for number in range(count):
        release = make_release(
            title=f"Release number {number}",
            date=date(2021, 1, 1) + timedelta(days=number),
            body=text,
        )
        write_release(repository, release)


def first_site(repository: Repository, repo_root: Path, run: Run) -> tuple[Path, dict[str, str]]:
    """A site of three releases exported into site/: the folder and its files (SHA-256)."""
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    for number in range(3):
        write_release(repository, make_release(title=f"First release {number}"))
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    site = repo_root / "site"
    return site, snapshot(site)


def start(command: list[str], repo_root: Path) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FORCE_COLOR")}
    return subprocess.Popen(
        command,
        cwd=repo_root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the "terminal" below
    )


def send(process: subprocess.Popen[str], signum: int, group: bool) -> tuple[str, str]:
    """`signum` to the process (as `kill PID` sends it) or to its whole group (as a terminal
    sends Ctrl-C and `timeout` its SIGTERM); its stdout and stderr once it ended."""
    try:
        if group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        return process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def assert_ended(started: list[int]) -> None:
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if alive(pid)]


@pytest.mark.subprocess
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("signum", "group", "status"),
    [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143), (signal.SIGTERM, True, 143)],
    ids=["ctrl-c", "kill", "timeout"],
)
def test_a_signal_during_a_site_export_leaves_the_site_as_it_was(
    repository: Repository, repo_root: Path, run: Run, signum: int, group: bool, status: int
) -> None:
    """A site of a few releases is exported; 500 more are added and the export started again, and
    while its render workers and Pagefind run: Ctrl-C (SIGINT to the whole process group, as a
    terminal sends it), SIGTERM to the process alone (`kill PID`) or to its group (`timeout`,
    systemd). Exit 128 + the signal, one line on stderr, no traceback; the folder byte for byte as
    the first export left it, no staging folder; every process the export started ended."""
    site, before = first_site(repository, repo_root, run)
    add_releases(repository, 500)
    process = start([str(PRCLI), "export", "-f", "html", "-o", "site"], repo_root)
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
    stdout, stderr = send(process, signum, group)

    # render workers and Pagefind were running
    assert len(started) >= 3 and any("pagefind" in found for found in names), names
    assert process.returncode == status, stderr
    assert stdout == ""
    assert stderr.splitlines() == [
        "Building the newsroom site in site/",
        "error: interrupted; site/ was left as it was",
    ]
    assert snapshot(site) == before  # the manifest and every file as they were
    assert not list(site.glob(".prcli-staging*"))
    assert_ended(started)


# Runs prcli's entry point in a process of its own, paused in the write phase (after the first
# two files went into place) until the signal the test sends has come.
PAUSED_EXPORT = """
import sys, time
from pathlib import Path
from prcli import folderexport, interrupts
from prcli.cli.main import main

check = folderexport._Places.check
calls = []
paused = Path(sys.argv[1])

def pause_then_check(self, target):
    calls.append(target)
    if len(calls) == 3:
        paused.touch()
        deadline = time.monotonic() + 20
        while not interrupts._pending and time.monotonic() < deadline:
            time.sleep(0.01)
    check(self, target)

folderexport._Places.check = pause_then_check
sys.argv = ["prcli", "export", "-f", "html", "-o", "site"]
main()
"""


@pytest.mark.subprocess
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["term", "hup"]
)
def test_a_signal_while_the_site_goes_into_place_lets_it_become_whole(
    repository: Repository,
    repo_root: Path,
    run: Run,
    tmp_path: Path,
    signum: int,
    status: int,
) -> None:
    """SIGTERM (or SIGHUP) once the first files of a re-export are in place: the others follow,
    the manifest and the render cache with them, then the command stops (128 + the signal) saying
    so. A re-export afterwards finds nothing to change: the folder was whole."""
    import sys

    site, before = first_site(repository, repo_root, run)
    add_releases(repository, 20)
    paused = tmp_path / "paused"
    process = start([sys.executable, "-c", PAUSED_EXPORT, str(paused)], repo_root)
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the export never reached its write phase"
        time.sleep(0.005)
    started = children(process.pid)
    stdout, stderr = send(process, signum, False)

    assert process.returncode == status, stderr
    assert stdout == ""
    assert stderr.splitlines()[-1] == (
        "error: interrupted once the files were in place: site/ is whole, as this export made it"
    )
    assert_consistent(site)
    whole = snapshot(site)
    assert whole != before
    assert not list(site.glob(".prcli-staging*"))
    assert_ended(started)
    again = run("export", "-f", "html", "-o", "site")
    assert again.exit_code == 0, again
    assert snapshot(site) == whole  # nothing left to write: the interrupted export had made it all


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


def test_sigterm_and_sighup_go_the_way_of_ctrl_c_once_installed() -> None:
    """`install` (the CLI's start): SIGTERM raises Stopped (a KeyboardInterrupt, status 143) and
    `deferred` holds it, and SIGHUP, as it holds Ctrl-C."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for signum in previous:
            signal.signal(signum, signal.SIG_DFL)
        interrupts.install()
        done = []
        with pytest.raises(interrupts.Held) as held, interrupts.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGHUP)
            done.append("whole")
        assert done == ["whole"]
        assert interrupts.status(held.value) == 143  # the first that came
        with pytest.raises(interrupts.Stopped) as stopped:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(5)
        assert interrupts.status(stopped.value) == 129
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
