"""Compare JSON codecs on the records of a generated repository (issue 13: why msgspec).

    .venv/bin/pip install orjson   # only for this comparison; prcli itself uses msgspec
    .venv/bin/python benchmarks/codecs.py /tmp/corpus-10000

Prints the best of three for encoding every record and decoding it back, with json (standard
library), orjson and msgspec.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from prcli.records import record
from prcli.repository import Repository


def best(name: str, work: Callable[[], Any]) -> Any:
    fastest, result = float("inf"), None
    for _ in range(3):
        started = time.perf_counter()
        result = work()
        fastest = min(fastest, time.perf_counter() - started)
    print(f"{name:28} {fastest * 1000:8.1f} ms")
    return result


def main() -> None:
    repository = Repository.open(Path(sys.argv[1]), use_cache=False)
    records = [record(entry.release) for entry in repository.load_all().entries]
    print(f"{len(records)} records")
    encoded = best("json.dumps", lambda: [json.dumps(r, ensure_ascii=False) for r in records])
    best("json.loads", lambda: [json.loads(s) for s in encoded])
    encoder, decoder = msgspec.json.Encoder(), msgspec.json.Decoder()
    encoded = best("msgspec encode", lambda: [encoder.encode(r) for r in records])
    best("msgspec decode", lambda: [decoder.decode(s) for s in encoded])
    try:
        import orjson
    except ImportError:
        print("orjson is not installed: skipped")
        return
    encoded = best("orjson.dumps", lambda: [orjson.dumps(r) for r in records])
    best("orjson.loads", lambda: [orjson.loads(s) for s in encoded])


if __name__ == "__main__":
    main()
