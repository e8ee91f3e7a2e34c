"""prcli sync and autocommit with real git: a bare remote and clones in tmp_path, no network."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .gitteam import Team, git, make_team, release_files

T = [
    f"2026-11-27T{hour:02d}:{minute:02d}:00+04:00"
    for hour in (10, 11)
    for minute in range(0, 60, 5)
]


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Team:
    return make_team(tmp_path, monkeypatch, "ana", "ben", "cara")


def log(team: Team, who: str) -> list[str]:
    return git(team.clones[who], "log", "--format=%s").stdout.splitlines()


def test_sync_commits_each_change_naming_the_action_and_pushes(team: Team) -> None:
    path = team.new("ana", "Chiefs meet in Moscow", "The chiefs met.", now=T[0])
    stem = Path(path).stem
    team.ok("ana", "submit", stem, now=T[1])
    result = team.ok("ana", "sync", now=T[2])
    assert f"committed: prcli: new {stem}" in result.stderr
    assert "pushed 1 commit(s)" in result.stderr
    team.ok("ben", "sync", now=T[3])
    team.ok("ben", "approve", stem, "--note", "fine", now=T[4])
    team.ok("ben", "sync", now=T[5])
    assert log(team, "ben")[0] == f"prcli: approve {stem} (Ben)"
    body = git(team.clones["ben"], "log", "-1", "--format=%b").stdout
    assert "approved at 2026-11-27T10:20:00+04:00 by Ben: fine" in body
    assert team.ok("ana", "sync", now=T[6]).exit_code == 0
    assert team.head("ana") == team.head("ben")
    again = team.ok("ana", "sync", now=T[7])
    assert "up to date" in again.stderr


def test_autocommit_commits_as_commands_go(team: Team) -> None:
    config = team.clones["ana"] / "prcli.toml"
    config.write_text(config.read_text() + "\n[git]\nautocommit = true\n")
    git(team.clones["ana"], "commit", "-qam", "autocommit on")
    path = team.new("ana", "Flood warning", "Rivers rise.", now=T[0])
    stem = Path(path).stem
    team.ok("ana", "submit", stem, now=T[1])
    team.ok("ana", "approve", stem, now=T[2])
    team.ok("ana", "publish", stem, now=T[3])
    assert log(team, "ana")[:4] == [
        f"prcli: publish {stem} (Ana)",
        f"prcli: approve {stem} (Ana)",
        f"prcli: submit {stem} (Ana)",
        f"prcli: new {stem}",
    ]
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""
    team.ok("ana", "rename", stem, stem + "-baku", "--force")
    assert log(team, "ana")[0] == f"prcli: rename {stem} to {stem}-baku"


def test_the_same_new_id_in_two_clones_is_renamed_on_sync(team: Team) -> None:
    ana = Path(team.new("ana", "Same headline", "From Ana.", now=T[0]))
    ben = Path(team.new("ben", "Same headline", "From Ben.", now=T[1]))
    assert ana.name == ben.name
    team.ok("ana", "sync", now=T[2])
    result = team.ok("ben", "sync", now=T[3])
    assert "was also created on origin" in result.stderr
    team.ok("ana", "sync", now=T[4])
    files = release_files(team.clones["ana"])
    assert len(files) == 2 and files == release_files(team.clones["ben"])
    assert sorted("From Ana." in text for text in files.values()) == [False, True]
    assert team.prcli("ana", "validate").exit_code == 0


def test_new_takes_a_suffix_when_the_id_is_taken_on_the_remote(team: Team) -> None:
    team.new("ana", "Same headline", "From Ana.", now=T[0])
    team.ok("ana", "sync", now=T[1])
    git(team.clones["ben"], "fetch", "-q")  # ben has not merged it, but git knows of it
    path = Path(team.new("ben", "Same headline", "From Ben.", now=T[2]))
    assert path.stem.startswith("2026-11-27-same-headline-") and len(path.stem) > 25


def test_sync_without_a_remote_says_so(team: Team) -> None:
    git(team.clones["ana"], "remote", "remove", "origin")
    result = team.prcli("ana", "sync")
    assert result.exit_code == 1
    assert "no remote to sync with" in result.stderr and "git remote add origin" in result.stderr


def test_sync_refuses_a_detached_head_naming_the_command(team: Team) -> None:
    git(team.clones["ana"], "checkout", "-q", "--detach")
    result = team.prcli("ana", "sync")
    assert result.exit_code == 1 and "detached" in result.stderr and "git switch" in result.stderr


def test_sync_refuses_an_unfinished_rebase_naming_the_command(team: Team) -> None:
    ana, ben = team.clones["ana"], team.clones["ben"]
    for who, folder in (("ana", ana), ("ben", ben)):
        (folder / "notes.txt").write_text(f"{who}\n")
        git(folder, "add", "notes.txt")
        git(folder, "commit", "-qm", f"{who} notes")
    git(ana, "push", "-q")
    git(ben, "fetch", "-q")
    assert git(ben, "rebase", "origin/main", check=False).returncode != 0
    result = team.prcli("ben", "sync")
    assert result.exit_code == 1
    assert "a rebase is in progress" in result.stderr
    assert "git rebase --continue" in result.stderr and "git rebase --abort" in result.stderr


def test_a_push_rejected_three_times_stops_and_loses_nothing(team: Team) -> None:
    hook = team.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'frozen for the audit' >&2\nexit 1\n")
    hook.chmod(0o755)
    path = team.new("ana", "Kept safe", "Nothing is lost.", now=T[0])
    result = team.prcli("ana", "sync", now=T[1])
    assert result.exit_code == 1
    assert "rejected 3 times" in result.stderr and "nothing was lost" in result.stderr
    assert result.stderr.count("trying again") == 2
    assert log(team, "ana")[0] == f"prcli: new {Path(path).stem}"
    assert (team.clones["ana"] / path).exists()
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""


def test_a_merge_conflict_is_not_pushed(team: Team) -> None:
    stem = Path(team.new("ana", "Chiefs meet", "Text.", now=T[0])).stem
    team.ok("ana", "sync", now=T[1])
    team.ok("ben", "sync", now=T[1])
    team.edit("ana", stem, 'title: "Chiefs meet"', 'title: "Chiefs meet today"', now=T[2])
    team.edit("ben", stem, 'title: "Chiefs meet"', 'title: "Security chiefs meet"', now=T[3])
    team.ok("ana", "sync", now=T[4])
    before = git(team.remote, "rev-parse", "main").stdout
    result = team.prcli("ben", "sync", now=T[5])
    assert result.exit_code == 1
    assert (
        "not pushed" in result.stderr and "PR601" in result.stderr and "prcli edit" in result.stderr
    )
    assert git(team.remote, "rev-parse", "main").stdout == before


def _sync_at_once(team: Team, now: str) -> list[subprocess.CompletedProcess[str]]:
    """Start `prcli sync` in every clone, released together by a barrier file."""
    barrier = team.root / "go"
    waiter = (
        "import os, sys, time\n"
        f"while not os.path.exists({str(barrier)!r}): time.sleep(0.01)\n"
        "from prcli.cli.main import main\nsys.argv = ['prcli', 'sync']\nmain()\n"
    )
    environment = {**os.environ, "PRCLI_NOW": now}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", waiter],
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in team.clones.values()
    ]
    time.sleep(0.3)
    barrier.write_text("")
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    barrier.unlink()
    return results


def histories(team: Team, who: str) -> dict[tuple[str, str], set[tuple[str, str, str]]]:
    """Each release's history steps, keyed by who created it and when (ids may be renamed)."""
    import yaml

    found = {}
    for text in release_files(team.clones[who]).values():
        front = yaml.safe_load(text.split("---\n")[1])
        first = front["history"][0]
        found[(str(first["at"]), first["by"])] = {
            (h["status"], str(h["at"]), h.get("by", "")) for h in front["history"]
        }
    return found


