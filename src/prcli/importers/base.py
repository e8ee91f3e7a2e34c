"""What an importer produces: candidate releases, before ids and duplicates are settled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from prcli.config import Config
from prcli.errors import PrcliError
from prcli.model import Release, Status


class ImportError_(PrcliError):
    """One input that cannot become a release; the message says why."""


@dataclass(frozen=True, slots=True)
class ImportContext:
    settings: Config
    now: datetime
    status: Status | None = None  # --status: overrides what the source says
    actor: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A release read from a source. `release.id` may be empty: the importer makes one."""

    release: Release
    source_id: str = (
        ""  # the id the source gave it (ninjs uri, a record's id): matched on re-import
    )
    notes: tuple[str, ...] = field(default_factory=tuple)
    keep_id: bool = False  # prcli's own records keep their id


class Importer(Protocol):
    name: str

    def read(self, text: str, context: ImportContext) -> list[Candidate]: ...
