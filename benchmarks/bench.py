"""Time whole prcli processes on generated repositories: medians after a warm-up, with peak memory.

    .venv/bin/python benchmarks/bench.py                 # N = 1,000 and 10,000
    .venv/bin/python benchmarks/bench.py --sizes 1000 10000 50000 --runs 3
    .venv/bin/python benchmarks/bench.py --only validate list-json

Repositories are generated once into benchmarks/corpus-N/ (git-ignored) by generate.py. Each command
runs once to warm the page cache, then --runs times; the table shows the median and minimum wall
time and the largest peak resident memory (ru_maxrss of the child). When `hugo` is on PATH, `hugo list
all` runs on the same files in the same run and the ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRCLI = str(Path(sys.executable).with_name("prcli"))


def commands(corpus: Path) -> dict[str, list[str]]:
    sample_id = next((corpus / "releases").rglob("*.md")).stem
    return {
        "version": [PRCLI, "--version"],
        "list-table": [PRCLI, "list"],
        "list-json": [PRCLI, "list", "--format", "json"],
        "list-query": [PRCLI, "list", "--format", "ids", "--query", "terrorism stability"],
        "show": [PRCLI, "show", sample_id],
        "validate": [PRCLI, "validate", "--format", "json"],
        "export-jsonl": [PRCLI, "export", "--format", "jsonl", "--include-unpublished"],
        "export-csv": [PRCLI, "export", "--format", "csv", "--include-unpublished"],
        "export-ninjs": [PRCLI, "export", "--format", "ninjs", "--include-unpublished"],
    }


def run_once(command: list[str], cwd: Path) -> tuple[float, int]:
    environment = dict(os.environ, COLUMNS="120", PRCLI_NOW="2026-11-27T12:00:00+04:00")
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with {status}")
    return elapsed, usage.ru_maxrss // 1024  # MiB


def measure(command: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    run_once(command, cwd)  # warm-up
    results = [run_once(command, cwd) for _ in range(runs)]
    times = [elapsed for elapsed, _ in results]
    return statistics.median(times), min(times), max(memory for _, memory in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="names of commands to run")
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate

    hugo = shutil.which("hugo")
    print(f"{'N':>7} {'command':12} {'median':>9} {'min':>9} {'peak MiB':>9}")
    for size in arguments.sizes:
        corpus = HERE / f"corpus-{size}"
        if not (corpus / "prcli.toml").exists():
            started = time.perf_counter()
            generate(size, corpus)
            print(
                f"# generated {size} releases in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
        for name, command in commands(corpus).items():
            if arguments.only and name not in arguments.only:
                continue
            median, fastest, memory = measure(command, corpus, arguments.runs)
            print(f"{size:>7} {name:12} {median:8.3f}s {fastest:8.3f}s {memory:9d}", flush=True)
        if hugo is None:
            print(f"{size:>7} {'hugo':12} not installed: no Hugo comparison in this run")


if __name__ == "__main__":
    main()