def test_three_clones_working_at_once_converge(team: Team) -> None:
    """Concurrent approve, edit, publish, translate and new in three clones; then sync everywhere:
    no conflict markers, no history entry lost, no duplicate id, validate clean, one final state."""
    one = Path(team.new("ana", "Chiefs meet in Moscow", "The chiefs met on October 13.", T[0])).stem
    two = Path(team.new("ana", "Flood warning for the Kura", "Rivers rise in the east.", T[0])).stem
    three = Path(team.new("ana", "Cyber drill held", "A drill was held in Baku.", T[0])).stem
    team.ok("ana", "submit", one, two, three, now=T[1])
    team.ok("ana", "sync", now=T[2])
    team.ok("ben", "sync", now=T[2])
    team.ok("ben", "approve", two, now=T[3])
    team.ok("ben", "sync", now=T[3])
    for who in team.clones:
        team.ok(who, "sync", now=T[4])

    # Everyone works at once, without syncing.
    team.ok("ana", "approve", one, now=T[5])  # ana approves one ...
    team.edit("ben", one, "on October 13", "on 13 October in Moscow", now=T[6])  # ... ben edits it
    team.ok("ben", "publish", two, now=T[7])  # ben publishes two ...
    team.ok("cara", "translate", two, "--language", "az", now=T[5])  # ... cara translates it
    team.edit("cara", three, "in Baku", "in Baku and Ganja", now=T[6])
    team.ok("ana", "approve", three, now=T[8])  # cara's edit and ana's approval of three
    team.new("ben", "Statement on the exercise", "The exercise ended.", T[6])
    team.new("cara", "Statement on the exercise", "The exercise is over.", T[7])
    before = {who: histories(team, who) for who in team.clones}

    results = _sync_at_once(team, T[9])
    assert all(r.returncode == 0 for r in results), "\n\n".join(r.stderr for r in results)
    for who in team.clones:  # a second round brings everyone to the last pushed state
        team.ok(who, "sync", now=T[10])

    final = release_files(team.clones["ana"])
    for who in ("ben", "cara"):
        assert release_files(team.clones[who]) == final
        assert team.head(who) == team.head("ana")
    assert not any("<<<<<<<" in text or "merge_conflicts" in text for text in final.values())
    ids = [Path(name).stem for name in final]
    assert len(ids) == len(set(ids)) == 6  # three, a translation, two statements
    merged = histories(team, "ana")
    for who, seen in before.items():
        for created, steps in seen.items():
            assert steps <= merged[created], (who, created)
    for who in team.clones:
        checked = team.prcli(who, "validate")
        assert checked.exit_code == 0, checked
    status = {
        Path(name).stem: text.split('status: "')[1].split('"')[0] for name, text in final.items()
    }
    assert status[one] == "review"  # approved text was changed: approve again
    assert status[two] == "published"
    assert status[three] == "review"


