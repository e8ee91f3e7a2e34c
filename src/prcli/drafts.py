"""New drafts: a release started from a few fields (`prcli new`) and a language version of an
existing release (`prcli translate`). The command line parses arguments and prints; what a new
draft holds is decided here, once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from prcli.fileformat import normalize_body
from prcli.ids import ID_PATTERN, make_id
from prcli.model import HistoryEntry, Release, Status
from prcli.text import one_line

TRANSLATION_MARKER = "TODO: translate from {language} ({source}), then remove this line."


@dataclass(frozen=True, slots=True)
class Author:
    """Who starts the draft, when, and how the time was known ("pinned" for --now/PRCLI_NOW)."""

    name: str
    now: datetime
    clock: str = ""


def new_draft(
    *,
    title: str,
    category: str,
    language: str,
    day: date,
    issuer: str,
    author: Author,
    subtitle: str = "",
    summary: str = "",
    tags: Iterable[str] = (),
    body: str = "",
    slug: str | None = None,
) -> Release:
    """A draft with one history step ("created"): single-line title, subtitle and tags (blank and
    repeated tags dropped, first spelling kept), the body's line ends normalised, an id from the
    date and title (or `slug`)."""
    title = one_line(title)
    return Release(
        id=make_id(day, title, slug),
        title=title,
        subtitle=one_line(subtitle),
        summary=summary.strip(),
        status=Status.DRAFT,
        category=category,
        language=language,
        date=day,
        issuer=issuer,
        tags=tuple(dict.fromkeys(one_line(t) for t in tags if t.strip())),
        created=author.now,
        updated=author.now,
        history=(_created(author, "created"),),
        body=normalize_body(body),
    )


def follow_edit(template: Release, edited: Release, slug: str | None = None) -> Release:
    """A new draft after its first edit: when the id is still the one made from the template's
    title and date and either changed, the id follows the title and date the user settled on."""
    if edited.id == template.id and (edited.title, edited.date) != (template.title, template.date):
        return edited.replace(id=make_id(edited.date, edited.title, slug))
    return edited


def translation_key(source: Release) -> str:
    """The key that links every language version of `source`: its own, else its id (the source
    then joins the group under that key)."""
    return source.translation_key or source.id


def translation_id(source_id: str, language: str) -> str:
    """'2026-11-26-new-warning' -> '2026-11-26-ru-new-warning': the source's own prefixes stay
    unique (a suffix would make every prefix of the source match its translations too)."""
    tag = language.lower().replace("_", "-")
    if ID_PATTERN.fullmatch(source_id):
        return f"{source_id[:10]}-{tag}-{source_id[11:]}"
    return f"{source_id}-{tag}"


def translation_draft(source: Release, *, language: str, issuer: str, author: Author) -> Release:
    """A draft in `language` linked to `source` (same translation key, `translation_of`), with the
    source's metadata and its text under a TODO marker, title prefixed "TODO translate:" (PR307
    keeps it from review until translated)."""
    marker = TRANSLATION_MARKER.format(language=source.language, source=source.id)
    return Release(
        id=translation_id(source.id, language),
        title=f"TODO translate: {source.title}",
        subtitle=source.subtitle,
        summary=source.summary,
        status=Status.DRAFT,
        category=source.category,
        language=language,
        date=source.date,
        embargo_until=source.embargo_until,
        expires=source.expires,
        event_date=source.event_date,
        dateline=source.dateline,
        event=source.event,
        issuer=issuer,
        tags=source.tags,
        people=source.people,
        organisations=source.organisations,
        places=source.places,
        contacts=source.contacts,
        related=source.related,
        translation_key=translation_key(source),
        translation_of=source.id,
        attachments=source.attachments,
        created=author.now,
        updated=author.now,
        history=(_created(author, f"translation of {source.id}"),),
        body=f"{marker}\n\n{source.body}".rstrip("\n"),
    )


def _created(author: Author, note: str) -> HistoryEntry:
    return HistoryEntry(Status.DRAFT, author.now, author.name, note, clock=author.clock)
