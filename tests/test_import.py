"""prcli import: agency plain text in three languages, ninjs, prcli's own JSON, other tools' front
matter; duplicates, updates and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings

from prcli.exporters import ExportItem
from prcli.exporters.jsonfmt import export_record
from prcli.importers.jsonfmt import record_to_candidate
from prcli.model import Release, Status
from prcli.repository import Entry, Repository

from .conftest import SHARED, Run
from .helpers import BAKU, NOW, make_release, write_release
from .strategies import releases

ENGLISH = """\
Information of the Press Service of the State Security Service

Events 15 October 2021

Security chiefs of the region meet in Moscow

The regular meeting of the heads of the security services of the region was held in Moscow on
October 13. The delegations discussed cooperation against terrorism and the situation on the borders.

The participants agreed to exchange information more often and to meet again next year.

Other news
Exercise held in Ganja
New duty centre opens
"""

AZERBAIJANI = """\
DTX

Tədbirlər 15 oktyabr 2021

Oktyabrın 13-də Moskvada təhlükəsizlik xidmətləri rəhbərlərinin növbəti görüşü keçirilib. Görüşdə
regionda təhlükəsizlik mühiti və terrorizmlə mübarizə məsələləri müzakirə olunub.

Digər xəbərlər
Gəncədə təlim keçirilib
"""

RUSSIAN = """\
Информация Управления по связям с общественностью

Встреча руководителей спецслужб в Москве
События 15 октября 2021
14:35

13 октября в Москве состоялось очередное заседание руководителей органов безопасности
и специальных служб. Участники обсудили угрозы безопасности в регионе.

Стороны договорились расширить обмен информацией.
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / "inputs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def imported(repository: Repository) -> dict[str, Release]:
    return {entry.release.id: entry.release for entry in repository.load_all().entries}


def test_text_in_three_languages(repository: Repository, run: Run, tmp_path: Path) -> None:
    files = [
        write(tmp_path, f"{n}.txt", t)
        for n, t in (("en", ENGLISH), ("az", AZERBAIJANI), ("ru", RUSSIAN))
    ]
    result = run("import", *map(str, files), "--format", "json")
    assert result.exit_code == 0, result
    outcomes = json.loads(result.stdout)
    assert [o["action"] for o in outcomes] == ["created"] * 3
    by_language = {r.language: r for r in imported(repository).values()}
    en, az, ru = by_language["en"], by_language["az"], by_language["ru"]

    assert en.title == "Security chiefs of the region meet in Moscow"
    assert (
        en.category == "Events" and en.date == date(2021, 10, 15) and en.status is Status.PUBLISHED
    )
    assert en.body.startswith(
        "The regular meeting of the heads of the security services of the region was held in Moscow on October 13."
    )
    assert "\n" not in en.body.split("\n\n")[0]  # hard wraps joined
    assert "Other news" not in en.body and "Ganja" not in en.body
    assert en.issuer == "Press Service of the State Security Service"  # kept from the source

    assert az.category == "Events"  # Tədbirlər
    assert (
        az.title
        == "Oktyabrın 13-də Moskvada təhlükəsizlik xidmətləri rəhbərlərinin növbəti görüşü keçirilib"
    )
    assert az.status is Status.REVIEW  # derived title: marked for review
    assert "Digər" not in az.body
    assert outcomes[1]["reason"].startswith("no headline")

    assert ru.title == "Встреча руководителей спецслужб в Москве"
    assert ru.category == "Events" and ru.date == date(2021, 10, 15)
    assert ru.created == datetime.combine(
        date(2021, 10, 15), time(14, 35), tzinfo=ru.created.tzinfo
    )
    assert ru.body.startswith(
        "13 октября в Москве состоялось очередное заседание руководителей органов безопасности и специальных служб."
    )


