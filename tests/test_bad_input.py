"""Issue 11: bad input is a clear error naming the file (and line), and one bad input never stops a
batch (D1-D4, D11, D12, D22)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release, write_text_release

HEAD_TOML = (
    '+++\nid = "2021-10-15-x"\ntitle = "X"\nstatus = "draft"\nlanguage = "en"\ndate = 2021-10-15\n'
)
HEAD_YAML = (
    '---\nid: "2021-10-15-x"\ntitle: "X"\nstatus: "draft"\nlanguage: "en"\ndate: 2021-10-15\n'
)


def _no_json_constants(name: str) -> Any:
    raise AssertionError(f"{name} in JSON output")


BROKEN_FILES = {
    "D1 TOML nested 600 deep": (
        HEAD_TOML + "[extra]\nx = " + "[" * 600 + "]" * 600 + "\n+++\n",
        None,
    ),
    "D1 TOML nested 40 deep": (HEAD_TOML + "[extra]\nx = " + "[" * 40 + "]" * 40 + "\n+++\n", 7),
    "D2 TOML int 5000 digits": (HEAD_TOML + "[extra]\nn = " + "9" * 5000 + "\n+++\n", None),
    "D2 TOML int beyond 64 bits": (HEAD_TOML + "[extra]\nn = 184467440737095516160\n+++\n", 7),
    "D2 YAML int 5000 digits": (HEAD_YAML + "extra:\n  n: " + "9" * 5000 + "\n---\n", 8),
    "D2 YAML unknown int 5000 digits": (HEAD_YAML + "n: " + "9" * 5000 + "\n---\n", 7),
    "D3 TOML time of day": (HEAD_TOML + "[extra]\nt = 07:32:00\n+++\n", 7),
    "D11 YAML .nan": (HEAD_YAML + "extra:\n  n: .nan\n---\n", 7),
    "D11 YAML .inf unknown key": (HEAD_YAML + "weight: -.inf\n---\n", 7),
    "D11 TOML nan": (HEAD_TOML + "[extra]\nn = nan\n+++\n", 7),
    "D22 date in year 1": (HEAD_YAML.replace("2021-10-15\n", "0001-01-01\n"), 6),
    "D22 embargo at 9999 -12:00": (
        HEAD_YAML + 'embargo_until: "9999-12-31T23:00:00-12:00"\n---\n',
        7,
    ),
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_a_hostile_release_file_is_a_finding_with_its_line(
    repository: Repository, run: Run, name: str
) -> None:
    text, line = BROKEN_FILES[name]
    if not text.rstrip().endswith(("---", "+++")):
        text += "---\n"
    write_release(repository, make_release())
    path = write_text_release(repository, "2021-10-15-x.md", text)
    for command in (("list", "--format", "json"), ("--no-cache", "list", "--format", "json")):
        result = run(*command)
        assert result.exit_code == 1, result
        assert "Traceback" not in result.stderr
        shown = f"2021-10-15-x.md:{line}:" if line else "2021-10-15-x.md"
        assert shown in result.stderr, result
        records = json.loads(result.stdout, parse_constant=_no_json_constants)
        assert [r["id"] for r in records] == [make_release().id]  # the good one still listed
    found = run("validate", "--format", "json")
    assert found.exit_code == 1 and "Traceback" not in found.stderr
    assert path.name in found.stdout


def test_now_outside_the_calendar_is_a_clear_error(repository: Repository, run: Run) -> None:
    write_release(repository, make_release())
    for now, command in (
        ("0001-01-01T00:00:00+14:00", "list"),
        ("0001-01-15T00:00:00", "stats"),
        ("9999-12-31T23:00:00-12:00", "status"),
    ):
        result = run("--now", now, command)
        assert result.exit_code == 2, result
        assert "outside the years" in result.stderr and "Traceback" not in result.stderr


def _ninjs(**fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "uri": "urn:x:1",
        "versioncreated": "2021-10-15T09:00:00+04:00",
        "headlines": [{"role": "main", "value": "Good one"}],
        "bodies": [{"contenttype": "text/plain", "value": "Body."}],
    }
    doc.update(fields)
    return doc


def test_one_bad_input_never_stops_an_import_batch(repo_root: Path, run: Run) -> None:
    """D4: every input below fails alone with a reason; the good ones are imported."""
    source = repo_root.parent / "inbox"
    source.mkdir()
    record = {"id": "2021-10-15-fine", "title": "Fine", "status": "draft", "language": "en"}
    record["date"] = "2021-10-15"
    bad: dict[str, str] = {
        "headlines-5.json": json.dumps({**_ninjs(), "headlines": 5, "uri": "urn:x:2"}),
        "deep.json": "[" * 10_000 + "]" * 10_000,
        "year-9999.json": json.dumps(
            _ninjs(uri="urn:x:3", versioncreated="9999-12-31T23:00:00-12:00")
        ),
        "unknown-shape.json": json.dumps([{**record, "id": "2021-10-15-u", "unknown": [1, 2]}]),
        "long-id.json": json.dumps([{**record, "id": "2021-10-15-" + "x" * 300}]),
        "nul-id.json": json.dumps([{**record, "id": "2021-10-15-a\u0000b"}]),
        "nan.json": '[{"id": "2021-10-15-n", "title": "N", "status": "draft", "language": "en", '
        '"date": "2021-10-15", "extra": {"x": NaN}}]',
        "huge-int.json": '[{"id": "2021-10-15-h", "title": "H", "status": "draft", '
        '"language": "en", "date": "2021-10-15", "extra": {"x": ' + "9" * 5000 + "}}]",
        "hugo-deep.md": "+++\ntitle = 'Deep'\ndate = 2021-10-15\nx = "
        + "[" * 600
        + "]" * 600
        + "\n+++\n\nBody.\n",
    }
    for name, text in bad.items():
        (source / name).write_text(text)
    (source / "z-good.json").write_text(json.dumps([record]))
    (source / "z-good-ninjs.json").write_text(json.dumps(_ninjs(uri="urn:x:9")))
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 1, result
    assert "Traceback" not in result.stderr
    outcomes = {Path(o["input"]).name: o for o in json.loads(result.stdout)}
    for name in bad:
        assert outcomes[name]["action"] == "failed", outcomes[name]
        assert outcomes[name]["reason"] and "please report" not in outcomes[name]["reason"]
    assert outcomes["z-good.json"]["action"] == "created"
    assert outcomes["z-good-ninjs.json"]["action"] == "created"
    assert len(list(repo_root.rglob("*.md"))) == 2


def test_time_of_day_in_hugo_front_matter_is_kept_as_text(repo_root: Path, run: Run) -> None:
    """D3: the markdown importer no longer fails on a TOML time of day; it is kept as ISO text."""
    source = repo_root.parent / "post.md"
    source.write_text("+++\ntitle = 'Time'\ndate = 2021-10-15\nstarts = 07:32:00\n+++\n\nBody.\n")
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 0, result
    (outcome,) = json.loads(result.stdout)
    shown = run("show", outcome["id"], "--format", "json")
    assert json.loads(shown.stdout)["extra"]["starts"] == "07:32:00"


def test_nan_never_reaches_json_output(repository: Repository, run: Run, repo_root: Path) -> None:
    """D11: NaN/Infinity are refused where they come in, so every JSON output stays JSON."""
    write_release(repository, make_release())
    write_text_release(
        repository, "2021-10-15-x.md", HEAD_YAML + "extra:\n  a: .nan\n  b: .inf\n---\n"
    )
    source = repo_root.parent / "nan.jsonl"
    source.write_text(
        '{"id": "2021-10-15-n", "title": "N", "status": "draft", "language": "en", '
        '"date": "2021-10-15", "extra": {"x": Infinity}}\n'
    )
    imported = run("import", str(source), "--format", "json")
    assert imported.exit_code == 1 and "Infinity is not a JSON number" in imported.stdout
    for command in (
        ("list", "--format", "json"),
        ("list", "--format", "jsonl"),
        ("export", "--format", "json"),
        ("export", "--format", "ninjs", "--include-unpublished"),
        ("show", make_release().id, "--format", "json"),
        ("validate", "--format", "json"),
    ):
        result = run(*command)
        for line in (
            result.stdout.splitlines()
            if "jsonl" in command or "ninjs" in command
            else [result.stdout]
        ):
            json.loads(line, parse_constant=_no_json_constants)


def test_ninjs_embargo_without_offset_is_kept_in_the_repository_timezone(
    repo_root: Path, run: Run
) -> None:
    """D12: the embargo is never dropped; the release is not public and no feed shows it."""
    source = repo_root.parent / "wire.json"
    doc = _ninjs(embargoed="2026-11-28T09:00:00", pubstatus="usable", genres=[{"name": "Events"}])
    source.write_text(json.dumps(doc))
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 0, result
    (outcome,) = json.loads(result.stdout)
    assert "had no offset: read in Asia/Baku" in outcome["reason"]
    assert "under embargo until 2026-11-28T09:00:00+04:00" in outcome["reason"]
    shown = json.loads(run("show", outcome["id"], "--format", "json").stdout)
    assert shown["embargo_until"] == "2026-11-28T09:00:00+04:00"
    assert shown["status"] == "approved"
    for fmt in ("atom", "rss", "ninjs"):
        exported = run("export", "-f", fmt, "--base-url", "https://press.example.org")
        assert "Good one" not in exported.stdout, fmt
    # Once the embargo has passed, publish --due makes it public.
    later = run("--now", "2026-11-28T10:00:00+04:00", "publish", "--due")
    assert later.exit_code == 0, later
    feed = run("--now", "2026-11-28T10:00:00+04:00", "export", "-f", "atom")
    assert "Good one" in feed.stdout


@pytest.mark.parametrize("key", ["publishDate", "date"])
def test_hugo_post_dated_in_the_future_comes_in_scheduled(
    repo_root: Path, run: Run, key: str
) -> None:
    """D12: a future publishDate (or date) is not published news."""
    source = repo_root.parent / "post.md"
    dates = "date: 2026-11-01\n" if key == "publishDate" else ""
    source.write_text(
        f"---\ntitle: Future post\ncategories: [Events]\n{dates}{key}: 2026-12-01T09:00:00\n---\n\n"
        "Not yet.\n"
    )
    result = run("import", str(source), "--format", "json")
    assert result.exit_code == 0, result
    (outcome,) = json.loads(result.stdout)
    assert "in the future" in outcome["reason"]
    shown = json.loads(run("show", outcome["id"], "--format", "json").stdout)
    assert shown["status"] == "approved"
    assert shown["publish_at"] == "2026-12-01T09:00:00+04:00"
    for fmt in ("atom", "rss", "ninjs"):
        assert "Future post" not in run("export", "-f", fmt).stdout, fmt
