"""Every validation rule has a release that breaks it and a near miss that passes."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from prcli.model import Attachment, Contact, Event, HistoryEntry, Release, Silence, Status
from prcli.repository import Repository
from prcli.validation import RULES, Severity, validate

from .helpers import BAKU, NOW, make_release, write_release, write_text_release
from .media_helpers import picture

WORDS = (
    "The regular meeting of the heads of the security services was held in Moscow on October 13. "
    "Delegations discussed threats to the security environment in the region, the situation around "
    "Afghanistan and the fight against international terrorism. The importance of joint work was "
    "stressed, and the participants agreed to exchange information regularly and improve monitoring."
)


def good(**fields: Any) -> Release:
    values: dict[str, Any] = {
        "body": WORDS,
        "contacts": (Contact(name="Press", email="press@example.org", phone="+994 12 555 01 00"),),
    }
    values.update(fields)
    return make_release(**values)


# Files the media cases put into the repository (path relative to the root -> content).
MEDIA_FILES = {
    "media/2021/hall.jpg": picture(),
    "media/2021/phone.jpg": picture(gps=True),
    "media/2021/fake.jpg": picture(fmt="PNG"),
    "media/2021/other/hall.jpg": picture(colour=(0, 0, 250)),
    "media/2021/hall-2.jpg": picture(colour=(0, 0, 250)),
}


def img(path: str = "media/2021/hall.jpg", **fields: str) -> Attachment:
    values = {"kind": "image", "caption": "Hall", "alt": "An empty hall", "credit": "Press"}
    values.update(fields)
    return Attachment(path=path, **values)


def codes(repository: Repository, severity: Severity = Severity.INFO) -> dict[str, list[str]]:
    report = validate(repository, NOW)
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.severity >= severity:
            found.setdefault(finding.code, []).append(finding.message)
    return found


def test_a_complete_release_has_no_findings(repository: Repository) -> None:
    write_release(repository, good())
    assert codes(repository) == {}


# (code, broken release fields, near-miss fields that must pass, other releases in the repository)
RELEASE_CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[Release]]] = [
    ("PR004", {"unknown": {"catgory": "Events"}}, {"extra": {"catgory": "Events"}}, []),
    ("PR006", {}, {}, [good(body="copy " + WORDS)]),  # the other file below gets the same id
    ("PR007", {"id": "2021-10-15-CIS_meeting"}, {"id": "2021-10-15-cis-meeting"}, []),
    (
        "PR008",
        {"silence": (Silence(rule="PR305"),)},
        {"silence": (Silence(rule="PR305", reason="by design"),)},
        [],
    ),
    ("PR102", {"category": "Gossip"}, {"category": "Statements"}, []),
    ("PR103", {"language": "fr"}, {"language": "ru"}, []),
    ("PR106", {"event_date": date(2021, 10, 16)}, {"event_date": date(2021, 10, 15)}, []),
    (
        "PR107",
        {"embargo_until": datetime(2026, 11, 28, 9, tzinfo=BAKU)},
        {"embargo_until": datetime(2026, 11, 27, 9, tzinfo=BAKU)},
        [],
    ),
    ("PR108", {"expires": date(2021, 10, 15)}, {"expires": date(2021, 10, 16)}, []),
    (
        "PR201",
        {"related": ("2020-01-01-missing",)},
        {"related": ("2020-01-01-present",)},
        [good(id="2020-01-01-present", date=date(2020, 1, 1), title="Present")],
    ),
    (
        "PR202",
        {"attachments": (Attachment(path="photo.pdf", caption="Statement"),)},
        {"attachments": (Attachment(path="here.pdf", caption="Statement"),)},
        [],
    ),
    ("PR801", {"attachments": (img(alt=""),)}, {"attachments": (img(),)}, []),
    ("PR802", {"attachments": (img(credit=" "),)}, {"attachments": (img(),)}, []),
    ("PR803", {"attachments": (img(caption=""),)}, {"attachments": (img(),)}, []),
    (
        "PR803",  # documents without captions: information only, so the near miss passes
        {"attachments": (Attachment(path="media/2021/hall.jpg", kind="video", credit="Press"),)},
        {"attachments": (Attachment(path="here.pdf"),)},
        [],
    ),
    (
        "PR805",
        {"attachments": (img("media/2021/phone.jpg"),)},
        {"attachments": (img(),)},
        [],
    ),
    ("PR806", {"attachments": (img("media/2021/fake.jpg"),)}, {"attachments": (img(),)}, []),
    (
        "PR807",
        {"attachments": (img(), img("media/2021/other/hall.jpg"))},
        {"attachments": (img(), img("media/2021/hall-2.jpg"))},
        [],
    ),
    ("PR808", {"attachments": (img(kind="photo"),)}, {"attachments": (img(),)}, []),
    (
        "PR809",
        {
            "event": Event(
                start=datetime(2021, 10, 20, 11, tzinfo=BAKU),
                end=datetime(2021, 10, 20, 10, tzinfo=BAKU),
            )
        },
        {
            "event": Event(
                start=datetime(2021, 10, 20, 11, tzinfo=BAKU),
                end=datetime(2021, 10, 20, 11, tzinfo=BAKU),
            )
        },
        [],
    ),
    ("PR202", {"attachments": (Attachment(path="../../../outside.pdf", caption="x"),)}, {}, []),
    (
        "PR203",
        {"translation_key": "k"},
        {"translation_key": "k", "language": "az"},
        [good(id="2021-10-15-other", title="Other", translation_key="k")],
    ),
    (
        "PR204",
        {"translation_key": "k", "category": "Official"},
        {"translation_key": "k"},
        [good(id="2021-10-15-az", title="Az", translation_key="k", language="az")],
    ),
    (
        "PR205",
        {
            "translation_key": "k",
            "language": "az",
            "translation_of": "2021-10-15-src",
            "updated": datetime(2021, 10, 15, 9, tzinfo=BAKU),
        },
        {
            "translation_key": "k",
            "language": "az",
            "translation_of": "2021-10-15-src",
            "updated": datetime(2021, 10, 15, 11, tzinfo=BAKU),
        },
        [
            good(
                id="2021-10-15-src",
                title="Source",
                translation_key="k",
                updated=datetime(2021, 10, 15, 10, tzinfo=BAKU),
            )
        ],
    ),
    ("PR205", {"translation_of": "2021-10-15-gone"}, {}, []),
    (
        "PR206",
        {
            "translation_key": "k",
            "language": "az",
            "embargo_until": datetime(2021, 10, 15, 9, tzinfo=BAKU),
        },
        {"translation_key": "k", "language": "az"},
        [good(id="2021-10-15-en", title="English", translation_key="k")],
    ),
    (
        "PR206",
        {"translation_key": "k", "language": "az"},
        {
            "translation_key": "k",
            "language": "az",
            "status": Status.RETRACTED,
            "retraction": "both withdrawn",
        },
        [
            good(
                id="2021-10-15-en",
                title="English",
                translation_key="k",
                status=Status.RETRACTED,
                retraction="wrong",
            )
        ],
    ),
    (
        "PR501",
        {
            "status": Status.APPROVED,
            "history": (HistoryEntry(Status.APPROVED, NOW, "Ali", override="alone"),),
        },
        {
            "status": Status.APPROVED,
            "history": (
                HistoryEntry(Status.APPROVED, NOW, "Ali", override="alone"),
                HistoryEntry(Status.APPROVED, NOW, "Kamran"),
            ),
        },
        [],
    ),
    (
        "PR502",
        {"status": Status.RETRACTED},
        {"status": Status.RETRACTED, "retraction": "Issued in error."},
        [],
    ),
    (
        "PR503",  # a status typed in by hand: the history says draft
        {"status": Status.PUBLISHED, "history": (HistoryEntry(Status.DRAFT, NOW, "Ali"),)},
        {"status": Status.DRAFT, "history": (HistoryEntry(Status.DRAFT, NOW, "Ali"),)},
        [],
    ),
    (
        "PR503",  # no history at all: only a draft
        {"status": Status.APPROVED, "history": ()},
        {"status": Status.DRAFT, "history": ()},
        [],
    ),
    (
        "PR503",  # a step of a kind prcli does not know
        {"history": (HistoryEntry(Status.PUBLISHED, NOW, "Ali", kind="forged"),)},
        {"history": (HistoryEntry(Status.PUBLISHED, NOW, "Ali", kind="correction", note="x"),)},
        [],
    ),
    ("PR301", {"title": "A" + "a" * 120}, {"title": "A" + "a" * 119}, []),
    ("PR302", {"title": "CIS SECURITY CHIEFS MEET"}, {"title": "CIS and NATO chiefs meet"}, []),
    ("PR303", {"title": "Chiefs meet in Moscow."}, {"title": "Chiefs meet in Moscow..."}, []),
    ("PR304", {"body": ""}, {"body": "", "status": Status.DRAFT}, []),  # in a draft: info only
    ("PR305", {"body": "Too short."}, {"body": WORDS}, []),
    ("PR306", {"body": "word " * 1001}, {"body": "word " * 1000}, []),
    (
        "PR307",
        {"body": WORDS + " [Insert quote from the director]"},
        {"body": WORDS + " A to-do list of tasks."},
        [],
    ),
    ("PR307", {"summary": "TK"}, {"summary": "Tk is fine in running text"}, []),
    (
        "PR308",
        {"contacts": (Contact(name="Press", email="press at example.org"),)},
        {"contacts": (Contact(name="Press", email="press@example.org"),)},
        [],
    ),
    (
        "PR309",
        {"contacts": (Contact(name="Press", phone="call us"),)},
        {"contacts": (Contact(name="Press", phone="+994 (12) 555-01-00"),)},
        [],
    ),
    ("PR310", {"title": "Chiefs meet\u202e in Moscow"}, {"title": "Chiefs meet in Moscow"}, []),
    ("PR310", {"body": WORDS + "\u200b"}, {"body": WORDS + " ə ş ё"}, []),
    ("PR311", {}, {"language": "az"}, [good(id="2021-10-16-same", date=date(2021, 10, 16))]),
    (
        "PR601",
        {"unknown": {"merge_conflicts": [{"field": "title", "ours": "A", "theirs": "B"}]}},
        {"extra": {"merge_conflicts": [{"field": "title", "ours": "A", "theirs": "B"}]}},
        [],
    ),
    (
        "PR602",
        {"body": WORDS + "\n\n<<<<<<< ours\nOne.\n=======\nTwo.\n>>>>>>> theirs"},
        {"body": "Heading\n=======\n\n" + WORDS + "\n\n>>>>>>> quoted"},
        [],
    ),
]


def _setup(
    repository: Repository, code: str, fields: dict[str, Any], others: list[Release]
) -> None:
    release = good(**fields)
    write_release(repository, release)
    for other in others:
        if code == "PR006":  # the same id in another file
            path = repository.path_for(other)
            path.with_name("2021-10-15-copy.md").write_bytes(
                (path.parent / f"{release.id}.md")
                .read_bytes()
                .replace(b'title: "', b'title: "Copy: ')
            )
        else:
            write_release(repository, other)
    if any(attachment.path == "here.pdf" for attachment in release.attachments):
        (repository.path_for(release).parent / "here.pdf").write_bytes(b"%PDF-1.4")
    for attachment in release.attachments:
        if attachment.path in MEDIA_FILES:
            target = repository.root / attachment.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(MEDIA_FILES[attachment.path])


@pytest.mark.parametrize(
    ("code", "broken", "near_miss", "others"), RELEASE_CASES, ids=[c[0] for c in RELEASE_CASES]
)
def test_rule_fails_on_broken_release(
    repository: Repository,
    code: str,
    broken: dict[str, Any],
    near_miss: dict[str, Any],
    others: list[Release],
) -> None:
    _setup(repository, code, broken, others)
    found = codes(repository, Severity.WARNING)
    assert code in found, found
    extra = set(found) - {code, "PR005"}  # PR006's copy has a file name that is not its id
    assert not extra, found


@pytest.mark.parametrize(
    ("code", "broken", "near_miss", "others"), RELEASE_CASES, ids=[c[0] for c in RELEASE_CASES]
)
def test_rule_passes_near_miss(
    repository: Repository,
    code: str,
    broken: dict[str, Any],
    near_miss: dict[str, Any],
    others: list[Release],
) -> None:
    if code == "PR006":
        others = [good(id="2021-10-15-other-id", title="Another title", body="other " + WORDS)]
    _setup(repository, "", near_miss, others)
    found = codes(repository, Severity.WARNING)
    assert code not in found, found
    assert found == {}, found


def test_id_differs_from_file_name(repository: Repository) -> None:
    path = write_release(repository, good())
    path.rename(path.with_name("2021-10-15-renamed.md"))
    found = codes(repository)
    assert list(found) == ["PR005"]


def test_placeholder_in_a_draft_is_information(repository: Repository) -> None:
    write_release(repository, good(status=Status.DRAFT, body=WORDS + " TODO"))
    report = validate(repository, NOW)
    assert [(f.code, f.severity) for f in report.findings] == [("PR307", Severity.INFO)]
    assert report.errors == 0


def test_placeholder_line_points_into_the_body(repository: Repository) -> None:
    path = write_release(repository, good(body=WORDS + "\n\nSecond paragraph.\n\nXXX to check"))
    finding = validate(repository, NOW).findings[0]
    lines = path.read_text().splitlines()
    assert lines[finding.line - 1] == "XXX to check"


# Rules checked while reading: (code, front-matter text replacement) on a valid file.
VALID_TEXT = (
    '---\nid: "2021-10-15-x"\ntitle: "X meets Y"\nstatus: "published"\ncategory: "Events"\n'
    f'language: "en"\ndate: 2021-10-15\nhistory:\n  - status: "published"\n'
    f"    at: 2021-10-15T10:00:00+04:00\n---\n\n{WORDS}\n"
)
LOAD_CASES = [
    ("PR001", 'title: "X meets Y"', 'title: "X meets Y"\ntitle: "Again"', 4),
    ("PR001", "---\n\n", "\n\n", 1),
    ("PR002", 'title: "X meets Y"\n', "", 1),
    ("PR003", 'category: "Events"', "category: [Events]", 5),
    ("PR101", 'status: "published"', 'status: "live"', 4),
    ("PR104", "date: 2021-10-15", "date: 2021-02-30", 7),
    ("PR105", "date: 2021-10-15", "date: 2021-10-15\nembargo_until: 2021-10-16T09:00:00", 8),
    ("PR009", 'id: "2021-10-15-x"', 'id: "javascript:alert(1)"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: "../x"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: ".hidden"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: "2021/evil"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: "2021-10-15-x\\nowned"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: "2021-10-15-x\\0"', 2),
    ("PR009", 'id: "2021-10-15-x"', 'id: "2021-10-15-şuşa"', 2),
    ("PR009", 'id: "2021-10-15-x"', f'id: "2021-10-15-{"x" * 190}"', 2),
]


@pytest.mark.parametrize(("code", "old", "new", "line"), LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_load_rules(repository: Repository, code: str, old: str, new: str, line: int) -> None:
    write_text_release(repository, "2021-10-15-x.md", VALID_TEXT)
    assert codes(repository) == {}
    write_text_release(repository, "2021-10-15-x.md", VALID_TEXT.replace(old, new, 1))
    report = validate(repository, NOW)
    assert [(f.code, f.line) for f in report.findings] == [(code, line)]


def test_outside_link(repository: Repository, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(VALID_TEXT)
    write_text_release(repository, "2021-10-15-y.md", VALID_TEXT.replace("x", "y"))
    (repository.releases_dir / "2021" / "2021-10-15-x.md").symlink_to(outside)
    assert [f.code for f in validate(repository, NOW).findings] == ["PR404"]


def test_stray_and_temp_files(repository: Repository) -> None:
    path = write_release(repository, good())
    assert codes(repository) == {}
    (path.parent / "notes.docx").write_bytes(b"PK")
    (path.parent / f".{path.name}.abc123.tmp").write_text("partial")
    found = validate(repository, NOW).findings
    assert sorted((f.code, f.path.name) for f in found) == [
        ("PR401", f".{path.name}.abc123.tmp"),
        ("PR401", "notes.docx"),
    ]


def test_attached_files_are_not_stray(repository: Repository) -> None:
    path = write_release(repository, good(attachments=(Attachment(path="scan.pdf"),)))
    (path.parent / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert codes(repository, Severity.WARNING) == {}


def test_attachments_larger_than_the_configured_limit(repository: Repository) -> None:
    config = repository.root / "prcli.toml"
    config.write_text(config.read_text() + "\n[media]\nmax_file_mb = 0.001\n")
    repository = Repository.open(repository.root)
    write_release(repository, good(attachments=(img(),)))
    (repository.root / "media" / "2021").mkdir(parents=True)
    (repository.root / "media/2021/hall.jpg").write_bytes(picture(width=200, height=200))
    assert list(codes(repository)) == ["PR804"]
    config.write_text(config.read_text().replace("0.001", "1"))
    assert codes(Repository.open(repository.root)) == {}


def test_file_name_not_nfc(repository: Repository) -> None:
    # Non-ASCII ids are refused (PR009), but a file from elsewhere can still have such a name.
    decomposed = unicodedata.normalize("NFD", "2021-10-15-şuşa")
    path = write_release(repository, good(id="2021-10-15-susa"))
    path.rename(path.with_name(decomposed + ".md"))
    found = codes(repository)
    assert "PR402" in found
    nfc = good(id="2021-10-15-susa")
    other = Repository.open(repository.root)
    for path in other.release_files():
        path.unlink()
    write_release(repository, nfc)
    assert "PR402" not in codes(repository)


def test_release_in_the_wrong_year_folder(repository: Repository) -> None:
    path = write_release(repository, good())
    target = repository.releases_dir / "2020" / path.name
    target.parent.mkdir()
    path.rename(target)
    assert list(codes(repository)) == ["PR403"]


def test_config_overrides_switch_rules_off_and_change_severity(repo_root: Path) -> None:
    config = repo_root / "prcli.toml"
    config.write_text(
        config.read_text() + '\n[validation.rules]\nPR305 = "off"\ntitle-full-stop = "error"\n'
    )
    repository = Repository.open(repo_root)
    write_release(repository, good(body="Short.", title="Ends with a stop."))
    report = validate(repository, NOW)
    assert [(f.code, f.severity) for f in report.findings] == [("PR303", Severity.ERROR)]


def test_config_override_naming_an_unknown_rule(repo_root: Path) -> None:
    from prcli.errors import ConfigError

    config = repo_root / "prcli.toml"
    config.write_text(config.read_text() + '\n[validation.rules]\nPR999 = "off"\n')
    with pytest.raises(ConfigError, match="unknown rule 'PR999'"):
        validate(Repository.open(repo_root), NOW)


def test_silence_with_a_reason_switches_one_rule_off_for_one_release(
    repository: Repository,
) -> None:
    write_release(
        repository, good(body="Short.", silence=(Silence(rule="body-short", reason="notice"),))
    )
    write_release(repository, good(id="2021-10-15-two", title="Two", body="Short too."))
    report = validate(repository, NOW)
    assert [(f.code, f.path.stem) for f in report.findings] == [("PR305", "2021-10-15-two")]


def test_every_rule_is_documented() -> None:
    assert len(RULES) >= 30
    for rule in RULES.values():
        assert rule.code.startswith("PR") and len(rule.code) == 5
        assert rule.summary and len(rule.explanation) > 40, rule.code
    tested = (
        {c[0] for c in RELEASE_CASES}
        | {c[0] for c in LOAD_CASES}
        | {"PR005", "PR401", "PR402", "PR403", "PR404", "PR804"}
    )
    assert tested == set(RULES), set(RULES) ^ tested


def test_thousand_releases_every_tenth_broken_differently(repository: Repository) -> None:
    breakages: list[tuple[str, dict[str, Any]]] = [
        ("PR102", {"category": "Gossip"}),
        ("PR103", {"language": "fr"}),
        ("PR106", {"event_date": date(2030, 1, 1)}),
        ("PR201", {"related": ("2000-01-01-nothing",)}),
        ("PR301", {"title": "Long title " * 13}),
        ("PR303", {"title": "Ends with a stop."}),
        ("PR305", {"body": "Too short."}),
        ("PR307", {"body": WORDS + " XXX"}),
        ("PR308", {"contacts": (Contact(name="P", email="nope"),)}),
        ("PR310", {"summary": "hidden\u200b"}),
    ]
    expected: dict[str, str] = {}
    for number in range(1000):
        day = date(2020, 1, 1).toordinal() + number
        fields: dict[str, Any] = {
            "id": f"{date.fromordinal(day).isoformat()}-release-{number}",
            "date": date.fromordinal(day),
            "title": f"Release number {number}",
        }
        if number % 10 == 0:
            code, broken = breakages[(number // 10) % len(breakages)]
            fields.update(broken)
            if "title" in broken:
                fields["title"] = f"{number}: {broken['title']}"
            expected[fields["id"]] = code
        write_release(repository, good(**fields))
    report = validate(repository, NOW)
    found = {f.path.stem: f.code for f in report.findings}
    assert len(report.findings) == 100
    assert found == expected
    assert report.checked == 1000
