"""The index fast path: records straight from the index equal records built from the parsed files,
for any releases, filters and order; a damaged index never changes an answer; parsing workers die
with their parent."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prcli.model import Release, Status
from prcli.query import SORT_FIELDS, Filters
from prcli.repository import CACHE_NAME, Repository

from .conftest import Run
from .helpers import CONFIG_TEXT, make_release, write_release
from .strategies import releases

OLD = 1_600_000_000_000_000_000  # a file time long past: rows are stored as trusted, not "racy"


def _repository(folder: Path, items: list[Release]) -> Repository:
    (folder / "releases").mkdir(parents=True)
    (folder / "prcli.toml").write_text(CONFIG_TEXT, encoding="utf-8")
    repository = Repository.open(folder)
    for release in items:
        path = write_release(repository, release)
        os.utime(path, ns=(OLD, OLD))
    return repository


def _age(repository: Repository) -> None:
    for path in repository.release_files():
        os.utime(path, ns=(OLD, OLD))


def _age_index(repository: Repository) -> None:
    """Make the index database old enough for a listing to vouch for it (see prcli.cache)."""
    for suffix in ("", "-wal"):
        path = Path(f"{repository.work_dir / CACHE_NAME}{suffix}")
        if path.exists():
            os.utime(path, ns=(OLD, OLD))


def _answer(repository: Repository, *args: object) -> tuple[object, ...]:
    listing = repository.listing(*args)  # type: ignore[arg-type]
    records = list(listing.records)  # first: reading them may find (and report) damage
    return (
        records,
        listing.paths,
        listing.total,
        [(str(e.path), e.message, e.line) for e in listing.errors],
        listing.readable,
    )


def _slow(repository: Repository, *args: object) -> tuple[object, ...]:
    return _answer(Repository.open(repository.root, use_cache=False), *args)


shared_words = st.sampled_from(["Events", "events", "Öffentlich", "Şuşa", "", "ələ"])


@st.composite
def corpora(draw: st.DrawFn) -> list[Release]:
    """A few releases that share categories, tags, keys and dates, so filters and ties bite."""
    items = draw(st.lists(releases, min_size=1, max_size=6, unique_by=lambda r: r.id))
    changed = []
    for release in items:
        changed.append(
            release.replace(
                category=draw(st.one_of(shared_words, st.just(release.category))),
                tags=tuple(draw(st.lists(shared_words, max_size=2))) or release.tags,
                translation_key=draw(st.sampled_from(["", "k1", "k2", release.translation_key])),
                date=draw(st.sampled_from([date(2021, 10, 15), release.date])),
                title=draw(st.sampled_from(["Same title", release.title])),
            )
        )
    return changed


@st.composite
def questions(draw: st.DrawFn) -> tuple[Filters, str, bool, int | None]:
    words = st.sampled_from(["events", "EVENTS", "Şuşa", "susa", "ələ", "öffentlich", "x"])
    filters = Filters(
        statuses=frozenset(draw(st.lists(st.sampled_from(Status), max_size=2))),
        categories=frozenset(draw(st.lists(words, max_size=2))),
        languages=frozenset(draw(st.lists(st.sampled_from(["en", "az", "pt-BR"]), max_size=2))),
        tags=frozenset(draw(st.lists(words, max_size=2))),
        since=draw(st.one_of(st.none(), st.just(date(2021, 10, 15)), st.just(date(2000, 1, 1)))),
        until=draw(st.one_of(st.none(), st.just(date(2021, 10, 15)))),
        text=draw(st.sampled_from(["", "", "same", "a", "Şuşa"])),
    )
    sort = draw(st.sampled_from(sorted(SORT_FIELDS)))
    return filters, sort, draw(st.booleans()), draw(st.one_of(st.none(), st.integers(1, 3)))


@settings(max_examples=20)
@given(items=corpora(), asked=st.lists(questions(), min_size=1, max_size=3))
def test_the_fast_path_returns_exactly_what_the_slow_path_would(
    items: list[Release], asked: list[tuple[Filters, str, bool, int | None]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repository = _repository(Path(folder) / "press", items)
        (repository.releases_dir / "2021").mkdir(exist_ok=True)
        (repository.releases_dir / "2021" / "2021-01-01-bad.md").write_text("---\nid: [\n---\n")
        _age(repository)
        for question in [(Filters(), "date", False, None), *asked]:
            expected = _slow(repository, *question)
            assert _answer(repository, *question) == expected  # cold: rows written now
            assert _answer(repository, *question) == expected  # warm: rows read back, checked
            _age_index(repository)
            assert _answer(repository, *question) == expected  # checked, then vouched for
            assert _answer(repository, *question) == expected  # vouched for: not checked
            assert Path(f"{repository.work_dir / CACHE_NAME}-trusted").exists()


def test_the_stored_record_is_the_record_of_the_parsed_file(repository: Repository) -> None:
    from prcli.records import encode, finish, record, stored

    release = make_release(tags=("a", "b"), translation_key="k")
    assert finish(stored(release), "releases/x.md", ("az",)) == encode(
        record(release, path="releases/x.md", translations=("az",))
    )


def _corpus(repository: Repository) -> None:
    languages = ["en", "az", "ru"]
    for number in range(12):
        release = make_release(
            title=f"Release number {number}",
            language=languages[number % 3],
            translation_key=f"group-{number // 3}",
            tags=(f"tag{number % 4}",),
            category=["Events", "Official"][number % 2],
            issuer=f"Issuer {number}",
            body=f"Body of release {number} about security.",
        )
        write_release(repository, release)
    _age(repository)


def test_random_byte_damage_to_the_index_never_changes_what_list_says(
    repository: Repository, run: Run
) -> None:
    """D21: overwrite random bytes of index.sqlite, again and again: `list` answers exactly as
    the files say (healing the rows it cannot trust), or fails loudly, never wrong with exit 0."""
    _corpus(repository)
    expected = run("--no-cache", "list", "--format", "json").stdout
    filtered = run("--no-cache", "list", "--format", "csv", "-l", "az", "--sort", "title").stdout
    assert run("list", "--format", "json").stdout == expected  # builds the cache
    cache = repository.work_dir / CACHE_NAME
    with sqlite3.connect(cache) as connection:  # fold the WAL into the file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = cache.read_bytes()
    generator = random.Random(21)
    checks = [(("list", "--format", "json"), expected)]
    checks.append((("list", "--format", "csv", "-l", "az", "--sort", "title"), filtered))
    for attempt in range(40):
        damaged = bytearray(pristine)
        for _ in range(generator.randint(1, 6)):
            where = generator.randrange(100, len(damaged))  # past the header: keep it a database
            damaged[where] = generator.randrange(256)
        for suffix in ("-wal", "-shm"):
            Path(f"{cache}{suffix}").unlink(missing_ok=True)
        cache.write_bytes(bytes(damaged))
        arguments, wanted = checks[attempt % 2]
        result = run(*arguments)
        assert result.exit_code == 0 and result.stdout == wanted, result


def test_a_damaged_record_is_read_again_from_its_file(repository: Repository, run: Run) -> None:
    """Without any change to the file, a row whose bytes changed is not believed."""
    _corpus(repository)
    expected = run("list", "--format", "json").stdout
    cache = repository.work_dir / CACHE_NAME
    with sqlite3.connect(cache) as connection:
        connection.execute(
            "UPDATE records SET record = "
            "CAST(replace(CAST(record AS TEXT), 'Issuer 3', 'Issuer X') AS BLOB)"
        )
        connection.execute("UPDATE releases SET language = 'ru' WHERE language = 'az'")
    assert run("list", "--format", "json").stdout == expected
    az = [r["id"] for r in json.loads(expected) if r["language"] == "az"]
    assert sorted(run("list", "--format", "ids", "-l", "az").stdout.split()) == sorted(az)


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE records SET record = x'00ff'",
        "UPDATE records SET layout = '{\"format\": 5}'",
        "UPDATE bodies SET body = 12",
        "UPDATE releases SET indexed = 0",
        "DELETE FROM bodies",
    ],
)
def test_search_heals_damaged_and_foreign_shaped_rows(
    repository: Repository, run: Run, damage: str
) -> None:
    """D20: search on rows it cannot trust answers as if they were fine, like list does."""
    _corpus(repository)
    expected = run("search", "security", "--format", "json", "-n", "50").stdout
    assert len(json.loads(expected)) == 12
    with sqlite3.connect(repository.work_dir / CACHE_NAME) as connection:
        connection.execute(damage)
    result = run("search", "security", "--format", "json", "-n", "50")
    assert result.exit_code == 0 and result.stderr == "", result
    assert result.stdout == expected


def test_search_bypasses_a_locked_cache_at_once(repository: Repository, run: Run) -> None:
    """D20: a cache locked by another program neither delays search by seconds nor fails it."""
    _corpus(repository)
    expected = run("search", "security", "--format", "ids", "-n", "50").stdout
    path = repository.work_dir / CACHE_NAME
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        result = run("search", "security", "--format", "ids", "-n", "50")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 0 and result.stdout == expected, result
    assert waited < 4  # the old code waited 5 s for the lock, then failed
    assert path.exists()


def test_a_damaged_database_file_is_discarded_and_search_still_answers(
    repository: Repository, run: Run
) -> None:
    _corpus(repository)
    expected = run("search", "security", "--format", "ids", "-n", "50").stdout
    cache = repository.work_dir / CACHE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = run("search", "security", "--format", "ids", "-n", "50")
    assert result.exit_code == 0 and result.stdout == expected, result


def test_a_new_record_schema_rebuilds_the_index_silently(repository: Repository, run: Run) -> None:
    _corpus(repository)
    expected = run("list", "--format", "json").stdout
    with sqlite3.connect(repository.work_dir / CACHE_NAME) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
        connection.execute("UPDATE records SET record = x'7b'")  # an older shape of row
    result = run("list", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == expected


# -- worker processes ---------------------------------------------------------------------------

_WORKER_SCRIPT = """
import os, sys, time
from pathlib import Path
import prcli.releasefile as releasefile

