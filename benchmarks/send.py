"""prcli send through a local SMTP server (aiosmtpd on 127.0.0.1, a test extra), and the cost of
reading a large send log.

    .venv/bin/python benchmarks/send.py --recipients 500 --log-records 200000

Prints: messages a second for a whole `prcli send` process (no rate limit, one fsync'd `attempt`
and one `sent` record per message), the share of that spent in fsync, and the time to read and
reconcile a send log of N records (what every `prcli send` and `prcli log` does first).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRCLI = [sys.executable, "-m", "prcli"]


def repository(folder: Path, port: int, recipients: int) -> str:
    shutil.copy(ROOT / "prcli.toml", folder / "prcli.toml")
    shutil.copytree(ROOT / "releases", folder / "releases")
    with (folder / "prcli.toml").open("a", encoding="utf-8") as config:
        config.write(
            f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nrate_per_minute = 0\n'
            '[distribution]\nfrom = "Press <press@example.org>"\n'
        )
    private = folder / "private"
    private.mkdir()
    (private / "contacts.toml").write_text(
        "".join(
            f'[[contact]]\nemail = "j{n}@example.org"\nlists = ["all"]\n'
            'consent_date = 2026-01-01\nconsent_source = "bench"\n'
            for n in range(recipients)
        ),
        encoding="utf-8",
    )
    return "2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi"


def bench_send(recipients: int) -> None:
    from aiosmtpd.controller import Controller

    class Sink:
        count = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            Sink.count += 1
            return "250 OK"

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            release = repository(folder, port, recipients)
            env = {**os.environ, "PRCLI_REPO": str(folder)}
            start = time.perf_counter()
            done = subprocess.run(
                [*PRCLI, "send", release, "--list", "all"], env=env, capture_output=True, text=True
            )
            elapsed = time.perf_counter() - start
        finally:
            controller.stop()
        assert done.returncode == 0, done.stderr[-2000:]
        assert Sink.count == recipients
        log = folder / "private" / "sends.jsonl"
        records = len(log.read_text().splitlines())
        print(
            f"send: {recipients} messages in {elapsed:.2f} s (whole process) = "
            f"{recipients / elapsed:.0f} messages/s; {records} log records"
        )
        # The fsync share: the same number of appends, alone.
        from prcli.distribution.sendlog import Record, SendLog

        probe_log = SendLog(folder / "probe")
        start = time.perf_counter()
        with probe_log:
            for n in range(records):
                probe_log.append(Record("sent", "r", "2026-01-01T00:00:00", "x", 1, f"j{n}@x.org"))
        appended = time.perf_counter() - start
        print(
            f"log: {records} fsync'd appends alone {appended:.2f} s ({appended / records * 1000:.2f} ms each)"
        )


def bench_read(count: int) -> None:
    from prcli.distribution.sendlog import LogState, SendLog

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        lines = []
        for n in range(count // 2):
            base = {
                "v": 1,
                "run": "r1",
                "at": "2026-11-27T10:00:00+00:00",
                "release": f"rel-{n % 50}",
                "version": 1,
                "recipient": f"j{n}@example.org",
                "message_id": f"<{n}@x>",
            }
            lines.append(json.dumps({**base, "event": "attempt"}))
            lines.append(json.dumps({**base, "event": "sent", "reply": "250 OK"}))
        (folder / "sends.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        log = SendLog(folder)
        start = time.perf_counter()
        read = log.read()
        LogState(read.records, "rel-7")
        elapsed = time.perf_counter() - start
        print(f"read + reconcile, every record: {len(read.records)} records in {elapsed:.2f} s")
        start = time.perf_counter()
        one = log.read("rel-7")
        LogState(one.records, "rel-7")
        elapsed = time.perf_counter() - start
        print(
            f"read + reconcile, one release (what send does): {len(one.records)} of {count} "
            f"records in {elapsed:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=500)
    parser.add_argument("--log-records", type=int, default=200_000)
    args = parser.parse_args()
    bench_send(args.recipients)
    bench_read(args.log_records)


if __name__ == "__main__":
    main()
