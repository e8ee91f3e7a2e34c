"""What wire copy and e-mail say about a release: the parts both build from, and its version.

The version is a fingerprint of what a journalist reads (headline, texts, dateline, embargo). A
change of status or of history alone is not a new version; a correction to the text is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from prcli.config import Config
from prcli.distribution.labels import long_date, long_moment
from prcli.model import Contact, Release
from prcli.publication import under_embargo


@dataclass(frozen=True, slots=True)
class Copy:
    release: Release
    issuer: str
    boilerplate: str
    contacts: tuple[Contact, ...]
    embargoed: bool  # the embargo is still running at the time of the copy
    page_url: str  # the public page ('' without a base URL)
    # From prcli.notices, in the release's language: "Updated <date>: <note>" of the newest
    # correction, and the retraction heading and line of a retracted release ('' when none).
    updated_notice: str = ""
    retraction_heading: str = ""
    retraction_notice: str = ""
    updates: tuple[str, ...] = ()  # every "Updated <date>: <note>", oldest first
    # The release language's prcli.l10n.Localiser (labels, dates, issuer of the newsroom site).
    localiser: Any = None

    @property
    def retracted(self) -> bool:
        return bool(self.retraction_notice)

    @property
    def language(self) -> str:
        return self.release.language

    def release_line(self) -> str:
        if self.embargoed and self.release.embargo_until is not None:
            return self.label(
                "release_embargoed",
                time=long_moment(self.release.embargo_until, self.language),
            )
        return self.label("release_immediate")

    def embargo_notice(self) -> str:
        assert self.release.embargo_until is not None
        return self.label(
            "embargo_notice",
            time=long_moment(self.release.embargo_until, self.language),
        )

    def embargo_notice_subject(self) -> str:
        assert self.release.embargo_until is not None
        return self.label(
            "embargo_subject",
            time=long_moment(self.release.embargo_until, self.language),
        )

    def label(self, key: str, **values: str) -> str:
        """A label of the release's language from prcli.l10n (the newsroom site's label files)."""
        if self.localiser is not None:
            return str(self.localiser.label(key, **values))
        return key

    def dateline(self) -> str:
        """'BAKU, 15 October 2021 —' in the release's language (the place in capitals)."""
        day = (
            str(self.localiser.date(self.release.date))
            if self.localiser is not None
            else long_date(self.release.date, self.language)
        )
        place = self.release.dateline.strip()
        if not place:
            return f"{day} —"
        return f"{upper(place, self.language)}, {day} —"

    def retraction_line(self) -> str:
        """'Retracted on 20 November 2026: <reason>' ('' unless the release is retracted)."""
        return self.retraction_notice

    def updated_line(self) -> str:
        return self.updated_notice


def upper(text: str, language: str) -> str:
    """Capitals as the language writes them: Azerbaijani and Turkish i -> İ."""
    if language.split("-")[0] in ("az", "tr"):
        text = text.replace("i", "İ")
    return text.upper()


def version(release: Release) -> int:
    """The public version: 1 at publication, +1 per correction (change note). A minor edit (a typo
    fixed with `prcli edit --minor`) is not a new version and is never sent again."""
    from prcli.publication import change_notes

    return 1 + len(change_notes(release))


def page_url(base_url: str, release_id: str) -> str:
    if not base_url:
        return ""
    return f"{base_url.rstrip('/')}/releases/{release_id}.html"


def make_copy(release: Release, settings: Config, now: dt.datetime, base_url: str = "") -> Copy:
    from prcli.notices import notices
    from prcli.publication import public_state

    said = notices(public_state(release, now), release.language)
    localiser = localiser_for(settings, release.language)
    return Copy(
        release=release,
        issuer=release.issuer or localiser.issuer or settings.default_issuer,
        boilerplate=settings.boilerplate.get(release.language, ""),
        contacts=release.contacts or settings.contacts,
        embargoed=under_embargo(release, now),
        page_url=page_url(base_url, release.id),
        updated_notice=said.updates[-1] if said.updates else "",
        retraction_heading=said.retracted_heading,
        retraction_notice=said.retracted_line,
        updates=said.updates,
        localiser=localiser,
    )


def localiser_for(settings: Config, language: str) -> Any:
    """The newsroom site's localiser of `language` (labels, CLDR dates, translated issuer)."""
    from prcli import l10n

    return l10n.localiser(settings, language)


def contact_lines(contacts: tuple[Contact, ...]) -> list[str]:
    lines = []
    for contact in contacts:
        parts = (contact.name, contact.role, contact.email, contact.phone)
        lines.append(", ".join(" ".join(part.split()) for part in parts if part.strip()))
    return lines
