"""The installed `prcli` as a real process: entry point, pipes, colour, concurrency."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PRCLI = shutil.which("prcli", path=str(Path(sys.executable).parent)) or shutil.which("prcli")


def prcli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    if PRCLI is None:
        pytest.skip("the prcli script is not installed (pip install -e . first)")
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("PRCLI_", "FORCE_COLOR"))
    }
    environment.update({"PRCLI_NOW": "2026-11-27T10:00:00+04:00", "GIT_CONFIG_GLOBAL": os.devnull})
    environment.update(env or {})
    return subprocess.run(
        [PRCLI, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        input=input,
        timeout=60,
    )


def test_version_answers_without_a_repository(tmp_path: Path) -> None:
    result = prcli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("prcli ")


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prcli", "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0
    assert "new" in result.stdout and "list" in result.stdout


def test_sample_repository_lists_as_json(tmp_path: Path) -> None:
    result = prcli("list", "--format", "json", cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) >= 8
    assert {r["language"] for r in records} >= {"en", "az", "ru"}
    assert result.stderr == ""


def test_piped_table_has_no_colour_even_when_forced_off(tmp_path: Path) -> None:
    plain = prcli("list", cwd=PROJECT_ROOT)
    assert plain.returncode == 0
    assert "\x1b[" not in plain.stdout
    no_colour = prcli("list", cwd=PROJECT_ROOT, env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert "\x1b[" not in no_colour.stdout


def test_user_errors_have_no_traceback_unless_debugging(tmp_path: Path) -> None:
    result = prcli("list", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: not inside a prcli repository")
    assert "Traceback" not in result.stderr
    debug = prcli("list", cwd=tmp_path, env={"PRCLI_DEBUG": "1"})
    assert "Traceback" in debug.stderr


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`prcli list | head -1`: the reader is gone before prcli writes; prcli stops quietly with the
    status of a process ended by SIGPIPE (128 + 13), as other Unix tools do."""
    if PRCLI is None:
        pytest.skip("the prcli script is not installed")
    for fmt in ("jsonl", "table"):
        shell = f"'{PRCLI}' list --format {fmt} | true; echo ${{PIPESTATUS[0]}}"
        result = subprocess.run(
            ["bash", "-c", shell], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.stdout.strip() == "141", result
        assert result.stderr == ""