marks = Path(sys.argv[1])
original = releasefile._parse_one

def slow(path):
    (marks / str(os.getpid())).touch()
    time.sleep(0.05)
    return original(path)

releasefile._parse_one = slow
from prcli.repository import Repository
Repository.open(Path(sys.argv[2]), use_cache=False).load_all()
print("finished")
"""


def _many(repository: Repository, count: int = 420) -> None:
    for number in range(count):
        write_release(repository, make_release(title=f"Release number {number}"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped) counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return True


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for worker processes")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(repository: Repository, tmp_path: Path, how: int) -> None:
    """D16: kill -9 (or SIGTERM) of prcli during a parallel load leaves no worker behind."""
    _many(repository)
    marks = tmp_path / "marks"
    marks.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", _WORKER_SCRIPT, str(marks), str(repository.root)],
        stdout=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while len(list(marks.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = {int(mark.name) for mark in marks.iterdir()} - {parent.pid}
    assert len(workers) >= 2, "the load did not run in worker processes"
    parent.send_signal(how)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert orphans == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores for worker processes")
def test_many_files_are_parsed_in_workers_with_the_same_result(
    repository: Repository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Proves the workers ran (the parent never parsed a file itself) and agree with a serial
    parse."""
    import prcli.releasefile as releasefile

    _many(repository, 450)
    (repository.releases_dir / "2021" / "2021-01-01-bad.md").write_text("---\nid: [\n---\n")
    serial = [releasefile._parse_one(path) for path in repository.release_files()]
    marks = tmp_path / "parsers"
    marks.mkdir()
    original = releasefile._parse_one

    def recording(path: Path) -> object:
        (marks / str(os.getpid())).touch()
        return original(path)

    monkeypatch.setattr(releasefile, "_parse_one", recording)
    parallel = Repository.open(repository.root, use_cache=False).load_all()
    parsers = {int(mark.name) for mark in marks.iterdir()}
    # Which worker takes which chunk is the pool's choice (under load one may take them all):
    # what matters is that workers parsed and this process did not.
    assert parsers and os.getpid() not in parsers
    assert [e.release for e in parallel.entries] == [
        s.release for s in serial if not isinstance(s, Exception)
    ]
    assert len(parallel.errors) == 1
    shutil.rmtree(marks)


