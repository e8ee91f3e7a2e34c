"""Build the newsroom site into a folder: pages per language, archives, feeds, sitemaps, search.

The plan (every file of the site with the key of its inputs) is made first and checked against the
folder (files prcli did not write are never replaced without --force); templates are compiled before
that. Only pages whose inputs changed are rendered; only files whose bytes changed are written.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import shutil
import signal
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from prcli import __version__
from prcli.errors import InvalidRelease, PrcliError, TemplateError, storage_error
from prcli.exporters.base import ExportItem, ExportOptions, updated_at, url_segment
from prcli.exporters.htmlsafe import clean_text, markdown_to_html
from prcli.folderexport import FolderReport, Staged, staging, write_folder
from prcli.ids import slugify_title
from prcli.interrupts import deferred
from prcli.l10n import Localisation, Localiser, language_name
from prcli.l10n import load as load_l10n
from prcli.model import Release
from prcli.site import feeds, search, sitemaps, templating
from prcli.site.settings import SiteSettings, check_base_url
from prcli.site.settings import read as read_settings
from prcli.site.state import RenderCache, load_cldr, save_cldr
from prcli.site.views import Summary, file_stamp, json_ld, release_path, summary


@dataclass(slots=True)
class SiteReport:
    pages: int = 0
    folder: FolderReport = field(default_factory=FolderReport)
    warnings: list[str] = field(default_factory=list)
    search: str = ""


@dataclass(slots=True)
class _Page:
    path: str
    key: str
    make: Callable[[], bytes]
    texts: Sequence[ExportItem] = ()  # the releases whose texts it is made from


def _language(release: Release) -> str:
    return release.language


def _one_line(text: str) -> str:
    """Clean text on one line, without spaces at its ends or runs of spaces inside."""
    return " ".join(clean_text(text).split())


def _key(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def root_of(path: str) -> str:
    """The relative way from a page to the site root; every relative link starts with ./ or ../"""
    return "../" * path.count("/") or "./"


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _asset(name: str) -> bytes:
    return resources.files("prcli.site").joinpath("static", name).read_bytes()


class _Site:
    def __init__(
        self,
        items: Sequence[ExportItem],
        options: ExportOptions,
        folder: Path,
        site: SiteSettings,
        env: Any,
        l10n: Localisation,
        base: str,
    ) -> None:
        self.items = items
        self.options = options
        self.folder = folder
        self.site = site
        self.env = env
        self.l10n = l10n
        self.base = base
        self.by_id = {item.release.id: item for item in items}
        self.summaries = {
            item.release.id: summary(item.release, l10n, options.now, item.state) for item in items
        }
        self.languages = tuple(l10n.by_language)
        self.by_language: dict[str, list[ExportItem]] = {lang: [] for lang in self.languages}
        for item in items:
            self.by_language[item.release.language].append(item)
        stylesheet = site.stylesheet.read_bytes() if site.stylesheet else _asset("style.css")
        self.assets: dict[str, bytes] = {
            "assets/style.css": stylesheet,
            "assets/search.js": _asset("search.js"),
        }
        self.logo = ""
        if site.logo is not None:
            self.logo = f"assets/logo{site.logo.suffix.lower()}"
            self.assets[self.logo] = site.logo.read_bytes()
        from babel import __version__ as babel_version  # its CLDR data: dates, language names

        # What every page shows besides its releases: a change here renders every page again.
        self.global_key = _key(
            __version__,
            babel_version,
            templating.sources_key(site.templates),
            sorted(self.assets.items()),
            repr(options.settings.raw),
            base,
            site,
            self.languages,  # the language menu of every page (a release may add a language)
            repr(l10n.by_language),  # labels, from label files too; categories; date formats
        )
        self.shards: dict[str, list[ExportItem]] = {}
        self._stamps: dict[str, str] = {}
        self._whole: dict[str, ExportItem] = {}  # releases read again with their texts, by id
        self._media: dict[str, tuple[list[Any], str]] = {}
        self.cache: RenderCache | None = None  # the render cache, once loaded

    def stamp(self, item: ExportItem) -> str:
        """What a release page is made from, cheaply (`file_stamp`): the signature the scan of
        the release files found, however many keys (page, feeds, search bundle, calendar) take it."""
        found = self._stamps.get(item.release.id)
        if found is None:
            found = self._stamps[item.release.id] = file_stamp(item, self.options.signatures)
        return found

    def read_texts(self, items: Iterable[ExportItem]) -> None:
        """Read the texts of these releases, when they were given without (`whole` then gives
        them): only the releases of the pages and search bundles made again."""
        missing = [
            item
            for item in items
            if not item.entry.body_loaded and item.release.id not in self._whole
        ]
        if not missing:
            return
        read = self.options.read_texts
        if read is None:
            raise ValueError("releases without their texts and no way to read them")
        outcomes = list(read([item.entry.path for item in missing]))
        for item, outcome in zip(missing, outcomes, strict=True):
            if isinstance(outcome, InvalidRelease):
                raise PrcliError(
                    f"{outcome.path}: changed while the site was exported and no longer reads",
                    hint=f"fix it (prcli validate {outcome.path}), then export again",
                )
            self._whole[item.release.id] = replace(item, entry=outcome)

    def whole(self, item: ExportItem) -> ExportItem:
        """The release with its text (read by `read_texts` when it came without)."""
        if item.entry.body_loaded:
            return item
        found = self._whole.get(item.release.id)
        if found is None:
            raise RuntimeError(f"{item.release.id}: the text of a page made again was not read")
        return found

    # -- shared context ---------------------------------------------------------------------

    def context(self, lang: str, path: str, title: str, **extra: Any) -> dict[str, Any]:
        t = self.l10n[lang]
        root = root_of(path)
        languages = [
            {"code": code, "name": language_name(code), "href": f"{code}/index.html"}
            for code in self.languages
        ]
        return {
            "t": t,
            "lang": lang,
            "dir": t.direction,
            "root": root,
            "path": path,
            "page_title": title,
            "site_name": t.organisation or t.label("press_releases"),
            "logo": self.logo,
            "canonical": f"{self.base}/{path}" if self.base else "",
            "site_url": f"{self.base}/" if self.base else "",
            "languages": languages,
            "language_name": next((x["name"] for x in languages if x["code"] == lang), lang),
            "feeds": [
                {
                    "type": "application/atom+xml",
                    "title": t.label("feed_atom"),
                    "href": f"{lang}/feed.xml",
                },
                {
                    "type": "application/rss+xml",
                    "title": t.label("feed_rss"),
                    "href": f"{lang}/rss.xml",
                },
                {
                    "type": "application/feed+json",
                    "title": t.label("feed_json"),
                    "href": f"{lang}/feed.json",
                },
            ],
            "search_enabled": self.site.search,
            "alternates": extra.pop("alternates", []),
            "section": extra.pop("section", ""),
            **extra,
        }

    def render(self, template: str, context: dict[str, Any]) -> bytes:
        return templating.render(self.env, template, context, self.site.templates)

    # -- the plan ---------------------------------------------------------------------------

    def plan(self) -> Iterable[_Page]:
        yield from self.asset_pages()
        yield self.root_page()
        for lang in self.languages:
            yield from self.list_pages(lang)
            yield from self.archive_pages(lang)
            if self.site.search:
                yield self.search_page(lang)
            yield from self.feed_pages(lang)
        media_written: set[str] = set()
        for item in self.items:
            yield self.release_page(item)
            yield from self.media_pages(item, media_written)
        if self.base:
            yield from self.sitemap_pages()

    def asset_pages(self) -> Iterable[_Page]:
        for path, data in self.assets.items():
            yield _Page(path, _key(data), _constant(data))

    def root_page(self) -> _Page:
        default = self.options.settings.default_language
        if default not in self.languages:
            default = self.languages[0]
        counts = [len(self.by_language[lang]) for lang in self.languages]

        def make() -> bytes:
            context = self.context(
                default,
                "index.html",
                self.l10n[default].label("press_releases"),
                default_href=f"{default}/index.html",
                alternates=self.language_alternates("index.html"),
            )
            return self.render("root.html", context)

        return _Page("index.html", _key(self.global_key, counts), make)

    def language_alternates(self, suffix: str) -> list[dict[str, str]]:
        default = self.options.settings.default_language
        result = [{"hreflang": lang, "href": f"{lang}/{suffix}"} for lang in self.languages]
        if default in self.languages:
            result.append({"hreflang": "x-default", "href": f"{default}/{suffix}"})
        return result

    def list_pages(self, lang: str) -> Iterable[_Page]:
        entries = [self.summaries[item.release.id] for item in self.by_language[lang]]
        size = self.site.page_size
        pages = max(1, -(-len(entries) // size))
        for number in range(1, pages + 1):
            chunk = entries[(number - 1) * size : number * size]
            path = f"{lang}/index.html" if number == 1 else f"{lang}/page/{number}.html"

            def href(n: int) -> str:
                return f"{lang}/index.html" if n == 1 else f"{lang}/page/{n}.html"

            def make(chunk: list[Summary] = chunk, number: int = number, path: str = path) -> bytes:
                t = self.l10n[lang]
                title = t.label("latest")
                if number > 1:
                    title = f"{title} · {t.label('page_of', page=number, pages=pages)}"
                context = self.context(
                    lang,
                    path,
                    title,
                    heading=t.label("latest"),
                    entries=chunk,
                    page=number,
                    pages=pages,
                    newer=href(number - 1) if number > 1 else "",
                    older=href(number + 1) if number < pages else "",
                    alternates=self.language_alternates("index.html") if number == 1 else [],
                    section="latest",
                )
                return self.render("list.html", context)

            yield _Page(
                path, _key(self.global_key, lang, number, pages, [s.key for s in chunk]), make
            )

    def archive_pages(self, lang: str) -> Iterable[_Page]:
        t = self.l10n[lang]
        entries = [self.summaries[item.release.id] for item in self.by_language[lang]]
        years: dict[int, list[Summary]] = defaultdict(list)
        categories: dict[str, list[Summary]] = defaultdict(list)
        for entry in entries:
            years[entry.date.year].append(entry)
            if entry.category_key:
                categories[entry.category_key].append(entry)
        slugs = _category_slugs(categories)
        year_links = [
            {"label": str(year), "href": f"{lang}/archive/{year}.html", "count": len(found)}
            for year, found in sorted(years.items(), reverse=True)
        ]
        category_links = [
            {
                "label": self.l10n.category(lang, name),
                "href": f"{lang}/category/{slugs[name]}.html",
                "count": len(found),
            }
            for name, found in sorted(categories.items(), key=lambda kv: kv[0].casefold())
        ]

        def make_index() -> bytes:
            context = self.context(
                lang,
                f"{lang}/archive.html",
                t.label("archive"),
                years=year_links,
                categories=category_links,
                alternates=self.language_alternates("archive.html"),
                section="archive",
            )
            return self.render("archive.html", context)

        yield _Page(
            f"{lang}/archive.html", _key(self.global_key, year_links, category_links), make_index
        )
        for year, found in years.items():
            path = f"{lang}/archive/{year}.html"
            heading = t.label("year_title", year=year)
            yield self.grouped_page(lang, path, heading, found, "archive")
        for name, found in categories.items():
            path = f"{lang}/category/{slugs[name]}.html"
            heading = t.label("category_title", category=self.l10n.category(lang, name))
            yield self.grouped_page(lang, path, heading, found, "archive")

    def grouped_page(
        self, lang: str, path: str, heading: str, entries: list[Summary], section: str
    ) -> _Page:
        """All releases of a year or a category on one page, under month headings."""

        def make() -> bytes:
            t = self.l10n[lang]
            months: list[dict[str, Any]] = []
            for entry in entries:
                month = entry.date.replace(day=1)
                if not months or months[-1]["month"] != month:
                    months.append({"month": month, "label": t.month(month), "entries": []})
                months[-1]["entries"].append(entry)
            context = self.context(
                lang,
                path,
                heading,
                heading=heading,
                months=months,
                count=len(entries),
                section=section,
            )
            return self.render("list.html", context)

        return _Page(path, _key(self.global_key, path, heading, [e.key for e in entries]), make)

    def search_page(self, lang: str) -> _Page:
        path = f"{lang}/search.html"
        bundles = [
            f"search/{name}/"
            for name in sorted(self.shards)
            if name == lang or name.startswith(f"{lang}-")
        ]

        def make() -> bytes:
            t = self.l10n[lang]
            context = self.context(
                lang,
                path,
                t.label("search"),
                bundles=bundles,
                alternates=self.language_alternates("search.html"),
                section="search",
            )
            return self.render("search.html", context)

        return _Page(path, _key(self.global_key, bundles), make)

    def feed_pages(self, lang: str) -> Iterable[_Page]:
        latest = self.by_language[lang][: self.site.feed_size]
        key = _key(self.global_key, lang, [self.stamp(item) for item in latest])
        t = self.l10n[lang]
        home = f"{self.base}/{lang}/index.html" if self.base else ""

        def url(name: str) -> str:
            return f"{self.base}/{lang}/{name}" if self.base else ""

        title = (
            f"{t.organisation} · {t.label('press_releases')}"
            if t.organisation
            else t.label("press_releases")
        )

        def whole() -> list[ExportItem]:
            return [self.whole(item) for item in latest]

        yield _Page(
            f"{lang}/feed.xml",
            key,
            lambda: feeds.atom(whole(), self.options, title, lang, home),
            latest,
        )
        yield _Page(
            f"{lang}/rss.xml",
            key,
            lambda: feeds.rss(whole(), self.options, title, lang, home),
            latest,
        )
        yield _Page(
            f"{lang}/feed.json",
            key,
            lambda: feeds.json_feed(
                whole(), self.options, self.l10n, title, lang, home, url("feed.json"), self.base
            ),
            latest,
        )

    def media(self, item: ExportItem) -> tuple[list[Any], str]:
        """The attachments a release page shows (prcli.media) and its calendar file's path."""
        release = item.release
        if not release.attachments and release.event is None:
            return _NO_MEDIA
        if release.id not in self._media:
            from prcli.media.exports import page_media

            media = page_media(item, self.options) if item.release.attachments else []
            calendar = ""
            if item.release.event is not None:
                calendar = f"releases/{url_segment(item.release.id)}.ics"
            self._media[item.release.id] = (media, calendar)
        return self._media[item.release.id]

    def media_pages(self, item: ExportItem, written: set[str]) -> Iterable[_Page]:
        """Pictures (original, web size, thumbnail), documents and the .ics of a release; the same
        picture in several language versions is written once."""
        release = item.release
        if release.event is not None:
            from prcli.media.exports import page_calendar

            yield _Page(
                f"releases/{url_segment(release.id)}.ics",
                _key(self.global_key, self.stamp(item), "ics"),
                lambda: page_calendar(self.whole(item), self.options),
                (item,),
            )
        if not release.attachments:
            return
        for name, key in self.media_keys(item):
            if name not in written:
                written.add(name)
                yield _Page(name, key, self.media_file(item, name))

    def media_keys(self, item: ExportItem) -> list[list[str]]:
        """[file name, page key] of each media file of a release. Taken from the render cache
        while the release and its attachments' files are as they were (one stat each), else made
        by reading the files (prcli.media: renditions, GPS removed)."""
        release = item.release
        signature = self.attachments_key(item)
        found = self.cache.media.get(release.id) if self.cache is not None else None
        if found is None or signature is None or found[0] != signature:
            media, _ = self.media(item)
            planned = [
                [name, _key(len(data), hashlib.blake2b(data).hexdigest())]
                for file in media
                for name, data in file.files()
            ]
            found = (signature or "", planned)
        if self.cache is not None and signature is not None:
            self.cache.new_media[release.id] = found
        return found[1]

    def attachments_key(self, item: ExportItem) -> str | None:
        """What a release's media files are made from: the release, the media settings (in the
        global key) and each attachment's file signature; None when a file is not where it
        should be (reading it then says why)."""
        from prcli.exporters.base import repository_root
        from prcli.media import files
        from prcli.media.renditions import VERSION

        root = repository_root(item)
        parts = [self.global_key, self.stamp(item), str(VERSION)]
        try:
            for attachment in item.release.attachments:
                source = files.locate(root, item.entry.path.parent, attachment)
                info = os.stat(source)
                parts.append(
                    f"{source}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"
                )
        except (OSError, PrcliError):
            return None
        return _key(*parts)

    def media_file(self, item: ExportItem, name: str) -> Callable[[], bytes]:
        """Makes one media file of a release (read when it is made again)."""

        def make() -> bytes:
            media, _ = self.media(item)
            for file in media:
                for found, data in file.files():
                    if found == name:
                        return bytes(data)
            raise PrcliError(
                f"{item.path}: its attachments changed while the site was exported",
                hint="export again",
            )

        return make

    def release_page(self, item: ExportItem) -> _Page:
        release = item.release
        path = release_path(release.id)
        others = (
            sorted((r for r in item.translations if r.id in self.by_id), key=_language)
            if item.translations
            else []
        )
        related = [
            self.summaries[r] for r in release.related if r in self.summaries and r != release.id
        ]
        key = _key(
            self.global_key,
            self.stamp(item),
            self.summaries[release.id].key,
            [self.summaries[r.id].key for r in others],  # their titles are shown too
            [r.key for r in related],
        )
        return _Page(
            path,
            key,
            lambda: self.render_release(self.whole(item), path, others, related),
            (item,),
        )

    def render_release(
        self, item: ExportItem, path: str, others: list[Release], related: list[Summary]
    ) -> bytes:
        release = item.release
        lang = release.language
        t: Localiser = self.l10n[lang]
        alternates = []
        if others:
            alternates = [
                {"hreflang": r.language, "href": release_path(r.id)} for r in [release, *others]
            ]
            default = self.options.settings.default_language
            x_default = next((r for r in [release, *others] if r.language == default), None)
            if x_default is not None:
                alternates.append({"hreflang": "x-default", "href": release_path(x_default.id)})
        facts = []
        if release.event_date:
            facts.append((t.label("event_date"), t.date(release.event_date)))
        if release.places:
            facts.append((t.label("places"), ", ".join(clean_text(p) for p in release.places)))
        if release.tags:
            facts.append((t.label("tags"), ", ".join(clean_text(p) for p in release.tags)))
        from markupsafe import Markup

        from prcli.notices import notices
        from prcli.publication import public_state

        told = notices(public_state(release, self.options.now), lang)
        title = clean_text(release.title)
        context = self.context(
            lang,
            path,
            f"{told.mark} {title}" if told.mark else title,
            release=self.summaries[release.id],
            subtitle=clean_text(release.subtitle),
            issuer=clean_text(release.issuer or t.issuer),
            dateline=clean_text(release.dateline),
            body=Markup(markdown_to_html(release.body)),
            facts=facts,
            told=told,
            boilerplate=clean_text(t.boilerplate),
            contacts=[
                {
                    # Spaces at the ends of a hand-written name would show before the comma
                    # ("Press office , Media enquiries"): each part is one clean line of words.
                    "name": _one_line(c.name),
                    "role": _one_line(c.role),
                    "email": _one_line(c.email),
                    "phone": _one_line(c.phone),
                }
                for c in (release.contacts or self.options.settings.contacts)
            ],
            translations=[
                {
                    "name": language_name(r.language),
                    "hreflang": r.language,
                    "href": release_path(r.id),
                    "title": clean_text(r.title),
                }
                for r in others
            ],
            related=related,
            json_ld=Markup(json_ld(item, self.options, self.l10n, self.base, others)),
            media=Markup(self.media_html(item, root_of(path))),
            alternates=alternates,
            section="release",
        )
        return self.render("release.html", context)

    def media_html(self, item: ExportItem, root: str) -> str:
        """The event of a media advisory, the figures and the downloads (prcli.media.html)."""
        from prcli.media import html as media_html

        media, calendar = self.media(item)
        calendar_href = f"{root}{calendar}" if calendar else ""
        label = self.l10n[item.release.language].label
        return media_html.event(
            item.release, calendar_href=calendar_href, label=label
        ) + media_html.figures(media, prefix=root, label=label)

    def sitemap_pages(self) -> Iterable[_Page]:
        # What it lists of each release: its last public change (from its history, which an
        # edit by hand may change too) and its language versions.
        options = self.options
        key = _key(
            self.global_key,
            "\n".join(
                f"{i.release.id}\t{updated_at(i.release, options, i.state).isoformat()}\t"
                + " ".join(f"{r.id}:{r.language}" for r in i.translations)
                for i in self.items
            ),
        )
        yield _Page(
            "sitemap.xml",
            key,
            lambda: sitemaps.sitemap(
                self.items, self.options, self.base, self.languages, set(self.by_id)
            ),
        )
        # The releases published in the two days before the clock, as their files are now.
        recent = sitemaps.news_items(self.items, self.options)
        yield _Page(
            "news-sitemap.xml",
            _key(self.global_key, [self.stamp(item) for item in recent]),
            lambda: sitemaps.news_sitemap(recent, self.options, self.base, self.l10n),
        )


