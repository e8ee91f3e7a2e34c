"""Fault script: `kill -9` at random moments of prcli commands, then many writers and readers at once.
Reports what a user would lose: lost updates, duplicates, unreadable files, stray files, orphan
processes, tracebacks. Target: zero everywhere.

    .venv/bin/python benchmarks/fault.py                          # 120 kills, 12 writers, 20 s
    .venv/bin/python benchmarks/fault.py --kills 300 --writers 16 --seconds 60 --seed 3
    .venv/bin/python benchmarks/fault.py --json                   # the report as JSON on stdout

Phase 1 (kills): each round starts one of `new`, `edit` (a scripted $EDITOR appends a marker),
`publish` (of an approved release), `import` (the same 30 JSON records every time) and sends it
SIGKILL at a random moment within the time that command takes here (measured first). The parent
alone is killed, like a crash or an OOM kill: children left running are counted as orphans. After
the kills: every release file must read; the 30 records must exist once each after one more import;
temp files and editor folders left behind are counted, then aged past the cleanup threshold and
counted again after one `list` and one `edit` (which clean them).

Phase 2 (concurrency): --writers processes loop for --seconds over edits of the same three
releases, workflow steps on those releases and on others, and `new`; --readers loop over `list --format json` and `show`. Every edit
that printed "Saved" must have its marker in the final file; every other edit must have said it was
not saved and where its text is, and that file must hold the marker. Every publication is recorded
once in the release's history.

The repository holds --base releases (450 by default: loads parse in worker processes), in a
temporary folder; children get a private TMPDIR so their editor folders can be counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PRCLI = str(Path(sys.executable).with_name("prcli"))
CONFIG = """\
[organisation]
name = "State Security Service"
department = "Public Relations Department"
timezone = "Asia/Baku"

[releases]
languages = ["en", "az", "ru"]
categories = ["Events", "Official", "Statements"]

[[contacts]]
name = "Press office"
email = "press@example.org"
"""
EDITOR = """\
import os, random, sys, time
path = sys.argv[-1]
time.sleep(random.uniform(0, float(os.environ.get("FAULT_EDITOR_SLEEP", "0"))))
with open(path, "a", encoding="utf-8") as f:
    f.write("\\n" + os.environ["FAULT_MARKER"] + "\\n")
