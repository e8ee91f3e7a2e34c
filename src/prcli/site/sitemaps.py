"""sitemap.xml with hreflang alternates, and the Google News sitemap of the last two days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from xml.etree import ElementTree as ET

from prcli.exporters.base import ExportItem, ExportOptions, published_at, updated_at
from prcli.exporters.htmlsafe import clean_text
from prcli.l10n import Localisation
from prcli.site.views import release_path

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def _serialise(root: ET.Element) -> bytes:
    from prcli.xmlout import clean_tree

    clean_tree(root)  # the one place that removes what XML cannot carry (prcli.xmlout)
    ET.indent(root, space=" ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def sitemap(
    items: Sequence[ExportItem],
    options: ExportOptions,
    base: str,
    languages: Sequence[str],
    exported: set[str],
) -> bytes:
    """Every page with its language versions. Written out as text (one line an element, as
    ElementTree writes the same tree, indented by one space): building and writing the tree
    took 0.36 s of CPU for 10,000 releases, this 0.15 s."""
    default = options.settings.default_language
    lines: list[str] = []
    add = lines.append
    links = False
    for lang in languages:
        add(f"{_IN1}<url>{_IN2}<loc>{_text(f'{base}/{lang}/index.html')}</loc>")
        for other in languages:
            add(_link(other, f"{base}/{other}/index.html"))
            links = True
        if default in languages:  # as the pages say (x-default: the default language's)
            add(_link("x-default", f"{base}/{default}/index.html"))
        add(f"{_IN1}</url>")
    for item in items:
        release = item.release
        add(f"{_IN1}<url>{_IN2}<loc>{_text(f'{base}/{release_path(release.id)}')}</loc>")
        lastmod = updated_at(release, options, item.state)
        add(f"{_IN2}<lastmod>{_text(lastmod.isoformat())}</lastmod>")
        versions = [release, *(r for r in item.translations if r.id in exported)]
        if len(versions) > 1:
            links = True
            for version in sorted(versions, key=lambda r: r.language):
                add(_link(version.language, f"{base}/{release_path(version.id)}"))
            fallback = next((r for r in versions if r.language == default), None)
            if fallback is not None:
                add(_link("x-default", f"{base}/{release_path(fallback.id)}"))
        add(f"{_IN1}</url>")
    spaces = f' xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if links else "")
    if not lines:
        return f"{_DECLARATION}\n<urlset{spaces} />\n".encode()
    return f"{_DECLARATION}\n<urlset{spaces}>{''.join(lines)}\n</urlset>\n".encode()


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_IN1, _IN2 = "\n ", "\n  "  # ElementTree.indent(space=" ") at the url and its children


def _text(value: str) -> str:
    """Element text as ElementTree writes it, cleaned as prcli.xmlout.clean_tree cleans it."""
    return clean_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An attribute value as ElementTree writes it (cleaned as clean_tree does)."""
    return (
        _text(value)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def _link(hreflang: str, href: str) -> str:
    return (
        f'{_IN2}<xhtml:link rel="alternate" hreflang="{_attribute(hreflang)}" '
        f'href="{_attribute(href)}" />'
    )


def news_items(items: Sequence[ExportItem], options: ExportOptions) -> list[ExportItem]:
    """The releases a Google News sitemap lists: published in the two days before the clock."""
    since = options.now - timedelta(days=2)
    return [item for item in items if since <= published_at(item.release, options) <= options.now]


def news_sitemap(
    items: Sequence[ExportItem], options: ExportOptions, base: str, l10n: Localisation
) -> bytes:
    """Google News sitemap: releases published in the two days before the export's clock."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("news", NEWS)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for item in news_items(items, options):
        release = item.release
        published = published_at(release, options)
        t = l10n[release.language]
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{base}/{release_path(release.id)}"
        news = ET.SubElement(url, f"{{{NEWS}}}news")
        publication = ET.SubElement(news, f"{{{NEWS}}}publication")
        ET.SubElement(publication, f"{{{NEWS}}}name").text = clean_text(
            t.organisation or t.label("press_releases")
        )
        ET.SubElement(publication, f"{{{NEWS}}}language").text = release.language
        ET.SubElement(news, f"{{{NEWS}}}publication_date").text = published.isoformat()
        ET.SubElement(news, f"{{{NEWS}}}title").text = clean_text(release.title)
    return _serialise(root)
