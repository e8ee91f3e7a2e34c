"""Wall time of whole prcli processes on the sample repository: medians after a warm-up.

    .venv/bin/python benchmarks/startup.py [--runs 21]

Prints one line per command with the median, the minimum and the ratio to `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
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
    ("prcli show <id>", [PRCLI, "show", "2021-10-15-regional-civil"]),
]


def measure(command: list[str], runs: int) -> list[float]:
    environment = dict(os.environ, COLUMNS="120")
    for _ in range(3):  # warm-up: page cache and .pyc files
        subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    baseline = None
    print(f"{'command':32} {'median':>9} {'min':>9} {'x python':>9}")
    for label, command in COMMANDS:
        times = measure(command, runs)
        median = statistics.median(times)
        baseline = baseline or median
        print(
            f"{label:32} {median * 1000:7.1f}ms {min(times) * 1000:7.1f}ms {median / baseline:8.1f}x"
        )


if __name__ == "__main__":
    main()