def test_dry_run_lists_what_would_be_committed_and_commits_nothing(team: Team) -> None:
    path = team.new("ana", "Not yet", "Draft.", now=T[0])
    head = team.head("ana")
    result = team.ok("ana", "sync", "--dry-run")
    assert result.stdout.strip() == path
    assert team.head("ana") == head


def test_many_new_releases_at_once_are_one_commit(team: Team) -> None:
    from prcli.gitsync.commits import commit_written
    from prcli.repository import Repository, render

    from .helpers import make_release

    repository = Repository.open(team.clones["ana"])
    paths = []
    for number in range(25):
        release = make_release(id=f"2021-10-15-imported-{number}", title=f"Imported {number}")
        path = repository.path_for(release)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(release, "yaml"))
        paths.append(path)
    assert commit_written(repository.root, paths) == ["prcli: new 25 releases"]
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""


def test_a_translation_is_one_commit_with_its_source(team: Team) -> None:
    stem = Path(team.new("ana", "Flood warning", "Rivers rise.", now=T[0])).stem
    team.ok("ana", "sync", now=T[1])
    team.ok("ana", "translate", stem, "--language", "az", now=T[2])
    result = team.ok("ana", "sync", now=T[3])
    assert result.stderr.count("committed:") == 1
    assert log(team, "ana")[0] == (f"prcli: translate {stem} into az: {stem[:10]}-az-{stem[11:]}")
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""


