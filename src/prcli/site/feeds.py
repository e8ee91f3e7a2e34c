"""Feeds of one language of the site: Atom and RSS (prcli's feed exporters) and JSON Feed 1.1."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from typing import Any

from prcli.exporters.base import ExportItem, ExportOptions, published_at, updated_at
from prcli.exporters.feeds import ATOM_EXPORTER, RSS
from prcli.exporters.htmlsafe import clean_text, markdown_to_html
from prcli.l10n import Localisation
from prcli.notices import notices
from prcli.publication import public_state
from prcli.site.views import release_path

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _options(
    options: ExportOptions, title: str, language: str, home: str, name: str
) -> ExportOptions:
    """The feed's title, language, home page and own address (`<lang>/<name>` on the site)."""
    base = options.base_url.rstrip("/")
    return dataclasses.replace(
        options,
        feed_title=title,
        feed_language=language,
        home_url=home,
        feed_url=f"{base}/{language}/{name}" if base else "",
    )


def atom(
    items: Sequence[ExportItem], options: ExportOptions, title: str, language: str, home: str
) -> bytes:
    out = io.StringIO()
    ATOM_EXPORTER.write_stream(items, out, _options(options, title, language, home, "feed.xml"))
    return out.getvalue().encode()


def rss(
    items: Sequence[ExportItem], options: ExportOptions, title: str, language: str, home: str
) -> bytes:
    out = io.StringIO()
    RSS.write_stream(items, out, _options(options, title, language, home, "rss.xml"))
    return out.getvalue().encode()


def json_feed(
    items: Sequence[ExportItem],
    options: ExportOptions,
    l10n: Localisation,
    title: str,
    language: str,
    home: str,
    feed_url: str,
    base: str,
) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): required version, title and items with id."""
    t = l10n[language]
    feed: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": clean_text(title)}
    if home:
        feed["home_page_url"] = home
    if feed_url:
        feed["feed_url"] = feed_url
    feed["language"] = language
    feed["authors"] = [{"name": clean_text(t.issuer or t.organisation or "prcli")}]
    entries = []
    for item in items:
        release = item.release
        content = markdown_to_html(release.body)
        told = notices(public_state(release, options.now), release.language)
        if told.retracted_heading:
            content = (
                f"<p><strong>{_escape(told.retracted_heading)}</strong></p>\n"
                f"<p>{_escape(told.retracted_line)}</p>\n<p>{_escape(told.original_follows)}</p>"
                f"\n<hr>\n{content}"
            )
        for line in reversed(told.updates):
            content = f"<p><em>{_escape(line)}</em></p>\n{content}"
        entry: dict[str, Any] = {"id": options.uri(release.id)}
        if base:
            entry["url"] = f"{base}/{release_path(release.id)}"
        entry["title"] = f"{told.mark} {clean_text(release.title)}".strip()
        entry["content_html"] = content
        if release.summary:
            entry["summary"] = clean_text(release.summary)
        entry["date_published"] = published_at(release, options).isoformat()
        entry["date_modified"] = updated_at(release, options).isoformat()
        entry["language"] = release.language
        if release.issuer:
            entry["authors"] = [{"name": clean_text(release.issuer)}]
        tags = [l10n.category(language, release.category)] if release.category else []
        tags += [clean_text(tag) for tag in release.tags]
        if tags:
            entry["tags"] = tags
        entries.append(entry)
    feed["items"] = entries
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode()


def _escape(text: str) -> str:
    from html import escape

    return escape(clean_text(text))
