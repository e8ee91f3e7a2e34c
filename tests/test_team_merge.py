"""The merge driver for release files: field by field, history as a union, status recomputed,
conflicts kept inside the file for `validate` and `edit`, text merge for files that do not read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from prcli.gitsync.merge import Unreadable, merge_texts
from prcli.model import HistoryEntry, Release, Status
from prcli.repository import parse_release, render

from .gitteam import git, make_team
from .helpers import NOW, make_release

T = [NOW + timedelta(minutes=minute) for minute in range(10)]
HISTORY = (HistoryEntry(Status.DRAFT, T[0], "Leyla"), HistoryEntry(Status.REVIEW, T[1], "Leyla"))


def merged(base: Release | None, ours: Release, theirs: Release) -> tuple[Release, str]:
    outcome = merge_texts(
        render(base, "yaml") if base else b"", render(ours, "yaml"), render(theirs, "toml"), "x.md"
    )
    return parse_release(Path("x.md"), outcome.text.encode()).release, outcome.text


def in_review(**fields: object) -> Release:
    return make_release(status=Status.REVIEW, history=HISTORY, **fields)


def approved(release: Release, by: str = "Kamran", at: int = 5) -> Release:
    return release.replace(
        status=Status.APPROVED,
        history=(*release.history, HistoryEntry(Status.APPROVED, T[at], by)),
    )


def test_different_fields_merge_and_lists_merge_as_sets() -> None:
    base = in_review(tags=("security", "cis"), places=("Moscow",))
    ours = base.replace(subtitle="Annual meeting", tags=("security", "cis", "baku"))
    theirs = base.replace(summary="Chiefs met.", tags=("security", "moscow"))
    result, text = merged(base, ours, theirs)
    assert (result.subtitle, result.summary) == ("Annual meeting", "Chiefs met.")
    assert result.tags == ("security", "baku", "moscow")  # cis removed by theirs, both additions in
    assert "merge_conflicts" not in text and result.status is Status.REVIEW


def test_same_field_changed_on_both_sides_is_a_named_conflict_losing_nothing() -> None:
    base = in_review()
    result, text = merged(
        base, base.replace(title="Ours: chiefs meet"), base.replace(title="Theirs: chiefs met")
    )
    assert result.title == "Ours: chiefs meet"
    [conflict] = result.unknown["merge_conflicts"]
    assert conflict["field"] == "title"
    assert (conflict["ours"], conflict["theirs"]) == ("Ours: chiefs meet", "Theirs: chiefs met")
    assert "Theirs: chiefs met" in text


def test_history_is_the_union_in_time_order_whichever_side_is_ours() -> None:
    base = make_release(status=Status.DRAFT, history=HISTORY[:1])
    ours = base.replace(
        status=Status.REVIEW, history=(*base.history, HistoryEntry(Status.REVIEW, T[3], "Leyla"))
    )
    theirs = base.replace(
        history=(*base.history, HistoryEntry(Status.DRAFT, T[2], "Anar", note="a comment"))
    )
    one, _ = merged(base, ours, theirs)
    two, _ = merged(base, theirs, ours)
    assert [(h.by, h.at) for h in one.history] == [("Leyla", T[0]), ("Anar", T[2]), ("Leyla", T[3])]
    assert one.history == two.history and one.status is two.status is Status.REVIEW


def test_approval_on_one_side_and_an_edit_on_the_other_goes_back_to_review() -> None:
    base = in_review()
    ours = approved(base)
    theirs = base.replace(body="The meeting was held in Baku on October 13.")
    result, _ = merged(base, ours, theirs)
    assert result.body == "The meeting was held in Baku on October 13."
    assert result.status is Status.REVIEW
    last = result.history[-1]
    assert (last.status, last.by) == (Status.REVIEW, "prcli merge")
    assert "approve it again" in last.note and "Kamran" in last.note
    assert Status.APPROVED in [h.status for h in result.history]  # the approval is not lost


def test_approval_with_an_edit_of_a_word_list_only_stays_approved_when_no_text_changed() -> None:
    base = in_review()
    result, _ = merged(base, approved(base), base.replace(tags=("extra",)))
    assert result.status is Status.APPROVED  # tags are not part of the approved text


def test_publication_on_one_side_keeps_the_published_text_and_the_edit_as_a_conflict() -> None:
    base = approved(in_review())
    ours = base.replace(body="Edited while it went out.", title="A new headline", publish_at=T[9])
    theirs = base.replace(
        status=Status.PUBLISHED,
        history=(*base.history, HistoryEntry(Status.PUBLISHED, T[6], "Kamran")),
    )
    result, _ = merged(base, ours, theirs)
    assert result.status is Status.PUBLISHED and result.publish_at is None
    assert result.body == base.body and result.title == base.title
    conflicts = {c["field"]: c for c in result.unknown["merge_conflicts"]}
    assert conflicts["body"]["ours"] == "Edited while it went out."
    assert conflicts["title"]["ours"] == "A new headline"


def test_moves_the_workflow_does_not_allow_together_become_a_status_conflict() -> None:
    base = in_review()
    sent_back = base.replace(
        status=Status.DRAFT, history=(*base.history, HistoryEntry(Status.DRAFT, T[4], "Anar"))
    )
    result, _ = merged(base, approved(base, at=5), sent_back)
    # draft at 10:04 then approved at 10:05: draft -> approved is not a move; it stays draft.
    assert result.status is Status.DRAFT
    assert result.history[-1].status is Status.DRAFT and result.history[-1].by == "prcli merge"
    assert [c["field"] for c in result.unknown["merge_conflicts"]] == ["status"]


def test_both_publishing_is_one_publication() -> None:
    base = approved(in_review())
    one = base.replace(
        status=Status.PUBLISHED, history=(*base.history, HistoryEntry(Status.PUBLISHED, T[6], "A"))
    )
    two = base.replace(
        status=Status.PUBLISHED, history=(*base.history, HistoryEntry(Status.PUBLISHED, T[7], "B"))
    )
    result, text = merged(base, one, two)
    assert result.status is Status.PUBLISHED and "merge_conflicts" not in text
    assert len(result.history) == 5


def test_body_conflict_keeps_both_texts_between_markers() -> None:
    base = in_review(body="First paragraph.\n\nSecond paragraph.")
    result, _ = merged(
        base,
        base.replace(body="First paragraph, ours.\n\nSecond paragraph."),
        base.replace(body="First paragraph, theirs.\n\nSecond paragraph."),
    )
    assert "<<<<<<< ours:x.md" in result.body and ">>>>>>> theirs:x.md" in result.body
    assert "First paragraph, ours." in result.body and "First paragraph, theirs." in result.body
    assert [c["field"] for c in result.unknown["merge_conflicts"]] == ["body"]


def test_a_side_that_does_not_read_is_refused_for_a_text_merge() -> None:
    good = render(in_review(), "yaml")
    with pytest.raises(Unreadable):
        merge_texts(good, good.replace(b"---\n", b"", 1), good)


# -- with real git ------------------------------------------------------------------------------------


def test_both_changed_the_title_conflict_is_kept_named_by_validate_and_settled_by_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_editor: object
) -> None:
    team = make_team(tmp_path, monkeypatch, "ana", "ben")
    team.new("ana", "Chiefs meet in Moscow", "Text.")
    git(team.clones["ana"], "add", "-A")
    git(team.clones["ana"], "commit", "-qm", "new")
    git(team.clones["ana"], "push", "-q")
    git(team.clones["ben"], "pull", "-q")
    [name] = [p for p in (team.clones["ana"] / "releases").rglob("*.md")]
    relative = name.relative_to(team.clones["ana"])
    for who, title in (("ana", "Chiefs meet in Moscow today"), ("ben", "Security chiefs meet")):
        path = team.clones[who] / relative
        path.write_text(path.read_text().replace("Chiefs meet in Moscow", title, 1))
        git(team.clones[who], "commit", "-qam", f"{who} retitles")
    git(team.clones["ana"], "push", "-q")
    pulled = git(team.clones["ben"], "pull", "--no-rebase", "--no-edit", check=False)
    assert pulled.returncode == 0, pulled.stderr
    assert "conflict in 'title'" in pulled.stderr  # the driver says so on git's output
    text = (team.clones["ben"] / relative).read_text()
    assert "Security chiefs meet" in text and "Chiefs meet in Moscow today" in text
    found = team.prcli("ben", "validate", "--format", "json")
    assert found.exit_code == 1 and "PR601" in found.stdout and "title" in found.stdout
    blocked = team.prcli("ben", "publish", relative.stem)
    assert blocked.exit_code == 1
    fake_editor(  # type: ignore[operator]
        replace=text.split("merge_conflicts:")[0] + "---\n\n" + text.split("---\n\n", 1)[1]
    )
    assert team.prcli("ben", "edit", relative.stem).exit_code == 0
    assert team.prcli("ben", "validate").exit_code == 0


def test_a_file_that_does_not_read_is_merged_as_text_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path, monkeypatch, "ana", "ben")
    relative = Path("releases/2026/2026-11-27-broken.md")
    path = team.clones["ana"] / relative
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: [unclosed\n---\n\nLine one.\nLine two.\n")
    git(team.clones["ana"], "add", "-A")
    git(team.clones["ana"], "commit", "-qm", "broken")
    git(team.clones["ana"], "push", "-q")
    git(team.clones["ben"], "pull", "-q")
    for who in ("ana", "ben"):
        mine = team.clones[who] / relative
        mine.write_text(mine.read_text().replace("Line one.", f"Line one by {who}."))
        git(team.clones[who], "commit", "-qam", who)
    git(team.clones["ana"], "push", "-q")
    pulled = git(team.clones["ben"], "pull", "--no-rebase", "--no-edit", check=False)
    assert pulled.returncode != 0
    assert "merged as plain text" in pulled.stderr
    text = (team.clones["ben"] / relative).read_text()
    assert "Line one by ana." in text and "Line one by ben." in text and "<<<<<<<" in text
    assert "UU" in git(team.clones["ben"], "status", "--short").stdout


def test_init_inside_a_git_clone_installs_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from prcli.cli.app import app
    from prcli.gitsync.install import driver_command

    git(tmp_path, "init", "-q", "-b", "main")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init", "--org", "Service", "--timezone", "UTC"])
    assert result.exit_code == 0, result.stderr
    assert "releases/**/*.md merge=prcli" in (tmp_path / ".gitattributes").read_text()
    assert git(tmp_path, "config", "merge.prcli.driver").stdout.strip() == driver_command()
    again = CliRunner().invoke(app, ["setup", "git"])
    assert again.exit_code == 0 and "already installed" in again.stderr


def test_setup_git_outside_git_says_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from prcli.cli.app import app

    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["init", "--org", "S", "--timezone", "UTC"]).exit_code == 0
    result = CliRunner().invoke(app, ["setup", "git"])
    assert result.exit_code == 1 and "not inside a git repository" in result.stderr
    assert "git init" in result.stderr


def test_the_merge_driver_command_writes_the_merge_over_ours(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prcli.cli.app import app

    base = in_review()
    files = {}
    for name, release in (
        ("base", base),
        ("ours", base.replace(subtitle="Ours")),
        ("theirs", base.replace(summary="Theirs")),
    ):
        files[name] = tmp_path / name
        files[name].write_bytes(render(release, "yaml"))
    result = CliRunner().invoke(
        app, ["merge-driver", *(str(files[n]) for n in ("base", "ours", "theirs")), "x.md"]
    )
    assert result.exit_code == 0, result.stderr
    merged_release = parse_release(files["ours"], files["ours"].read_bytes()).release
    assert (merged_release.subtitle, merged_release.summary) == ("Ours", "Theirs")
