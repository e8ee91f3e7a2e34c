"""The plain-text importer on pathological inputs (D5 of issue 11): time per input and how it grows.

    .venv/bin/python benchmarks/text_import.py

Each input is read by the importer in-process (no CLI start-up), best of three. Doubling the input
should about double the time: the ratio column says how it grows (2.0 = linear, 4.0 = quadratic).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import contextlib
from datetime import UTC

from prcli.config import load
from prcli.importers import ImportContext, ImportError_
from prcli.importers.text import TEXT

CASES = {
    "spaces in a body line": lambda n: "Events 15 October 2021\n\nTitle here\n\n" + " " * n + "x\n",
    "tabs only": lambda n: "\t" * n + "\n",
    "spaces inside the date line": lambda n: (
        "Events " + " " * n + "15 October 2021\n\nTitle\n\nText.\n"
    ),
    "one long line of words": lambda n: (
        "Events 15 October 2021\n\nTitle\n\n" + "word " * (n // 5) + "\n"
    ),
    "many short lines": lambda n: "Events 15 October 2021\n\nTitle\n\n" + "a line\n" * (n // 7),
}


def best_of(text: str, context: ImportContext) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        with contextlib.suppress(ImportError_):
            TEXT.read(text, context)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from datetime import datetime

    settings = load(Path(__file__).resolve().parents[1] / "prcli.toml")
    context = ImportContext(settings, datetime.now(UTC))
    TEXT.read("Events 15 October 2021\n\nTitle\n\nText.\n", context)  # warm the CLDR tables
    print(f"{'input':32} {'40,000 chars':>14} {'80,000 chars':>14} {'ratio':>6}")
    for name, make in CASES.items():
        small, large = best_of(make(40_000), context), best_of(make(80_000), context)
        print(f"{name:32} {small * 1000:11.1f} ms {large * 1000:11.1f} ms {large / small:6.2f}")


if __name__ == "__main__":
    main()
