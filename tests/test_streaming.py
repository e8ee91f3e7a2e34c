"""validate and the machine exports stream: the same bytes as before, one release at a time.

The golden digests in tests/data/streaming-golden.json were taken with the commands as they were
before they streamed (every release loaded into one list, all findings or the whole output built
before writing). Any change of order, content, exit code or message changes a digest. Regenerate
them only for an intended change of output: PRCLI_WRITE_GOLDEN=1 pytest tests/test_streaming.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from prcli.repository import Repository

from . import stream_corpus
from .conftest import Run

GOLDEN = Path(__file__).parent / "data" / "streaming-golden.json"

CASES: dict[str, tuple[str, ...]] = {
    "validate-json": ("validate", "--format", "json"),
    "validate-table": ("validate",),
    "validate-github": ("validate", "--format", "github"),
    "validate-strict": ("validate", "--strict", "--format", "json"),
    "validate-some": (
        "validate",
        "--format",
        "json",
        "releases/2021/2020-02-02-broken-yaml.md",
        "releases/2020/2020-03-01-copy-of-a-release.md",
    ),
    "export-json": ("export", "--format", "json", "--include-unpublished"),
    "export-jsonl": ("export", "--format", "jsonl", "--include-unpublished"),
    "export-csv": ("export", "--format", "csv", "--include-unpublished"),
    "export-csv-excel": ("export", "--format", "csv", "--excel", "--include-unpublished"),
    "export-ninjs": ("export", "--format", "ninjs", "--include-unpublished"),
    "export-ninjs-public": ("export", "--format", "ninjs"),
    "export-ninjs-en": ("export", "--format", "ninjs", "--include-unpublished", "--language", "en"),
    "export-ninjs-3": ("export", "--format", "ninjs", "--ninjs-version", "3"),
    "export-toml": ("export", "--format", "toml"),
    "export-jsonl-filtered": (
        "export",
        "--format",
        "jsonl",
        "--language",
        "en",
        "--since",
        "2020-06-01",
        "--query",
        "meeting",
    ),
    "export-jsonl-some": (
        "export",
        "--format",
        "jsonl",
        "releases/2020/2020-03-01-copy-of-a-release.md",
    ),
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _outcomes(run: Run) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for name, args in CASES.items():
        result = run(*args)
        found[name] = {
            "exit": result.exit_code,
            "stdout": _digest(result.stdout),
            "stderr": _digest(result.stderr),
            "lines": result.stdout.count("\n"),
        }
    return found


@pytest.fixture
def corpus(repository: Repository) -> Repository:
    stream_corpus.build(repository)
    return repository


def test_outputs_equal_the_golden_ones(corpus: Repository, run: Run) -> None:
    found = _outcomes(run)
    if os.environ.get("PRCLI_WRITE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert found == expected
