"""The ids next to a listed one, read through the index, tell the same as every id would."""

from __future__ import annotations

import sqlite3

from prcli.idprefix import common_length, ids_around, ids_starting, shared_lengths

IDS = [
    "2021-10-15-a",
    "2021-10-15-ab",  # the one before is a prefix of it
    "2021-10-15-abc-x",
    "2021-10-15-abc-y",
    "2021-10-16-b",
    "2021-10-16-b",  # two files with one id
    "2022-01-01-z",
]


def _index() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE releases (id INTEGER PRIMARY KEY, rid TEXT, error TEXT)")
    db.execute("CREATE INDEX releases_by_rid ON releases (rid) WHERE error IS NULL")
    db.executemany("INSERT INTO releases (rid) VALUES (?)", [(rid,) for rid in reversed(IDS)])
    db.execute("INSERT INTO releases (rid, error) VALUES (NULL, 'YAML syntax error')")
    return db


def test_ids_around_give_what_every_id_gives() -> None:
    db = _index()
    assert ids_starting(db) == sorted(IDS)
    assert ids_starting(db, "2021-10-15-abc") == ["2021-10-15-abc-x", "2021-10-15-abc-y"]
    for chosen in ([IDS[0]], IDS[2:4], [IDS[4]], [IDS[-1], IDS[1]], IDS):
        expected = {
            rid: max(
                common_length(rid, other)
                for number, other in enumerate(IDS)
                if number != IDS.index(rid)  # every other file's id, a twin's too
            )
            for rid in chosen
        }
        assert shared_lengths(ids_around(db, chosen), chosen) == expected, chosen
    assert shared_lengths(ids_around(db, ["2021-10-16-b"]), ["2021-10-16-b"]) == {
        "2021-10-16-b": len("2021-10-16-b")  # only the whole id, and even that names two
    }
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT rid FROM releases WHERE error IS NULL AND rid < ? "
        "ORDER BY rid DESC LIMIT 1",
        ("x",),
    ).fetchall()
    assert "releases_by_rid" in str(plan)  # a lookup, not a pass over every row
