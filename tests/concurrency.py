"""Start several prcli commands truly at once (see barrier_run.py) and collect what they did."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RUNNER = Path(__file__).with_name("barrier_run.py")


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRCLI_", "FAKE_EDITOR_"))}
    env.update(
        {
            "PRCLI_NOW": "2026-11-27T10:00:00+04:00",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "NO_COLOR": "1",
        }
    )
    env.update(extra or {})
    return env


def run_together(
    commands: Sequence[Sequence[str]],
    *,
    cwd: Path,
    work: Path,
    envs: Sequence[dict[str, str]] | None = None,
    inputs: Sequence[str] | None = None,
    timeout: float = 90,
) -> list[Finished]:
    """Start every command, wait until each is ready, release them together, collect results."""
    work.mkdir(parents=True, exist_ok=True)
    barrier = work / "go"
    processes = []
    for number, arguments in enumerate(commands):
        env = environment((envs or [{}] * len(commands))[number])
        ready = work / f"ready-{number}"
        processes.append(
            subprocess.Popen(
                [sys.executable, str(RUNNER), str(ready), str(barrier), *arguments],
                cwd=cwd,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    # Feed stdin before the release: a command reading its input must not be what orders them.
    for number, process in enumerate(processes):
        assert process.stdin is not None
        if inputs is not None:
            process.stdin.write(inputs[number])
        process.stdin.close()
    deadline = time.monotonic() + timeout
    while not all((work / f"ready-{n}").exists() for n in range(len(commands))):
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            break
        time.sleep(0.01)
    barrier.touch()
    results = []
    for process in processes:
        assert process.stdout is not None and process.stderr is not None
        stdout = process.stdout.read()
        stderr = process.stderr.read()
        process.wait(timeout=timeout)
        results.append(Finished(process.returncode, stdout, stderr))
    return results