def test_the_seed_release_imports(repository: Repository, run: Run) -> None:
    seed = SHARED / "examples" / "seed-release.txt"
    if not seed.exists():
        pytest.skip("../shared/examples/seed-release.txt is not here")
    result = run("import", str(seed), "--format", "json")
    assert result.exit_code == 0, result
    release = next(iter(imported(repository).values()))
    assert (
        release.date == date(2021, 10, 15)
        and release.category == "Events"
        and release.language == "en"
    )
    assert release.title.startswith(
        "The regular meeting of the heads of the security and intelligence services"
    )
    assert len(release.title) <= 120
    assert release.body.endswith("wished the participants success.")


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-16", "UTF-16"), ("cp1251", "Windows-1251"), ("utf-8-sig", "UTF-8 BOM")],
)
def test_encodings(
    repository: Repository, run: Run, tmp_path: Path, encoding: str, label: str
) -> None:
    path = write(tmp_path, f"{encoding}.txt", RUSSIAN.encode(encoding))
    result = run("import", str(path))
    assert result.exit_code == 0, result
    assert (
        next(iter(imported(repository).values())).title
        == "Встреча руководителей спецслужб в Москве"
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "the file is empty"),
        ("blank.txt", "\n\n  \n", "the file is empty"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        ("latin.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8, UTF-16 or Windows-1251"),
        ("nodate.txt", "Just some text\n\nWithout any date line.\n", "no category and date line"),
        ("impossible.txt", "События 31 февраля 2021\n\nТекст.\n", "impossible date"),
        ("broken.json", '[{"id": "x",', "invalid JSON"),
        (
            "headless.json",
            '{"uri": "urn:x", "headlines": [], "bodies": [{"value": "x"}], "versioncreated": "2021-01-01T00:00:00Z"}',
            "no headline",
        ),
    ],
)
def test_bad_inputs_fail_alone_and_leave_nothing(
    repository: Repository, run: Run, tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    bad = write(tmp_path, name, content)
    good = write(tmp_path, "good.txt", ENGLISH)
    result = run("import", str(bad), str(good), "--format", "json")
    assert result.exit_code == 1
    outcomes = {Path(o["input"]).name: o for o in json.loads(result.stdout)}
    assert outcomes[name]["action"] == "failed" and reason in outcomes[name]["reason"]
    assert outcomes["good.txt"]["action"] == "created"
    assert len(repository.release_files()) == 1
    assert not list(repository.releases_dir.rglob(".*"))  # no temp files left behind


def test_importing_twice_creates_nothing_and_update_refreshes(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    source = write(tmp_path, "en.txt", ENGLISH)
    assert run("import", str(source)).exit_code == 0
    again = json.loads(run("import", str(source), "-f", "json").stdout)
    assert again[0]["action"] == "duplicate"
    source.write_text(ENGLISH.replace("meet again next year", "meet again in spring"))
    updated = json.loads(run("import", str(source), "--update", "-f", "json").stdout)
    assert updated[0]["action"] == "updated"
    (release,) = imported(repository).values()
    assert "meet again in spring" in release.body


def test_dry_run_writes_nothing(repository: Repository, run: Run, tmp_path: Path) -> None:
    result = run("import", str(write(tmp_path, "en.txt", ENGLISH)), "--dry-run", "-f", "json")
    assert json.loads(result.stdout)[0]["action"] == "would create"
    assert repository.release_files() == []


def test_a_folder_imports_every_file(repository: Repository, run: Run, tmp_path: Path) -> None:
    for number in range(12):
        write(
            tmp_path,
            f"day-{number:02d}.txt",
            ENGLISH.replace("15 October", f"{number + 1} October"),
        )
    result = run("import", str(tmp_path / "inputs"))
    assert result.exit_code == 0
    assert "12 input file(s): 12 created." in result.stderr
    assert len(repository.release_files()) == 12


def _examples(prefix: str) -> list[Path]:
    folder = SHARED / "standards" / "ninjs" / "examples"
    if not folder.is_dir():
        pytest.skip("../shared/standards/ninjs/examples is not here")
    return sorted(folder.glob(f"{prefix}*.json"))


@pytest.mark.parametrize("prefix", ["2.x-", "3.x-"])
def test_every_shared_ninjs_example_imports(repository: Repository, run: Run, prefix: str) -> None:
    examples = _examples(prefix)
    result = run("import", *map(str, examples), "--from", "ninjs", "--format", "json")
    assert result.exit_code == 0, result
    outcomes = json.loads(result.stdout)
    assert [o["action"] for o in outcomes] == ["created"] * len(examples)
    releases_by_source = {r.extra["source_id"]: r for r in imported(repository).values()}
    dpa = releases_by_source["urn:newsml:dpa.com:20090101:190510-99-167362"]
    assert dpa.language == "de" and dpa.date == date(2019, 5, 10)
    assert dpa.body.startswith(
        "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren»."
    )
    assert "<p>" not in dpa.body
    again = json.loads(run("import", *map(str, examples), "--format", "json").stdout)
    assert {o["action"] for o in again} == {"duplicate"}


def test_ninjs_fields_map(repository: Repository, run: Run, tmp_path: Path) -> None:
    document = {
        "uri": "https://wire.example/1",
        "versionCreated": "2021-10-15T06:00:00Z",
        "language": "en",
        "pubStatus": "usable",
        "embargoedUntil": "2021-10-15T09:00:00+04:00",
        "headlines": [{"role": "main", "value": "Main"}, {"role": "sub", "value": "Sub"}],
        "descriptions": [{"role": "summary", "value": "Lead"}],
        "bodies": [
            {
                "contentType": "text/html",
                "value": "<p>One <strong>two</strong> <a href='https://x.org'>link</a></p><ul><li>a</li><li>b</li></ul><script>alert(1)</script>",
            }
        ],
        "subjects": [{"name": "CIS"}],
        "people": [{"name": "Ali"}],
        "places": [{"name": "Moscow"}],
        "genres": [{"name": "Events"}],
    }
    path = write(tmp_path, "doc.json", json.dumps(document))
    assert run("import", str(path)).exit_code == 0
    (release,) = imported(repository).values()
    assert (release.title, release.subtitle, release.summary) == ("Main", "Sub", "Lead")
    assert release.date == date(2021, 10, 15) and release.category == "Events"
    assert release.embargo_until == datetime(2021, 10, 15, 9, tzinfo=BAKU)
    assert release.body == "One **two** [link](https://x.org)\n\n- a\n- b"
    assert (release.tags, release.people, release.places) == (("CIS",), ("Ali",), ("Moscow",))


def test_hugo_front_matter(repository: Repository, run: Run, tmp_path: Path) -> None:
    hugo = (
        "---\ntitle: Winter exercise\ndate: 2021-12-01T10:00:00+04:00\ndraft: true\ntags: [winter, rescue]\n"
        "expiryDate: 2022-06-01\ntranslationKey: winter-2021\nweight: 10\nauthor: Leyla\n---\n\nBody text.\n"
    )
    assert run("import", str(write(tmp_path, "post.md", hugo))).exit_code == 0
    (release,) = imported(repository).values()
    assert release.status is Status.DRAFT and release.tags == ("winter", "rescue")
    assert release.expires == date(2022, 6, 1) and release.translation_key == "winter-2021"
    assert release.extra == {"weight": 10, "author": "Leyla"}
    assert release.body == "Body text."


def test_export_then_import_gives_back_identical_releases(
    repository: Repository, run: Run, tmp_path: Path
) -> None:
    write_release(repository, make_release(tags=("a",), created=NOW, updated=NOW))
    write_release(repository, make_release(title="Second one", language="az", translation_key="k"))
    exported = run("export", "-f", "jsonl").stdout
    target = tmp_path / "copy"
    assert run("init", str(target), "--org", "X", "-l", "en", "-l", "az").exit_code == 0
    data = write(tmp_path, "all.jsonl", exported)
    assert run("--repo", str(target), "import", str(data)).exit_code == 0
    copy = imported(Repository.open(target))
    assert copy == imported(repository)
    for entry in repository.load_all().entries:
        assert (
            target / entry.path.relative_to(repository.root)
        ).read_bytes() == entry.path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(releases)
def test_record_round_trip_property(release: Release) -> None:
    entry = Entry(Path("releases/x.md"), release)
    record = json.loads(json.dumps(export_record(ExportItem(entry, "releases/x.md"))))
    assert record_to_candidate(record).release == release