_NO_MEDIA: tuple[list[Any], str] = ([], "")  # (never changed: callers only read it)


def _category_slugs(categories: Iterable[str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for number, name in enumerate(sorted(categories), start=1):
        slug = slugify_title(name) or f"category-{number}"
        while slug in used:
            slug = f"{slug}-{number}"
        used.add(slug)
        slugs[name] = slug
    return slugs


PARALLEL_THRESHOLD = 400  # pages; below this, worker processes cost more than they save
_PENDING: list[_Page] = []  # the pages a forked worker renders (inherited, never pickled)
_STAGE: list[Path] = []  # [the folder where a forked worker writes the pages it renders]
_STOP: Any = None  # shared memory (inherited): set to 1, the workers stop between two pages


def _render_chunk(
    chunk: list[int],
) -> list[tuple[str, int]] | tuple[str, str, int | None, str] | tuple[str, str, int]:
    """Render pages (by number) in a worker and write each into the staging folder (named by
    its number), returning the SHA-256 and size of each: the pages' bytes never travel back
    through a pipe, the folder writer moves the files into place. A template error or a failed
    write comes back as a tuple the parent raises again."""
    stage = _STAGE[0]
    done: list[tuple[str, int]] = []
    for i in chunk:
        if _STOP.value:  # Ctrl-C or a failure in the parent: the rest is not needed
            break
        page = _PENDING[i]
        try:
            data = page.make()
        except TemplateError as error:
            return (str(error.path), error.message, error.line, error.hint)
        try:
            _write_new(stage / str(i), data)
        except OSError as error:
            return (page.path, error.strerror or str(error), error.errno or 0)
        done.append((hashlib.sha256(data).hexdigest(), len(data)))
    return done


def _write_new(path: Path, data: bytes) -> None:
    """A new file in the staging folder (no temporary file: nothing reads it before the folder
    writer renames it into place), with the mode any new file gets."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _nothing() -> None:
    pass


class _Early:
    """A worker forked by hand (no thread started in this process, so the pool forked later is
    forked from a process without threads) rendering some pages while this process goes on."""

    def __init__(self, numbers: list[int]) -> None:
        from prcli.releasefile import forking

        self.numbers = numbers
        parent = os.getpid()
        source, sink = os.pipe()
        with forking():
            pid = os.fork()
            if pid == 0:  # the worker: render, send the outcome, end (never back to the caller)
                code = 1
                try:
                    os.close(source)
                    _worker_start(parent)
                    outcome: tuple[str, Any]
                    try:
                        outcome = ("done", _render_chunk(numbers))
                    except BaseException as error:  # raised again in the parent
                        outcome = ("failed", error)
                    try:
                        data = pickle.dumps(outcome)
                    except Exception:
                        data = pickle.dumps(("failed", RuntimeError(repr(outcome[1]))))
                    with os.fdopen(sink, "wb") as out:
                        out.write(data)
                    code = 0
                finally:
                    os._exit(code)
        os.close(sink)  # only the worker holds it: its end (or death) ends the reading
        self.pid: int | None = pid
        self.source = source

    def result(self) -> Any:
        source, self.source = self.source, -1
        with os.fdopen(source, "rb") as reading:
            data = reading.read()
        self._reap()
        if not data:
            raise RuntimeError("a render worker ended without handing back its pages")
        kind, value = pickle.loads(data)
        if kind == "failed":
            raise value
        return value

    def stop(self) -> None:
        """End the worker if it still runs (Ctrl-C, an error elsewhere): nothing is left
        writing into the staging folder."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()
        if self.source >= 0:
            with contextlib.suppress(OSError):
                os.close(self.source)
            self.source = -1

    def _reap(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None


def _render(
    pages: list[_Page],
    meanwhile: Callable[[], None] = _nothing,
    stage: Path | None = None,
    read: Callable[[], None] = _nothing,
) -> list[bytes | Staged]:
    """Render pages in order; many of them in forked worker processes (one per core, at most 4)
    that die with this process. `read` reads the texts of the pages made from texts (release
    pages, feeds, calendars): the pages made without (lists, archives, sitemaps, media) are
    rendered meanwhile by a worker forked before it. The others are rendered by workers forked
    after it. `meanwhile` runs in this process while they render (it may start threads and
    processes: every worker is forked before it). The workers write what they render into
    `stage` (a folder in the export folder's staging folder, made here) and give `Staged` files;
    pages rendered in this process come as bytes. Ctrl-C or a failure here stops every worker
    between two pages."""
    global _PENDING, _STOP
    workers = min(os.cpu_count() or 1, 4)
    if len(pages) < PARALLEL_THRESHOLD or workers < 2 or stage is None:
        return _render_here(pages, meanwhile, read)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from prcli.releasefile import forking

    free = [i for i, page in enumerate(pages) if not page.texts]
    bound = [i for i, page in enumerate(pages) if page.texts]
    if not free or not bound:
        free, bound = [], list(range(len(pages)))
    stage.mkdir(parents=True, exist_ok=True)
    _PENDING = pages
    _STAGE[:] = [stage]
    context = multiprocessing.get_context("fork")
    _STOP = context.RawValue("b", 0)
    early: _Early | None = None
    rendered: list[bytes | Staged | None] = [None] * len(pages)
    failures: list[tuple[Any, ...]] = []
    try:
        if free:
            pages[free[0]].make()  # a template error shows here, before any worker starts
            try:
                early = _Early(free)
            except OSError:  # no fork: everything here
                return _render_here(pages, meanwhile, read)
        read()
        pages[bound[0]].make()
        # Small chunks (16 a worker): the workers end together, not one waiting for a long
        # last chunk (a chunk's result is a few numbers a page, so many chunks cost little).
        size = max(25, len(bound) // (workers * 16))
        chunks = [bound[n : n + size] for n in range(0, len(bound), size)]
        pool: ProcessPoolExecutor | None = None
        try:
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_worker_start,
                initargs=(os.getpid(),),
            )
            with forking():  # all forked here
                futures = [pool.submit(_render_chunk, chunk) for chunk in chunks]
        except (OSError, RuntimeError, ValueError):  # no processes: these pages here
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            meanwhile()
            for i in bound:
                rendered[i] = pages[i].make()
        else:
            with pool:
                try:
                    meanwhile()
                    for chunk, future in zip(chunks, futures, strict=True):
                        _staged(rendered, chunk, future.result(), stage, failures)
                except BaseException:  # Ctrl-C, a failure: the workers stop now
                    _STOP.value = 1
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        if early is not None:
            _staged(rendered, free, early.result(), stage, failures)
    except BaseException:
        _STOP.value = 1
        raise
    finally:
        if early is not None:
            early.stop()
        _PENDING = []
        _STAGE.clear()
    if failures:
        failure = failures[0]
        if len(failure) == 3:
            name, reason, number = failure
            raise storage_error(stage.parent.parent / name, OSError(number, reason))
        path, message, line, hint = failure
        raise TemplateError(Path(path), message, line=line, hint=hint)
    done = [page for page in rendered if page is not None]
    assert len(done) == len(pages)
    return done


def _staged(
    rendered: list[bytes | Staged | None],
    chunk: list[int],
    result: Any,
    stage: Path,
    failures: list[tuple[Any, ...]],
) -> None:
    """Record a worker's chunk: a staged file a page, or its failure (a tuple, see
    _render_chunk)."""
    if isinstance(result, tuple):
        failures.append(result)
        return
    for i, (digest, size) in zip(chunk, result, strict=True):
        rendered[i] = Staged(stage / str(i), digest, size)


def _render_here(
    pages: list[_Page], meanwhile: Callable[[], None], read: Callable[[], None]
) -> list[bytes | Staged]:
    read()
    first: list[bytes | Staged] = [pages[0].make()] if pages else []  # a template error first
    meanwhile()
    return first + [page.make() for page in pages[1:]]


def build(
    items: Sequence[ExportItem], options: ExportOptions, folder: Path, *, force: bool = False
) -> SiteReport:
    """Build or update the site in `folder`. Raises before writing anything on bad settings or
    templates; files prcli did not write are kept (one of a site file's name needs `force`).
    One export at a time into a folder: under its lock (`folderexport.locked`), from the render
    cache read to the render cache saved."""
    from prcli.folderexport import check_selection, locked

    # The plan holds tens of thousands of small objects that all stay alive until the end: the
    # cyclic GC would scan them again and again (a fifth of a re-export's time) and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with locked(folder):
            check_selection(folder, options.selection)
            return _build(items, options, folder, force=force)
    finally:
        if collecting:
            gc.enable()


def _worker_start(parent: int) -> None:
    """A render worker: dies with its parent; collects garbage again, but only its own (the
    inherited plan is frozen: never scanned, its memory pages never touched by the collector)."""
    from prcli.releasefile import _die_with_parent

    _die_with_parent(parent)  # and ignores Ctrl-C: this process ends it
    gc.freeze()
    gc.enable()


def _build(
    items: Sequence[ExportItem], options: ExportOptions, folder: Path, *, force: bool
) -> SiteReport:
    items = list(items)  # walked a dozen times: once through a caller's wrapper (progress)
    repository_root = options.settings.path.parent
    cldr_loaded = load_cldr(repository_root)
    site = read_settings(options.settings)
    base = check_base_url(options.base_url)
    env = templating.environment(site.templates, reload=False)
    languages = tuple(
        dict.fromkeys([*options.settings.languages, *(i.release.language for i in items)])
    )
    l10n = load_l10n(options.settings, languages)
    builder = _Site(items, options, folder, site, env, l10n, base)
    cache = builder.cache = RenderCache.load(folder, options.settings.path.parent)
    report = SiteReport()
    indexer: search.Indexer | None = None
    if site.search:
        builder.shards = search.shards(items)
        indexer = search.Indexer(builder.shards, cache, l10n, folder, builder.stamp)
    pages = list(builder.plan())
    pending = [page for page in pages if not cache.fresh(page.path, page.key)]

    def read() -> None:
        """Texts only of what is made again (read before the workers that render them are
        forked; the pages made without texts are rendered meanwhile)."""
        builder.read_texts(item for page in pending for item in page.texts)
        if indexer is not None:
            for name in indexer.todo:
                builder.read_texts(builder.shards[name])
                builder.shards[name] = [builder.whole(item) for item in builder.shards[name]]

    created = [path for path in (folder, *folder.parents) if not path.exists()]
    try:
        rendered = dict(
            zip(
                (page.path for page in pending),
                _render(
                    pending,
                    indexer.feed if indexer else _nothing,
                    staging(folder) / "pages",
                    read,
                ),
                strict=True,
            )
        )
        files: list[tuple[str, bytes | Staged | None]] = [
            (page.path, rendered.get(page.path)) for page in pages
        ]
        report.pages = len(files)
        if indexer is not None:
            files.extend(indexer.files())
            report.search = (
                f"search: {len(builder.shards)} Pagefind bundle(s), {indexer.rebuilt} rebuilt"
            )
        with deferred():  # Ctrl-C now waits for the folder and its render cache to agree
            report.folder = write_folder(
                folder, files, force=force, durable=False, selection=options.selection
            )
            cache.save()
    except BaseException:
        if indexer is not None:
            indexer.close()  # before the staging folder goes: Pagefind may be writing there
        shutil.rmtree(staging(folder), ignore_errors=True)
        for path in created:  # made for the search index and left empty: as they were
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    finally:
        if indexer is not None:
            indexer.close()
    save_cldr(repository_root, cldr_loaded)
    report.warnings = l10n.warnings
    if not base:
        report.warnings.append(
            "no base URL: sitemaps left out and feeds carry no links; "
            "set [organisation] url or pass --base-url"
        )
    return report
