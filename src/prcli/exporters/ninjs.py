"""ninjs: IPTC News in JSON, 2.x by default (3.x with --ninjs-version 3).

One document per release (a folder of .json files) or a JSON Lines stream. The mapping:

| prcli | ninjs 2.x | ninjs 3.x |
|---|---|---|
| id (with the public address) | uri, altids[prcli-id] | uri, altIds |
| title, subtitle | headlines main, sub | headlines |
| summary | descriptions summary | descriptions |
| body | bodies: text/html (sanitised) and text/markdown | bodies |
| status | pubstatus: usable (published), canceled (retracted), withheld | pubStatus |
| created, updated | firstcreated, versioncreated | firstCreated, versionCreated |
| embargo_until, expires | embargoed, expires | embargoedUntil, expires |
| category | genres | genres |
| tags, people, organisations, places | subjects, people, organisations, places (rel about) | same |
| dateline | located | located |
| issuer | by, infosources | by, infoSources |
| contacts | people with rel contact and contactinfo | people |
| related | associations (name related, uri) | associations |
| translation_key | altids[translation-key] | altIds |
| attachments | associations with renditions (prcli.media.ninjs) | same |
| event | places (rel eventlocation) | eventDetails (dates, organiser), places |
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from html import escape
from typing import Any, TextIO

from prcli.exporters.base import ExportItem, ExportOptions, expires_at, published_at, updated_at
from prcli.exporters.htmlsafe import clean_text, markdown_to_html
from prcli.model import Status

_PUBSTATUS = {Status.PUBLISHED: "usable", Status.ARCHIVED: "usable", Status.RETRACTED: "canceled"}
# ninjs 2.x key -> 3.x key, where they differ
_V3_NAMES = {
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "infosources": "infoSources",
    "altids": "altIds",
    "contenttype": "contentType",
    "contactinfo": "contactInfo",
    "ednote": "edNote",
    "sizeinbytes": "sizeInBytes",
    "usageterms": "usageTerms",
}


def document(item: ExportItem, options: ExportOptions) -> dict[str, Any]:
    from prcli.notices import notices
    from prcli.publication import public_state

    release = item.release
    state = public_state(release, options.now)
    told = notices(state, release.language)
    doc: dict[str, Any] = {
        "uri": options.uri(release.id),
        "type": "text",
        # 1 at publication, +1 per correction and for a retraction (prcli.publication)
        "version": str(state.version),
        "firstcreated": (release.created or published_at(release, options)).isoformat(),
        "versioncreated": updated_at(release, options).isoformat(),
        "pubstatus": _PUBSTATUS.get(release.status, "withheld"),
        "language": release.language,
        "headlines": [{"role": "main", "value": clean_text(release.title)}],
    }
    if release.subtitle:
        doc["headlines"].append({"role": "sub", "value": clean_text(release.subtitle)})
    descriptions = []
    if told.retracted_line:
        descriptions.append({"role": "retraction", "value": clean_text(told.retracted_line)})
        # for the receiving desk: pull the story; the notice is the public text
        doc["ednote"] = clean_text(f"{told.retracted_heading}. {told.retracted_line}")
    descriptions.extend({"role": "correction", "value": clean_text(line)} for line in told.updates)
    if release.summary:
        descriptions.append({"role": "summary", "value": clean_text(release.summary)})
    if descriptions:
        doc["descriptions"] = descriptions
    if release.embargo_until:
        doc["embargoed"] = release.embargo_until.isoformat()
    expires = expires_at(release, options)
    if expires:
        doc["expires"] = expires.isoformat()
    if release.body:
        notice_html = "".join(
            f"<p><strong>{escape(clean_text(line))}</strong></p>\n"
            for line in (told.retracted_heading, told.retracted_line, *told.updates)
            if line
        )
        doc["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": notice_html + markdown_to_html(release.body),
            },
            {"role": "main", "contenttype": "text/markdown", "value": clean_text(release.body)},
        ]
    issuer = release.issuer or options.settings.default_issuer
    if issuer:
        doc["by"] = clean_text(issuer)
        doc["infosources"] = [{"name": clean_text(issuer), "role": "originator"}]
    if release.category:
        doc["genres"] = [{"name": clean_text(release.category)}]
    if release.tags:
        doc["subjects"] = [{"name": clean_text(tag), "rel": "about"} for tag in release.tags]
    people = [{"name": clean_text(name), "rel": "about"} for name in release.people]
    for contact in release.contacts or options.settings.contacts:
        person: dict[str, Any] = {"name": clean_text(contact.name), "rel": "contact"}
        info = [
            {"type": kind, "value": clean_text(value)}
            for kind, value in (("email", contact.email), ("phone", contact.phone))
            if value
        ]
        if info:
            person["contactinfo"] = info
        people.append(person)
    if people:
        doc["people"] = people
    if release.organisations:
        doc["organisations"] = [
            {"name": clean_text(n), "rel": "about"} for n in release.organisations
        ]
    if release.places:
        doc["places"] = [{"name": clean_text(n), "rel": "about"} for n in release.places]
    if release.dateline:
        doc["located"] = clean_text(release.dateline)
    from prcli.media import ninjs as media_ninjs

    place = media_ninjs.event_place(item)
    if place is not None:
        doc.setdefault("places", []).append(place)
    # A public document names only releases that are public themselves (prcli.publication).
    associations = [
        {"name": "related", "uri": options.uri(r)} for r in release.related if options.may_name(r)
    ]
    associations += media_ninjs.associations(item, options)
    if associations:
        doc["associations"] = associations
    altids = [{"role": "prcli-id", "value": release.id}]
    if release.translation_key:
        key = options.group_key(
            release.translation_key, [release.id, *(version.id for version in item.versions)]
        )
        altids.append({"role": "translation-key", "value": clean_text(key)})
    doc["altids"] = altids
    if options.ninjs_version != 3:
        return doc
    converted: dict[str, Any] = _as_version_3(doc)
    details = media_ninjs.event_details(item, options)  # 3.x only: 2.x has no event dates
    if details is not None:
        converted["eventDetails"] = details
    return converted


def _as_version_3(value: Any) -> Any:
    if isinstance(value, dict):
        return {_V3_NAMES.get(key, key): _as_version_3(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_version_3(item) for item in value]
    return value


class _Ninjs:
    name = "ninjs"
    extension = ".json"
    public = True
    stream = True
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        for item in items:
            out.write(json.dumps(document(item, options), ensure_ascii=False) + "\n")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        for item in items:
            text = json.dumps(document(item, options), ensure_ascii=False, indent=2) + "\n"
            yield f"{item.release.id}.json", text.encode("utf-8")


NINJS = _Ninjs()
