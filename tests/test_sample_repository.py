"""The sample repository at the project root is valid, canonical and covers what the brief asks."""

from __future__ import annotations

from collections import Counter

from prcli.model import Status
from prcli.repository import Repository, render

from .conftest import PROJECT_ROOT


def test_sample_repository_reads_cleanly_and_canonically() -> None:
    repository = Repository.open(PROJECT_ROOT)
    loaded = repository.load_all()
    assert loaded.errors == []
    assert 8 <= len(loaded.entries) <= 12
    for entry in loaded.entries:
        assert entry.path.stem == entry.release.id
        assert entry.path.parent.name == str(entry.release.date.year)
        assert entry.path.read_bytes() == render(entry.release, entry.format), entry.path
    releases = [entry.release for entry in loaded.entries]
    assert {"en", "az", "ru"} <= {r.language for r in releases}
    groups = Counter(r.translation_key for r in releases if r.translation_key)
    assert max(groups.values()) >= 3  # one release in English, Azerbaijani and Russian
    assert len({r.status for r in releases}) >= 4
    assert any(r.embargo_until for r in releases if r.status is not Status.PUBLISHED)
    assert {r.category for r in releases} <= set(repository.config.categories)
