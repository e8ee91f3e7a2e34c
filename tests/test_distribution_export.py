"""export --format wire and --format eml: wire copy per profile with its lint, RFC 5322 messages."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from prcli.model import Status

from .conftest import Run
from .helpers import BAKU

BODY = (
    "The meeting was held on 13 October. See [the agenda](https://example.org/agenda) and "
    "[the photos](https://example.org/photos).\n\nA second paragraph that is long enough to be "
    "wrapped at the width of the profile, and then some more words to be sure of it."
)
PROFILES = """
[distribution]
from = "Press Office <press@example.org>"
unsubscribe = "mailto:press@example.org?subject=unsubscribe"

[wire.profiles.agency]
width = 50
end_mark = "-30-"
release_line = false

[wire.profiles.short]
max_length = 200
"""


def _configure(root: Path, extra: str = PROFILES) -> None:
    path = root / "prcli.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return str(plain.get_content()), str(html.get_content())  # type: ignore[attr-defined]


def test_wire_copy_default_profile(run: Run, repo_root: Path, add: Any) -> None:
    add(title="Chiefs meet in Baku", dateline="Baku", body=BODY)
    result = run("export", "--format", "wire", "--base-url", "https://press.example.org")
    assert result.exit_code == 0, result
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "FOR IMMEDIATE RELEASE"
    assert lines[2] == "Chiefs meet in Baku"
    assert "BAKU, 15 October 2021 — The meeting was held" in text
    assert "agenda[1] and the photos[2]." in " ".join(text.split())
    assert "[1] https://example.org/agenda\n[2] https://example.org/photos" in text
    assert "About the Service." in text
    assert "Media contacts:\nPress office, press@example.org" in text
    assert lines[-1] == "###"
    assert all(len(line) <= 72 for line in lines if "://" not in line)


def test_wire_profile_changes_width_end_mark_and_release_line(
    run: Run, repo_root: Path, add: Any
) -> None:
    _configure(repo_root)
    add(title="Chiefs meet in Baku", dateline="Baku", body=BODY)
    result = run("export", "--format", "wire", "--wire-profile", "agency")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == "Chiefs meet in Baku"  # no release line in this profile
    assert lines[-1] == "-30-"
    assert all(len(line) <= 50 for line in lines if "://" not in line)
    assert "###" not in result.stdout


def test_wire_lint_errors_exit_1_and_name_the_rule(run: Run, repo_root: Path, add: Any) -> None:
    _configure(repo_root)
    add(title="Chiefs meet", body=BODY + "\n\nTODO: add a quote")
    result = run("export", "--format", "wire", "--wire-profile", "short")
    assert result.exit_code == 1
    assert "[WIRE01]" in result.stderr and "at most 200" in result.stderr
    assert "[WIRE05]" in result.stderr  # placeholder
    assert "[WIRE08]" in result.stderr  # no dateline: a warning
    assert result.stdout.startswith("FOR IMMEDIATE RELEASE")  # written all the same


def test_unknown_wire_profile_is_a_clear_error(run: Run, repo_root: Path, add: Any) -> None:
    add(title="Chiefs meet")
    result = run("export", "--format", "wire", "--wire-profile", "nope")
    assert result.exit_code == 1
    assert "no wire profile 'nope'" in result.stderr and result.stdout == ""


def test_wire_embargoed_copy_and_localised_datelines(run: Run, repo_root: Path, add: Any) -> None:
    add(
        title="Yeni xəbərdarlıq sistemi",
        language="az",
        dateline="Gəncə",
        date=date(2026, 11, 26),
        status=Status.APPROVED,
        embargo_until=datetime(2026, 12, 1, 9, 0, tzinfo=BAKU),
        body="Sistem hazırdır.",
    )
    add(
        title="Встреча в Тбилиси",
        language="ru",
        dateline="Тбилиси",
        date=date(2021, 10, 15),
        body="Совещание прошло 13 октября.",
    )
    result = run("export", "--format", "wire", "--include-unpublished")
    assert result.exit_code == 0, result
    assert "EMBARQO: 1 dekabr 2026, 09:00 (UTC+04:00) QƏDƏR YAYIMLAMAYIN" in result.stdout
    assert "GƏNCƏ, 26 noyabr 2026 — Sistem hazırdır." in result.stdout
    assert "ТБИЛИСИ, 15 октября 2021 — Совещание прошло" in result.stdout
    assert "ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ" in result.stdout


def test_eml_folder_messages_parse_and_are_stable(
    run: Run, repo_root: Path, add: Any, tmp_path: Path
) -> None:
    _configure(repo_root)
    add(title="Встреча руководителей в Тбилиси", language="ru", dateline="Тбилиси", body=BODY)
    out = tmp_path / "outbox"
    result = run("export", "--format", "eml", "-o", f"{out}/")
    assert result.exit_code == 0, result
    files = sorted(out.glob("*.eml"))
    assert len(files) == 1
    data = files[0].read_bytes()
    assert data.isascii()
    raw_subject = next(line for line in data.split(b"\r\n") if line.startswith(b"Subject:"))
    assert b"=?utf-8?" in raw_subject  # RFC 2047
    message = _parse(data)
    assert message["Subject"] == "Встреча руководителей в Тбилиси"
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"].addresses[0].addr_spec == "press@example.org"
    assert message["Content-Language"] == "ru"
    assert message["List-Unsubscribe"] == "<mailto:press@example.org?subject=unsubscribe>"
    plain, html = _parts(message)
    assert "ТБИЛИСИ, 15 октября 2021 — The meeting was held" in plain
    assert ">Встреча руководителей в Тбилиси</h1>" in html
    assert 'href="https://example.org/agenda" rel="noopener noreferrer">the agenda</a>' in html
    # The same release exported again: the same Message-ID.
    again = tmp_path / "again"
    assert run("export", "--format", "eml", "-o", f"{again}/").exit_code == 0
    assert _parse((again / files[0].name).read_bytes())["Message-ID"] == message["Message-ID"]


def test_eml_advance_copy_has_embargo_notice_everywhere_and_attachments(
    run: Run, repo_root: Path, add: Any, tmp_path: Path
) -> None:
    _configure(repo_root)
    path = add(
        title="New warning system",
        dateline="Baku",
        date=date(2026, 11, 26),
        status=Status.APPROVED,
        embargo_until=datetime(2026, 12, 1, 9, 0, tzinfo=BAKU),
        attachments=(),
        body="Ready.",
    )
    (path.parent / "factsheet.pdf").write_bytes(b"%PDF-1.4 fact sheet")
    text = path.read_text(encoding="utf-8").replace(
        "---\n\nReady.", 'attachments:\n  - path: "factsheet.pdf"\n---\n\nReady.'
    )
    path.write_text(text, encoding="utf-8")
    result = run("export", "--format", "eml", "--include-unpublished")  # mbox on stdout
    assert result.exit_code == 0, result
    assert result.stdout.startswith("From MAILER-DAEMON ")
    message = _parse(result.stdout.split("\n", 1)[1].encode())
    notice = "Embargoed until 1 December 2026, 09:00 (UTC+04:00)"
    assert (
        message["Subject"].strip().startswith("EMBARGOED until 1 December 2026, 09:00 (UTC+04:00):")
    )
    plain, html = _parts(message)
    assert plain.startswith(notice)
    assert html.index(notice) < html.index("<h1")
    assert message.get_content_type() == "multipart/mixed"
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "factsheet.pdf"
    assert attachment.get_content() == b"%PDF-1.4 fact sheet"


def test_eml_without_any_sender_address_says_where_to_set_it(
    run: Run, repo_root: Path, add: Any
) -> None:
    config = repo_root / "prcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('email = "press@example.org"\n', ""),
        encoding="utf-8",
    )
    add(title="Chiefs meet")
    result = run("export", "--format", "eml")
    assert result.exit_code == 1
    assert "no sender address" in result.stderr and "[distribution]" in result.stderr


def test_retracted_release_carries_its_notice_in_wire_and_eml(
    run: Run, repo_root: Path, add: Any, tmp_path: Path
) -> None:
    from datetime import timedelta

    from prcli.model import HistoryEntry

    from .helpers import NOW

    _configure(repo_root)
    add(
        title="Chiefs meet",
        status=Status.RETRACTED,
        retraction="Issued in error.",
        history=(
            HistoryEntry(Status.PUBLISHED, NOW - timedelta(days=2), "Press office"),
            HistoryEntry(Status.RETRACTED, NOW, "Press office", "Issued in error."),
        ),
    )
    wire = run("export", "--format", "wire")
    assert wire.exit_code == 0, wire
    assert "THIS RELEASE HAS BEEN RETRACTED\n\nRetracted on 27 November 2026: Issued in error." in (
        wire.stdout
    )
    out = tmp_path / "eml"
    assert run("export", "--format", "eml", "-o", f"{out}/").exit_code == 0
    message = _parse(next(out.glob("*.eml")).read_bytes())
    assert message["Subject"] == "This release has been retracted: Chiefs meet"
    plain, html = _parts(message)
    assert "Retracted on 27 November 2026: Issued in error." in plain
    assert html.index("Issued in error.") < html.index("<h1")


def test_html_part_comes_from_the_site_templates_and_an_office_may_override_it(
    run: Run, repo_root: Path, add: Any, tmp_path: Path
) -> None:
    _configure(repo_root)
    add(title="Yeni sistem", language="az", dateline="Bakı", body="Mətn.")
    out = tmp_path / "one"
    assert run("export", "--format", "eml", "-o", f"{out}/").exit_code == 0
    _, html = _parts(_parse(next(out.glob("*.eml")).read_bytes()))
    assert '<html lang="az" dir="ltr">' in html
    assert ">Media üçün əlaqə</h2>" in html  # the site's az label set (prcli.l10n)
    assert "BAKI, 15 oktyabr 2021 —" in html
    theme = repo_root / "theme"
    theme.mkdir()
    (theme / "email.html").write_text(
        "<html><body><h1>{{ title }}</h1><p>Office design</p>{{ body }}</body></html>\n"
    )
    config = repo_root / "prcli.toml"
    config.write_text(config.read_text() + '\n[site]\ntemplates = "theme"\n', encoding="utf-8")
    own = tmp_path / "own"
    assert run("export", "--format", "eml", "-o", f"{own}/").exit_code == 0
    _, html = _parts(_parse(next(own.glob("*.eml")).read_bytes()))
    assert html.replace("\r\n", "\n") == (
        "<html><body><h1>Yeni sistem</h1><p>Office design</p><p>Mətn.</p>\n</body></html>\n"
    )
    (theme / "email.html").write_text("<h1>{{ title </h1>\n")
    broken = tmp_path / "broken"
    result = run("export", "--format", "eml", "-o", f"{broken}/")
    assert result.exit_code == 1
    assert "email.html:1: template" in result.stderr
    assert not broken.exists() or not list(broken.glob("*.eml"))


def test_eml_sender_name_is_the_organisation_in_the_release_language(
    run: Run, repo_root: Path, add: Any, tmp_path: Path
) -> None:
    """Without [distribution] from, the From: name is the organisation as [l10n.<lang>] names it
    (the newsroom site's translation), not the English name on an Azerbaijani release."""
    _configure(repo_root, '\n[l10n.az]\norganisation = "Dövlət Təhlükəsizliyi Xidməti"\n')
    add(title="Görüş Bakıda keçirilib", language="az")
    add(title="Meeting held in Baku")
    out = tmp_path / "outbox"
    result = run("export", "--format", "eml", "-o", f"{out}/")
    assert result.exit_code == 0, result
    senders = {
        message["Content-Language"]: message["From"].addresses[0]
        for message in (_parse(path.read_bytes()) for path in out.glob("*.eml"))
    }
    assert senders["az"].display_name == "Dövlət Təhlükəsizliyi Xidməti"
    assert senders["az"].addr_spec == "press@example.org"
    assert senders["en"].display_name == "State Security Service"
