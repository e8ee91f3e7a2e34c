"""prcli contacts: the media list in the private folder (add, list, import, remove, check)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from prcli.contacts.model import address_problem

from .conftest import Run

CONSENT = ("--consent-date", "2026-03-01", "--consent-source", "briefing sign-up")


def test_add_creates_a_private_git_ignored_file(run: Run, repo_root: Path) -> None:
    result = run(
        "contacts",
        "add",
        "aysel@example.az",
        "--name",
        "Aysel Guliyeva",
        "--language",
        "az",
        "--list",
        "baku-press",
        *CONSENT,
    )
    assert result.exit_code == 0, result
    assert result.stdout == "aysel@example.az\n"
    private = repo_root / "private"
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE((private / "contacts.toml").stat().st_mode) == 0o600
    assert (private / ".gitignore").read_text().splitlines()[-1] == "*"
    listed = json.loads(run("contacts", "list", "--format", "json").stdout)
    assert listed == [
        {
            "email": "aysel@example.az",
            "name": "Aysel Guliyeva",
            "outlet": "",
            "role": "",
            "languages": ["az"],
            "beats": [],
            "lists": ["baku-press"],
            "consent_date": "2026-03-01",
            "consent_source": "briefing sign-up",
            "added": "2026-11-27",
            "notes": "",
        }
    ]
    # Adding the same address (another case) completes the entry instead of listing it twice.
    again = run("contacts", "add", "Aysel@Example.AZ", "--list", "az-desk")
    assert again.exit_code == 0 and "updated aysel@example.az" in again.stderr
    listed = json.loads(run("contacts", "list", "--format", "json").stdout)
    assert len(listed) == 1 and listed[0]["lists"] == ["baku-press", "az-desk"]


def test_add_refuses_what_is_not_an_address_and_warns_about_consent(
    run: Run, repo_root: Path
) -> None:
    bad = run("contacts", "add", "aysel@@example.az")
    assert bad.exit_code == 2 and "not valid" in bad.stderr
    assert not (repo_root / "private" / "contacts.toml").exists()
    result = run("contacts", "add", "ivan@example.ru", "--list", "ru-desk")
    assert result.exit_code == 0
    assert "no consent recorded (missing date and source): skipped by prcli send [CT03]" in (
        result.stderr
    )


def test_addresses() -> None:
    for good in ("a@example.org", "first.last+tag@sub.example.co.uk", "z@exämple.org"):
        assert address_problem(good) == "", good
    for bad in (
        "",
        "a",
        "a@b",
        "a@@b.org",
        "a b@example.org",
        "<a@example.org>",
        "a@example.123",
        "a..b@example.org",
        "a@-x.org",
        "a@example.org, b@example.org",
    ):
        assert address_problem(bad), bad


CISION = (
    "First Name;Last Name;Email Address;Media Outlet;Language;Topics;Opt-in Date;Opt-in Source\n"
    "Oleg;Petrov;oleg@example.ru;RIA;ru;security, politics;14.06.2023;web form\n"
    "X;Y;not-an-address;;;;;\n"
    "Oleg;P;OLEG@example.ru;;;;;\n"
    "Nina;Beridze;nina@example.ge;Georgia Today;en;;;\n"
    "Left;Person;left@example.org;;;;2026-01-01;form\n"
)


def test_import_cision_style_export(run: Run, repo_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "cision.csv"
    source.write_bytes(("\ufeff" + CISION).encode("utf-8"))
    assert run("contacts", "add", "left@example.org", *CONSENT).exit_code == 0
    assert run("contacts", "remove", "left@example.org", "--unsubscribed").exit_code == 0
    preview = run("contacts", "import", str(source), "--list", "ru-desk", "--dry-run")
    assert preview.exit_code == 0, preview
    assert "would add 2, updated 0, unchanged 0, skipped 3, without consent 1" in preview.stderr
    assert json.loads(run("contacts", "list", "--format", "json").stdout) == []
    result = run("contacts", "import", str(source), "--list", "ru-desk")
    assert result.exit_code == 0, result
    assert f"skipped {source}:3: 'not-an-address' has no @" in result.stderr
    assert f"skipped {source}:4: OLEG@example.ru already on line 2" in result.stderr
    assert f"skipped {source}:6: left@example.org unsubscribed; not added" in result.stderr
    assert f"{source}:5: nina@example.ge: no consent recorded" in result.stderr
    contacts = {
        c["email"]: c for c in json.loads(run("contacts", "list", "--format", "json").stdout)
    }
    assert sorted(contacts) == ["nina@example.ge", "oleg@example.ru"]
    oleg = contacts["oleg@example.ru"]
    assert oleg["name"] == "Oleg Petrov" and oleg["outlet"] == "RIA"
    assert oleg["beats"] == ["security", "politics"] and oleg["languages"] == ["ru"]
    assert oleg["consent_date"] == "2023-06-14" and oleg["consent_source"] == "web form"
    assert oleg["lists"] == ["ru-desk"]
    # Importing again changes nothing.
    again = run("contacts", "import", str(source), "--list", "ru-desk")
    assert "added 0, updated 0, unchanged 2" in again.stderr


def test_import_names_the_missing_email_column(run: Run, repo_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("Name,Outlet\nA,B\n")
    result = run("contacts", "import", str(source))
    assert result.exit_code == 1
    assert "no e-mail column in the first line (found: Name, Outlet)" in result.stderr


def test_check_reports_duplicates_bad_addresses_and_missing_consent(
    run: Run, repo_root: Path
) -> None:
    private = repo_root / "private"
    private.mkdir()
    (private / "contacts.toml").write_text(
        '[[contact]]\nemail = "a@example.org"\nconsent_date = 2026-01-01\nconsent_source = "form"\n'
        '[[contact]]\nemail = "A@example.org"\nconsent_date = 2026-01-01\nconsent_source = "form"\n'
        '[[contact]]\nemail = "broken@"\nconsent_date = 2026-01-01\nconsent_source = "form"\n'
        '[[contact]]\nemail = "c@example.org"\nconsent_source = "form"\n',
        encoding="utf-8",
    )
    result = run("contacts", "check", "--format", "json")
    assert result.exit_code == 1
    codes = sorted((p["email"], p["code"]) for p in json.loads(result.stdout))
    assert codes == [("A@example.org", "CT02"), ("broken@", "CT01"), ("c@example.org", "CT03")]


def test_a_damaged_contacts_file_is_named_with_its_line(run: Run, repo_root: Path) -> None:
    private = repo_root / "private"
    private.mkdir()
    (private / "contacts.toml").write_text('[[contact]]\nemail = "a@example.org\n')
    result = run("contacts", "list")
    assert result.exit_code == 1
    assert "contacts.toml:2: TOML syntax error" in result.stderr
    added = run("contacts", "add", "b@example.org")
    assert added.exit_code == 1  # nothing is overwritten
    assert "a@example.org\n" in (private / "contacts.toml").read_text()


def test_remove_from_one_list_or_entirely(run: Run, repo_root: Path) -> None:
    run("contacts", "add", "a@example.org", "--list", "one", "--list", "two", *CONSENT)
    assert run("contacts", "remove", "a@example.org", "--list", "one").exit_code == 0
    listed = json.loads(run("contacts", "list", "--format", "json").stdout)
    assert listed[0]["lists"] == ["two"]
    missing = run("contacts", "remove", "a@example.org", "nobody@example.org")
    assert missing.exit_code == 1 and "not on the media list: nobody@example.org" in missing.stderr
    assert json.loads(run("contacts", "list", "--format", "json").stdout) == []


def test_private_folder_may_not_overlap_the_releases(run: Run, repo_root: Path) -> None:
    config = repo_root / "prcli.toml"
    config.write_text(config.read_text() + '\n[distribution]\nprivate_folder = "releases/people"\n')
    result = run("contacts", "add", "a@example.org")
    assert result.exit_code == 1
    assert "overlaps the releases folder" in result.stderr
    assert not (repo_root / "releases" / "people").exists()


def test_a_rule_has_one_severity_in_add_import_and_check(
    run: Run, repo_root: Path, tmp_path: Path
) -> None:
    """CT03 (no consent: never sent to) is an error wherever it is reported, word for word."""
    added = run("contacts", "add", "ivan@example.ru", "--list", "ru-desk")
    assert added.exit_code == 0, added  # kept on the list, but prcli send skips it
    said = "ivan@example.ru: no consent recorded (missing date and source): skipped by prcli send"
    assert f"error: {said} [CT03]" in added.stderr
    assert "warning" not in added.stderr
    checked = run("contacts", "check")
    assert checked.exit_code == 1
    assert f"error: {said} [CT03]" in checked.stderr
    rows = json.loads(run("contacts", "check", "--format", "json").stdout)
    assert [(row["code"], row["severity"]) for row in rows] == [("CT03", "error")]
    source = tmp_path / "media.csv"
    source.write_text("email,name\nnina@example.ge,Nina\n", encoding="utf-8")
    imported = run("contacts", "import", str(source))
    assert imported.exit_code == 0, imported
    assert f"error: {source}:2: nina@example.ge: no consent recorded" in imported.stderr
    assert "[CT03]" in imported.stderr and "warning" not in imported.stderr
