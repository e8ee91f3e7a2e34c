"""atom and rss: a feed of the selected releases, newest first, byte-identical for the same input.

Every time comes from the releases (never the clock), ids are the releases' URIs, and text is
stripped of what XML cannot carry. Written with ElementTree, which escapes every value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

from prcli.exporters.base import ExportItem, ExportOptions, published_at, updated_at
from prcli.exporters.htmlsafe import clean_text, markdown_to_html

if TYPE_CHECKING:
    from prcli.media.library import MediaFile
    from prcli.notices import Notices

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"


def _feed_title(options: ExportOptions) -> str:
    if options.feed_title:
        return clean_text(options.feed_title)
    organisation = options.settings.organisation
    return clean_text(f"{organisation} press releases" if organisation else "Press releases")


def _home(options: ExportOptions) -> str:
    return options.home_url or f"{options.base_url.rstrip('/')}/"


def _told(item: ExportItem, options: ExportOptions) -> Notices:
    from prcli.notices import notices
    from prcli.publication import public_state

    return notices(public_state(item.release, options.now), item.release.language)


def _title(item: ExportItem, told: Notices) -> str:
    title = clean_text(item.release.title)
    return f"{told.mark} {title}" if told.mark else title


def _content(
    item: ExportItem,
    told: Notices,
    options: ExportOptions,
    media: Sequence[MediaFile] = (),
    prefix: str = "",
) -> str:
    """The entry's HTML: the retraction notice and change notes above the original text, and the
    pictures after it."""
    from prcli.media.html import figures

    release = item.release
    parts = []
    if told.retracted_heading:
        parts.append(
            f"<p><strong>{_escape(told.retracted_heading)}</strong></p>\n"
            f"<p>{_escape(told.retracted_line)}</p>\n<p>{_escape(told.original_follows)}</p>\n"
            "<hr>\n"
        )
    for line in told.updates:
        parts.append(f"<p><em>{_escape(line)}</em></p>\n")
    if release.summary:
        parts.append(f"<p><strong>{_escape(release.summary)}</strong></p>\n")
    parts.append(markdown_to_html(release.body))
    if media:  # captions' "Photo:" and the downloads heading in the release's language
        from prcli.distribution.content import localiser_for

        label = localiser_for(options.settings, release.language).label
        parts.append(figures(media, prefix, label))
    return "".join(parts)


def _media(item: ExportItem, options: ExportOptions) -> tuple[list[MediaFile], str]:
    """The attachments an entry carries, and the prefix that makes their addresses absolute."""
    from prcli.media.exports import page_media
    from prcli.media.ninjs import media_url

    return page_media(item, options), media_url(options, "")


def _escape(text: str) -> str:
    from html import escape

    return escape(clean_text(text))


def _latest(items: Sequence[ExportItem], options: ExportOptions) -> datetime | None:
    return max((updated_at(item.release, options) for item in items), default=None)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _serialise(root: ET.Element) -> str:
    from prcli.xmlout import serialise

    return serialise(root)


class _Atom:
    name = "atom"
    extension = ".xml"
    public = True
    stream = True
    folder = False

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        ET.register_namespace("", ATOM)
        feed = ET.Element(f"{{{ATOM}}}feed")
        if options.feed_language:
            feed.set(f"{{{XML}}}lang", options.feed_language)
        _sub(feed, f"{{{ATOM}}}title", _feed_title(options))
        _sub(
            feed,
            f"{{{ATOM}}}id",
            _home(options)
            if options.base_url
            else f"urn:prcli:feed:{options.feed_language}"
            if options.feed_language
            else "urn:prcli:feed",
        )
        latest = _latest(items, options)
        # From the releases, never the clock: the same releases give the same bytes.
        _sub(
            feed,
            f"{{{ATOM}}}updated",
            latest.isoformat() if latest else "1970-01-01T00:00:00+00:00",
        )
        if options.base_url:
            _sub(feed, f"{{{ATOM}}}link", rel="alternate", href=_home(options))
        if options.feed_url:
            _sub(feed, f"{{{ATOM}}}link", rel="self", href=options.feed_url)
        author = _sub(feed, f"{{{ATOM}}}author")
        _sub(author, f"{{{ATOM}}}name", clean_text(options.settings.default_issuer or "prcli"))
        for item in items:
            release = item.release
            told = _told(item, options)
            entry = _sub(feed, f"{{{ATOM}}}entry")
            _sub(entry, f"{{{ATOM}}}title", _title(item, told))
            _sub(entry, f"{{{ATOM}}}id", options.uri(release.id))
            _sub(entry, f"{{{ATOM}}}updated", updated_at(release, options).isoformat())
            _sub(entry, f"{{{ATOM}}}published", published_at(release, options).isoformat())
            if options.base_url:
                _sub(
                    entry,
                    f"{{{ATOM}}}link",
                    rel="alternate",
                    href=options.page_url(release.id),
                    hreflang=release.language,
                )
            if release.issuer:
                entry_author = _sub(entry, f"{{{ATOM}}}author")
                _sub(entry_author, f"{{{ATOM}}}name", clean_text(release.issuer))
            if release.category:
                _sub(entry, f"{{{ATOM}}}category", term=clean_text(release.category))
            if told.retracted_line:
                _sub(entry, f"{{{ATOM}}}summary", clean_text(told.retracted_line))
            elif release.summary:
                _sub(entry, f"{{{ATOM}}}summary", clean_text(release.summary))
            media, prefix = _media(item, options)
            _sub(
                entry,
                f"{{{ATOM}}}content",
                _content(item, told, options, media, prefix),
                type="html",
            )
            if media:
                from prcli.media.feeds import atom_links

                atom_links(entry, media, options)
        out.write(_serialise(feed))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("atom is a single stream")


class _Rss:
    name = "rss"
    extension = ".xml"
    public = True
    stream = True
    folder = False

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        rss = ET.Element("rss", {"version": "2.0"})
        channel = _sub(rss, "channel")
        _sub(channel, "title", _feed_title(options))
        _sub(channel, "link", _home(options) if options.base_url else "")
        if options.feed_url:
            ET.register_namespace("atom", ATOM)
            _sub(
                channel,
                f"{{{ATOM}}}link",
                href=options.feed_url,
                rel="self",
                type="application/rss+xml",
            )
        _sub(channel, "description", _feed_title(options))
        _sub(channel, "language", options.feed_language or options.settings.default_language)
        latest = _latest(items, options)
        if latest:
            _sub(channel, "lastBuildDate", format_datetime(latest))
        for item in items:
            release = item.release
            told = _told(item, options)
            entry = _sub(channel, "item")
            _sub(entry, "title", _title(item, told))
            if options.base_url:
                _sub(entry, "link", options.page_url(release.id))
            _sub(entry, "guid", options.uri(release.id), isPermaLink="false")
            _sub(entry, "pubDate", format_datetime(published_at(release, options)))
            if release.category:
                _sub(entry, "category", clean_text(release.category))
            media, prefix = _media(item, options)
            _sub(entry, "description", _content(item, told, options, media, prefix))
            if media:
                from prcli.media.feeds import MEDIA_RSS, rss_elements

                ET.register_namespace("media", MEDIA_RSS)
                rss_elements(entry, media, options)
        out.write(_serialise(rss))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("rss is a single stream")


ATOM_EXPORTER = _Atom()
RSS = _Rss()
