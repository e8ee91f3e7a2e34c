"""Issue 12, findings 1 and 3: a retraction is public everywhere (pages, feeds, ninjs, JSON-LD,
show), localised; corrections appear as "Updated <date>: <note>"; a re-export into the same folder
rewrites or removes prcli's own pages and never touches anything else."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from prcli.folderexport import MANIFEST
from prcli.model import HistoryEntry, Status

from .conftest import Run
from .helpers import BAKU

Add = Callable[..., Path]
LATER = "2026-11-28T09:30:00+04:00"
REASON = "The meeting was postponed; this release was issued in error."
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def live(add: Add) -> Path:
    published = datetime(2021, 10, 15, 10, 0, tzinfo=BAKU)
    add(
        title="Statement on flood readiness",
        date=date(2021, 11, 2),
        history=(HistoryEntry(Status.PUBLISHED, published, "Kamran"),),
        body="The service is ready for the autumn flood season.",
    )
    return add(
        title="CIS security chiefs meet in Moscow",
        history=(HistoryEntry(Status.PUBLISHED, published, "Kamran"),),
        body="The regular meeting was held in Moscow on October 13.",
    )


def json_ld(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_retracted_page_keeps_its_address_with_the_notice(
    live: Path, run: Run, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(site)).exit_code == 0
    page = site / "releases/2021-10-15-cis-security-chiefs-meet-in-moscow.html"
    assert "has been retracted" not in page.read_text()

    assert run("--now", LATER, "retract", "2021-10-15-cis", "--reason", REASON).exit_code == 0
    again = run("--now", LATER, "export", "-f", "html", "-o", str(site))  # no --force: our folder
    assert again.exit_code == 0, again
    html = page.read_text()
    notice = html.index("This release has been retracted")
    assert notice < html.index("The regular meeting was held")  # above the original text
    assert f"Retracted on 28 November 2026: {REASON}" in html
    assert "<title>[Retracted] CIS security chiefs" in html
    data = json_ld(html)
    assert data["creativeWorkStatus"] == "Retracted"
    assert data["dateModified"] == LATER
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": f"Retracted on 28 November 2026: {REASON}",
            "datePublished": LATER,
        }
    ]
    index = (site / "en/index.html").read_text()
    assert re.search(r"CIS security chiefs meet in Moscow</a>.*\[Retracted\]", index)


def test_archived_page_is_removed_and_foreign_files_are_kept(
    live: Path, run: Run, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(site)).exit_code == 0
    (site / "robots.txt").write_text("User-agent: *\n")
    (site / "releases/2021-11-02-statement-on-flood-readiness.html").read_text()
    assert run("archive", "2021-11-02-statement").exit_code == 0
    result = run("export", "-f", "html", "-o", str(site))
    assert result.exit_code == 0, result
    assert not (site / "releases/2021-11-02-statement-on-flood-readiness.html").exists()
    assert (site / "robots.txt").read_text() == "User-agent: *\n"
    # the page and what only it fed (its search bundle, its category page) are removed
    assert re.search(r"[1-9]\d* removed \(no longer current\)", result.stderr)
    assert "releases/2021-11-02-statement-on-flood-readiness.html" in result.stderr
    assert "Kept 1 file(s) prcli did not write: robots.txt" in result.stderr
    assert "statement-on-flood" not in (site / "en/index.html").read_text()


def test_a_deleted_manifest_removes_nothing(live: Path, run: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(site)).exit_code == 0
    (site / MANIFEST).unlink()
    assert run("archive", "2021-11-02-statement").exit_code == 0
    refused = run("export", "-f", "html", "-o", str(site))
    assert refused.exit_code == 2 and "prcli did not export into it before" in refused.stderr
    result = run("export", "-f", "html", "-o", str(site), "--force")
    assert result.exit_code == 0, result
    assert "no manifest" in result.stderr and "nothing was removed" in result.stderr
    assert (site / "releases/2021-11-02-statement-on-flood-readiness.html").exists()
    assert (site / MANIFEST).exists()


def test_feeds_reissue_the_entry_with_the_notice(live: Path, run: Run) -> None:
    assert run("--now", LATER, "retract", "2021-10-15-cis", "--reason", REASON).exit_code == 0
    atom = ET.fromstring(run("--now", LATER, "export", "-f", "atom").stdout)
    assert atom.findtext(f"{ATOM}updated") == LATER
    entry = next(
        e for e in atom.iter(f"{ATOM}entry") if "CIS" in (e.findtext(f"{ATOM}title") or "")
    )
    assert entry.findtext(f"{ATOM}title") == "[Retracted] CIS security chiefs meet in Moscow"
    assert entry.findtext(f"{ATOM}updated") == LATER
    assert entry.findtext(f"{ATOM}published") == "2021-10-15T10:00:00+04:00"
    assert entry.findtext(f"{ATOM}summary") == f"Retracted on 28 November 2026: {REASON}"
    assert REASON in (entry.findtext(f"{ATOM}content") or "")
    rss = ET.fromstring(run("--now", LATER, "export", "-f", "rss").stdout)
    item = next(i for i in rss.iter("item") if "CIS" in (i.findtext("title") or ""))
    assert item.findtext("title", "").startswith("[Retracted]")
    assert REASON in item.findtext("description", "")


@pytest.mark.parametrize("version", [2, 3])
def test_ninjs_says_canceled_with_the_notice(live: Path, run: Run, version: int) -> None:
    assert run("--now", LATER, "retract", "2021-10-15-cis", "--reason", REASON).exit_code == 0
    out = run("--now", LATER, "export", "-f", "ninjs", "--ninjs-version", str(version))
    documents = [json.loads(line) for line in out.stdout.splitlines()]
    doc = next(d for d in documents if d["headlines"][0]["value"].startswith("CIS"))
    status, note, created = (
        ("pubstatus", "ednote", "versioncreated")
        if version == 2
        else ("pubStatus", "edNote", "versionCreated")
    )
    assert doc[status] == "canceled"
    assert REASON in doc[note]
    assert doc[created] == LATER and doc["version"] == "2"
    assert doc["descriptions"][0] == {
        "role": "retraction",
        "value": f"Retracted on 28 November 2026: {REASON}",
    }
    assert "This release has been retracted" in doc["bodies"][0]["value"]
    _validate_ninjs(doc, version)


def _validate_ninjs(doc: dict[str, object], version: int) -> None:
    from .test_cli_export import _ninjs_validator

    try:
        validator = _ninjs_validator(version)
    except pytest.skip.Exception:
        return
    errors = list(validator.iter_errors(doc))
    assert not errors, errors[0].message


@pytest.mark.parametrize(
    ("language", "title", "expected"),
    [
        ("az", "MDB rəhbərlərinin görüşü", "28 noyabr 2026 tarixində geri götürülüb: "),
        ("ru", "Встреча руководителей", "Отозван 28 ноября 2026: "),
    ],
)
def test_the_notice_speaks_the_release_language(
    add: Add, run: Run, tmp_path: Path, language: str, title: str, expected: str
) -> None:
    add(title=title, language=language, id=f"2021-10-15-{language}-meeting")
    assert (
        run("--now", LATER, "retract", f"2021-10-15-{language}", "--reason", REASON).exit_code == 0
    )
    site = tmp_path / "site"
    assert run("--now", LATER, "export", "-f", "html", "-o", str(site)).exit_code == 0
    html = (site / f"releases/2021-10-15-{language}-meeting.html").read_text()
    assert expected + REASON in html


def test_show_prints_the_notice_in_text_and_markdown(live: Path, run: Run) -> None:
    assert run("--now", LATER, "retract", "2021-10-15-cis", "--reason", REASON).exit_code == 0
    text = run("show", "2021-10-15-cis").stdout
    assert "This release has been retracted" in text and "Retracted on 28 November 2026" in text
    markdown = run("show", "2021-10-15-cis", "-f", "markdown").stdout
    assert markdown.startswith(
        "# CIS security chiefs meet in Moscow\n\n> **This release has been retracted**"
    )
    assert f"> Retracted on 28 November 2026: {REASON}" in markdown


def test_a_correction_is_shown_everywhere(
    live: Path, run: Run, tmp_path: Path, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="October 13=>October 14")
    note = "The meeting took place on 14 October, not 13 October."
    assert run("--now", LATER, "edit", "2021-10-15-cis", "--note", note).exit_code == 0
    site = tmp_path / "site"
    assert run("--now", LATER, "export", "-f", "html", "-o", str(site)).exit_code == 0
    html = (site / "releases/2021-10-15-cis-security-chiefs-meet-in-moscow.html").read_text()
    assert f"<li>Updated 28 November 2026: {note}</li>" in html
    data = json_ld(html)
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": note, "datePublished": LATER}
    ]
    assert data["dateModified"] == LATER and data["datePublished"] == "2021-10-15T10:00:00+04:00"
    atom = ET.fromstring(run("--now", LATER, "export", "-f", "atom").stdout)
    entry = next(
        e for e in atom.iter(f"{ATOM}entry") if "CIS" in (e.findtext(f"{ATOM}title") or "")
    )
    assert entry.findtext(f"{ATOM}updated") == LATER
    assert f"Updated 28 November 2026: {note}" in (entry.findtext(f"{ATOM}content") or "")
    doc = next(
        json.loads(line)
        for line in run("--now", LATER, "export", "-f", "ninjs").stdout.splitlines()
        if "CIS" in line
    )
    assert (doc["version"], doc["versioncreated"], doc["pubstatus"]) == ("2", LATER, "usable")
    assert {"role": "correction", "value": f"Updated 28 November 2026: {note}"} in doc[
        "descriptions"
    ]
    shown = run("show", "2021-10-15-cis", "-f", "markdown").stdout
    assert f"*Updated 28 November 2026: {note}*" in shown


def test_a_minor_edit_does_not_reissue(live: Path, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="Moscow on=>Moscow, on")
    assert run("--now", LATER, "edit", "2021-10-15-cis", "--minor").exit_code == 0
    doc = next(
        json.loads(line)
        for line in run("export", "-f", "ninjs").stdout.splitlines()
        if "CIS" in line
    )
    assert (doc["version"], doc["versioncreated"]) == ("1", "2021-10-15T10:00:00+04:00")


def test_wire_copy_of_a_retracted_release_has_no_release_line(live: Path, run: Run) -> None:
    before = run("export", "2021-10-15-cis", "--format", "wire")
    assert before.exit_code == 0, before.output
    assert before.stdout.startswith("FOR IMMEDIATE RELEASE")
    assert run("--now", LATER, "retract", "2021-10-15-cis", "--reason", REASON).exit_code == 0
    result = run("--now", LATER, "export", "2021-10-15-cis", "--format", "wire")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("THIS RELEASE HAS BEEN RETRACTED")
    assert "FOR IMMEDIATE RELEASE" not in result.stdout
    assert REASON.split(";")[0] in " ".join(result.stdout.split())
