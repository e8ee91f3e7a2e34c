"""Attachments and media advisories in IPTC ninjs (written in 2.x spelling; the ninjs exporter
renames keys for 3.x).

Each attachment is an association: `type` picture / audio / video / component, the caption and
alt text as descriptions, the credit as `by`, the licence as `usageterms`, and `renditions`:
`original`, and for pictures `web` and `thumbnail`, each with href, media type, size in bytes and,
for pictures, width and height. The event of a media advisory becomes 3.x `eventDetails` (dates
and organiser) with its place in `places` (2.x has no place for event dates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prcli.exporters.htmlsafe import clean_text

if TYPE_CHECKING:
    from prcli.exporters.base import ExportItem, ExportOptions
    from prcli.media.library import MediaFile

NINJS_TYPES = {"image": "picture", "audio": "audio", "video": "video", "document": "component"}


def media_url(options: ExportOptions, relative: str) -> str:
    """The public address of a file an export puts under media/ (relative without a base URL)."""
    if options.base_url:
        return f"{options.base_url.rstrip('/')}/releases/{relative}"
    return relative


def association(file: MediaFile, number: int, options: ExportOptions) -> dict[str, Any]:
    a = file.attachment
    kind = NINJS_TYPES.get(file.kind, "component")
    original: dict[str, Any] = {
        "name": "original",
        "href": media_url(options, file.export_path),
        "contenttype": file.media_type,
        "sizeinbytes": file.size,
    }
    if file.dimensions:
        original["width"], original["height"] = file.dimensions
    renditions = [original]
    for rendition in file.renditions:
        renditions.append(
            {
                "name": rendition.variant,
                "href": media_url(options, file.rendition_path(rendition)),
                "contenttype": rendition.media_type,
                "sizeinbytes": len(rendition.data),
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    doc: dict[str, Any] = {
        "name": f"{kind}{number}",
        "uri": media_url(options, file.export_path)
        if options.base_url
        else f"urn:prcli:media:{file.digest[:32]}",
        "type": kind,
    }
    descriptions = []
    if a.caption:
        descriptions.append({"role": "caption", "value": clean_text(a.caption)})
    if a.alt:
        descriptions.append({"role": "alt", "value": clean_text(a.alt)})
    if descriptions:
        doc["descriptions"] = descriptions
    if a.credit:
        doc["by"] = clean_text(a.credit)
    if a.licence:
        doc["usageterms"] = clean_text(a.licence)
    if a.language:
        doc["language"] = a.language
    doc["renditions"] = renditions
    return doc


def associations(item: ExportItem, options: ExportOptions) -> list[dict[str, Any]]:
    from prcli.media.exports import page_media

    counters: dict[str, int] = {}
    result = []
    for file in page_media(item, options):
        kind = NINJS_TYPES.get(file.kind, "component")
        counters[kind] = counters.get(kind, 0) + 1
        result.append(association(file, counters[kind], options))
    return result


def event_details(item: ExportItem, options: ExportOptions) -> dict[str, Any] | None:
    """ninjs 3.x eventDetails for a media advisory (None without an event)."""
    release = item.release
    event = release.event
    if event is None:
        return None
    dates: dict[str, Any] = {"startDate": event.start.isoformat()}
    if event.end is not None:
        dates["endDate"] = event.end.isoformat()
    details: dict[str, Any] = {"dates": dates}
    organiser = release.issuer or options.settings.default_issuer
    if organiser:
        details["organiser"] = {"name": clean_text(organiser)}
    return details


def event_place(item: ExportItem) -> dict[str, Any] | None:
    event = item.release.event
    if event is None or not event.place:
        return None
    place: dict[str, Any] = {"name": clean_text(event.place), "rel": "eventlocation"}
    contact = event.accreditation
    if contact is not None:
        info = [
            {"type": kind, "value": clean_text(value), "role": "accreditation"}
            for kind, value in (("email", contact.email), ("phone", contact.phone))
            if value
        ]
        if info:
            place["contactinfo"] = info
    return place
