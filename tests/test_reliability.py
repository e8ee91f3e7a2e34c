"""Nothing is lost and nothing unreadable is written: disk full and other write failures (D18), a
broken .prcli folder (D19), text that would not read back (D6), leftovers of killed processes (D17)."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prcli import atomicfile, editor
from prcli.errors import InvalidRelease
from prcli.repository import Repository

from .concurrency import environment
from .conftest import Run
from .helpers import CONFIG_TEXT, make_release

Add = Callable[..., Path]
ID = "2021-10-15-cis-security-chiefs-meet-in-moscow"
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def release_path(add: Add) -> Path:
    return add(title="CIS security chiefs meet in Moscow", status="draft")


@pytest.fixture
def disk_full_under(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make every atomic write below a folder fail as a full disk does (after the temp file exists)."""

    def install(folder: Path) -> None:
        real = atomicfile._write_data

        def write(handle, data):  # type: ignore[no-untyped-def]
            if Path(os.readlink(f"/proc/self/fd/{handle.fileno()}")).is_relative_to(folder):
                raise ENOSPC
            real(handle, data)

        monkeypatch.setattr(atomicfile, "_write_data", write)

    return install


def _record(n: int, **fields: str) -> dict[str, str]:
    """A prcli JSON record for `import --from json`."""
    return {
        "id": f"2021-10-15-record-{n}",
        "title": f"Record {n}",
        "status": "draft",
        "date": "2021-10-15",
        "category": "Events",
        "language": "en",
        **fields,
    }


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*.tmp")]


# -- D18: disk full, injected at the atomic-write layer -------------------------------------------


def test_new_on_a_full_disk_is_one_clear_line(
    repository: Repository, run: Run, disk_full_under: Callable[[Path], None]
) -> None:
    disk_full_under(repository.releases_dir)
    result = run("new", "Full disk", "-c", "Events", "--no-input")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: cannot write ")
    assert lines[0].endswith(": No space left on device")
    assert lines[1] == "  hint: free some disk space (or raise the quota) and run the command again"
    assert result.stdout == ""
    assert repository.release_files() == []
    assert no_temp_files(repository.releases_dir)


def test_edit_on_a_full_disk_keeps_the_text_and_names_it(
    repository: Repository,
    release_path: Path,
    run: Run,
    fake_editor,  # type: ignore[no-untyped-def]
    disk_full_under: Callable[[Path], None],
) -> None:
    original = release_path.read_bytes()
    disk_full_under(repository.releases_dir)
    fake_editor(append="\nA paragraph written with care.\n")
    result = run("edit", ID)
    assert result.exit_code == 1
    assert "No space left on device; your text was NOT saved and is kept in " in result.stderr
    assert "Traceback" not in result.stderr
    (kept,) = (repository.work_dir / "recovery").glob("*.md")
    assert str(kept.relative_to(repository.root)) in result.stderr
    assert kept.read_text().endswith("A paragraph written with care.\n")
    assert release_path.read_bytes() == original
    assert no_temp_files(repository.root)


def test_new_with_editor_on_a_full_disk_keeps_the_text(
    repository: Repository,
    run: Run,
    fake_editor,  # type: ignore[no-untyped-def]
    disk_full_under: Callable[[Path], None],
) -> None:
    disk_full_under(repository.releases_dir)
    fake_editor(append="Written in the editor.\n")
    result = run("new", "Full disk", "-c", "Events", "--edit", "--no-input")
    assert result.exit_code == 1
    assert "No space left on device; your text was NOT saved and is kept in .prcli/recovery/" in (
        result.stderr
    )
    (kept,) = (repository.work_dir / "recovery").glob("*.md")
    assert kept.read_text().endswith("Written in the editor.\n")
    assert repository.release_files() == []


