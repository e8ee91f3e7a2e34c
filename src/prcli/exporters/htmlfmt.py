"""html: a static folder with index.html and one page per release.

Each page carries the metadata, boilerplate and contacts, schema.org NewsArticle JSON-LD and
hreflang links to the language versions that are part of the same export. Markdown is rendered with
raw HTML off and sanitised; every other value is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, TextIO

from prcli.exporters.base import ExportItem, ExportOptions, page_href, published_at, updated_at
from prcli.exporters.htmlsafe import clean_text, markdown_to_html
from prcli.media.html import STYLE as MEDIA_STYLE
from prcli.model import Release
from prcli.notices import notices
from prcli.publication import public_state

if TYPE_CHECKING:
    from prcli.media.library import MediaFile

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}header p,footer,.meta{color:#555;font-size:.9rem}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}"
    "li{margin:.3rem 0}"
    ".notice{border-left:.3rem solid #b00020;background:#fdecee;padding:.5rem 1rem;margin:1rem 0}"
    ".notice h2{margin:.2rem 0;font-size:1.1rem;color:#8a0018}.retracted{color:#8a0018}"
    ".updates{border-left:.3rem solid #555;padding:.2rem 1rem;list-style:none;color:#333}"
    + MEDIA_STYLE
)


def _text(value: str) -> str:
    return escape(clean_text(value), quote=True)


def json_ld(value: dict[str, Any]) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so text cannot close the element."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(title: str, language: str, head: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_text(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLE}</style>\n{head}</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    ).encode()


def _article(item: ExportItem, options: ExportOptions, exported: set[str]) -> dict[str, Any]:
    release = item.release
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": clean_text(release.title),
        "inLanguage": release.language,
        "datePublished": published_at(release, options).isoformat(),
        "dateModified": updated_at(release, options).isoformat(),
        "author": {
            "@type": "Organization",
            "name": clean_text(release.issuer or options.settings.default_issuer),
        },
        "publisher": {"@type": "Organization", "name": clean_text(options.settings.organisation)},
        "identifier": options.uri(release.id),
    }
    if options.base_url:
        data["url"] = options.page_url(release.id)
    if release.summary:
        data["description"] = clean_text(release.summary)
    if release.category:
        data["articleSection"] = clean_text(release.category)
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
        told = notices(state, release.language)
        withdrawn: dict[str, Any] = {
            "@type": "CorrectionComment",
            "text": clean_text(told.retracted_line),
        }
        if state.retraction.at is not None:
            withdrawn["datePublished"] = state.retraction.at.isoformat()
        corrections.append(withdrawn)
    if corrections:
        data["correction"] = corrections
    others = [r for r in item.translations if r.id in exported]
    if others and options.base_url:
        # schema.org: each language version is a translation of the same work
        data["workTranslation"] = [
            {"@type": "NewsArticle", "inLanguage": r.language, "url": options.page_url(r.id)}
            for r in sorted(others, key=lambda r: r.language)
        ]
    return data


def _release_page(
    item: ExportItem,
    options: ExportOptions,
    exported: set[str],
    media: Sequence[MediaFile] = (),
    calendar: str = "",
) -> bytes:
    from prcli.media import html as media_html

    release = item.release
    settings = options.settings
    head = []
    for other in sorted(item.translations, key=lambda r: r.language):
        if other.id in exported:
            head.append(
                f'<link rel="alternate" hreflang="{_text(other.language)}" href="{_text(page_href(other.id))}">\n'
            )
    if any(other.id in exported for other in item.translations):
        head.append(
            f'<link rel="alternate" hreflang="{_text(release.language)}" href="{_text(page_href(release.id))}">\n'
        )
    if release.summary:
        head.append(f'<meta name="description" content="{_text(release.summary)}">\n')
    head.append(
        f'<script type="application/ld+json">\n{json_ld(_article(item, options, exported))}\n</script>\n'
    )

    facts = [("Date", release.date.isoformat()), ("Category", release.category)]
    if release.dateline:
        facts.append(("Dateline", release.dateline))
    if release.tags:
        facts.append(("Tags", ", ".join(release.tags)))
    meta = "".join(
        f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in facts if value
    )
    parts = [
        f'<p><a href="index.html">{_text(settings.organisation or "Press releases")}</a></p>\n',
        "<article>\n<header>\n",
        f"<p>{_text(release.issuer or settings.default_issuer)}</p>\n",
        f"<h1>{_text(release.title)}</h1>\n",
    ]
    if release.subtitle:
        parts.append(f"<p><em>{_text(release.subtitle)}</em></p>\n")
    parts.append(f'<dl class="meta">{meta}</dl>\n')
    told = notices(public_state(release, options.now), release.language)
    if told.retracted_heading:
        parts.append(
            f'<div class="notice" role="note" id="retraction">\n'
            f"<h2>{_text(told.retracted_heading)}</h2>\n<p>{_text(told.retracted_line)}</p>\n"
            f"<p>{_text(told.original_follows)}</p>\n</div>\n"
        )
    if told.updates:
        lines = "".join(f"<li>{_text(line)}</li>\n" for line in told.updates)
        parts.append(f'<ul class="updates" id="updates">\n{lines}</ul>\n')
    parts.append("</header>\n")
    if release.summary:
        parts.append(f"<p><strong>{_text(release.summary)}</strong></p>\n")
    parts.append(markdown_to_html(release.body))
    parts.append(media_html.event(release, calendar_href=calendar))
    parts.append(media_html.figures(media))
    parts.append("</article>\n<footer>\n")
    boilerplate = settings.boilerplate.get(release.language, "")
    if boilerplate:
        parts.append(f"<p>{_text(boilerplate)}</p>\n")
    contacts = release.contacts or settings.contacts
    if contacts:
        parts.append("<h2>Media contacts</h2>\n<ul>\n")
        for contact in contacts:
            details = [_text(contact.name)]
            if contact.role:
                details.append(_text(contact.role))
            if contact.email:
                details.append(
                    f'<a href="mailto:{_text(contact.email)}">{_text(contact.email)}</a>'
                )
            if contact.phone:
                details.append(_text(contact.phone))
            parts.append(f"<li>{' · '.join(details)}</li>\n")
        parts.append("</ul>\n")
    others = [r for r in sorted(item.translations, key=lambda r: r.language) if r.id in exported]
    if others:
        links = " · ".join(
            f'<a href="{_text(page_href(r.id))}" hreflang="{_text(r.language)}">{_text(r.language)}</a>'
            for r in others
        )
        parts.append(f"<p>Also in: {links}</p>\n")
    parts.append("</footer>\n")
    title = f"{told.mark} {release.title}" if told.mark else release.title
    return _page(title, release.language, "".join(head), "".join(parts))


def _index_mark(release: Release, options: ExportOptions) -> str:
    mark = notices(public_state(release, options.now), release.language).mark
    return f' <strong class="retracted">{_text(mark)}</strong>' if mark else ""


def _index(items: Sequence[ExportItem], options: ExportOptions) -> bytes:
    settings = options.settings
    title = f"{settings.organisation} press releases" if settings.organisation else "Press releases"
    rows = []
    for item in items:
        release: Release = item.release
        rows.append(
            f'<li><time datetime="{release.date.isoformat()}">{release.date.isoformat()}</time> '
            f'<a href="{_text(page_href(release.id))}" hreflang="{_text(release.language)}">{_text(release.title)}</a> '
            f'<span class="meta">{_text(release.category)} · {_text(release.language)}</span>'
            f"{_index_mark(release, options)}</li>\n"
        )
    body = f"<h1>{_text(title)}</h1>\n<ul>\n{''.join(rows)}</ul>\n"
    language = settings.default_language
    return _page(title, language, "", body)


class _Html:
    name = "html"
    extension = ".html"
    public = True
    stream = False
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        raise NotImplementedError("html writes a folder")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        exported = {item.release.id for item in items}
        yield "index.html", _index(items, options)
        from prcli.media.exports import page_calendar, page_media

        written: set[str] = set()
        for item in items:
            media = page_media(item, options)
            calendar = ""
            if item.release.event is not None:
                calendar = f"{item.release.id}.ics"
                yield calendar, page_calendar(item, options)
            yield f"{item.release.id}.html", _release_page(item, options, exported, media, calendar)
            for file in media:  # the same picture in several language versions is written once
                for name, data in file.files():
                    if name not in written:
                        written.add(name)
                        yield name, data


HTML = _Html()
