"""HTML partials for pictures, downloads and the event of a media advisory.

Kept apart from any page template so every HTML output (the export's pages, the newsroom site,
e-mail) shows attachments the same way: a `<figure>` per picture with the web size and thumbnail in
`srcset`, alt text, a `<figcaption>` with the caption and the credit; documents, audio and video
as a list of downloads; the event as a definition list. Every value is escaped. `prefix` is the
path from the page to the export folder's root ("" for pages at the root). `label` gives the words
(Photo, Downloads, Starts, ...) in the page's language: a `prcli.l10n.Localiser.label`; English
labels when it is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from prcli.exporters.htmlsafe import clean_text
from prcli.media.library import MediaFile
from prcli.model import Release

STYLE = (
    "figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;display:block}"
    "figcaption{color:#444;font-size:.9rem;margin-top:.4rem}figcaption .credit{color:#666}"
    ".downloads li{margin:.2rem 0}.event{border-left:4px solid #2a6;padding:.2rem 1rem}"
)


Label = Callable[[str], str]


def english(key: str) -> str:
    """prcli's English label for `key` (labels/en.toml)."""
    from prcli.l10n import REFERENCE, shipped

    labels = shipped(REFERENCE)
    assert labels is not None, "prcli ships English labels"
    return labels.labels.get(key, key)


def _e(value: str) -> str:
    return escape(clean_text(value), quote=True)


def credit_text(file: MediaFile, label: Label = english) -> str:
    if not file.attachment.credit:
        return ""
    word = label("media_photo" if file.kind == "image" else "media_credit")
    return f"{word}: {file.attachment.credit}"


def figure(
    file: MediaFile, prefix: str = "", src: str | None = None, label: Label = english
) -> str:
    """One picture. `src` replaces the image address (e-mail uses cid: references)."""
    a = file.attachment
    web = file.rendition("web")
    thumb = file.rendition("thumbnail")
    shown = web or thumb
    if shown is None:
        return ""
    image_src = src or f"{prefix}{file.rendition_path(shown)}"
    attributes = [f'src="{_e(image_src)}"']
    if src is None and web is not None and thumb is not None:
        srcset = ", ".join(
            f"{_e(prefix + file.rendition_path(r))} {r.width}w"
            for r in sorted({thumb.name: thumb, web.name: web}.values(), key=lambda r: r.width)
        )
        attributes.append(f'srcset="{srcset}"')
        attributes.append('sizes="(max-width: 44rem) 100vw, 44rem"')
    attributes += [
        f'width="{shown.width}"',
        f'height="{shown.height}"',
        f'alt="{_e(a.alt)}"',
    ]
    if src is None:
        attributes.append('loading="lazy"')
    image = f"<img {' '.join(attributes)}>"
    if src is None:
        image = f'<a href="{_e(prefix + file.export_path)}">{image}</a>'
    caption_parts = []
    if a.caption:
        caption_parts.append(_e(a.caption))
    credit = credit_text(file, label)
    if credit:
        caption_parts.append(f'<span class="credit">{_e(credit)}</span>')
    caption = f"<figcaption>{' '.join(caption_parts)}</figcaption>" if caption_parts else ""
    return f'<figure class="attachment">{image}{caption}</figure>\n'


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def downloads(files: Sequence[MediaFile], prefix: str = "", label: Label = english) -> str:
    others = [f for f in files if not f.renditions]
    if not others:
        return ""
    items = []
    for file in others:
        title = file.attachment.caption or file.name
        details = [file.name.rsplit(".", 1)[-1].upper(), _size(file.size)]
        credit = credit_text(file, label)
        if credit:
            details.append(credit)
        items.append(
            f'<li><a href="{_e(prefix + file.export_path)}" type="{_e(file.media_type)}">'
            f"{_e(title)}</a> ({_e(', '.join(details))})</li>\n"
        )
    heading = label("media_downloads")
    return f'<section class="downloads"><h2>{_e(heading)}</h2>\n<ul>\n{"".join(items)}</ul>\n</section>\n'


def figures(files: Sequence[MediaFile], prefix: str = "", label: Label = english) -> str:
    """Every picture as a figure, then the other files as downloads."""
    shown = "".join(figure(f, prefix, label=label) for f in files if f.renditions)
    return shown + downloads(files, prefix, label)


def _moment(value: datetime) -> str:
    return f'<time datetime="{_e(value.isoformat())}">{_e(value.strftime("%Y-%m-%d %H:%M (UTC%z)"))}</time>'


def event(release: Release, calendar_href: str = "", label: Label = english) -> str:
    """The media advisory's event: when, where, accreditation, and a link to its .ics file."""
    happening = release.event
    if happening is None:
        return ""
    rows = [(label("event_starts"), _moment(happening.start))]
    if happening.end is not None:
        rows.append((label("event_ends"), _moment(happening.end)))
    if happening.place:
        rows.append((label("event_place"), _e(happening.place)))
    contact = happening.accreditation
    if contact is not None:
        parts = [_e(v) for v in (contact.name, contact.role) if v]
        if contact.email:
            parts.append(f'<a href="mailto:{_e(contact.email)}">{_e(contact.email)}</a>')
        if contact.phone:
            parts.append(_e(contact.phone))
        rows.append((label("event_accreditation"), " · ".join(parts)))
    body = "".join(f"<dt>{_e(name)}</dt><dd>{value}</dd>" for name, value in rows)
    link = (
        f'<p><a href="{_e(calendar_href)}" type="text/calendar">'
        f"{_e(label('event_add_to_calendar'))}</a></p>\n"
        if calendar_href
        else ""
    )
    return (
        f'<section class="event"><h2>{_e(label("event"))}</h2>\n<dl>{body}</dl>\n{link}</section>\n'
    )
