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
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    default = options.settings.default_language
    for lang in languages:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{base}/{lang}/index.html"
        for other in languages:
            ET.SubElement(
                url,
                f"{{{XHTML}}}link",
                rel="alternate",
                hreflang=other,
                href=f"{base}/{other}/index.html",
            )
        if default in languages:  # as the pages say (x-default: the default language's)
            ET.SubElement(
                url,
                f"{{{XHTML}}}link",
                rel="alternate",
                hreflang="x-default",
                href=f"{base}/{default}/index.html",
            )
    for item in items:
        release = item.release
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = f"{base}/{release_path(release.id)}"
        lastmod = updated_at(release, options, item.state)
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod.isoformat()
        versions = [release, *(r for r in item.translations if r.id in exported)]
        if len(versions) > 1:
            for version in sorted(versions, key=lambda r: r.language):
                ET.SubElement(
                    url,
                    f"{{{XHTML}}}link",
                    rel="alternate",
                    hreflang=version.language,
                    href=f"{base}/{release_path(version.id)}",
                )
            fallback = next((r for r in versions if r.language == default), None)
            if fallback is not None:
                ET.SubElement(
                    url,
                    f"{{{XHTML}}}link",
                    rel="alternate",
                    hreflang="x-default",
                    href=f"{base}/{release_path(fallback.id)}",
                )
    return _serialise(root)


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
