"""Where the site search's CPU goes: the records of the 10,000 corpus fed through Pagefind.

    .venv/bin/python benchmarks/search_cost.py            # corpus-10000 (copy it first, see README)
    .venv/bin/python benchmarks/search_cost.py --only shipped one-process-writefiles

First the export runs in this process as far as the search records (pages are not rendered):
the CPU time of making the records (fold, clean text, metadata) is printed. Then the same records
go through `pagefind --service` in several ways, each from a fresh process; for each: wall time,
Pagefind's CPU (user and system, from /proc) when every record is in ("add") and at the end
("write"), and this process's CPU (sending; writing the files for GetFiles):

- shipped: as prcli does it (one process per core, bundles shared by size, GetFiles, files
  written and hashed by the reader thread);
- one-process: the same bundles through one process, GetFiles;
- one-process-writefiles: one process, Pagefind writing the files itself (WriteFiles);
- per-language: one bundle per language instead of per language and year;
- one-index: every record in one index;
- half-content: each record's text cut to half (how the cost follows the text);
- fixed: one record per bundle (the fixed cost of a bundle).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOW = "2026-11-27T12:00:00+04:00"
Records = dict[str, list[dict[str, Any]]]


class _Captured(Exception):
    pass


def capture(corpus: Path) -> Records:
    """The records of every bundle, made by prcli's own code in a real export run."""
    from prcli.site import build, search

    records: Records = {}

    def feed(indexer: search.Indexer) -> None:
        start = time.process_time()
        for name in indexer.todo:
            records[name] = [search.record(item, indexer.l10n) for item in indexer.groups[name]]
        print(f"records made: {time.process_time() - start:.2f} s CPU", flush=True)
        raise _Captured

    def render(pages: Any, meanwhile: Callable[[], None], *args: Any, **kwargs: Any) -> Any:
        meanwhile()

    search.Indexer.feed = feed  # type: ignore[method-assign]
    build._render = render  # type: ignore[assignment]
    os.environ["PRCLI_NOW"] = NOW
    from typer.testing import CliRunner

    from prcli.cli.app import app

    cwd = os.getcwd()
    os.chdir(corpus)
    try:
        with tempfile.TemporaryDirectory() as out:
            shutil.rmtree(corpus / ".prcli" / "site", ignore_errors=True)
            result = CliRunner().invoke(app, ["export", "--format", "html", "-o", out])
    finally:
        os.chdir(cwd)
    if not isinstance(result.exception, _Captured):
        raise SystemExit(f"the export did not reach the search: {result.output}")
    return records


def _cpu(pid: int) -> tuple[float, float]:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def run(label: str, records: Records, processes: int, get_files: bool, out: Path) -> None:
    from prcli.site.search import _alternating, _executable, _Service, _shares

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    shares = _shares({name: len(found) for name, found in records.items()}, processes)
    services = [_Service(_executable()) for _ in shares]
    indexes = {}
    for service, names in zip(services, shares, strict=True):
        for name in names:
            indexes[name] = (
                service,
                service.wait(service.send({"type": "NewIndex", "config": None}))["index_id"],
            )
    last: dict[_Service, int] = {}
    for name in _alternating(shares):
        service, index = indexes[name]
        for record in records[name]:
            last[service] = service.send({"type": "AddRecord", "index_id": index, **record})
        service.flush()
    for service, number in last.items():
        service.wait(number)
    added = time.perf_counter() - start
    cpu_added = [_cpu(service.process.pid) for service in services]
    asked = []
    for name in _alternating(shares):
        service, index = indexes[name]
        if get_files:
            asked.append((service, service.get_files(index, out / name)))
        else:
            request = {"type": "WriteFiles", "index_id": index, "output_path": str(out / name)}
            asked.append((service, service.send(request)))
    for service, number in asked:
        service.wait(number)
    wall = time.perf_counter() - start
    cpu_end = [_cpu(service.process.pid) for service in services]
    for service in services:
        service.close()
    done = resource.getrusage(resource.RUSAGE_SELF)
    user = sum(u for u, _ in cpu_end)
    system = sum(s for _, s in cpu_end)
    add = sum(u + s for u, s in cpu_added)
    own = done.ru_utime - mine.ru_utime + done.ru_stime - mine.ru_stime
    files = sum(len(found) for _, _, found in os.walk(out))
    print(
        f"{label:24} {len(records):3} bundles {processes} proc  wall {wall:6.2f} s (add {added:5.2f})"
        f"  Pagefind {user + system:6.2f} s CPU (user {user:5.2f}, sys {system:5.2f};"
        f" add {add:5.2f}, write {user + system - add:5.2f})  this process {own:5.2f} s"
        f"  {files} files  load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--only", nargs="*", default=[])
    arguments = parser.parse_args()
    corpus = HERE / f"corpus-{arguments.size}"
    if not (corpus / "prcli.toml").exists():
        raise SystemExit(f"{corpus} is missing: copy or generate it first (benchmarks/README.md)")
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    records = capture(corpus)
    total = sum(len(found) for found in records.values())
    text = sum(len(r["content"]) for found in records.values() for r in found)
    print(f"{total} records in {len(records)} bundles, {text / 1e6:.1f} MB of text", flush=True)
    from prcli.site.search import _processes

    by_language: Records = {}
    for name, found in records.items():
        by_language.setdefault(name.split("-")[0], []).extend(found)
    half = {
        name: [dict(r, content=r["content"][: len(r["content"]) // 2]) for r in found]
        for name, found in records.items()
    }
    plans = {
        "shipped": (records, _processes(), True),
        "one-process": (records, 1, True),
        "one-process-writefiles": (records, 1, False),
        "per-language": (by_language, 1, True),
        "one-index": ({"all": [r for found in records.values() for r in found]}, 1, True),
        "half-content": (half, 1, True),
        "fixed": ({name: found[:1] for name, found in records.items()}, 1, True),
    }
    with tempfile.TemporaryDirectory(prefix="prcli-search-cost-") as temp:
        for label, (chosen, processes, get_files) in plans.items():
            if not arguments.only or label in arguments.only:
                run(label, chosen, processes, get_files, Path(temp) / label)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
