"""Fuzz every reader path with thousands of hostile inputs and count what prcli did with them.

    .venv/bin/python benchmarks/fuzz.py                 # 2,000 cases per path
    .venv/bin/python benchmarks/fuzz.py -n 5000 --path import-ninjs --seed 7

Paths: the release reader (YAML and TOML front matter) and `import --from text|ninjs|json|jsonl|
markdown`. Strategies and the oracle live in tests/fuzzcases.py (the CI suite tests/test_fuzz.py
runs the same, bounded). Per path it reports: tried, clean error (prcli's own refusal), accepted,
traceback (any other exception), hang (a case over --timeout seconds, 2 by default) and wrong
acceptance (accepted, but it would not read back, its JSON would not be JSON, or a public output
would show what its source held back). The first examples of each bad outcome are printed.
Exit status 1 when any traceback, hang or wrong acceptance was found.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BAD = ("traceback", "hang", "wrong")


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def run_path(
    name: str, count: int, seed: int, timeout: float
) -> tuple[Counter[str], list[str], float]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from tests.fuzzcases import PATHS, classify

    path = PATHS[name]
    counts: Counter[str] = Counter()
    examples: list[str] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=["generate"],
    )
    @given(case=path.strategy)
    def one(case: Any) -> None:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            outcome, detail = classify(path, case)
        except _Timeout:
            outcome, detail = "hang", f"over {timeout} s"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if outcome == "traceback" and "_Timeout" in detail:
            outcome = "hang"
        counts[outcome] += 1
        if outcome in BAD and len(examples) < 5:
            examples.append(f"{outcome}: {detail} <- {case!r}"[:400])

    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    one()
    return counts, examples, time.perf_counter() - started


def main() -> int:
    from tests.fuzzcases import PATHS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=2000, help="cases per path")
    parser.add_argument("--path", action="append", choices=sorted(PATHS), help="only these paths")
    parser.add_argument("--seed", type=int, default=11, help="Hypothesis seed")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds before a case hangs")
    args = parser.parse_args()
    names = args.path or list(PATHS)
    header = f"{'path':<16} {'tried':>6} {'clean':>6} {'accepted':>8} {'traceback':>9} {'hang':>5} {'wrong':>6} {'seconds':>8}"
    print(header)
    total: Counter[str] = Counter()
    found: list[str] = []
    for name in names:
        counts, examples, seconds = run_path(name, args.count, args.seed, args.timeout)
        tried = sum(counts.values())
        total.update(counts)
        total["tried"] += tried
        print(
            f"{name:<16} {tried:>6} {counts['clean']:>6} {counts['accepted']:>8} "
            f"{counts['traceback']:>9} {counts['hang']:>5} {counts['wrong']:>6} {seconds:>8.1f}",
            flush=True,
        )
        found.extend(f"[{name}] {example}" for example in examples)
    print(
        f"{'all':<16} {total['tried']:>6} {total['clean']:>6} {total['accepted']:>8} "
        f"{total['traceback']:>9} {total['hang']:>5} {total['wrong']:>6}"
    )
    for line in found:
        print(line)
    return 1 if any(total[kind] for kind in BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