def test_edit_when_no_recovery_place_takes_the_text_keeps_the_editor_file(
    repository: Repository,
    release_path: Path,
    run: Run,
    fake_editor,  # type: ignore[no-untyped-def]
    disk_full_under: Callable[[Path], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole disk is full: the last copy is the editor's own temp file, and it is named."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "system-temp"))
    (tmp_path / "system-temp").mkdir()
    disk_full_under(Path("/"))
    fake_editor(append="\nLast words.\n")
    result = run("edit", ID)
    assert result.exit_code == 1
    shown = result.stderr.split("is kept in ", 1)[1].split()[0]
    assert shown.startswith(str(tmp_path / "system-temp" / "prcli-edit-"))
    assert Path(shown).read_text().endswith("Last words.\n")


def test_import_on_a_full_disk_summarises_what_was_and_was_not_written(
    repository: Repository,
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"r{n}.json").write_text(json.dumps(_record(n)))
    real = atomicfile._write_atomic

    def fail_second(path: Path, data: bytes, *, exclusive: bool) -> None:
        if path.name.startswith("2021-10-15-record-1"):
            raise ENOSPC
        real(path, data, exclusive=exclusive)

    monkeypatch.setattr(atomicfile, "_write_atomic", fail_second)
    result = run("import", str(folder), "--from", "json", "--format", "json")
    assert result.exit_code == 1
    outcomes = {o["input"].rsplit("/", 1)[-1]: o for o in json.loads(result.stdout)}
    assert [outcomes[f"r{n}.json"]["action"] for n in range(3)] == ["created", "failed", "created"]
    assert "No space left on device" in outcomes["r1.json"]["reason"]
    assert result.stderr.strip().endswith("3 input file(s): 2 created, 1 failed.")
    assert sorted(p.stem for p in repository.release_files()) == [
        "2021-10-15-record-0",
        "2021-10-15-record-2",
    ]


def test_workflow_step_on_a_full_disk(
    repository: Repository,
    release_path: Path,
    run: Run,
    disk_full_under: Callable[[Path], None],
) -> None:
    original = release_path.read_bytes()
    disk_full_under(repository.releases_dir)
    result = run("submit", ID)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write ")
    assert "No space left on device" in result.stderr
    assert release_path.read_bytes() == original


# -- D18 on a real 2 MB file system ----------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs (needs root, or the right to mount); skipped with the reason otherwise."""
    import shutil

    if shutil.which("mount") is None or shutil.which("umount") is None:
        pytest.skip("no mount command here to make a 2 MB tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a 2 MB tmpfs here: {done.stderr.strip() or 'not permitted'}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk up to `leave` bytes free (with a new file each time)."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / f"filler-{len(list(disk.glob('filler-*')))}").write_bytes(b"x" * max(0, free - leave))


@pytest.mark.subprocess
def test_a_really_full_disk(tiny_disk: Path, tmp_path: Path) -> None:
    root = tiny_disk / "press"
    (root / "releases" / "2021").mkdir(parents=True)
    (root / "prcli.toml").write_text(CONFIG_TEXT)
    path = root / "releases" / "2021" / f"{ID}.md"
    from prcli.repository import render

    path.write_bytes(render(make_release(status="draft"), "yaml"))
    original = path.read_bytes()
    records = tmp_path / "records"
    records.mkdir()
    for n in range(40):
        (records / f"r{n:02}.json").write_text(json.dumps(_record(n, body="Text. " * 2000)))
    (root / ".prcli" / "locks").mkdir(parents=True)
    (root / ".prcli" / "locks" / "import.lock").touch()
    (root / ".prcli" / "locks" / f"{ID}.lock").touch()
    _fill(tiny_disk, 100_000)
    env = environment({"PRCLI_NO_CACHE": "1"})
    prcli = [sys.executable, "-m", "prcli"]
    imported = subprocess.run(
        [*prcli, "import", str(records), "--from", "json", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 1
    assert "Traceback" not in imported.stderr
    outcomes = json.loads(imported.stdout)
    created = [o for o in outcomes if o["action"] == "created"]
    failed = [o for o in outcomes if o["action"] == "failed"]
    assert len(created) + len(failed) == 40 and created and failed
    assert all("No space left on device" in o["reason"] for o in failed)
    assert f"40 input file(s): {len(created)} created, {len(failed)} failed." in imported.stderr
    assert len(list((root / "releases" / "2021").glob("2021-10-15-record-*.md"))) == len(created)
    assert no_temp_files(root)

    _fill(tiny_disk, 0)  # now nothing fits
    edited = subprocess.run(
        [*prcli, "edit", ID],
        cwd=root,
        env={
            **env,
            "EDITOR": f"{sys.executable} {Path(__file__).with_name('fake_editor.py')}",
            "FAKE_EDITOR_APPEND": "\nWords that must survive. " * 200,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert edited.returncode == 1
    assert "Traceback" not in edited.stderr
    assert "No space left on device; your text was NOT saved and is kept in " in edited.stderr
    kept = Path(edited.stderr.split("is kept in ", 1)[1].split()[0])
    assert "Words that must survive." in kept.read_text()
    kept.unlink()
    assert path.read_bytes() == original


# -- D19: .prcli is not a usable folder ------------------------------------------------------------


def test_prcli_folder_being_a_file_is_said_plainly(
    repository: Repository, release_path: Path, run: Run
) -> None:
    repository.work_dir.write_text("not a folder")
    result = run("submit", ID)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "error: .prcli is a file, but prcli keeps its locks, recovery files and index cache in a "
        "folder of that name"
    )
    assert "move the file .prcli away" in result.stderr
    assert run("list", "--format", "ids").stdout.split() == [ID]  # readers still work


def test_edit_kept_beside_the_release_when_prcli_folder_is_unusable(
    repository: Repository,
    release_path: Path,
    run: Run,
    fake_editor,  # type: ignore[no-untyped-def]
) -> None:
    repository.work_dir.write_text("not a folder")
    fake_editor(substitute="date: 2021-10-15=>date: someday")
    result = run("edit", ID)
    assert result.exit_code == 1
    (kept,) = release_path.parent.glob(f"{ID}.recovered-*.txt")
    assert "date: someday" in kept.read_text()
    assert f"your text is kept in {kept.relative_to(repository.root)}" in result.stderr
    # A valid edit cannot take the lock: not saved, kept beside the release, both said.
    kept.unlink()
    fake_editor(append="\nMore.\n")
    result = run("edit", ID)
    assert result.exit_code == 1
    assert ".prcli is a file" in result.stderr
    (kept,) = release_path.parent.glob(f"{ID}.recovered-*.txt")
    assert f"NOT saved and is kept in {kept.relative_to(repository.root)}" in result.stderr
    assert kept.read_text().endswith("More.\n")
    assert run("list", "--format", "ids").stdout.split() == [ID]  # never read as a release


def test_lock_folder_being_a_file(repository: Repository, release_path: Path, run: Run) -> None:
    (repository.work_dir).mkdir()
    (repository.work_dir / "locks").write_text("")
    result = run("approve", ID)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot create the lock folder .prcli/locks")
    assert "a file stands where a folder should be" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_prcli_folder_not_writable(repository: Repository, release_path: Path, run: Run) -> None:
    repository.work_dir.mkdir()
    repository.work_dir.chmod(0o500)
    try:
        result = run("submit", ID)
    finally:
        repository.work_dir.chmod(0o700)
    assert result.exit_code == 1
    assert "cannot create the lock folder .prcli/locks: Permission denied" in result.stderr


# -- D6: never write what cannot be read back ------------------------------------------------------


def test_core_refuses_to_write_a_release_it_could_not_read(repository: Repository) -> None:
    with pytest.raises(InvalidRelease, match="not written: the release would not read back"):
        repository.create(make_release(body="before\x00after"))
    with pytest.raises(InvalidRelease, match="not written"):
        repository.create(make_release(body="lone \udc80 surrogate"))
    created = repository.create(make_release())
    from prcli.repository import Entry

    with pytest.raises(InvalidRelease, match="not written"):
        repository.save(Entry(created.path, created.release.replace(body="a\x00b")))
    assert [p.name for p in created.path.parent.iterdir()] == [created.path.name]


def test_new_body_file_in_utf16_or_with_nul(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    with_bom = tmp_path / "bom.txt"
    with_bom.write_bytes("Ünïcode body.\n".encode("utf-16"))
    result = run("new", "Sixteen", "-c", "Events", "--body-file", str(with_bom), "--no-input")
    assert result.exit_code == 0, result
    assert run("list", "--format", "ids").exit_code == 0
    assert "Ünïcode body." in Path(result.stdout.strip()).read_text(encoding="utf-8")

    no_bom = tmp_path / "nobom.txt"
    no_bom.write_bytes("Plain body.".encode("utf-16-le"))
    result = run("new", "No mark", "-c", "Events", "--body-file", str(no_bom), "--no-input")
    assert result.exit_code == 2
    assert "holds NUL bytes: binary data or UTF-16 without a byte-order mark" in result.stderr
    result = run("new", "Stdin", "-c", "Events", "--body-file", "-", "--no-input", input="a\x00b")
    assert result.exit_code == 2 and "--body-file - holds NUL bytes" in result.stderr
    assert len(repository.release_files()) == 1
    assert run("list", "--format", "ids").exit_code == 0


def test_import_never_writes_what_list_refuses(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    record = {
        "id": "2021-10-15-nul",
        "title": "NUL inside",
        "status": "draft",
        "date": "2021-10-15",
        "category": "Events",
        "language": "en",
        "body": "a\u0000b",
    }
    source = tmp_path / "nul.json"
    source.write_text(json.dumps(record))
    result = run("import", str(source), "--from", "json")
    assert result.exit_code == 1
    assert "failed" in result.stderr
    assert repository.release_files() == []
    assert run("list").exit_code == 0


# -- D17: leftovers of killed processes ------------------------------------------------------------


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_stale_temp_files_are_cleaned_safely(
    repository: Repository, release_path: Path, run: Run
) -> None:
    folder = release_path.parent
    old = folder / f".{release_path.name}.a1b2c3d4.tmp"
    young = folder / f".{release_path.name}.e5f6g7h8.tmp"
    locked = folder / f".{release_path.name}.z9y8x7w6.tmp"
    foreign = folder / ".notes.tmp"
    for path in (old, young, locked, foreign):
        path.write_text("half a release")
    for path in (old, locked, foreign):
        _age(path, atomicfile.STALE_AFTER + 60)
    holder = os.open(locked, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert run("list", "--format", "ids").stdout.split() == [ID]
    finally:
        os.close(holder)
    assert not old.exists()
    assert young.exists() and locked.exists() and foreign.exists()


def test_write_atomic_holds_its_temp_file_locked(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[list[Path]] = []
    real = atomicfile._write_data

    def write(handle, data):  # type: ignore[no-untyped-def]
        temps = list(tmp_path.glob(".*.tmp"))
        for temp in temps:
            _age(temp, atomicfile.STALE_AFTER + 60)
        seen.append(atomicfile.clean_stale_temps(temps))
        real(handle, data)

    monkeypatch.setattr(atomicfile, "_write_data", write)
    atomicfile.write_atomic(tmp_path / "file.md", b"content")
    assert seen == [[]]
    assert (tmp_path / "file.md").read_bytes() == b"content"


def _edit_folder(temp: Path, name: str, original: bytes, text: bytes, recovery: Path) -> Path:
    folder = temp / f"{editor.FOLDER_PREFIX}{name}"
    folder.mkdir()
    (folder / "release.md").write_bytes(text)
    note = f"{hashlib.sha256(original).hexdigest()}\n{recovery}\n"
    (folder / editor.LOCK_NAME).write_text(note)
    return folder


def test_stale_edit_folders_are_cleaned_and_changed_texts_rescued(
    repository: Repository, tmp_path: Path
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    recovery = repository.work_dir / "recovery"
    repository.work_dir.mkdir()
    unchanged = _edit_folder(temp, "aaaa", b"copy", b"copy", recovery)
    changed = _edit_folder(temp, "bbbb", b"copy", b"copy and my words", recovery)
    young = _edit_folder(temp, "cccc", b"copy", b"copy", recovery)
    live = _edit_folder(temp, "dddd", b"copy", b"copy", recovery)
    foreign = temp / "prcli-editor-notes"
    foreign.mkdir()
    for folder in (unchanged, changed, live, foreign):
        _age(folder, editor.STALE_AFTER + 60)
    holder = os.open(live / editor.LOCK_NAME, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert editor.clean_stale_edit_folders(temp) == 2
    finally:
        os.close(holder)
    assert not unchanged.exists() and not changed.exists()
    assert young.exists() and live.exists() and foreign.exists()
    (rescued,) = recovery.glob("release-*-interrupted-*.md")
    assert rescued.read_bytes() == b"copy and my words"


def test_a_changed_text_stays_when_it_cannot_be_rescued(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    changed = _edit_folder(temp, "bbbb", b"copy", b"my words", tmp_path / "gone" / "recovery")
    _age(changed, editor.STALE_AFTER + 60)
    assert editor.clean_stale_edit_folders(temp) == 0
    assert (changed / "release.md").read_bytes() == b"my words"


def test_an_edit_session_leaves_nothing_behind(
    repository: Repository, release_path: Path, run: Run, fake_editor, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    fake_editor(append="\nMore.\n")
    assert run("edit", ID).exit_code == 0
    assert list(temp.iterdir()) == []
