"""What the rules may look at besides the release itself: the whole repository, indexed once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from prcli.config import Config
from prcli.releasefile import Entry
from prcli.repository import Repository
from prcli.text import fold


@dataclass
class Context:
    repository: Repository
    settings: Config
    entries: list[Entry]
    now: datetime
    by_id: dict[str, list[Entry]] = field(default_factory=dict)
    translation_groups: dict[str, list[Entry]] = field(default_factory=dict)
    titles: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)

    @classmethod
    def build(cls, repository: Repository, entries: list[Entry], now: datetime) -> Context:
        by_id: dict[str, list[Entry]] = defaultdict(list)
        groups: dict[str, list[Entry]] = defaultdict(list)
        titles: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in entries:
            release = entry.release
            by_id[release.id].append(entry)
            if release.translation_key:
                groups[release.translation_key].append(entry)
            titles[(release.language, " ".join(fold(release.title).split()))].append(entry)
        return cls(
            repository, repository.config, entries, now, dict(by_id), dict(groups), dict(titles)
        )
