"""What the rules may look at besides the release itself: the other releases, as small summaries.

Validation reads a repository in two passes (see engine.py): the metadata of every release first,
kept only as a `Peer` each (no texts), then each release with its body, checked and let go. The
rules that compare releases with each other (unique ids and titles, related ids, translation
groups) look at the peers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from prcli.config import Config
from prcli.model import Attachment, Release, Status
from prcli.releasefile import Entry
from prcli.repository import Repository
from prcli.text import fold


@dataclass(frozen=True, slots=True)
class Peer:
    """What the rules need to know of every other release."""

    path: Path
    id: str
    language: str
    date: date
    category: str
    status: Status
    embargo_until: datetime | None
    text_changed: datetime | None  # when its text last changed (see `text_changed`)

    @classmethod
    def of(cls, entry: Entry) -> Peer:
        release = entry.release
        return cls(
            entry.path,
            release.id,
            release.language,
            release.date,
            release.category,
            release.status,
            release.embargo_until,
            text_changed(release),
        )


def text_changed(release: Release) -> datetime | None:
    """When the text last changed: `updated`, unless that was a workflow move (submit, approve,
    publish, archive, retract change the status, not the words); then the last recorded edit."""
    from prcli.model import EntryKind

    moves = {step.at for step in release.history if step.kind == EntryKind.MOVE}
    if release.updated and release.updated not in moves:
        return release.updated
    edits = [step.at for step in release.history if step.kind != EntryKind.MOVE]
    return max([*edits, *([release.created] if release.created else [])], default=None)


def title_key(release: Release) -> tuple[str, str]:
    """Titles that count as the same within a language (PR311)."""
    return release.language, " ".join(fold(release.title).split())


@dataclass
class Context:
    repository: Repository
    settings: Config
    now: datetime
    by_id: dict[str, list[Peer]] = field(default_factory=dict)
    translation_groups: dict[str, list[Peer]] = field(default_factory=dict)
    titles: dict[tuple[str, str], list[Peer]] = field(default_factory=dict)
    # (folder of the release file, attachment) of every attachment, for PR401.
    attachments: list[tuple[Path, Attachment]] = field(default_factory=list)

    @classmethod
    def build(cls, repository: Repository, entries: Iterable[Entry], now: datetime) -> Context:
        context = cls(repository, repository.config, now)
        for entry in entries:
            context.add(entry)
        return context

    def add(self, entry: Entry) -> None:
        """Take note of one release (its body is not needed, nor kept)."""
        release = entry.release
        peer = Peer.of(entry)
        self.by_id.setdefault(release.id, []).append(peer)
        if release.translation_key:
            self.translation_groups.setdefault(release.translation_key, []).append(peer)
        self.titles.setdefault(title_key(release), []).append(peer)
        folder = entry.path.parent
        self.attachments.extend((folder, attachment) for attachment in release.attachments)


__all__ = ["Context", "Peer", "text_changed", "title_key"]
