"""Issue 11, security: one id rule at every way in (D7), links built only from checked ids (D8)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from prcli.errors import InvalidValue
from prcli.exporters import ExportItem, ExportOptions, get
from prcli.exporters.jsonfmt import export_record
from prcli.ids import check_id, id_problem
from prcli.model import Status
from prcli.repository import Entry, Repository

from .conftest import Run
from .helpers import NOW, make_release, write_release

HOSTILE_IDS = [
    ".hidden",
    "../x",
    "../../etc/passwd",
    "2021/evil",
    "2021\\evil",
    "2021-10-15-a\nb",
    "2021-10-15-a\rb",
    "2021-10-15-a\x00b",
    "2021-10-15-a\x1bb",
    "javascript:alert(1)",
    "javascript:alert(1)//",
    "2021-10-15-şuşa",
    "2021-10-15 x",
    "x" * 201,
    "-leading-dash",
    "",
]


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=range(len(HOSTILE_IDS)))
def test_the_id_rule_refuses_hostile_ids(value: str) -> None:
    assert id_problem(value)
    with pytest.raises(InvalidValue):
        check_id(value)


@pytest.mark.parametrize(
    "value", ["2021-10-15-cis-meeting", "2021-10-15-CIS_meeting", "a", "x" * 200, "2021-10-15-ab12"]
)
def test_the_id_rule_accepts_safe_ids(value: str) -> None:
    assert id_problem(value) == ""
    assert check_id(value) == value


def test_the_core_never_writes_a_release_under_a_hostile_id(repository: Repository) -> None:
    for value in ("../x", "javascript:alert(1)", "2021/evil", ".hidden"):
        with pytest.raises(InvalidValue):
            repository.create(make_release(id=value))
    assert list(repository.root.rglob("*.md")) == []


def _record(release_id: str, title: str) -> dict[str, object]:
    release = make_release(id="2021-10-15-placeholder", title=title)
    entry = Entry(Path("releases/2021/x.md"), release)
    record = export_record(ExportItem(entry, "releases/2021/x.md"))
    record["id"] = release_id
    return record


def test_import_refuses_hostile_ids_and_carries_on(repo_root: Path, run: Run) -> None:
    records = [_record(value, f"Hostile {n}") for n, value in enumerate(HOSTILE_IDS)]
    records.append(_record("2021-10-15-fine", "Fine one"))
    source = repo_root.parent / "records.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = run("import", str(source), "--from", "jsonl", "--format", "json")
    assert result.exit_code == 1, result
    summary = json.loads(result.stdout)
    assert [o["action"] for o in summary] == ["failed"] * len(HOSTILE_IDS) + ["created"]
    assert all("id" in o["reason"] for o in summary[:-1]), summary
    files = sorted(p.relative_to(repo_root).as_posix() for p in repo_root.rglob("*.md"))
    assert files == ["releases/2021/2021-10-15-fine.md"]
    assert not (repo_root.parent / "x.md").exists()
    assert "Traceback" not in result.stderr


def test_imported_javascript_id_in_front_matter_is_refused(repo_root: Path, run: Run) -> None:
    """A prcli-style Markdown file with a `javascript:` id is refused, not imported under a new id."""
    source = repo_root.parent / "evil.md"
    source.write_text(
        '---\nid: "javascript:alert(document.domain)//"\ntitle: "Evil"\nstatus: "published"\n'
        'language: "en"\ndate: 2021-10-15\n---\n\nBody.\n'
    )
    result = run("import", str(source), "--from", "markdown", "--format", "json")
    assert result.exit_code == 1, result
    (outcome,) = json.loads(result.stdout)
    assert outcome["action"] == "failed" and "unsafe id" in outcome["reason"]
    assert list(repo_root.rglob("*.md")) == []


def test_edit_cannot_change_the_id_into_a_hostile_one(
    repository: Repository,
    run: Run,
    fake_editor,  # type: ignore[no-untyped-def]
) -> None:
    path = write_release(repository, make_release())
    before = path.read_bytes()
    fake_editor(substitute=f'id: "{path.stem}"=>id: "javascript:alert(1)"')
    result = run("edit", path.stem)
    assert result.exit_code != 0, result
    assert "unsafe id" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "new_id", ["../2021-10-15-x", "2021-10-15-x\nb", "2021-10-15-" + "x" * 200, "javascript:x"]
)
def test_rename_refuses_hostile_ids(repository: Repository, run: Run, new_id: str) -> None:
    path = write_release(repository, make_release(status=Status.DRAFT))
    result = run("rename", path.stem, new_id)
    assert result.exit_code != 0, result
    assert "not a release id" in result.stderr
    assert [p.name for p in repository.root.rglob("*.md")] == [path.name]


def test_a_file_with_a_hostile_id_is_a_finding_not_a_crash(
    repository: Repository, run: Run
) -> None:
    write_release(repository, make_release())
    bad = repository.releases_dir / "2021" / "2021-10-15-bad.md"
    bad.write_text(
        '---\nid: "javascript:alert(1)"\ntitle: "Bad"\nstatus: "published"\n'
        'language: "en"\ndate: 2021-10-15\n---\n\nBody.\n'
    )
    listed = run("list", "--format", "ids")
    assert listed.exit_code == 1 and listed.stdout.split() == [make_release().id]
    assert "2021-10-15-bad.md:2" in listed.stderr and "unsafe id" in listed.stderr
    found = run("validate", "--format", "json")
    assert found.exit_code == 1
    assert "PR009" in found.stdout
    exported = run("export", "-f", "atom", "--base-url", "https://press.example.org")
    assert "javascript" not in exported.stdout


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value or "" for name, value in attrs if name in ("href", "src"))


@pytest.mark.parametrize("base_url", ["", "https://press.example.org"])
def test_html_never_links_a_javascript_url_even_for_a_bad_id(
    repository: Repository, base_url: str
) -> None:
    """Belt and braces: the reader refuses such ids, and the exporter would not link one anyway."""
    bad = make_release(
        id="javascript:alert(1)//", translation_key="k", language="en", title="Bad one"
    )
    other = make_release(id="javascript:alert(2)", translation_key="k", language="az")
    options = ExportOptions(settings=repository.config, now=NOW, base_url=base_url)
    items = [
        ExportItem(Entry(Path("a.md"), bad), "a.md", (other,)),
        ExportItem(Entry(Path("b.md"), other), "b.md", (bad,)),
    ]
    site = repository.root / "site"
    get("html").write_folder(items, options, site, False)  # type: ignore[attr-defined]
    urls: list[str] = []
    for page in site.rglob("*.html"):
        if "search" in page.relative_to(site).parts[:1]:
            continue  # Pagefind's own files
        parser = _Links()
        parser.feed(page.read_text())
        urls.extend(parser.urls)
    assert urls, "the pages link to each other"
    for url in urls:
        assert urlsplit(url).scheme in ("", "http", "https", "mailto"), url
        assert not url.strip().lower().startswith("javascript"), url
    assert options.uri(bad.id).endswith("javascript%3Aalert%281%29%2F%2F")
    assert options.page_url(bad.id).endswith("/releases/javascript%3Aalert%281%29%2F%2F.html")


# -- D9: one CSV writer, safe in spreadsheets -------------------------------------------------------

PAYLOAD = "Harmless\r=cmd|' /C calc'!A0"
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _assert_safe_csv(text: str, rows_expected: int) -> list[list[str]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == rows_expected, rows
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_CHARS), (value, row)
            assert not value.lstrip().startswith(FORMULA_CHARS), (value, row)
    return rows


def _hostile_release() -> object:
    from datetime import datetime

    from prcli.model import HistoryEntry

    return make_release(
        title=PAYLOAD,
        subtitle=' =HYPERLINK("http://evil")',
        summary="\n@SUM(A1:A9)",
        category="+cmd",
        tags=("-2+3", "\t=tab"),
        body="line one\r\n=2+5\rlast",
        status=Status.PUBLISHED,
        history=(
            HistoryEntry(
                Status.PUBLISHED, datetime(2021, 10, 15, 9, tzinfo=NOW.tzinfo), by="=evil"
            ),
        ),
    )


@pytest.mark.parametrize(
    "command",
    [
        ("list", "--format", "csv"),
        ("--no-cache", "list", "--format", "csv"),
        ("export", "--format", "csv"),
        ("export", "--format", "csv", "--excel"),
    ],
)
def test_csv_of_releases_cannot_start_a_formula(
    repository: Repository, run: Run, command: tuple[str, ...]
) -> None:
    write_release(repository, _hostile_release())  # type: ignore[arg-type]
    result = run(*command)
    assert result.exit_code == 0, result
    text = result.stdout.removeprefix("\ufeff")
    rows = _assert_safe_csv(text, 2)
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == "Harmless\n=cmd|' /C calc'!A0"  # one cell, no new row
    assert cells["category"] == "'+cmd"
    assert cells["subtitle"] == '\' =HYPERLINK("http://evil")'


def test_stats_csv_cannot_start_a_formula(repository: Repository, run: Run) -> None:
    write_release(repository, _hostile_release())  # type: ignore[arg-type]
    result = run("stats", "--format", "csv", "--since", "2021-01-01", "--until", "2021-12-31")
    assert result.exit_code == 0, result
    import csv
    import io

    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    _assert_safe_csv(result.stdout, len(rows))
    assert ["category", "'+cmd", "1"] in rows
    assert ["author", "'=evil", "1"] in rows


def test_the_csv_cell_rule() -> None:
    from prcli.csvout import cell

    assert cell("=1+1") == "'=1+1"
    assert cell("  =1+1") == "'  =1+1"
    assert cell("\r\n=1") == "'\n=1"
    assert cell("a\rb") == "a\nb"
    assert cell(-5) == -5 and cell(2.5) == 2.5
    assert cell(["=a", "b"]) == "'=a; b"
    assert cell("Plain text") == "Plain text"
    assert cell(None) == ""


# -- D10: no field can make a feed invalid XML ------------------------------------------------------

# NUL is left out: a release file cannot hold one (the reader refuses binary files).
CONTROLS = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff\x7f"


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_control_characters_never_break_a_feed(repository: Repository, run: Run, fmt: str) -> None:
    from xml.etree import ElementTree as ET

    import feedparser

    write_release(
        repository,
        make_release(
            title=f"Title{CONTROLS}end",
            language=f"en{CONTROLS}",
            category=f"Events\x0b{CONTROLS}",
            summary=f"Lead\x1b[31m{CONTROLS}",
            issuer=f"Issuer{CONTROLS}",
            body=f"Body {CONTROLS} text",
        ),
    )
    result = run("export", "-f", fmt, "--base-url", "https://press.example.org")
    assert result.exit_code == 0, result
    ET.fromstring(result.stdout.encode("utf-8"))  # raises on any character XML cannot carry
    parsed = feedparser.parse(result.stdout)
    assert not parsed.bozo, parsed.bozo_exception
    (entry,) = parsed.entries
    assert entry.title == "Titleend"
    for ch in CONTROLS:
        assert ch not in result.stdout


# -- D13: a public output names nothing that is not public ------------------------------------------


def _leaky_repository(repository: Repository) -> None:
    from datetime import datetime, timedelta

    secret = "2021-10-15-secret-merger-plans"
    later = NOW + timedelta(days=3)
    write_release(
        repository,
        make_release(
            id="2021-10-15-public-one",
            title="Public one",
            related=(secret, "2021-10-15-embargoed-one", "2021-10-15-also-public"),
            translation_key=secret,
        ),
    )
    write_release(
        repository,
        make_release(
            id=secret,
            title="Secret merger plans",
            status=Status.DRAFT,
            language="az",
            translation_key=secret,
        ),
    )
    write_release(
        repository,
        make_release(
            id="2021-10-15-embargoed-one",
            title="Embargoed one",
            embargo_until=datetime(later.year, later.month, later.day, 9, tzinfo=NOW.tzinfo),
        ),
    )
    write_release(repository, make_release(id="2021-10-15-also-public", title="Also public"))


@pytest.mark.parametrize("version", ["2", "3"])
def test_ninjs_names_only_public_releases(repository: Repository, run: Run, version: str) -> None:
    _leaky_repository(repository)
    result = run("export", "-f", "ninjs", "--ninjs-version", version, "--base-url", "https://x.org")
    assert result.exit_code == 0, result
    docs = {json.loads(line)["uri"]: json.loads(line) for line in result.stdout.splitlines()}
    assert set(docs) == {
        "https://x.org/releases/2021-10-15-public-one",
        "https://x.org/releases/2021-10-15-also-public",
    }
    assert "secret" not in result.stdout and "embargoed" not in result.stdout.lower()
    public = docs["https://x.org/releases/2021-10-15-public-one"]
    related = [a["uri"] for a in public["associations"] if a["name"] == "related"]
    assert related == ["https://x.org/releases/2021-10-15-also-public"]
    from .test_cli_export import _ninjs_validator

    validator = _ninjs_validator(int(version))
    for doc in docs.values():  # prcli's own output, checked against IPTC's schema
        assert not list(validator.iter_errors(doc))
    altids = public["altids" if version == "2" else "altIds"]
    (key,) = [a["value"] for a in altids if a["role"] == "translation-key"]
    assert key.startswith("tk-")
    # A preview (--include-unpublished) is not public: there everything may be named.
    preview = run("export", "-f", "ninjs", "--include-unpublished")
    assert "2021-10-15-secret-merger-plans" in preview.stdout


def test_html_and_feeds_name_only_public_releases(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    _leaky_repository(repository)
    site = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(site)).exit_code == 0
    pages = "".join(p.read_text() for p in site.glob("*.html"))
    assert "secret" not in pages.lower() and "embargoed" not in pages.lower()
    for fmt in ("atom", "rss"):
        feed = run("export", "-f", fmt, "--base-url", "https://x.org").stdout
        assert "secret" not in feed.lower() and "embargoed" not in feed.lower()


# -- D23: search has a public mode, and shows every embargo ------------------------------------------


def _briefings(repository: Repository) -> None:
    from datetime import datetime, timedelta

    later = NOW + timedelta(days=2)
    embargo = datetime(later.year, later.month, later.day, 9, tzinfo=NOW.tzinfo)
    write_release(repository, make_release(id="2021-10-15-live", title="Live briefing"))
    write_release(
        repository,
        make_release(id="2021-10-15-held", title="Embargoed briefing", embargo_until=embargo),
    )
    write_release(
        repository, make_release(id="2021-10-15-wip", title="Draft briefing", status=Status.DRAFT)
    )


def test_search_public_mode_shows_only_public_releases(repository: Repository, run: Run) -> None:
    _briefings(repository)
    public = run("search", "briefing", "--public", "--format", "json")
    assert public.exit_code == 0, public
    assert [r["id"] for r in json.loads(public.stdout)] == ["2021-10-15-live"]
    assert json.loads(public.stdout)[0]["public"] is True
    ids = run("search", "briefing", "--public", "--status", "published", "--format", "ids")
    assert ids.stdout.split() == ["2021-10-15-live"]


def test_search_marks_what_is_not_public(repository: Repository, run: Run) -> None:
    _briefings(repository)
    result = run("search", "briefing", "--status", "published", "--format", "json")
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"2021-10-15-live", "2021-10-15-held"}
    assert rows["2021-10-15-held"]["public"] is False
    assert rows["2021-10-15-held"]["held_back"].startswith("under embargo until 2026-11-29T09:00")
    table = run("search", "briefing")
    assert "under embargo until 2026-11-29T09:00" in table.stdout
    assert "not published (draft)" in table.stdout


def test_no_field_breaks_any_xml_file_of_the_site(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    """D10 for the newsroom site: sitemaps, the news sitemap and the feeds all parse."""
    from xml.etree import ElementTree as ET

    write_release(
        repository,
        make_release(
            title=f"Site title{CONTROLS}",
            summary=f"Lead{CONTROLS}",
            category=f"Events{CONTROLS}",
            tags=(f"tag{CONTROLS}",),
            body=f"Body {CONTROLS} text",
        ),
    )
    site = tmp_path / "site"
    result = run("export", "-f", "html", "-o", str(site), "--base-url", "https://x.org")
    assert result.exit_code == 0, result
    xml_files = list(site.rglob("*.xml"))
    assert xml_files
    for path in xml_files:
        ET.fromstring(path.read_bytes())
    for path in site.rglob("*.json"):
        json.loads(path.read_text(), parse_constant=lambda name: pytest.fail(name))
