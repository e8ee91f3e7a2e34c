"""A press release and its parts as typed, frozen values. No I/O, no Typer, no Rich."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    RETRACTED = "retracted"


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


# What an attachment is; "" (unset) is read as the kind its file name suggests.
ATTACHMENT_KINDS = ("image", "document", "audio", "video")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file published with a release: a photo, a document, a recording.

    `path` is relative to the repository root (`media/2021/meeting-3f2a9c81d0.jpg`, as `prcli attach`
    writes it); older releases may give a path relative to the release file's folder, which is still
    found. `alt` describes an image for readers who cannot see it; `credit` names the author or
    agency; `licence` states the terms of use; `language` is set when the file itself has one.
    """

    path: str
    caption: str = ""
    kind: str = ""
    alt: str = ""
    credit: str = ""
    licence: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """A press conference or other event a media advisory announces: when, where, and whom to ask
    for accreditation."""

    start: dt.datetime
    end: dt.datetime | None = None
    place: str = ""
    accreditation: Contact | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step of the workflow trail: the status reached, when, by whom and why."""

    status: Status
    at: dt.datetime
    by: str = ""
    note: str = ""
    # Set when a rule was overridden for this step (approving one's own release): the reason.
    override: str = ""
    # "" for a move between statuses; "correction" for a public change note on a published
    # release (shown as "Updated <date>: <note>"); "minor" for an edit that needs no public note.
    kind: str = ""
    # "pinned" when `at` came from --now / PRCLI_NOW rather than the system clock.
    clock: str = ""

    def replace(self, **changes: Any) -> HistoryEntry:
        return dataclasses.replace(self, **changes)


class EntryKind(StrEnum):
    MOVE = ""
    CORRECTION = "correction"
    MINOR = "minor"


@dataclass(frozen=True, slots=True)
class Silence:
    """A validation rule switched off for one release, with the reason why."""

    rule: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """One press release. Text fields use "" and lists use () for "not set", never None."""

    id: str
    title: str
    status: Status
    language: str
    date: dt.date
    category: str = ""
    subtitle: str = ""
    summary: str = ""
    embargo_until: dt.datetime | None = None
    publish_at: dt.datetime | None = None
    expires: dt.date | None = None
    event_date: dt.date | None = None
    dateline: str = ""
    event: Event | None = None  # set on media advisories
    issuer: str = ""
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()
    related: tuple[str, ...] = ()
    translation_key: str = ""
    translation_of: str = ""  # id of the release this one was translated from
    attachments: tuple[Attachment, ...] = ()
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    history: tuple[HistoryEntry, ...] = ()
    retraction: str = ""  # the public notice of why a published release was withdrawn
    silence: tuple[Silence, ...] = ()
    # Imported fields prcli has no place for, kept rather than dropped.
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Front-matter keys prcli does not know (typos, other tools' fields): kept so a write loses nothing;
    # `validate` reports them.
    unknown: Mapping[str, Any] = field(default_factory=dict)
    body: str = ""

    def replace(self, **changes: Any) -> Release:
        return dataclasses.replace(self, **changes)

    @property
    def year(self) -> int:
        return self.date.year
