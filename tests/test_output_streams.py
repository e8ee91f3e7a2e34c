"""The installed `prcli` writing to what is not a regular file: devices, pipes, descriptors."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from prcli.repository import Repository, render

from .helpers import make_release
from .test_subprocess import PRCLI, PROJECT_ROOT, prcli

pytestmark = pytest.mark.subprocess


def test_export_to_dev_null_needs_no_force_and_leaves_the_device() -> None:
    result = prcli("export", "--format", "json", "-o", "/dev/null", cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert "exists" not in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_into_a_fifo_writes_straight_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = prcli("export", "--format", "jsonl", "-o", str(fifo), cwd=PROJECT_ROOT)
    finally:  # should prcli not open it, let `cat` see the end of the stream
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    data, _ = reader.communicate(timeout=30)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in data.splitlines()]
    assert len(records) >= 8
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fifo"]  # no temp file left


def test_export_to_dev_fd_writes_into_the_descriptor_handed_over() -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    read_end, write_end = os.pipe()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PRCLI_")}
    environment["PRCLI_NOW"] = "2026-11-27T10:00:00+04:00"
    process = subprocess.Popen(
        [PRCLI, "export", "--format", "jsonl", "-o", f"/dev/fd/{write_end}"],
        cwd=PROJECT_ROOT,
        env=environment,
        pass_fds=(write_end,),
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert len(data.splitlines()) >= 8
    assert "exists" not in errors


def test_export_to_dev_stdout_redirected_to_a_file(tmp_path: Path) -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    target = tmp_path / "out.json"
    with target.open("wb") as handle:
        process = subprocess.run(
            [PRCLI, "export", "--format", "json", "-o", "/dev/stdout"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "PRCLI_NOW": "2026-11-27T10:00:00+04:00"},
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert process.returncode == 0, process.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))) >= 8


def test_export_never_replaces_a_socket_even_with_force(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = prcli("export", "--format", "json", "-o", str(path), "--force", cwd=PROJECT_ROOT)
    finally:
        server.close()
    assert result.returncode == 2, result.stderr
    assert "is a socket" in result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISSOCK(os.stat(path).st_mode)


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "json"),  # the fast path
        ("list", "--format", "json", "--sort", "date"),  # Typer
        ("list",),
        ("export", "--format", "json"),
        ("--version",),
    ],
)
def test_a_closed_stdout_is_one_error_line(args: tuple[str, ...]) -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" "$@" >&-', PRCLI, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PRCLI_NOW": "2026-11-27T10:00:00+04:00"},
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: cannot write the output: stdout is closed (>&-)"
    assert len(lines) == 2  # and its hint


@pytest.mark.parametrize(
    "args",
    [("list",), ("list", "--sort", "date"), ("new", "Flood warning for the Kura")],
)
def test_a_deleted_current_folder_is_one_error_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    gone = tmp_path / "gone"
    gone.mkdir()
    result = subprocess.run(
        ["sh", "-c", 'cd "$0" && rmdir "$0" && exec "$@"', str(gone), PRCLI, *args],
        env={k: v for k, v in os.environ.items() if not k.startswith("PRCLI_")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: the current folder no longer exists (it was deleted or moved away)"
    assert len(lines) == 2  # and its hint
    assert result.stdout == ""


def test_a_reader_leaving_a_long_streamed_listing_early_is_quiet(repository: Repository) -> None:
    """Past index.FEW rows the listing streams from the index cache; `| head -1` on the Typer path
    once left the cursor to the garbage collector after the database closed ("Exception ignored
    in: <generator object IndexCache.listed>")."""
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    from prcli.index import FEW

    first = make_release(title="Flood warning for the Kura basin")
    text = render(first, "yaml").decode("utf-8")  # type: ignore[arg-type]
    folder = repository.releases_dir / "2021"
    folder.mkdir(parents=True)
    for number in range(FEW + 100):
        release_id = f"{first.id}-{number}"
        (folder / f"{release_id}.md").write_text(
            text.replace(first.id, release_id), encoding="utf-8"
        )
    assert prcli("list", "--format", "ids", cwd=repository.root).returncode == 0  # the index
    for fast_or_typer in ((), ("--sort", "date")):
        shell = f"'{PRCLI}' list --format jsonl {' '.join(fast_or_typer)} | head -c 1; echo"
        result = subprocess.run(
            ["bash", "-c", shell + " ${PIPESTATUS[0]}"],
            cwd=repository.root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stderr == "", result.stderr
        assert result.stdout == "{141\n", result  # the first byte, then prcli's exit status


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args", [("list",), ("list", "--sort", "date")])
def test_a_table_on_a_stdout_that_is_not_utf8_degrades_without_a_traceback(
    encoding: str, args: tuple[str, ...]
) -> None:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    result = subprocess.run(
        [PRCLI, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PRCLI_NOW": "2026-11-27T10:00:00+04:00", "PYTHONIOENCODING": encoding},
        capture_output=True,
        timeout=60,
    )
    errors = result.stderr.decode(encoding, "replace")
    assert result.returncode == 0, errors
    assert "Traceback" not in errors
    shown = result.stdout.decode(encoding)  # nothing outside the encoding was written
    assert "2021-" in shown  # the rows are there
    assert "?" in shown  # Azerbaijani and Russian letters it cannot encode