"""
BODY = "The regular meeting was held in Moscow on October 13. " * 12
KEPT = re.compile(r"kept in (\S+?)(?:;|\s|$)")


@dataclass
class Report:
    kills: int = 0
    completed_before_kill: int = 0
    kills_by_command: Counter[str] = field(default_factory=Counter)
    unreadable_files: list[str] = field(default_factory=list)
    empty_files: int = 0
    lost_updates: list[str] = field(default_factory=list)
    duplicates: int = 0
    import_files: int = 0
    stray_temp_files: int = 0
    stray_edit_folders: int = 0
    stray_after_cleanup: int = 0
    rescued_texts: int = 0
    orphan_processes: int = 0
    tracebacks: list[str] = field(default_factory=list)
    edits_saved: int = 0
    edits_refused_text_kept: int = 0
    edits_refused_text_missing: int = 0
    other_failures: Counter[str] = field(default_factory=Counter)
    reader_runs: int = 0
    reader_failures: int = 0
    writer_runs: int = 0
    double_publications: int = 0


class Lab:
    def __init__(self, work: Path, base: int, seed: int) -> None:
        self.work = work
        self.root = work / "press"
        self.tmp = work / "tmp"
        self.records = work / "records"
        self.editor = work / "editor.py"
        self.token = f"prcli-fault-{os.getpid()}-{seed}"
        self.rng = random.Random(seed)
        self.report = Report()
        self.lock = threading.Lock()
        self.base = base

    # -- set up ---------------------------------------------------------------------------------

    def setup(self) -> None:
        from prcli.model import Release, Status
        from prcli.repository import render

        (self.root / "releases").mkdir(parents=True)
        (self.root / "prcli.toml").write_text(CONFIG, encoding="utf-8")
        self.tmp.mkdir()
        self.editor.write_text(EDITOR, encoding="utf-8")
        start = date(2021, 1, 1)
        for n in range(self.base):
            day = start + timedelta(days=n % 700)
            release = Release(
                id=f"{day.isoformat()}-base-release-{n}",
                title=f"Base release {n}",
                status=Status.DRAFT,
                category="Events",
                language="en",
                date=day,
                body=BODY,
            )
            path = self.root / "releases" / f"{day.year}" / f"{release.id}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(render(release, "yaml"))
        self.records.mkdir()
        for n in range(30):
            record = {
                "id": f"2022-03-01-import-record-{n}",
                "title": f"Import record {n}",
                "status": "draft",
                "date": "2022-03-01",
                "category": "Events",
                "language": "en",
                "body": BODY,
            }
            (self.records / f"rec-{n:02}.json").write_text(json.dumps(record), encoding="utf-8")

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRCLI_")}
        env.update(
            {
                "FAULT_TOKEN": self.token,
                "TMPDIR": str(self.tmp),
                "NO_COLOR": "1",
                "EDITOR": f"{sys.executable} {self.editor}",
                "GIT_CONFIG_GLOBAL": os.devnull,
            }
        )
        env.update(extra)
        return env

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [PRCLI, *args],
            cwd=self.root,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        self.check_traceback(args, done.stderr)
        return done

    def check_traceback(self, args: tuple[str, ...] | list[str], stderr: str) -> None:
        if "Traceback" in stderr:
            with self.lock:
                self.report.tracebacks.append(
                    f"{' '.join(args)}: {stderr.strip().splitlines()[-1]}"
                )

    def approved(self, title: str) -> str:
        """A new release moved to approved (by a second person), ready for `publish`. Made in this
        process (set-up is not what is tested, and a process per step is slow)."""
        from typer.testing import CliRunner

        from prcli.cli.app import app

        runner = CliRunner()
        repo = ["--repo", str(self.root)]
        made = runner.invoke(
            app,
            [*repo, "new", title, "-c", "Events", "--no-input", "--body-file", "-", "--no-edit"],
            input=BODY,
        )
        release_id = Path(made.stdout.strip()).stem
        runner.invoke(app, [*repo, "submit", release_id])
        runner.invoke(app, [*repo, "approve", release_id, "--by", "Second Approver"])
        return release_id

    def release_path(self, release_id: str) -> Path:
        return next(self.root.joinpath("releases").rglob(f"{release_id}.md"))

    # -- phase 1 ----------------------------------------------------------------------------------

    def command(self, op: str, n: int, pool: list[str]) -> tuple[list[str], dict[str, str], str]:
        if op == "new":
            return (
                [
                    "new",
                    f"Fault new {n}",
                    "-c",
                    "Events",
                    "--no-input",
                    "--body-file",
                    "-",
                    "--no-edit",
                ],
                self.env(),
                "",
            )
        if op == "edit":
            target = f"2021-01-{1 + n % 28:02d}-base-release-{n % 28}"
            return ["edit", target], self.env(FAULT_MARKER=f"Kill marker {n}."), target
        if op == "publish":
            target = pool.pop() if pool else ""
            return ["publish", target], self.env(), target
        return ["import", str(self.records), "--from", "json"], self.env(), ""

    def timing(self) -> dict[str, float]:
        times: dict[str, float] = {}
        pool = [self.approved("Timing publish")]
        for op in ("new", "edit", "publish", "import"):
            args, env, _ = self.command(op, 10_000, pool)
            started = time.monotonic()
            self.run(*args, env=env)
            times[op] = time.monotonic() - started
        return times

    def kill_phase(self, kills: int) -> None:
        times = self.timing()
        pool = [self.approved(f"Publish target {n}") for n in range(max(4, kills // 4 + 4))]
        ops = ["new", "edit", "publish", "import"]
        attempts = 0
        while self.report.kills < kills and attempts < kills * 4:
            attempts += 1
            op = self.rng.choice(ops)
            if op == "publish" and not pool:
                continue
            args, env, target = self.command(op, attempts, pool)
            process = subprocess.Popen(
                [PRCLI, *args],
                cwd=self.root,
                env=env,
                stdin=subprocess.PIPE if op == "new" else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            if op == "new":
                assert process.stdin is not None
                try:
                    process.stdin.write(BODY)
                    process.stdin.close()
                except BrokenPipeError:
                    pass
            time.sleep(self.rng.uniform(0.0, times[op] * 1.1))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)  # the parent only, as a crash would
                self.report.kills += 1
                self.report.kills_by_command[op] += 1
            else:
                self.report.completed_before_kill += 1
            assert process.stdout is not None and process.stderr is not None
            process.stdout.read()
            stderr = process.stderr.read()
            process.wait(timeout=120)
            self.check_traceback(args, stderr)
            if op == "edit" and "Saved" in stderr:
                marker = env["FAULT_MARKER"]
                if marker not in self.release_path(target).read_text(encoding="utf-8"):
                    self.report.lost_updates.append(f"kill phase: {target} {marker}")
        time.sleep(1.0)
        self.report.orphan_processes += self.orphans()

    def check_files(self) -> None:
        from prcli.errors import InvalidRelease
        from prcli.repository import parse_release

        for path in sorted(self.root.joinpath("releases").rglob("*.md")):
            data = path.read_bytes()
            if not data:
                self.report.empty_files += 1
            try:
                parse_release(path, data)
            except InvalidRelease as error:
                self.report.unreadable_files.append(f"{path.name}: {error.message}")

    def count_imports(self) -> None:
        self.run("import", str(self.records), "--from", "json")
        titles = Counter()
        for path in self.root.joinpath("releases").rglob("*.md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found = re.search(r'^title: "(Import record \d+|Fault new \d+)"$', text, re.MULTILINE)
            if found:
                titles[found.group(1)] += 1
        self.report.import_files = sum(n for t, n in titles.items() if t.startswith("Import"))
        self.report.duplicates = sum(n - 1 for n in titles.values() if n > 1)

    def strays(self) -> tuple[list[Path], list[Path]]:
        temps = [p for p in self.root.joinpath("releases").rglob(".*.tmp")]
        folders = [p for p in self.tmp.glob("prcli-edit-*")]
        return temps, folders

    def cleanup_check(self) -> None:
        temps, folders = self.strays()
        self.report.stray_temp_files = len(temps)
        self.report.stray_edit_folders = len(folders)
        old = time.time() - 3 * 3600
        for path in [*temps, *folders]:
            os.utime(path, (old, old))
        self.run("list", "--format", "ids")
        self.run("edit", "2021-01-01-base-release-0", env=self.env(FAULT_MARKER="Cleanup edit."))
        temps, folders = self.strays()
        self.report.stray_after_cleanup = len(temps) + len(folders)
        recovery = self.root / ".prcli" / "recovery"
        self.report.rescued_texts = len(list(recovery.glob("*-interrupted-*.md")))

    def orphans(self) -> int:
        """Processes started by this script still alive after their prcli parent died: counted,
        then ended (they are ours)."""
        found = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"FAULT_TOKEN={self.token}".encode() in environ.split(b"\0"):
                found += 1
                with contextlib.suppress(OSError):
                    os.kill(int(entry.name), signal.SIGKILL)
        return found

    # -- phase 2 ----------------------------------------------------------------------------------

    def concurrency_phase(self, writers: int, readers: int, seconds: float) -> None:
        targets = [f"2021-01-{d:02d}-base-release-{d - 1}" for d in (1, 2, 3)]
        pool = [self.approved(f"Concurrent publish {n}") for n in range(writers)]
        deadline = time.monotonic() + seconds
        saved: list[tuple[str, str]] = []

        def writer(number: int) -> None:
            rng = random.Random(number)
            count = 0
            while time.monotonic() < deadline:
                count += 1
                choice = rng.random()
                if choice < 0.5:
                    target = rng.choice(targets)
                    marker = f"Writer {number} edit {count}."
                    env = self.env(FAULT_MARKER=marker, FAULT_EDITOR_SLEEP="0.3")
                    done = self.run("edit", target, env=env)
                    self.edit_outcome(done, target, marker, saved)
                elif choice < 0.7:
                    # A workflow step on a release being edited: the edits must notice it.
                    target = rng.choice(targets)
                    step = ["submit", target] if rng.random() < 0.5 else ["status", target, "draft"]
                    done = self.run(*step)
                    if done.returncode != 0 and not re.search(
                        r"cannot move|is already", done.stderr
                    ):
                        self.other(done, step[0])
                elif choice < 0.85:
                    target = rng.choice(pool)
                    done = self.run("publish", target)
                    if done.returncode != 0 and "already published" not in done.stderr:
                        self.other(done, "publish")
                else:
                    done = self.run(
                        "new",
                        f"Concurrent new {number}-{count}",
                        "-c",
                        "Events",
                        "--no-input",
                        "--no-edit",
                    )
                    if done.returncode != 0:
                        self.other(done, "new")
                with self.lock:
                    self.report.writer_runs += 1

        def reader(number: int) -> None:
            while time.monotonic() < deadline:
                done = self.run("list", "--format", "json")
                ok = done.returncode == 0
                if ok:
                    try:
                        json.loads(done.stdout)
                    except ValueError:
                        ok = False
                shown = self.run("show", targets[number % 3])
                with self.lock:
                    self.report.reader_runs += 2
                    self.report.reader_failures += (not ok) + (shown.returncode != 0)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        threads += [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        finals = {t: self.release_path(t).read_text(encoding="utf-8") for t in targets}
        for target, marker in saved:
            if marker not in finals[target]:
                self.report.lost_updates.append(f"concurrency: {target} {marker}")
        for release_id in pool:
            text = self.release_path(release_id).read_text(encoding="utf-8")
            if text.count('status: "published"') > 2:  # the field and one history step
                self.report.double_publications += 1
        time.sleep(1.0)
        self.report.orphan_processes += self.orphans()

    def edit_outcome(
        self,
        done: subprocess.CompletedProcess[str],
        target: str,
        marker: str,
        saved: list[tuple[str, str]],
    ) -> None:
        with self.lock:
            if done.returncode == 0 and "Saved" in done.stderr:
                self.report.edits_saved += 1
                saved.append((target, marker))
                return
            if "NOT saved" in done.stderr:
                found = KEPT.search(done.stderr)
                path = Path(found.group(1)) if found else None
                if path is not None and not path.is_absolute():
                    path = self.root / path
                if (
                    path is not None
                    and path.exists()
                    and marker in path.read_text(encoding="utf-8")
                ):
                    self.report.edits_refused_text_kept += 1
                else:
                    self.report.edits_refused_text_missing += 1
                return
        self.other(done, "edit")

    def other(self, done: subprocess.CompletedProcess[str], op: str) -> None:
        first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
        first = re.sub(r"\d{4}-\d\d-\d\d-[\w-]+", "ID", first)
        with self.lock:
            self.report.other_failures[f"{op}: {first[:120]}"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=120)
    parser.add_argument("--writers", type=int, default=12)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--base", type=int, default=450)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="prcli-fault-"))
    lab = Lab(work, options.base, options.seed)
    started = time.monotonic()
    try:
        lab.setup()
        print(f"work folder {work}; {options.kills} kills ...", file=sys.stderr)
        lab.kill_phase(options.kills)
        lab.check_files()
        lab.count_imports()
        lab.cleanup_check()
        print(
            f"{options.writers} writers, {options.readers} readers for {options.seconds:g} s ...",
            file=sys.stderr,
        )
        lab.concurrency_phase(options.writers, options.readers, options.seconds)
        lab.check_files()
    finally:
        lab.orphans()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = lab.report
    data = {k: (dict(v) if isinstance(v, Counter) else v) for k, v in vars(report).items()}
    data["seconds"] = round(time.monotonic() - started, 1)
    if options.json:
        print(json.dumps(data, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:28} {value}")
    bad = (
        report.unreadable_files
        or report.empty_files
        or report.lost_updates
        or report.duplicates
        or report.import_files != 30
        or report.stray_after_cleanup
        or report.orphan_processes
        or report.tracebacks
        or report.edits_refused_text_missing
        or report.reader_failures
        or report.double_publications
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
