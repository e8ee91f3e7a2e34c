"""prcli new."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prcli.model import Status
from prcli.repository import Repository

from .conftest import Run


def test_new_with_flags_writes_a_draft_and_prints_only_its_path(
    repository: Repository, run: Run
) -> None:
    result = run(
        "new",
        "CIS security chiefs meet in Moscow",
        "--category",
        "events",
        "--tag",
        "CIS",
        "--tag",
        "security",
        "--summary",
        "Lead.",
        "--subtitle",
        "Sub",
        "--date",
        "2021-10-15",
        "--no-input",
    )
    assert result.exit_code == 0, result
    assert result.stdout == "releases/2021/2021-10-15-cis-security-chiefs-meet-in-moscow.md\n"
    entry = repository.read(repository.root / result.stdout.strip())
    release = entry.release
    assert release.status is Status.DRAFT
    assert release.category == "Events"  # the repository's spelling
    assert release.language == "en"
    assert release.date == date(2021, 10, 15)
    assert release.tags == ("CIS", "security")
    assert release.issuer == "Public Relations Department of the State Security Service"
    assert (
        release.created is not None and release.created.isoformat() == "2026-11-27T10:00:00+04:00"
    )
    assert [(h.status, h.by, h.note) for h in release.history] == [
        (Status.DRAFT, "Test Author", "created")
    ]


def test_new_defaults_the_date_to_today_in_the_repository_timezone(
    repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRCLI_NOW", "2026-11-27T22:30:00+00:00")  # already the 28th in Baku
    result = run("new", "Late news", "-c", "Events", "--no-input")
    assert result.stdout.strip() == "releases/2026/2026-11-28-late-news.md"


def test_transliterated_ids(repository: Repository, run: Run) -> None:
    az = run(
        "new",
        "Dövlət Təhlükəsizliyi Xidmətinin məlumatı",
        "-c",
        "Official",
        "-l",
        "az",
        "--no-input",
    )
    ru = run(
        "new", "Заседание руководителей спецслужб СНГ", "-c", "Official", "-l", "ru", "--no-input"
    )
    assert Path(az.stdout.strip()).name == "2026-11-27-dovlet-tehlukesizliyi-xidmetinin-melumati.md"
    assert Path(ru.stdout.strip()).name == "2026-11-27-zasedanie-rukovoditelei-spetssluzhb-sng.md"


def test_same_title_twice_gets_a_suffix_and_loses_nothing(repository: Repository, run: Run) -> None:
    first = run("new", "Same title", "-c", "Events", "--no-input")
    second = run("new", "Same title", "-c", "Events", "--no-input")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout != second.stdout
    stem = Path(second.stdout.strip()).stem
    assert (
        stem.startswith("2026-11-27-same-title-") and len(stem) == len("2026-11-27-same-title-") + 4
    )
    assert repository.read(repository.root / second.stdout.strip()).release.id == stem


def test_body_from_standard_input(repository: Repository, run: Run) -> None:
    result = run(
        "new",
        "With body",
        "-c",
        "Events",
        "--body-file",
        "-",
        input="Para one.\r\n\r\nPara two.\n\n",
    )
    assert result.exit_code == 0, result
    release = repository.read(repository.root / result.stdout.strip()).release
    assert release.body == "Para one.\n\nPara two."


def test_body_file_that_is_missing(repository: Repository, run: Run) -> None:
    result = run("new", "X", "-c", "Events", "--body-file", "nowhere.md")
    assert result.exit_code == 2
    assert "cannot read --body-file nowhere.md" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["new", "--no-input", "-c", "Events"], 2, "missing title"),
        (["new", "Title", "--no-input"], 2, "missing --category"),
        (["new", "Title", "-c", "Gossip", "--no-input"], 2, "unknown category 'Gossip'"),
        (["new", "Title", "-c", "Events", "-l", "fr", "--no-input"], 2, "unknown language 'fr'"),
        (
            ["new", "Title", "-c", "Events", "--date", "2021-02-30"],
            2,
            "--date '2021-02-30' is not a date",
        ),
        (["new", "🎉🎉🎉", "-c", "Events", "--no-input"], 2, "no letters or digits"),
    ],
)
def test_new_bad_input_is_refused_and_writes_nothing(
    repository: Repository, run: Run, arguments: list[str], exit_code: int, message: str
) -> None:
    result = run(*arguments)
    assert result.exit_code == exit_code, result
    assert message in result.stderr
    assert result.stdout == ""
    assert repository.release_files() == []


def test_emoji_title_with_a_slug_works(repository: Repository, run: Run) -> None:
    result = run("new", "🎉🎉🎉", "-c", "Events", "--slug", "celebration", "--no-input")
    assert result.stdout.strip().endswith("2026-11-27-celebration.md")


def test_new_prompts_for_missing_values_on_a_terminal(repository: Repository, run: Run) -> None:
    result = run("new", "--no-edit", input="Asked title\nstatements\n", tty=True)
    assert result.exit_code == 0, result
    assert "Title" in result.stderr and "Category" in result.stderr
    release = repository.read(repository.root / result.stdout.strip()).release
    assert (release.title, release.category) == ("Asked title", "Statements")


def test_new_opens_the_editor_and_follows_the_edited_title(
    repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(
        substitute='title: "Draft title"=>title: "Final title"', append="\nWritten in the editor.\n"
    )
    result = run("new", "Draft title", "-c", "Events", "--edit")
    assert result.exit_code == 0, result
    assert result.stdout.strip() == "releases/2026/2026-11-27-final-title.md"
    release = repository.read(repository.root / result.stdout.strip()).release
    assert release.title == "Final title"
    assert release.body == "Written in the editor."


def test_new_cancelled_when_the_editor_changes_nothing(
    repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor()
    result = run("new", "Untouched", "-c", "Events", "--edit")
    assert result.exit_code == 1
    assert "nothing was created" in result.stderr
    assert repository.release_files() == []


def test_new_with_invalid_edit_keeps_the_text_in_a_recovery_file(
    repository: Repository, run: Run, fake_editor
) -> None:  # type: ignore[no-untyped-def]
    fake_editor(substitute="date: 2026-11-27=>date: someday")
    result = run("new", "Broken", "-c", "Events", "--edit")
    assert result.exit_code == 1
    assert "'date' must be a date" in result.stderr
    recovered = list((repository.root / ".prcli" / "recovery").glob("*.md"))
    assert len(recovered) == 1
    assert "date: someday" in recovered[0].read_text()
    assert str(recovered[0].relative_to(repository.root)) in result.stderr
    assert repository.release_files() == []


def test_new_outside_a_repository(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "X", "-c", "Events")
    assert result.exit_code == 1
    assert "not inside a prcli repository" in result.stderr
    assert "prcli init" in result.stderr


def test_a_title_starting_with_a_dash_gets_a_hint_about_double_dash(
    repository: Repository, run: Run
) -> None:
    result = run("new", "-2 degrees tonight")

    assert result.exit_code == 2, result
    assert "No such option: -2" in result.stderr
    assert "prcli new -- '-2 degrees tonight'" in result.stderr, result
    assert run("new", "--titel", "x").stderr.count("hint: text starting") == 0


def test_a_title_read_as_an_option_says_to_put_double_dash_before_it(
    repository: Repository, run: Run
) -> None:
    """`prcli new "-cold front"` reads as -c 'old front' (Click's short option with its value):
    the user is told how it was read and how to pass the title."""
    result = run("new", "-cold front", "--no-input")
    assert result.exit_code == 2, result
    assert (
        "'-cold front' reads as the option -c (--category) with the value 'old front'"
        in result.stderr
    )
    assert "put -- before it: prcli new -- '-cold front'" in result.stderr
    assert "after -- when it starts with" in result.stderr  # the missing title's hint says so too
    assert not list(repository.releases_dir.rglob("*.md"))
    # Options after -- are text too: said so.
    late = run("new", "-c", "Events", "--", "-cold front", "--no-input")
    assert late.exit_code == 2 and "put the options before --" in late.stderr, late
    # What the hint says works.
    made = run("new", "-c", "Events", "--no-input", "--no-edit", "--", "-cold front")
    assert made.exit_code == 0, made
    assert 'title: "-cold front"' in Path(made.stdout.strip()).read_text()
    # Any unknown short option of a command that takes text gets the hint, a long one does not.
    assert "put -- before it: prcli new -- -x" in run("new", "-x").stderr
    # Click's parsing is unchanged: a short option with its value in one word still works.
    plain = run("new", "Storm warning", "-cStatements", "--no-input", "--no-edit")
    assert plain.exit_code == 0 and "reads as the option" not in plain.stderr, plain
    assert 'category: "Statements"' in Path(plain.stdout.strip()).read_text()
    # A command without text to give (list) gets no such warning; a subcommand is named whole.
    assert "reads as the option" not in run("list", "-s draft x").stderr
    hint = run("contacts", "add", "-n foo bar").stderr
    assert "put -- before it: prcli contacts add -- '-n foo bar'" in hint, hint
    # search takes words starting with '-' (exclusions) as words: nothing to warn about there.
    words = run("search", "-cold front")
    assert words.exit_code == 0 and "reads as the option" not in words.stderr, words