def _attach(team: Team, who: str, stem: str, name: str, now: str) -> str:
    from .media_helpers import write_picture

    source = write_picture(team.root / f"{who}-{name}")
    result = team.ok(
        who, "attach", stem, str(source), "--caption", "c", "--alt", "a", "--credit", "k", now=now
    )
    return result.stdout.strip()


def test_sync_commits_attached_files_with_their_release(team: Team) -> None:
    stem = Path(team.new("ana", "Chiefs meet", "The chiefs met.", now=T[0])).stem
    stored = _attach(team, "ana", stem, "meeting.jpg", now=T[1])
    assert stored.startswith("media/2026/")
    dry = team.ok("ana", "sync", "--dry-run")
    assert dry.stdout.split() == [f"releases/2026/{stem}.md", stored]
    assert "1 attached file(s)" in dry.stderr
    team.ok("ana", "sync", now=T[2])
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""
    shown = git(team.clones["ana"], "show", "--name-only", "--format=%s", "HEAD").stdout.split()
    assert stored in shown and f"releases/2026/{stem}.md" in shown
    team.ok("ben", "sync", now=T[3])
    assert (team.clones["ben"] / stored).is_file()
    assert team.prcli("ben", "validate").exit_code == 0
    # Detached and deleted: the deletion travels with the release.
    team.ok("ana", "detach", stem, "1", now=T[4])
    team.ok("ana", "sync", now=T[5])
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""
    team.ok("ben", "sync", now=T[6])
    assert not (team.clones["ben"] / stored).exists()


def test_sync_commits_an_attached_file_an_earlier_sync_left_out(team: Team) -> None:
    stem = Path(team.new("ana", "Chiefs meet", "The chiefs met.", now=T[0])).stem
    stored = _attach(team, "ana", stem, "meeting.jpg", now=T[1])
    git(team.clones["ana"], "add", f"releases/2026/{stem}.md")
    git(team.clones["ana"], "commit", "-qm", "only the release")
    assert team.ok("ana", "sync", "--dry-run").stdout.split() == [stored]
    result = team.ok("ana", "sync", now=T[2])
    assert f"committed: prcli: attached file of {stem}" in result.stderr
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""


def test_autocommit_commits_attached_files(team: Team) -> None:
    config = team.clones["ana"] / "prcli.toml"
    config.write_text(config.read_text() + "\n[git]\nautocommit = true\n")
    git(team.clones["ana"], "commit", "-qam", "autocommit on")
    stem = Path(team.new("ana", "Flood warning", "Rivers rise.", now=T[0])).stem
    stored = _attach(team, "ana", stem, "river.jpg", now=T[1])
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""
    shown = git(team.clones["ana"], "show", "--name-only", "--format=%s", "HEAD").stdout
    assert stored in shown.split()
    team.ok("ana", "detach", stem, "1", now=T[2])
    assert git(team.clones["ana"], "status", "--porcelain").stdout == ""
    assert git(team.clones["ana"], "ls-files", stored).stdout == ""


def test_dry_run_without_a_remote_refuses_as_sync_does(team: Team) -> None:
    team.new("ana", "Not yet", "Draft.", now=T[0])
    git(team.clones["ana"], "remote", "remove", "origin")
    result = team.prcli("ana", "sync", "--dry-run")
    assert result.exit_code == team.prcli("ana", "sync").exit_code == 1
    assert "no remote to sync with" in result.stderr and "git remote add origin" in result.stderr
    assert result.stdout == ""
