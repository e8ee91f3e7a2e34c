"""`prcli sync` and the release merge driver with real git: a bare remote and two clones in a temp
folder, N releases, K of them changed on both sides (different fields, so every one goes through
the merge driver and none conflicts).

    .venv/bin/python benchmarks/sync.py --releases 1000 --changed 10 50

Prints the wall time of whole `prcli` processes: a sync with nothing to do, a sync that commits K
changed releases (one commit each) and pushes, and a sync that takes in K releases both sides
changed (K merge-driver runs) and pushes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from prcli.model import HistoryEntry, Release, Status
from prcli.repository import render

PRCLI = [sys.executable, "-m", "prcli"]
CONFIG = '[organisation]\nname = "Service"\ntimezone = "UTC"\n[releases]\ncategories = ["Events"]\n'
AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def prcli(folder: Path, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run([*PRCLI, *args], cwd=folder, capture_output=True, text=True)
    took = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"prcli {' '.join(args)} failed:\n{result.stderr}")
    return took


def release(number: int) -> Release:
    day = date(2026, 1, 1) + timedelta(days=number % 300)
    return Release(
        id=f"{day.isoformat()}-release-number-{number}",
        title=f"Release number {number}",
        status=Status.DRAFT,
        language="en",
        date=day,
        category="Events",
        history=(HistoryEntry(Status.DRAFT, AT, "Seed"),),
        body=f"Paragraph one of release {number}.\n\nParagraph two.",
    )


def setup(root: Path, count: int) -> tuple[Path, Path, list[Path]]:
    remote = root / "remote.git"
    git(root, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = root / "seed"
    (seed / "releases").mkdir(parents=True)
    (seed / "prcli.toml").write_text(CONFIG)
    (seed / ".gitignore").write_text(".prcli/\n")
    (seed / ".gitattributes").write_text("releases/**/*.md merge=prcli\n")
    paths = []
    for number in range(count):
        item = release(number)
        path = seed / "releases" / str(item.date.year) / f"{item.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(item, "yaml"))
        paths.append(path.relative_to(seed))
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "-c", "user.name=Seed", "-c", "user.email=s@example.org", "commit", "-qm", "seed")
    git(seed, "push", "-q", str(remote), "main")
    clones = []
    for name in ("ana", "ben"):
        git(root, "clone", "-q", str(remote), name)
        git(root / name, "config", "user.name", name)
        git(root / name, "config", "user.email", f"{name}@example.org")
        prcli(root / name, "setup", "git")
        clones.append(root / name)
    return clones[0], clones[1], paths


def change(folder: Path, paths: list[Path], old: str, new: str) -> None:
    for path in paths:
        file = folder / path
        file.write_text(file.read_text().replace(old, new, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--changed", type=int, nargs="+", default=[10, 50])
    options = parser.parse_args()
    print(f"{options.releases} releases; load average {os.getloadavg()[0]:.1f}")
    print("| K | sync, nothing to do | sync committing K releases | sync merging K releases |")
    print("|---:|---:|---:|---:|")
    for changed in options.changed:
        with tempfile.TemporaryDirectory(prefix="prcli-bench-sync-") as folder:
            ana, ben, paths = setup(Path(folder), options.releases)
            idle = prcli(ana, "sync")
            chosen = paths[:changed]
            change(ana, chosen, 'status: "draft"', 'subtitle: "From Ana"\nstatus: "draft"')
            commit = prcli(ana, "sync")
            change(ben, chosen, 'status: "draft"', 'summary: "From Ben"\nstatus: "draft"')
            git(ben, "add", "-A")
            git(ben, "commit", "-qm", "ben's summaries")
            merge = prcli(ben, "sync")
            text = (ben / chosen[0]).read_text()
            assert "From Ana" in text and "From Ben" in text and "merge_conflicts" not in text
            print(f"| {changed} | {idle:.2f} s | {commit:.2f} s | {merge:.2f} s |")


if __name__ == "__main__":
    main()