def test_an_index_failing_part_way_through_a_stream_gives_way_to_the_files(
    repository: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past index.FEW records a listing streams; should SQLite fail after some were written, the
    rest comes from the files, so the whole answer is still exactly the slow path's."""
    from prcli import index
    from prcli.cache import IndexCache

    _corpus(repository)
    expected = _slow(repository, Filters(), "date", False, None)
    assert _answer(repository, Filters(), "date", False, None) == expected  # builds the cache
    listed = IndexCache.listed

    def failing(self: IndexCache, *args: Any) -> Iterator[Any]:
        for number, row in enumerate(listed(self, *args)):
            if number == 5:
                raise sqlite3.DatabaseError("database disk image is malformed")
            yield row

    monkeypatch.setattr(index, "FEW", 2)
    monkeypatch.setattr(IndexCache, "listed", failing)
    assert _answer(repository, Filters(), "date", False, None) == expected


def test_a_damaged_sql_index_is_rebuilt_before_a_listing_reads_through_it(
    repository: Repository, run: Run
) -> None:
    """The row checksums cannot see an SQL index whose entries disagree with the rows; the full
    check (any listing after the database changed) finds it and rebuilds the index."""
    _corpus(repository)
    expected = run("list", "--format", "ids").stdout
    assert len(expected.split()) == 12
    cache = repository.work_dir / CACHE_NAME
    with sqlite3.connect(cache) as connection:  # entries in ascending order, declared descending
        connection.execute("DROP INDEX releases_by_date")
        connection.execute(
            "CREATE INDEX releases_by_date ON releases (date ASC, rid ASC, path DESC) "
            "WHERE error IS NULL"
        )
        version = connection.execute("PRAGMA schema_version").fetchone()[0]
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_schema SET sql = "
            "'CREATE INDEX releases_by_date ON releases (date DESC, rid DESC, path) "
            "WHERE error IS NULL' WHERE name = 'releases_by_date'"
        )
        connection.execute(f"PRAGMA schema_version = {version + 1}")
    with sqlite3.connect(cache) as connection:
        assert connection.execute("PRAGMA integrity_check(releases)").fetchall() != [("ok",)]
    assert run("list", "--format", "ids").stdout == expected
    assert run("list", "--format", "ids", "-n", "3").stdout.split() == expected.split()[:3]


