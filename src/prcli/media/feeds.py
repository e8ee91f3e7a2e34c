"""Attachments in feeds: Atom enclosure links, RSS 2.0 enclosure and Media RSS elements.

Pictures go out in their web size (the original stays on the page and in the press kit); other
files as they are. Media RSS (`media:content` with `media:description`, `media:credit` and
`media:thumbnail`) carries every attachment, since RSS 2.0 allows one `enclosure` per item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from prcli.exporters.htmlsafe import clean_text
from prcli.media.ninjs import media_url

if TYPE_CHECKING:
    from prcli.exporters.base import ExportOptions
    from prcli.media.library import MediaFile

MEDIA_RSS = "http://search.yahoo.com/mrss/"
ATOM = "http://www.w3.org/2005/Atom"
_MEDIUM = {"image": "image", "audio": "audio", "video": "video", "document": "document"}


def _shared(
    file: MediaFile, options: ExportOptions
) -> tuple[str, str, int, int | None, int | None]:
    """href, media type, length, width and height of what a feed links to."""
    web = file.rendition("web")
    if web is not None:
        return (
            media_url(options, file.rendition_path(web)),
            web.media_type,
            len(web.data),
            web.width,
            web.height,
        )
    return media_url(options, file.export_path), file.media_type, file.size, None, None


def _title(file: MediaFile) -> str:
    a = file.attachment
    text = a.caption or a.alt or file.name
    if a.credit:
        text += f" ({a.credit})"
    return clean_text(text)


def atom_links(entry: ET.Element, files: Sequence[MediaFile], options: ExportOptions) -> None:
    for file in files:
        href, media_type, length, _, _ = _shared(file, options)
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {
                "rel": "enclosure",
                "href": href,
                "type": media_type,
                "length": str(length),
                "title": _title(file),
            },
        )


def rss_elements(item: ET.Element, files: Sequence[MediaFile], options: ExportOptions) -> None:
    if not files:
        return
    href, media_type, length, _, _ = _shared(files[0], options)
    ET.SubElement(item, "enclosure", {"url": href, "length": str(length), "type": media_type})
    for file in files:
        href, media_type, length, width, height = _shared(file, options)
        attributes = {
            "url": href,
            "type": media_type,
            "fileSize": str(length),
            "medium": _MEDIUM.get(file.kind, "document"),
        }
        if width and height:
            attributes["width"], attributes["height"] = str(width), str(height)
        content = ET.SubElement(item, f"{{{MEDIA_RSS}}}content", attributes)
        a = file.attachment
        if a.caption:
            ET.SubElement(content, f"{{{MEDIA_RSS}}}description").text = clean_text(a.caption)
        if a.credit:
            ET.SubElement(content, f"{{{MEDIA_RSS}}}credit").text = clean_text(a.credit)
        if a.alt:
            ET.SubElement(content, f"{{{MEDIA_RSS}}}text").text = clean_text(a.alt)
        thumb = file.rendition("thumbnail")
        if thumb is not None:
            ET.SubElement(
                content,
                f"{{{MEDIA_RSS}}}thumbnail",
                {
                    "url": media_url(options, file.rendition_path(thumb)),
                    "width": str(thumb.width),
                    "height": str(thumb.height),
                },
            )
