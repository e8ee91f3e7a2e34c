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
import time
from pathlib import Path

import pytest

from prcli.errors import InvalidRelease
from prcli.releasefile import Entry
from prcli.repository import Repository

from . import stream_corpus
from .conftest import Run
from .helpers import NOW

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


def test_the_corpus_has_ties_and_files_with_many_findings(corpus: Repository, run: Run) -> None:
    """What makes the golden digests sensitive to order: releases sharing a date (ordered by id)
    and files with several findings on different lines (ordered by line, code, message)."""
    dates = [
        json.loads(line)["date"]
        for line in run("export", "--format", "jsonl").stdout.split("\n")
        if line
    ]
    assert len(dates) > len(set(dates))
    findings = json.loads(run("validate", "--format", "json").stdout)
    paths = [finding["path"] for finding in findings]
    assert paths == sorted(paths)
    assert any(paths.count(path) > 2 for path in paths)


@pytest.mark.parametrize("cache", ["none", "cold"])
def test_worker_processes_give_the_same_bytes(
    corpus: Repository, run: Run, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """Parsed in small chunks by worker processes (a few chunks in flight), with no index cache
    or while building it, the outputs are the golden ones."""
    monkeypatch.setattr("prcli.releasefile.PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr("prcli.releasefile.STREAM_CHUNK", 3)
    monkeypatch.setattr("prcli.releasefile._workers", lambda: 2)
    monkeypatch.setattr("prcli.index.STORE_BATCH", 5)  # a cold cache is stored in batches
    if cache == "none":
        monkeypatch.setenv("PRCLI_NO_CACHE", "1")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name in (
        "validate-json",
        "validate-table",
        "export-jsonl",
        "export-csv",
        "export-ninjs-en",
    ):
        (corpus.root / ".prcli" / "index.sqlite").unlink(missing_ok=True)
        result = run(*CASES[name])
        assert {"exit": result.exit_code, "stdout": _digest(result.stdout)} == {
            "exit": expected[name]["exit"],
            "stdout": expected[name]["stdout"],
        }, name


def test_the_stream_reads_only_what_is_taken(
    corpus: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taking the first release reads one file (no cache), or one batch of cached rows."""
    import prcli.cache
    import prcli.releasefile

    parsed: list[Path] = []
    parse_one = prcli.releasefile._parse_one

    def counting(path: Path) -> object:
        parsed.append(path)
        return parse_one(path)

    monkeypatch.setattr("prcli.releasefile._parse_one", counting)
    with corpus.stream(use_cache=False) as stream:
        first = next(stream.read())
        assert parsed == [first.path]
        assert len(stream.keys) > 30

    past = time.time() - 3600  # written long enough ago for the cache to trust their stat
    for path in corpus.releases_dir.rglob("*.md"):
        os.utime(path, (past, past))
    with corpus.stream() as stream:  # builds the cache: every file is parsed once
        assert len(list(stream.read(bodies=False))) == len(stream.keys)
    decoded: list[str] = []
    entry_of = prcli.cache.entry_of

    def counting_rows(path: Path, *args: object) -> object:
        decoded.append(str(path))
        return entry_of(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("prcli.cache.entry_of", counting_rows)
    monkeypatch.setattr("prcli.releasestream.BATCH", 4)
    parsed.clear()
    with corpus.stream() as stream:
        reader = stream.read()
        next(reader)
        assert parsed == [] and 1 <= len(decoded) <= 4
        rest = list(reader)
        assert len(rest) + 1 == len(stream.keys)


def test_export_to_a_file_that_fails_midway_leaves_the_old_file(
    corpus: Repository, run: Run
) -> None:
    """ninjs of every release stops at a release whose attachment is missing, after writing
    others: -o FILE then keeps what was there, and no temp file stays behind."""
    out = corpus.root.parent / "wire.jsonl"
    out.write_text("before\n", encoding="utf-8")
    result = run("export", "--format", "ninjs", "--include-unpublished", "-o", str(out), "--force")
    assert result.exit_code != 0
    assert "media/34.jpg" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "before\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["press", "wire.jsonl"]
    fresh = corpus.root.parent / "fresh.jsonl"
    assert run("export", "--format", "ninjs", "--include-unpublished", "-o", str(fresh)).exit_code
    assert not fresh.exists()


def test_export_to_a_file_streams_the_same_bytes(corpus: Repository, run: Run) -> None:
    out = corpus.root.parent / "all.jsonl"
    result = run("export", "--format", "jsonl", "--include-unpublished", "-o", str(out))
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))["export-jsonl"]
    assert result.exit_code == expected["exit"]
    assert _digest(out.read_text(encoding="utf-8")) == expected["stdout"]


def test_a_file_that_breaks_between_the_two_passes_is_reported(
    corpus: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read again for its text, a file that no longer parses is left out with its one-line
    error, like any unreadable file, and the exit status says so."""
    from prcli.releasestream import ReleaseStream

    monkeypatch.setenv("PRCLI_NO_CACHE", "1")
    victim = corpus.releases_dir / "2020" / "2020-01-01-meeting-number-0-on-security.md"
    assert f'"id": "{victim.stem}"' in run("export", "--format", "jsonl", "--language", "en").stdout
    read = ReleaseStream.read

    def breaking(self: ReleaseStream, keys: object = None, *, bodies: bool = True) -> object:
        if keys is not None:  # the second pass
            victim.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        return read(self, keys, bodies=bodies)  # type: ignore[arg-type]

    monkeypatch.setattr(ReleaseStream, "read", breaking)
    result = run("export", "--format", "jsonl", "--language", "en")
    assert result.exit_code == 1
    assert f'"id": "{victim.stem}"' not in result.stdout
    assert f"{victim.relative_to(corpus.root)}" in result.stderr
    lines = [line for line in result.stderr.splitlines() if victim.name in line]
    assert len(lines) == 1, result.stderr


@pytest.mark.parametrize("refused", [False, True])
def test_a_cold_cache_is_stored_in_batches_or_bypassed(
    corpus: Repository, monkeypatch: pytest.MonkeyPatch, refused: bool
) -> None:
    """Building the cache while streaming stores a batch at a time and keeps none of it; when the
    database refuses a batch (busy), those releases are kept and given as parsed."""
    from prcli.cache import IndexCache

    expected = [_shown(outcome) for outcome in corpus.load_all(use_cache=False).entries]
    monkeypatch.setattr("prcli.index.STORE_BATCH", 4)
    if refused:
        monkeypatch.setattr(IndexCache, "store", lambda *args: False)
    with corpus.stream() as stream:
        assert stream._synced is not None
        assert len(stream._synced.fresh) == (len(stream.keys) if refused else 4)  # the errors
        found = [_shown(o) for o in stream.read() if not isinstance(o, InvalidRelease)]
    assert found == expected


def _shown(entry: Entry) -> tuple[str, str, str]:
    return str(entry.path), entry.release.id, entry.release.body


def test_damaged_rows_in_the_index_are_read_from_their_files(corpus: Repository, run: Run) -> None:
    """Rows whose stored record, layout or body no longer match their checksums (a damaged
    disk, a stray write) change nothing: those releases come from their files."""
    import sqlite3

    past = time.time() - 3600
    for path in corpus.releases_dir.rglob("*.md"):
        os.utime(path, (past, past))
    assert run("list", "--format", "ids").exit_code in (0, 1)  # builds the index
    database = sqlite3.connect(corpus.root / ".prcli" / "index.sqlite")
    with database:
        database.execute("UPDATE records SET record = X'7b2261' WHERE id % 3 = 0")
        database.execute("UPDATE records SET layout = '{' WHERE id % 5 = 1")
        database.execute("UPDATE bodies SET body = 'changed' WHERE id % 4 = 2")
    database.close()
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for name in ("validate-json", "export-jsonl", "export-csv"):
        result = run(*CASES[name])
        assert _digest(result.stdout) == expected[name]["stdout"], name


def test_toml_written_a_release_at_a_time_equals_one_document(corpus: Repository) -> None:
    """tomli-w lays out an array from all its tables; written one by one it must come out the
    same, with no release, with one, and with a table small enough to be inline alone."""
    import io

    import tomli_w

    from prcli.exporters import ExportItem, ExportOptions
    from prcli.exporters.tomlfmt import TOML, _as_block, toml_table
    from prcli.fileformat import toml_ready

    entries = corpus.load_all().entries
    items = [ExportItem(entry, str(entry.path.relative_to(corpus.root))) for entry in entries]
    options = ExportOptions(settings=corpus.config, now=NOW)
    for chosen in ([], items[:1], items):
        out = io.StringIO()
        TOML.write_stream(chosen, out, options)
        whole = {"releases": [toml_ready(toml_table(item)) for item in chosen]}
        assert out.getvalue() == tomli_w.dumps(whole)
    small, large = {"id": "a", "n": 1}, {"id": "b" * 120}
    assert tomli_w.dumps({"releases": [small]}).startswith("releases = [")  # inline alone
    expected = tomli_w.dumps({"releases": [small, large]})
    assert _as_block(tomli_w, small) + "\n" + tomli_w.dumps({"releases": [large]}) == expected
