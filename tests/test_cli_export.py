"""prcli export: every format, public-format safety, output paths, determinism."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import date, datetime
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from prcli import codec
from prcli.model import Contact, HistoryEntry, Status
from prcli.repository import Repository, parse_release

from .conftest import SHARED, Run
from .helpers import BAKU, make_release, write_release


class _Executable(HTMLParser):
    """Collects everything in an HTML document that a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (
            tag in ("script", "iframe", "object", "embed", "img", "svg", "style")
            and not (tag == "script" and ("type", "application/ld+json") in attrs)
            and not (tag == "style" and not attrs)
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{name}={value}")


def executable_markup(html: str) -> list[str]:
    parser = _Executable()
    parser.feed(html)
    return parser.found


EVIL = "Q3 <script>alert(1)</script> ]]> \x07bell \u202eevil =cmd"


@pytest.fixture
def corpus(repository: Repository) -> Repository:
    add = lambda **fields: write_release(repository, make_release(**fields))  # noqa: E731
    add(
        title="CIS security chiefs meet in Moscow",
        date=date(2021, 10, 15),
        translation_key="cis",
        tags=("CIS",),
        people=("Ali Naghiyev",),
        places=("Moscow",),
        dateline="Moscow",
        contacts=(Contact(name="Press", email="press@example.org", phone="+994 12 555 01 00"),),
        created=datetime(2021, 10, 14, 16, 0, tzinfo=BAKU),
        updated=datetime(2021, 10, 15, 10, 0, tzinfo=BAKU),
        history=(HistoryEntry(Status.PUBLISHED, datetime(2021, 10, 15, 10, 0, tzinfo=BAKU), "P"),),
        body="Held **in Moscow**.\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    add(
        title="MDB rəhbərlərinin görüşü",
        language="az",
        date=date(2021, 10, 15),
        translation_key="cis",
        related=("2021-10-15-cis-security-chiefs-meet-in-moscow",),
    )
    add(
        title="Embargoed announcement",
        date=date(2026, 11, 26),
        status=Status.PUBLISHED,
        embargo_until=datetime(2026, 12, 1, 9, tzinfo=BAKU),
    )
    add(title="A draft", date=date(2026, 11, 27), status=Status.DRAFT)
    add(
        title=EVIL,
        id="2022-01-01-evil",
        date=date(2022, 1, 1),
        summary='=HYPERLINK("x")',
        body=f'{EVIL}\n\n<a href="javascript:alert(2)">x</a> [y](javascript:alert(3))',
    )
    return repository


def test_json_validates_against_the_shipped_schema_and_reads_back(
    corpus: Repository, run: Run
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        resources.files("prcli").joinpath("schemas/release-record-1.schema.json").read_text()
    )
    result = run("export", "--format", "json")
    assert result.exit_code == 0, result
    records = json.loads(result.stdout)
    assert len(records) == 5
    for record in records:
        jsonschema.validate(record, schema)
    by_id = {r["id"]: r for r in records}
    original = parse_release(
        corpus.root / by_id["2021-10-15-cis-security-chiefs-meet-in-moscow"]["path"],
        (corpus.root / by_id["2021-10-15-cis-security-chiefs-meet-in-moscow"]["path"]).read_bytes(),
    ).release
    record = by_id[original.id]
    assert record["body"] == original.body
    assert record["translations"] == ["az"]
    assert record["contacts"] == [
        {"name": "Press", "role": "", "email": "press@example.org", "phone": "+994 12 555 01 00"}
    ]
    assert [r["date"] for r in records] == sorted((r["date"] for r in records), reverse=True)


def test_jsonl_is_one_record_per_line(corpus: Repository, run: Run) -> None:
    lines = run("export", "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 5 and all(json.loads(line)["body"] is not None for line in lines)


def test_toml_reads_back_with_tomllib(corpus: Repository, run: Run) -> None:
    data = tomllib.loads(run("export", "-f", "toml").stdout)
    tables = {table["id"]: table for table in data["releases"]}
    for entry in corpus.load_all().entries:
        expected = codec.encode(entry.release)
        got = {
            key: value
            for key, value in tables[entry.release.id].items()
            if key not in ("path", "body")
        }
        assert got == expected
        assert tables[entry.release.id]["body"] == entry.release.body


def test_csv_neutralises_formulas_and_excel_gets_a_bom(corpus: Repository, run: Run) -> None:
    text = run("export", "-f", "csv").stdout
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    evil = rows["2022-01-01-evil"]
    assert evil["summary"] == '\'=HYPERLINK("x")'
    assert rows["2021-10-15-cis-security-chiefs-meet-in-moscow"]["tags"] == "CIS"


def test_csv_for_excel_has_a_bom_and_crlf(corpus: Repository, run: Run, tmp_path: Path) -> None:
    target = tmp_path / "for-excel.csv"
    assert run("export", "-f", "csv", "--excel", "-o", str(target)).exit_code == 0
    data = target.read_bytes()
    assert data.startswith("\ufeffid,date,".encode()) and data.count(b"\r\n") >= 6


def test_markdown_folder_is_a_clean_copy(corpus: Repository, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "copy"
    result = run("export", "-f", "markdown", "-o", str(out), "--status", "published")
    assert result.exit_code == 0, result
    copies = sorted(p.name for p in out.iterdir())
    assert len(copies) == 4 + 1  # and the folder manifest
    assert ".prcli-manifest" in copies
    for entry in corpus.load_all().entries:
        copy = out / f"{entry.release.id}.md"
        if entry.release.status is Status.PUBLISHED:
            assert copy.read_bytes() == entry.path.read_bytes()


def test_html_has_no_executable_markup(corpus: Repository, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run("export", "-f", "html", "-o", str(out), "--include-unpublished")
    assert result.exit_code == 0, result
    pages = {
        p.relative_to(out).as_posix(): p.read_text()
        for p in out.rglob("*.html")
        if not p.relative_to(out).as_posix().startswith("search/")
    }
    releases = {name for name in pages if name.startswith("releases/")}
    assert "index.html" in pages and len(releases) == 5
    for name, page in pages.items():
        lowered = page.lower()
        found = executable_markup(page)
        if name.endswith("/search.html"):  # prcli's own search script, nothing from a release
            assert found == ["<script>"], name
            assert 'src="../assets/search.js"' in page
            continue
        assert found == [], name
        assert "\u202e" not in page and "\x07" not in page, name
        # the only script element is the JSON-LD, and user text cannot close it
        assert lowered.count("<script") == (1 if name in releases else 0), name
        assert lowered.count("</script>") == lowered.count("<script")
    evil = pages["releases/2022-01-01-evil.html"]
    assert "Q3 &lt;script&gt;alert(1)&lt;/script&gt;" in evil
    cis = pages["releases/2021-10-15-cis-security-chiefs-meet-in-moscow.html"]
    assert (
        '<link rel="alternate" hreflang="az" href="../releases/2021-10-15-mdb-rehberlerinin-gorusu.html">'
        in cis
    )
    assert "<strong>in Moscow</strong>" in cis
    ld = json.loads(cis.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "NewsArticle" and ld["headline"] == "CIS security chiefs meet in Moscow"


NINJS_SCHEMAS = Path(__file__).with_name("data") / "ninjs"  # IPTC's schemas, MIT, shipped


def _ninjs_validator(version: int):  # type: ignore[no-untyped-def]
    """A validator of IPTC's ninjs schema (shipped under tests/data/ninjs: this always runs)."""
    import jsonschema
    from referencing import Registry, Resource

    folder = NINJS_SCHEMAS
    schema = json.loads(
        (folder / f"ninjs-schema_{'2.2' if version == 2 else '3.1'}.json").read_text()
    )
    geojson = json.loads((folder / "GeoJSON-schema.json").read_text())
    registry = Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json", Resource.from_contents(geojson)
    )
    return jsonschema.Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize("version", [2, 3])
def test_ninjs_validates_against_the_official_schema(
    corpus: Repository, run: Run, tmp_path: Path, version: int
) -> None:
    validator = _ninjs_validator(version)
    result = run("export", "-f", "ninjs", "--ninjs-version", str(version), "--include-unpublished")
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(documents) == 5
    for document in documents:
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, errors[0].message
    cis = next(d for d in documents if d["headlines"][0]["value"].startswith("CIS"))
    if version == 2:
        assert cis["pubstatus"] == "usable" and cis["versioncreated"] == "2021-10-15T10:00:00+04:00"
    else:
        assert cis["pubStatus"] == "usable" and cis["versionCreated"] == "2021-10-15T10:00:00+04:00"
    folder = tmp_path / "wire"
    assert (
        run("export", "-f", "ninjs", "--ninjs-version", str(version), "-o", f"{folder}/").exit_code
        == 0
    )
    assert len(list(folder.glob("*.json"))) == 3  # only the published ones past their embargo
    for path in folder.glob("*.json"):
        assert not list(validator.iter_errors(json.loads(path.read_text())))


def test_the_shared_ninjs_examples_validate(run: Run) -> None:
    if not (SHARED / "standards" / "ninjs" / "examples").is_dir():
        pytest.skip("../shared/standards/ninjs/examples is not here (IPTC's example documents)")
    for version in (2, 3):
        validator = _ninjs_validator(version)
        for path in sorted(
            (SHARED / "standards" / "ninjs" / "examples").glob(f"{version}.x-*.json")
        ):
            assert not list(validator.iter_errors(json.loads(path.read_text()))), path.name


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feeds_parse_with_titles_dates_and_links(corpus: Repository, run: Run, fmt: str) -> None:
    feedparser = pytest.importorskip("feedparser")
    first = run("export", "-f", fmt, "--base-url", "https://press.example.org")
    second = run("export", "-f", fmt, "--base-url", "https://press.example.org")
    assert first.exit_code == 0, first
    assert first.stdout == second.stdout  # deterministic
    feed = feedparser.parse(first.stdout)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert titles[0].startswith("Q3")  # newest first: 2022 before 2021
    assert "CIS security chiefs meet in Moscow" in titles
    assert "Embargoed announcement" not in titles and "A draft" not in titles
    cis = next(e for e in feed.entries if e.title.startswith("CIS"))
    assert (
        cis.link
        == "https://press.example.org/releases/2021-10-15-cis-security-chiefs-meet-in-moscow.html"
    )
    assert cis.published_parsed[:3] == (2021, 10, 14) or cis.published_parsed[:3] == (2021, 10, 15)
    for entry in feed.entries:
        html = entry.content[0].value if fmt == "atom" else entry.description
        assert executable_markup(html) == [], entry.title
    raw = first.stdout
    assert "\x07" not in raw and "\u202e" not in raw


def test_public_formats_hold_back_unpublished_and_embargoed(corpus: Repository, run: Run) -> None:
    result = run("export", "-f", "ninjs")
    titles = [json.loads(line)["headlines"][0]["value"] for line in result.stdout.splitlines()]
    assert "Embargoed announcement" not in titles and "A draft" not in titles
    assert "Left out 2 release(s): 1 not published (draft), 1 under embargo" in result.stderr
    after = run("--now", "2026-12-01T09:00:01+04:00", "export", "-f", "ninjs")
    assert "Embargoed announcement" in after.stdout
    forced = run("export", "-f", "ninjs", "--include-unpublished")
    assert "A draft" in forced.stdout


def test_selection_by_ids_and_filters(corpus: Repository, run: Run) -> None:
    result = run("export", "2021-10-15-mdb", "2022-01-01-evil", "-f", "jsonl")
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == [
        "2021-10-15-mdb-rehberlerinin-gorusu",
        "2022-01-01-evil",
    ]
    assert len(run("export", "-f", "jsonl", "--language", "az").stdout.splitlines()) == 1


def test_empty_selection(corpus: Repository, run: Run) -> None:
    result = run("export", "-f", "json", "--since", "2030-01-01")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "No releases match" in result.stderr
    assert run("export", "-f", "json", "--since", "2030-01-01", "--fail-empty").exit_code == 1


def test_output_paths_are_checked_before_writing(
    corpus: Repository, run: Run, tmp_path: Path
) -> None:
    existing = tmp_path / "out.json"
    existing.write_text("keep me")
    refused = run("export", "-f", "json", "-o", str(existing))
    assert refused.exit_code == 2 and "exists" in refused.stderr and "--force" in refused.stderr
    assert existing.read_text() == "keep me"
    assert run("export", "-f", "json", "-o", str(existing), "--force").exit_code == 0
    assert len(json.loads(existing.read_text())) == 5
    not_folder = run("export", "-f", "html", "-o", str(existing))
    assert not_folder.exit_code == 2 and "is not a folder" in not_folder.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("mine")
    full = run("export", "-f", "html", "-o", str(tmp_path / "full"))
    assert full.exit_code == 2 and "not empty" in full.stderr
    assert run("export", "-f", "html", "-o", str(tmp_path / "full"), "--force").exit_code == 0
    assert (tmp_path / "full" / "mine.txt").read_text() == "mine"
    no_folder = run("export", "-f", "markdown")
    assert no_folder.exit_code == 2
    assert (
        "markdown writes one file per release" in no_folder.stderr
        and "-o FOLDER" in no_folder.stderr
    )
    site = run("export", "-f", "html")  # it read "html writes one file per release"
    assert site.exit_code == 2 and site.stdout == ""
    assert site.stderr.startswith("error: html builds a website (a folder of pages, feeds")
    assert "hint: pass -o FOLDER, e.g. prcli export --format html -o site/" in site.stderr
    folder = run("export", "-f", "csv", "-o", str(tmp_path / "full"))
    assert folder.exit_code == 2 and "is a folder, and csv writes one file" in folder.stderr
    unknown = run("export", "-f", "xml")
    assert unknown.exit_code == 2 and "Invalid value for '--format'" in unknown.stderr


def test_unreadable_files_are_reported_and_the_rest_exported(corpus: Repository, run: Run) -> None:
    (corpus.releases_dir / "2021" / "2021-01-01-broken.md").write_text("---\ntitle: [\n---\n")
    result = run("export", "-f", "jsonl")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 5
    assert "2021-01-01-broken.md:2: YAML syntax error" in result.stderr


def test_progress_bar_on_a_terminal_leaves_stdout_clean(
    repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(205):
        write_release(repository, make_release(title=f"Release {number}"))
    monkeypatch.setattr("prcli.cli.terminal.stderr_is_terminal", lambda: True)
    result = run("export", "-f", "jsonl")
    assert result.exit_code == 0, result
    assert len([json.loads(line) for line in result.stdout.splitlines()]) == 205
    assert "Exported 205 release(s) to stdout." in result.stderr
