"""Start-up of whole prcli processes on the sample repository: medians after a warm-up.

    .venv/bin/python benchmarks/startup.py [--runs 21]

Prints one line per command: the median and minimum wall time, the median CPU time (user + system
of the child, which waiting for a core on a busy machine does not inflate) and both as ratios to
`python -c pass` (issue 13's goals: `prcli list` <= 8 x, `prcli --help` <= 10 x). The load average
is printed before and after: wall-time ratios taken under load are pessimistic.

The children run without PYTHONDONTWRITEBYTECODE (this sandbox sets it), so the warm-up runs write
the .pyc files of prcli's modules and the measured runs read them, as an installed prcli does;
with it set, every run would compile every prcli module that changed since its .pyc was written.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRCLI = str(Path(sys.executable).with_name("prcli"))

COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    ("prcli --version", [PRCLI, "--version"]),
    ("prcli --help", [PRCLI, "--help"]),
    ("prcli list", [PRCLI, "list"]),
    ("prcli list --format json", [PRCLI, "list", "--format", "json"]),
    ("prcli list --help", [PRCLI, "list", "--help"]),
    ("prcli show <id>", [PRCLI, "show", "2021-10-15-regional-civil"]),
]


def environment() -> dict[str, str]:
    env = dict(os.environ, COLUMNS="120")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `runs` runs, after three warm-up runs (page cache, .pyc files)."""
    env = environment()
    for _ in range(3):
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    walls, cpus = [], []
    for _ in range(runs):
        cpu = children_cpu()
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    return walls, cpus


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    print(f"load average before: {load()}")
    print(
        f"{'command':26} {'wall med':>9} {'wall min':>9} {'CPU med':>9} "
        f"{'x python':>9} {'CPU x':>7}"
    )
    base_wall = base_cpu = 0.0
    for label, command in COMMANDS:
        walls, cpus = measure(command, runs)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        base_wall, base_cpu = base_wall or wall, base_cpu or cpu
        print(
            f"{label:26} {wall * 1000:7.1f}ms {min(walls) * 1000:7.1f}ms {cpu * 1000:7.1f}ms "
            f"{wall / base_wall:8.1f}x {cpu / base_cpu:6.1f}x"
        )
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
