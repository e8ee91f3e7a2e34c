"""prcli rename: a new id and file name, references updated, nothing overwritten; and the
duplicate-id finding that names it."""

from __future__ import annotations

import json
from datetime import date

from prcli.model import Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release, write_text_release


def test_rename_moves_the_file_and_updates_references(repository: Repository, run: Run) -> None:
    old = write_release(repository, make_release(status=Status.DRAFT))
    pointing = write_release(
        repository,
        make_release(
            id="2021-10-16-follow-up",
            title="Follow-up",
            date=date(2021, 10, 16),
            related=("2021-10-15-cis-security-chiefs-meet-in-moscow",),
        ),
    )
    result = run("rename", "2021-10-15-cis", "2021-10-15-cis-chiefs-in-moscow")
    assert result.exit_code == 0, result
    assert result.stdout.strip().endswith("releases/2021/2021-10-15-cis-chiefs-in-moscow.md")
    assert not old.exists()
    renamed = repository.read(old.with_name("2021-10-15-cis-chiefs-in-moscow.md")).release
    assert renamed.id == "2021-10-15-cis-chiefs-in-moscow" and renamed.title.startswith("CIS")
    assert repository.read(pointing).release.related == ("2021-10-15-cis-chiefs-in-moscow",)


def test_rename_refuses_a_taken_id_a_bad_id_and_a_published_release(
    repository: Repository, run: Run
) -> None:
    write_release(repository, make_release(status=Status.DRAFT))
    other = write_release(
        repository, make_release(id="2021-10-15-other", title="Other", status=Status.DRAFT)
    )
    before = other.read_bytes()
    taken = run("rename", "2021-10-15-other", "2021-10-15-cis-security-chiefs-meet-in-moscow")
    assert taken.exit_code == 1 and "is taken" in taken.stderr
    assert other.read_bytes() == before
    bad = run("rename", "2021-10-15-other", "Not An Id")
    assert bad.exit_code == 2 and "not a release id" in bad.stderr
    published = write_release(
        repository, make_release(id="2021-10-15-out", title="Out", status=Status.PUBLISHED)
    )
    refused = run("rename", "2021-10-15-out", "2021-10-15-out-again")
    assert refused.exit_code == 1 and "public address" in refused.stderr and published.exists()


def test_duplicate_id_names_the_rename_command_which_fixes_it(
    repository: Repository, run: Run
) -> None:
    first = write_release(repository, make_release(status=Status.DRAFT))
    copy = write_text_release(
        repository, "2021-10-15-cis-copy.md", first.read_text(encoding="utf-8")
    )
    findings = json.loads(run("validate", "--format", "json").stdout)
    duplicate = [f for f in findings if f["code"] == "PR006"]
    assert duplicate and "prcli rename" in duplicate[0]["hint"]
    result = run("rename", str(copy))
    assert result.exit_code == 0, result
    assert run("validate").exit_code == 0
    assert len(list(repository.releases_dir.rglob("*.md"))) == 2
