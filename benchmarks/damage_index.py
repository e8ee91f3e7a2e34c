"""Overwrite random bytes of a small repository's index.sqlite again and again, and check that
`prcli list` always answers exactly what the files say (issue 11, D21).

    .venv/bin/python benchmarks/damage_index.py --tries 500 --seed 1

Prints how many damaged caches were tried and how many answers differed from `--no-cache` (the
target is 0). The test suite runs the same check 40 times (tests/test_index.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from prcli.cli.app import app
from prcli.repository import CACHE_NAME, Repository

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import CONFIG_TEXT, make_release, write_release

OLD = 1_600_000_000_000_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    os.environ["PRCLI_NOW"] = "2026-11-27T10:00:00+04:00"
    root = Path(tempfile.mkdtemp(prefix="prcli-damage-")) / "press"
    (root / "releases").mkdir(parents=True)
    (root / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    os.chdir(root)
    repository = Repository.open(root)
    for number in range(12):
        release = make_release(
            title=f"Release number {number}",
            language=["en", "az", "ru"][number % 3],
            translation_key=f"group-{number // 3}",
            tags=(f"tag{number % 4}",),
            issuer=f"Issuer {number}",
        )
        os.utime(write_release(repository, release), ns=(OLD, OLD))

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.stdout

    commands = [("list", "--format", "json"), ("list", "--format", "csv", "-l", "az")]
    expected = [run("--no-cache", *command)[1] for command in commands]
    run(*commands[0])
    cache = repository.work_dir / CACHE_NAME
    with sqlite3.connect(cache) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = cache.read_bytes()
    generator = random.Random(arguments.seed)
    wrong = 0
    for attempt in range(arguments.tries):
        damaged = bytearray(pristine)
        for _ in range(generator.randint(1, 6)):
            damaged[generator.randrange(100, len(damaged))] = generator.randrange(256)
        for suffix in ("-wal", "-shm"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        cache.write_bytes(bytes(damaged))
        code, stdout = run(*commands[attempt % 2])
        if code != 0 or stdout != expected[attempt % 2]:
            wrong += 1
    print(f"damaged caches tried: {arguments.tries}; wrong or failed answers: {wrong}")


if __name__ == "__main__":
    main()
