"""prcli edit: save valid edits, keep invalid ones, never touch the original on failure."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from prcli.model import Status
from prcli.repository import Repository

from .conftest import Run

Add = Callable[..., Path]


@pytest.fixture
def release_path(add: Add) -> Path:
    path = add(title="CIS security chiefs meet in Moscow", status=Status.DRAFT)
    os.chmod(path, 0o640)
    return path


def test_edit_saves_and_stamps_updated(
    release_path: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="held in Moscow=>held in Moscow, Russia")
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 0, result
    assert "Saved 2021-10-15-cis-security-chiefs-meet-in-moscow" in result.stderr
    release = repository.read(release_path).release
    assert "Moscow, Russia" in release.body
    assert (
        release.updated is not None and release.updated.isoformat() == "2026-11-27T10:00:00+04:00"
    )
    assert (
        stat.S_IMODE(release_path.stat().st_mode) == 0o640
    )  # the mode survives the atomic replace
    assert not [p for p in release_path.parent.iterdir() if p.name.startswith(".")]  # no temp files


def test_edit_without_changes_touches_nothing(release_path: Path, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    fake_editor()
    before = release_path.stat().st_mtime_ns, release_path.read_bytes()
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 0
    assert "No changes" in result.stderr
    assert (release_path.stat().st_mtime_ns, release_path.read_bytes()) == before


def test_invalid_edit_keeps_the_original_and_the_text(
    release_path: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute='status: "draft"=>status: "live"')
    original = release_path.read_bytes()
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "unknown status 'live'" in result.stderr
    assert release_path.read_bytes() == original
    recovered = list((repository.root / ".prcli" / "recovery").glob("*.md"))
    assert len(recovered) == 1 and 'status: "live"' in recovered[0].read_text()
    assert "your text is kept in .prcli/recovery/" in result.stderr


def test_invalid_edit_on_a_terminal_offers_another_go(
    release_path: Path, repository: Repository, run: Run, fake_editor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "editor.log"
    fake_editor(substitute='status: "draft"=>status: "live"', log=str(log))
    result = run("edit", "2021-10-15-cis", input="y\nn\n", tty=True)
    assert result.exit_code == 1
    assert len(log.read_text().splitlines()) == 2  # opened twice
    assert result.stderr.count("Edit again?") == 2


def test_changing_the_id_is_refused(release_path: Path, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    fake_editor(
        substitute='id: "2021-10-15-cis-security-chiefs-meet-in-moscow"=>id: "2021-10-15-other"'
    )
    original = release_path.read_bytes()
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "the id must stay" in result.stderr
    assert release_path.read_bytes() == original


def test_a_broken_file_can_be_fixed_with_edit(
    repo_root: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    path = repo_root / "releases" / "2021" / "2021-10-15-fix-me.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '---\nid: "2021-10-15-fix-me"\ntitle: "Fix me"\nstatus: "draft"\nlanguage: "en"\ndate: someday\n---\n'
    )
    fake_editor(substitute="date: someday=>date: 2021-10-15")
    result = run("edit", "2021-10-15-fix-me")
    assert result.exit_code == 0, result
    assert repository.read(path).release.title == "Fix me"


def test_editor_failure_saves_nothing(release_path: Path, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    fake_editor(fail="3")
    original = release_path.read_bytes()
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "exited with status 3" in result.stderr
    assert release_path.read_bytes() == original


def test_missing_editor_names_the_fix(
    release_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-prcli")
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "editor 'no-such-editor-prcli' not found" in result.stderr
    assert "$EDITOR" in result.stderr


def test_file_changed_on_disk_while_editing(
    release_path: Path, run: Run, fake_editor, repository: Repository
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="Moscow=>Minsk", race=f"{release_path}::CIS security=>Concurrent")
    result = run("edit", "2021-10-15-cis")
    assert result.exit_code == 1
    assert "changed on disk while you were editing" in result.stderr
    assert "your text was NOT saved and is kept in .prcli/recovery/" in result.stderr
    assert "Saved" not in result.stderr
    on_disk = release_path.read_bytes()
    assert b"Concurrent" in on_disk and b"Minsk" not in on_disk  # the other change stays
    (kept,) = (repository.root / ".prcli" / "recovery").glob("*.md")
    assert b"Minsk" in kept.read_bytes() and b"CIS security" in kept.read_bytes()


def _run_on_a_terminal_and_press_ctrl_c(
    argv: list[str], cwd: Path, env: dict[str, str], at: bytes = b"", ready_file: Path | None = None
) -> tuple[int, str]:
    """Run the installed prcli on a pseudo-terminal, type Ctrl-C (the terminal sends SIGINT) once
    `at` appears (or the file `ready_file` exists), and return its exit status and everything it wrote
    to the terminal."""
    import pty
    import select
    import shutil
    import sys
    import time

    prcli = shutil.which("prcli", path=str(Path(sys.executable).parent))
    if prcli is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        import signal

        # As in a user's shell: Ctrl-C interrupts (a test run may have left SIGINT ignored, and
        # an ignored signal stays ignored across exec).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(cwd)
        os.execve(prcli, [prcli, *argv], env)
    seen, pressed = b"", False
    deadline = time.monotonic() + 120  # generous: a loaded CI machine starts prcli slowly
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            if not pressed and (ready_file.exists() if ready_file is not None else at in seen):
                time.sleep(0.3)  # a person's Ctrl-C: the prompt is waiting for an answer by now
                os.write(master, b"\x03")
                pressed = True
        else:
            os.kill(pid, 9)
            pytest.fail(f"prcli did not finish; it wrote: {seen!r}")
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(master)
    assert pressed, seen
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


@pytest.mark.subprocess
@pytest.mark.parametrize("command", ["edit", "new"])
def test_ctrl_c_at_edit_again_keeps_the_text_names_it_and_exits_130(
    release_path: Path, repository: Repository, command: str
) -> None:
    """Ctrl-C at "Edit again?" after an invalid edit: the text is kept, its file named, exit 130."""
    editor = Path(__file__).with_name("fake_editor.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRCLI_", "FAKE_EDITOR_"))}
    env.update(
        {
            "PRCLI_NOW": "2026-11-27T10:00:00+04:00",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "EDITOR": f"{sys.executable} {editor}",
            "FAKE_EDITOR_SUBSTITUTE": 'status: "draft"=>status: "live"',
            "NO_COLOR": "1",
        }
    )
    argv = (
        ["edit", "2021-10-15-cis"]
        if command == "edit"
        else ["new", "Interrupted release", "--category", "Events", "--language", "en"]
    )
    original = release_path.read_bytes()
    code, screen = _run_on_a_terminal_and_press_ctrl_c(
        argv, repository.root, env, at=b"Edit again?"
    )
    assert code == 130, screen
    recovered = list((repository.root / ".prcli" / "recovery").glob("*.md"))
    assert len(recovered) == 1 and 'status: "live"' in recovered[0].read_text()
    shown = " ".join(screen.split())  # the terminal may wrap the line
    assert f".prcli/recovery/{recovered[0].name}" in shown, screen
    assert "Traceback" not in screen
    assert release_path.read_bytes() == original
    if command == "new":
        assert sorted(p.name for p in release_path.parent.glob("*.md")) == [release_path.name]


def test_no_answer_at_edit_again_is_a_no_that_names_the_kept_text(
    release_path: Path, repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute='status: "draft"=>status: "live"')
    result = run("edit", "2021-10-15-cis", input="", tty=True)  # end of input at the question
    assert result.exit_code == 1
    assert "your text is kept in .prcli/recovery/" in result.stderr
    assert "nothing was changed" not in result.stderr


@pytest.mark.subprocess
def test_ctrl_c_while_the_editor_is_open_keeps_what_it_saved(
    release_path: Path, repository: Repository, tmp_path: Path
) -> None:
    """An editor that stays open after saving (`code --wait`) is stopped by Ctrl-C with prcli:
    the text it saved is kept in the recovery folder and named, exit 130."""
    editor = Path(__file__).with_name("fake_editor.py")
    log = tmp_path / "editor.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRCLI_", "FAKE_EDITOR_"))}
    env.update(
        {
            "PRCLI_NOW": "2026-11-27T10:00:00+04:00",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "EDITOR": f"{sys.executable} {editor}",
            "FAKE_EDITOR_APPEND": "\nA paragraph written before Ctrl-C.\n",
            "FAKE_EDITOR_LOG": str(log),
            "FAKE_EDITOR_HANG": "30",
        }
    )
    original = release_path.read_bytes()
    code, screen = _run_on_a_terminal_and_press_ctrl_c(
        ["edit", "2021-10-15-cis"], repository.root, env, ready_file=log
    )
    assert code == 130, screen
    recovered = list((repository.root / ".prcli" / "recovery").glob("*.md"))
    assert len(recovered) == 1 and "written before Ctrl-C" in recovered[0].read_text()
    assert recovered[0].name in " ".join(screen.split()).replace(" ", ""), screen
    assert "Traceback" not in screen
    assert release_path.read_bytes() == original