def test_a_full_text_index_answering_what_the_releases_do_not_say_is_rebuilt(
    repository: Repository, run: Run
) -> None:
    """A damaged full-text row (here: text no release holds) must not put a release among the
    results: each hit is checked against its checked release, and an index caught answering
    wrongly is rebuilt."""
    _corpus(repository)
    expected = run("search", "security", "--format", "ids", "-n", "50").stdout
    assert run("search", "xyzzy", "--format", "ids").stdout == ""
    with sqlite3.connect(repository.work_dir / CACHE_NAME) as connection:
        connection.execute("UPDATE search SET body = 'xyzzy' WHERE rowid IN (2, 5)")
    result = run("search", "xyzzy", "--format", "ids")
    assert result.exit_code == 0 and result.stdout == "", result
    assert "No releases match" in result.stderr
    assert run("search", "security", "--format", "ids", "-n", "50").stdout == expected


def test_query_on_rows_whose_text_is_missing_or_damaged_asks_the_files(
    repository: Repository, run: Run
) -> None:
    _corpus(repository)
    expected = run("--no-cache", "list", "--format", "ids", "--query", "release 3").stdout
    assert expected.strip()
    assert run("list", "--format", "ids", "--query", "release 3").stdout == expected
    with sqlite3.connect(repository.work_dir / CACHE_NAME) as connection:
        connection.execute("DELETE FROM bodies")
    assert run("list", "--format", "ids", "--query", "release 3").stdout == expected
    with sqlite3.connect(repository.work_dir / CACHE_NAME) as connection:
        connection.execute("UPDATE bodies SET folded = 'nothing here'")
    assert run("list", "--format", "ids", "--query", "release 3").stdout == expected


@settings(max_examples=150, deadline=None, derandomize=True)
@given(release=releases)
def test_a_stored_record_decodes_to_the_very_release_it_was_made_from(release: Release) -> None:
    """The typed decoding (msgspec straight into the model) gives what `from_record` gives, to
    the types and the offsets of the times (repr: equal datetimes may differ in offset)."""
    from prcli.records import from_record, from_stored, stored, unfinished

    data = stored(release)
    slow = from_record(unfinished(data), release.body)
    assert slow == release
    assert repr(from_stored(data, release.body)) == repr(slow)


def test_a_time_the_typed_decoding_does_not_take_is_read_the_slow_way() -> None:
    from datetime import datetime, timedelta, timezone

    from prcli.records import from_stored, stored

    odd = timezone(timedelta(hours=4, seconds=30))  # an offset with seconds: valid ISO 8601
    release = make_release(created=datetime(2021, 10, 15, 9, 0, tzinfo=odd), body="Text.")
    assert repr(from_stored(stored(release), "Text.")) == repr(release)
