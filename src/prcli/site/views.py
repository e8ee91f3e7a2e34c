"""What templates see of a release: plain values, localised, with hrefs made only from checked ids."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from prcli.exporters.base import (
    ExportItem,
    ExportOptions,
    published_at,
    updated_at,
    url_segment,
)
from prcli.exporters.htmlsafe import clean_text
from prcli.l10n import Localisation
from prcli.model import Release, Status
from prcli.notices import notices, words
from prcli.publication import PublicState, public_state


def file_stamp(item: ExportItem, scanned: Mapping[str, tuple[int, int, int, int]] = {}) -> str:
    """What a release's pages are made from, cheaply: its file's signature as the index cache
    takes it (size, modification and change times, inode: `prcli.cache.signature`): a file the
    index reads again is rendered again, even one edited back to the same size and time. The
    signature the scan found (`scanned`, by path: the one the release was read at) when there is
    one, else the file's now; the whole release when there is no file."""
    path = str(item.entry.path)
    found = scanned.get(path)
    if found is None:
        try:
            info = os.stat(path)
        except OSError:
            return repr(item.release)
        found = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return f"{found[0]}:{found[1]}:{found[2]}:{found[3]}:{path}"


def release_path(release_id: str) -> str:
    """The page of a release, relative to the site root. Ids are checked when read (prcli.ids);
    the id is percent-encoded all the same, so no id can add a scheme, a folder or a query."""
    return f"releases/{url_segment(release_id)}.html"


@dataclass(slots=True)
class Summary:
    """A release as a line in a list: the same object on the index, archive and category pages."""

    id: str
    href: str
    title: str
    language: str
    date: date
    date_text: str
    category: str
    category_key: str
    summary: str
    retracted: bool
    mark: str  # "[Retracted]" in the release's language, "" when live
    key: str = field(default="")


def summary(
    release: Release, l10n: Localisation, now: datetime, state: PublicState | None = None
) -> Summary:
    """The line of a release in lists; `state`: its `public_state` at `now`, when known."""
    t = l10n[release.language]
    # Only a retracted release has a mark (public_state gives a retraction notice to no other):
    # `notices(...).mark`, without the dates of its notices.
    mark = ""
    if (
        release.status is Status.RETRACTED
        and (state or public_state(release, now)).retraction is not None
    ):
        mark = words(release.language)["retracted_mark"]
    return Summary(
        id=release.id,
        href=release_path(release.id),
        title=clean_text(release.title),
        language=release.language,
        date=release.date,
        date_text=t.date(release.date),
        category=clean_text(l10n.category(release.language, release.category)),
        category_key=release.category,
        summary=clean_text(release.summary),
        retracted=release.status is Status.RETRACTED,
        mark=mark,
        key=_line_key(release, mark),
    )


def _line_key(release: Release, mark: str) -> str:
    """A digest of what a list line shows, before localisation (the site's global key covers
    that): short and plain, so the keys of the pages that list hundreds of releases are cheap to
    make (repr of the texts themselves, in Cyrillic or Azerbaijani, cost a tenth of a re-export)."""
    fields = (
        release.id,
        release.title,
        release.date.isoformat(),
        release.category,
        release.summary,
        release.status.value,
        release.language,
        mark,
    )
    # The lengths first: the fields cannot run into each other, whatever they hold.
    text = f"{','.join([str(len(field)) for field in fields])}|{''.join(fields)}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def json_ld(
    item: ExportItem,
    options: ExportOptions,
    l10n: Localisation,
    base: str,
    others: list[Release],
) -> str:
    """schema.org NewsArticle for a release page, safe inside <script>."""
    release = item.release
    t = l10n[release.language]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clean_text(release.title),
        "inLanguage": release.language,
        "datePublished": published_at(release, options).isoformat(),
        "dateModified": updated_at(release, options).isoformat(),
        "author": {"@type": "Organization", "name": clean_text(release.issuer or t.issuer)},
        "publisher": {"@type": "Organization", "name": clean_text(t.organisation)},
        "identifier": options.uri(release.id),
    }
    if base:
        data["url"] = f"{base}/{release_path(release.id)}"
        data["publisher"]["url"] = f"{base}/"
        data["mainEntityOfPage"] = data["url"]
    if release.dateline:
        data["dateline"] = clean_text(release.dateline)
    if release.summary:
        data["description"] = clean_text(release.summary)
    if release.category:
        data["articleSection"] = clean_text(l10n.category(release.language, release.category))
    if release.tags:
        data["keywords"] = [clean_text(tag) for tag in release.tags]
    state = public_state(release, options.now)
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": clean_text(n.note),
            "datePublished": n.at.isoformat(),
        }
        for n in state.notes
    ]
    if state.retraction is not None:
        data["creativeWorkStatus"] = "Retracted"
        withdrawn: dict[str, Any] = {
            "@type": "CorrectionComment",
            "text": clean_text(notices(state, release.language).retracted_line),
        }
        if state.retraction.at is not None:
            withdrawn["datePublished"] = state.retraction.at.isoformat()
        corrections.append(withdrawn)
    if corrections:
        data["correction"] = corrections
    if others and base:
        data["workTranslation"] = [
            {
                "@type": "NewsArticle",
                "inLanguage": r.language,
                "url": f"{base}/{release_path(r.id)}",
            }
            for r in others
        ]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def iso(moment: datetime) -> str:
    return moment.isoformat()
