"""The newsroom site (export --format html): languages, labels, feeds, sitemaps, bad input, updates."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from prcli.model import HistoryEntry, Status
from prcli.repository import Repository

from .conftest import PROJECT_ROOT, Run
from .helpers import BAKU, make_release, write_release

SAMPLE_NOW = "2026-11-27T12:00:00+04:00"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def sample(tmp_path: Path) -> Path:
    """A copy of prcli's sample repository (three languages, a civil protection service)."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "prcli.toml", root / "prcli.toml")
    shutil.copytree(PROJECT_ROOT / "releases", root / "releases")
    return root


@pytest.fixture
def sample_site(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    result = run("export", "-f", "html", "-o", "site")
    assert result.exit_code == 0, result
    assert "warning" not in result.stderr, result
    return root / "site"


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_one_site_per_language_with_localised_labels_and_dates(sample_site: Path) -> None:
    root = read(sample_site, "index.html")
    assert 'url=./en/index.html"' in root  # the default language, and links to all three
    for code, name in (("en", "English"), ("az", "Azərbaycan"), ("ru", "Русский")):
        assert f'<a href="./{code}/index.html" lang="{code}" hreflang="{code}">{name}</a>' in root
    az = read(sample_site, "az/index.html")
    assert '<html lang="az" dir="ltr">' in az
    assert "Son xəbərlər" in az and "15 oktyabr 2021" in az and "Tədbirlər" in az
    assert "Xəzər Mülki Müdafiə Xidməti" in az  # organisation per language from prcli.toml
    ru_page = read(
        sample_site,
        "releases/2021-10-15-regionalnye-rukovoditeli-grazhdanskoi-zashchity-vstretilis-v.html",
    )
    assert '<html lang="ru" dir="ltr">' in ru_page
    assert "15 октября 2021" in ru_page and "События" in ru_page
    assert "Контакты для СМИ" in ru_page and "Media contacts" not in ru_page
    assert "Каспийская служба гражданской защиты координирует" in ru_page  # boilerplate in ru
    en_page = read(
        sample_site, "releases/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.html"
    )
    # hreflang alternates are absolute, as search engines require, when the site has an address
    for code in ("en", "az", "ru", "x-default"):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="https://press.example.org/releases/'
        ) in en_page
    # a release in one language still leads to the site's other languages (its language menu
    # held only its own language): their latest releases
    single = read(
        sample_site, "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html"
    )
    menu = single.split('<nav class="languages"')[1].split("</nav>")[0]
    assert 'aria-current="true">English</a>' in menu
    assert '<a href="../az/index.html" lang="az" hreflang="az">Azərbaycan</a>' in menu
    assert '<a href="../ru/index.html" lang="ru" hreflang="ru">Русский</a>' in menu
    # a release with versions links them, not the other homes
    menu = en_page.split('<nav class="languages"')[1].split("</nav>")[0]
    assert "index.html" not in menu and menu.count("<li>") == 3
    # a count takes its plural form ("1 release", not "1 releases")
    assert '<p class="count">1 release</p>' in read(sample_site, "en/category/official.html")
    assert '<p class="count">2 releases</p>' in read(sample_site, "en/archive/2021.html")
    az_index = read(sample_site, "az/index.html")
    assert (
        '<link rel="alternate" hreflang="ru" href="https://press.example.org/ru/index.html">'
        in (az_index)
    )
    assert 'lang="az" hreflang="az">Azərbaycan</a>' in en_page
    assert "15 October 2021" in en_page
    for kind in ("application/atom+xml", "application/rss+xml", "application/feed+json"):
        assert f'<link rel="alternate" type="{kind}"' in en_page
    ld = json.loads(en_page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "NewsArticle" and ld["inLanguage"] == "en"
    assert ld["dateline"] == "Tbilisi" and ld["publisher"]["name"]
    assert {t["inLanguage"] for t in ld["workTranslation"]} == {"az", "ru"}
    # archives by year and category, and a search page per language
    assert (sample_site / "az/archive/2021.html").is_file()
    assert "oktyabr 2021" in read(sample_site, "az/archive/2021.html")
    assert re.search(r"<h2[^>]*>Oktyabr 2021</h2>", read(sample_site, "az/archive/2021.html"))
    assert (sample_site / "ru/category/events.html").is_file()
    assert (sample_site / "ru/search.html").is_file()
    # only public releases: drafts and archived ones have no page and no link
    ids = {p.stem for p in (sample_site / "releases").iterdir()}
    assert len(ids) == 5
    for page in sample_site.rglob("*.html"):
        if "search" in page.parts:
            continue
        for href in page.read_text().split('href="')[1:]:
            target = href.split('"')[0]
            if "releases/" in target:
                assert target.rsplit("/", 1)[1].removesuffix(".html") in ids, (page, target)


def test_paging_newest_first(tmp_path: Path, repository: Repository, run: Run) -> None:
    for day in range(1, 26):
        write_release(
            repository,
            make_release(title=f"Release number {day}", date=date(2026, 1, day)),
        )
    out = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(out)).exit_code == 0
    first = read(out, "en/index.html")
    assert first.index("Release number 25") < first.index("Release number 6")
    assert "Release number 5<" not in first and 'rel="next" href="../en/page/2.html"' in first
    second = read(out, "en/page/2.html")
    assert "Release number 5<" in second and "Page 2 of 2" in second
    assert 'rel="prev" href="../../en/index.html"' in second
    assert '<p class="count">25 releases</p>' in read(out, "en/archive/2026.html")
    # without a base URL the hreflang alternates stay relative
    assert '<link rel="alternate" hreflang="en" href="../en/index.html">' in first


def test_feeds_and_sitemaps_validate(sample_site: Path) -> None:
    import feedparser

    for lang in ("en", "az", "ru"):
        atom = feedparser.parse(read(sample_site, f"{lang}/feed.xml"))
        rss = feedparser.parse(read(sample_site, f"{lang}/rss.xml"))
        assert not atom.bozo and not rss.bozo, lang
        assert atom.entries and all(e.link.endswith(".html") for e in atom.entries)
        assert rss.feed.language == lang
        # each feed says its language and its own address (Atom rel="self", also in RSS)
        assert atom.feed.language == lang
        own = {link.href for link in atom.feed.links if link.rel == "self"}
        assert own == {f"https://press.example.org/{lang}/feed.xml"}, atom.feed.links
        assert f'<atom:link href="https://press.example.org/{lang}/rss.xml" rel="self"' in read(
            sample_site, f"{lang}/rss.xml"
        )
        feed = json.loads(read(sample_site, f"{lang}/feed.json"))
        # JSON Feed 1.1: version, title, items each with a unique id and content
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["language"] == lang
        assert feed["feed_url"] == f"https://press.example.org/{lang}/feed.json"
        ids = [item["id"] for item in feed["items"]]
        assert ids and len(set(ids)) == len(ids)
        for item in feed["items"]:
            assert item["content_html"] and item["url"].startswith("https://")
            datetime.fromisoformat(item["date_published"])
            assert item["language"] == lang
    urlset = ET.fromstring((sample_site / "sitemap.xml").read_bytes())
    urls = {u.find(f"{SITEMAP}loc").text: u for u in urlset}  # type: ignore[union-attr]
    page = urls[
        "https://press.example.org/releases/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.html"
    ]
    alternates = {a.get("hreflang") for a in page.findall(f"{XHTML}link")}
    assert alternates == {"en", "az", "ru", "x-default"}
    # a language's home lists the same alternates as its page, x-default included
    home = urls["https://press.example.org/az/index.html"]
    listed = {a.get("hreflang"): a.get("href") for a in home.findall(f"{XHTML}link")}
    assert listed["x-default"] == "https://press.example.org/en/index.html"
    page_links = re.findall(
        r'hreflang="([^"]+)" href="([^"]+)"', read(sample_site, "az/index.html")
    )
    assert listed == dict(page_links)
    assert ET.fromstring((sample_site / "news-sitemap.xml").read_bytes()).tag == f"{SITEMAP}urlset"


def test_news_sitemap_holds_the_last_two_days(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    for day, title in ((26, "Fresh news"), (24, "Older news")):
        published = datetime(2026, 11, day, 9, tzinfo=BAKU)
        write_release(
            repository,
            make_release(
                title=title,
                date=published.date(),
                history=(HistoryEntry(Status.PUBLISHED, published),),
            ),
        )
    out = tmp_path / "site"
    result = run("export", "-f", "html", "-o", str(out), "--base-url", "https://example.org/")
    assert result.exit_code == 0, result
    news = ET.fromstring((out / "news-sitemap.xml").read_bytes())
    entries = [
        (u.find(f"{NEWS}news/{NEWS}title").text, u.find(f"{SITEMAP}loc").text)  # type: ignore[union-attr]
        for u in news
    ]
    assert entries == [("Fresh news", "https://example.org/releases/2026-11-26-fresh-news.html")]
    language = news.find(f"{SITEMAP}url/{NEWS}news/{NEWS}publication/{NEWS}language")
    assert language is not None and language.text == "en"


def test_search_bundles_per_language_then_per_year(
    sample_site: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sorted(p.name for p in (sample_site / "search").iterdir()) == ["az", "en", "ru"]
    assert (sample_site / "search/az/pagefind.js").is_file()
    assert not (sample_site / "search/az/pagefind-ui.js").exists()  # the site has its own page
    assert 'data-bundles="search/az/"' in read(sample_site, "az/search.html")
    # a language with many releases gets a bundle per year: an edit re-indexes one year
    monkeypatch.setattr("prcli.site.search.SHARD_ABOVE", 1)
    result = run("export", "-f", "html", "-o", "site")
    assert result.exit_code == 0, result
    bundles = sorted(p.name for p in (sample_site / "search").iterdir())
    assert bundles == ["az-2021", "az-2026", "en-2021", "ru"]
    assert 'data-bundles="search/az-2021/ search/az-2026/"' in read(sample_site, "az/search.html")
    assert not (sample_site / "search/az").exists()  # the old bundle, removed


def test_search_bundles_are_listed_and_no_staging_is_left(sample_site: Path) -> None:
    manifest = json.loads((sample_site / ".prcli-manifest").read_text())["files"]
    bundle = sorted(p for p in (sample_site / "search" / "en").rglob("*") if p.is_file())
    assert bundle and all(p.relative_to(sample_site).as_posix() in manifest for p in bundle)
    assert any(p.suffix == ".pf_fragment" for p in bundle)
    assert not list(sample_site.glob(".prcli-staging*"))


def test_staging_left_by_a_killed_export_is_removed_and_never_listed(
    sample_site: Path, run: Run
) -> None:
    stale = sample_site / ".prcli-staging.999999999.tmp" / "search" / "en"
    stale.mkdir(parents=True)
    (stale / "pagefind.js").write_text("half written")
    result = run("export", "-f", "html", "-o", "site")
    assert result.exit_code == 0, result
    assert "prcli did not write" not in result.stderr and "foreign" not in result.stderr
    assert not (sample_site / ".prcli-staging.999999999.tmp").exists()
    assert ".prcli-staging" not in (sample_site / ".prcli-manifest").read_text()


def test_reexport_after_one_edit_rewrites_only_what_changed(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    (root / "site").mkdir()
    (root / "site" / "CNAME").write_text("press.example.org")  # the office's own file
    first = run("export", "-f", "html", "-o", "site", "--force")
    assert first.exit_code == 0, first
    files = {p: p.stat().st_mtime_ns for p in (root / "site").rglob("*") if p.is_file()}
    again = run("export", "-f", "html", "-o", "site")  # our own site: no --force needed
    assert again.exit_code == 0, again
    assert "site/: 0 written," in again.stderr and "0 rebuilt" in again.stderr
    edited = root / "releases/2021/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.md"
    edited.write_text(
        edited.read_text().replace('autumn flood season"', 'autumn high-water season"')
    )
    third = run("export", "-f", "html", "-o", "site")
    assert third.exit_code == 0, third
    changed = {
        p.relative_to(root / "site").as_posix()
        for p, mtime in files.items()
        if p.exists() and p.stat().st_mtime_ns != mtime
    }
    assert "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html" in changed
    assert (
        "releases/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.html" not in changed
    )
    assert not any(name.startswith(("az/", "ru/")) for name in changed), changed
    assert "1 rebuilt" in third.stderr  # only the search bundle of en
    assert (root / "site" / "CNAME").read_text() == "press.example.org"
    # unpublishing removes the page prcli wrote, and nothing else
    assert run("archive", "2021-11-02-statement").exit_code == 0
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    assert not (
        root / "site/releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html"
    ).exists()
    assert (root / "site" / "CNAME").is_file()


def test_reexport_renders_a_release_edited_to_the_same_size_and_time_and_restores_pages(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The render cache keeps a page while its release file's signature is the one the index
    cache goes by (size, modification and change times, inode): an edit that keeps the size and
    puts the modification time back is still seen. A page deleted or edited by hand in the
    folder is rendered again, though its release did not change."""
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    edited = root / "releases/2021/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.md"
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    assert "next meeting will be held in Baku" in text
    edited.write_text(text.replace("held in Baku", "held in Ruba"), "utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = edited.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    site = root / "site"
    other = site / "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html"
    other_text = other.read_text(encoding="utf-8")
    other.unlink()
    archive = site / "en/archive.html"
    archive_text = archive.read_text(encoding="utf-8")
    archive.write_text(archive_text.replace("<h1", "<h2", 1), encoding="utf-8")  # same size
    os.utime(archive, ns=(0, 0))
    again = run("export", "-f", "html", "-o", "site")
    assert again.exit_code == 0, again
    page = read(site, "releases/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.html")
    assert "held in Ruba" in page and "held in Baku" not in page
    assert other.read_text(encoding="utf-8") == other_text  # deleted by hand: written again
    assert archive.read_text(encoding="utf-8") == archive_text  # edited by hand: made again
    # The feed is made again with every text in it, those of releases that did not change too
    # (the site reads texts only of what it makes again).
    feed = read(site, "en/feed.xml")
    assert "held in Ruba" in feed and "reserve generators have been delivered" in feed
    assert "1 rebuilt" in again.stderr  # the search bundle of en holds the new text
    unchanged = run("export", "-f", "html", "-o", "site")
    assert "site/: 0 written," in unchanged.stderr and "0 rebuilt" in unchanged.stderr


def test_foreign_file_of_a_site_name_is_not_replaced_without_force(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    write_release(repository, make_release())
    out = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(out)).exit_code == 0
    (out / "en" / "archive.html").unlink()
    (out / "en" / "archive.html").write_text("hand made")
    # the manifest says prcli wrote en/archive.html: it is prcli's and is rebuilt
    assert run("export", "-f", "html", "-o", str(out)).exit_code == 0
    assert "hand made" not in read(out, "en/archive.html")
    # a file the office put where the site now needs one is not replaced without --force
    (out / "en" / "page").mkdir()
    (out / "en" / "page" / "2.html").write_text("hand made")
    add_config(repository, "[site]\npage_size = 1\n")
    write_release(repository, make_release(title="Second release", date=date(2021, 10, 16)))
    refused = run("export", "-f", "html", "-o", str(out))
    assert refused.exit_code == 1 and "prcli did not write" in refused.stderr, refused
    assert "en/page/2.html" in refused.stderr
    assert read(out, "en/page/2.html") == "hand made"
    assert not (out / "releases" / "2021-10-16-second-release.html").exists()  # nothing written
    assert run("export", "-f", "html", "-o", str(out), "--force").exit_code == 0
    assert "Second release" in read(out, "en/index.html")


def test_retracted_release_keeps_its_page_with_a_notice(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    history = (
        HistoryEntry(Status.PUBLISHED, datetime(2021, 10, 15, 10, tzinfo=BAKU)),
        HistoryEntry(
            Status.PUBLISHED,
            datetime(2021, 10, 16, 9, tzinfo=BAKU),
            note="Date fixed",
            kind="correction",
        ),
        HistoryEntry(Status.RETRACTED, datetime(2021, 10, 20, 9, tzinfo=BAKU), note="x"),
    )
    write_release(
        repository,
        make_release(
            status=Status.RETRACTED,
            retraction="The meeting was postponed.",
            history=history,
            language="ru",
            title="Встреча в Москве",
        ),
    )
    out = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(out)).exit_code == 0  # retracted is public
    page = read(out, "releases/2021-10-15-vstrecha-v-moskve.html")
    assert "Отозван 20 октября 2021" in page and "The meeting was postponed." in page
    assert "Обновлено 16 октября 2021: Date fixed" in page
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["creativeWorkStatus"] == "Retracted" and len(ld["correction"]) == 2
    assert "Отозван" in read(out, "ru/index.html")
    # a link shared on social media says it too (og:title had the bare title)
    assert '<meta property="og:title" content="[Отозван] Встреча в Москве">' in page


# -- bad input ---------------------------------------------------------------------------------


def add_config(repository: Repository, text: str) -> None:
    path = repository.root / "prcli.toml"
    path.write_text(path.read_text() + "\n" + text)


def test_template_folder_missing(tmp_path: Path, repository: Repository, run: Run) -> None:
    write_release(repository, make_release())
    add_config(repository, '[site]\ntemplates = "theme"\n')
    result = run("export", "-f", "html", "-o", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "site.templates: the folder theme does not exist" in result.stderr
    assert not (tmp_path / "site").exists()


def test_template_syntax_error_names_file_and_line_and_writes_nothing(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    write_release(repository, make_release())
    theme = repository.root / "theme"
    theme.mkdir()
    (theme / "release.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n<h1>{{ release.title }</h1>\n'
    )
    add_config(repository, '[site]\ntemplates = "theme"\n')
    out = tmp_path / "site"
    result = run("export", "-f", "html", "-o", str(out))
    assert result.exit_code == 1
    assert f"{theme / 'release.html'}:3: template syntax error" in result.stderr, result
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("template", "mistake"),
    [
        ("release.html", "release.no_such_field"),  # pages rendered once the texts are read
        ("list.html", "no_such_name"),  # pages rendered by the worker forked before that
    ],
)
def test_template_error_in_a_worker_writes_nothing_not_even_the_search(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, template: str, mistake: str
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setattr("prcli.site.build.PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    theme = root / "theme"
    theme.mkdir()
    (theme / template).write_text(
        f'{{% extends "base.html" %}}\n{{% block content %}}\n{{{{ {mistake} }}}}\n'
        "{% endblock %}\n"
    )
    with (root / "prcli.toml").open("a") as config:
        config.write('\n[site]\ntemplates = "theme"\n')
    out = root / "new" / "site"
    result = run("export", "-f", "html", "-o", str(out))
    assert result.exit_code == 1, result
    assert f"{theme / template}:3: template error" in result.stderr, result
    assert not (root / "new").exists()  # no page, no search bundle, no folder made for them


def test_pagefind_failing_writes_nothing(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setattr("prcli.site.search._executable", lambda: "/bin/false")
    result = run("export", "-f", "html", "-o", "site")
    assert result.exit_code == 1, result
    assert "Pagefind failed on the search index" in result.stderr, result
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_own_template_and_stylesheet_are_used(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    write_release(
        repository, make_release(id="2021-10-15-a-bold-claim", title="A <b>bold</b> claim")
    )
    theme = repository.root / "theme"
    theme.mkdir()
    (theme / "release.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1 class="own">{{ release.title }}</h1>'
        "{% endblock %}"
    )
    (repository.root / "brand.css").write_text("body { color: navy }")
    add_config(repository, '[site]\ntemplates = "theme"\nstylesheet = "brand.css"\n')
    out = tmp_path / "site"
    assert run("export", "-f", "html", "-o", str(out)).exit_code == 0
    page = read(out, "releases/2021-10-15-a-bold-claim.html")
    assert '<h1 class="own">A &lt;b&gt;bold&lt;/b&gt; claim</h1>' in page  # autoescaped
    assert read(out, "assets/style.css") == "body { color: navy }"


def test_label_file_missing_keys_falls_back_to_english_with_one_warning(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    add_config(
        repository,
        '[site]\nlabels = "labels"\n[l10n.de.categories]\nEvents = "Termine"\n',
    )
    config = repository.root / "prcli.toml"
    config.write_text(config.read_text().replace('["en", "az", "ru"]', '["en", "de"]'))
    (repository.root / "labels").mkdir()
    (repository.root / "labels" / "de.toml").write_text(
        '[labels]\nlatest = "Neueste Meldungen"\nsearch = "Suche"\n'
    )
    write_release(repository, make_release(language="de", title="Treffen in Moskau"))
    write_release(repository, make_release(language="de", title="Zweites Treffen"))
    out = tmp_path / "site"
    result = run("export", "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result
    warnings = [line for line in result.stderr.splitlines() if "lack" in line]
    assert len(warnings) == 1 and "archive" in warnings[0] and "media_contacts" in warnings[0]
    assert "latest," not in warnings[0]
    page = read(out, "de/index.html")
    assert "Neueste Meldungen" in page and "Archive" in page  # English for the missing key
    # without a date pattern of its own a language writes CLDR's long date ("15. Oktober 2021"),
    # not the English pattern with German month names ("15 Oktober 2021")
    assert "15. Oktober 2021" in page and "15 Oktober 2021" not in page
    assert '<h2 id="m1">Oktober 2021</h2>' in read(out, "de/archive/2021.html")


def test_untranslated_category_shows_the_key_with_one_warning(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    for day in (1, 2):
        write_release(
            repository,
            make_release(
                language="az", category="Briefings", title=f"Brifinq {day}", date=date(2021, 3, day)
            ),
        )
    result = run("export", "-f", "html", "-o", str(tmp_path / "site"))
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "Briefings" in line]
    assert len(warnings) == 1 and "[l10n.az.categories]" in warnings[0], result.stderr
    assert "Briefings" in read(tmp_path / "site", "az/index.html")


def test_base_url_must_be_absolute(tmp_path: Path, repository: Repository, run: Run) -> None:
    write_release(repository, make_release())
    for bad in ("press.example.org", "/news", "ftp://example.org"):
        result = run("export", "-f", "html", "-o", str(tmp_path / "site"), "--base-url", bad)
        assert result.exit_code == 2 and "not an absolute http(s) address" in result.stderr
    assert not (tmp_path / "site").exists()


def test_base_url_is_checked_for_every_format_that_writes_addresses(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    """Only the site checked it: an Atom feed or ninjs took "foo bar" into every id; a space or a
    quote passed the site's check too and went into every canonical link and sitemap entry."""
    write_release(repository, make_release())
    for fmt in ("atom", "rss", "ninjs", "html"):
        for bad in ("foo bar", "https://exa mple.org", 'https://x.org/"><b>', "https://x..org"):
            out = tmp_path / (f"{fmt}.xml" if fmt in ("atom", "rss") else fmt)
            result = run("export", "-f", fmt, "--base-url", bad, "-o", str(out))
            assert result.exit_code == 2, (fmt, bad, result)
            assert result.stderr.startswith(f"error: base URL '{bad}' "), result.stderr
            assert not out.exists()
    good = run("export", "-f", "atom", "--base-url", "https://пресс.example:8443/news/")
    assert good.exit_code == 0 and "<id>https://пресс.example:8443/news/</id>" in good.stdout
    # a bad [organisation] url is named in prcli.toml, with its line; a private format ignores it
    config = repository.root / "prcli.toml"
    text = config.read_text(encoding="utf-8")
    if "url = " in text:
        text = re.sub(r"(?m)^url = .*$", 'url = "press.example.org"', text)
    else:
        text = text.replace("[organisation]\n", '[organisation]\nurl = "press.example.org"\n', 1)
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index('url = "press.example.org"') + 1
    result = run("export", "-f", "rss")
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr.startswith(f"error: {config}:{line}: organisation.url 'press.example.org'")
    assert "--base-url" in result.stderr
    assert run("export", "-f", "json").exit_code == 0


def test_pages_rendered_in_worker_processes_are_the_same(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    monkeypatch.setattr("prcli.site.build.PARALLEL_THRESHOLD", 10**9)
    assert run("export", "-f", "html", "-o", "serial").exit_code == 0
    monkeypatch.setattr("prcli.site.build.PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert run("export", "-f", "html", "-o", "parallel").exit_code == 0
    # Every file, the manifest too (the workers write their pages and give their digests).
    serial = {
        p.relative_to(root / "serial"): (p.read_bytes(), p.stat().st_mode)
        for p in (root / "serial").rglob("*")
        if p.is_file()
    }
    parallel = {
        p.relative_to(root / "parallel"): (p.read_bytes(), p.stat().st_mode)
        for p in (root / "parallel").rglob("*")
        if p.is_file()
    }
    assert sum(1 for p in serial if p.suffix == ".html") > 20 and serial == parallel
    assert not list((root / "parallel").glob(".prcli-staging*"))


def test_a_worker_failing_to_write_its_page_says_which_and_writes_nothing(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setattr("prcli.site.build.PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr("os.cpu_count", lambda: 2)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("prcli.site.build._write_new", full)
    out = root / "new" / "site"
    result = run("export", "-f", "html", "-o", str(out))
    assert result.exit_code != 0, result
    assert f"cannot write {out}/" in result.stderr and "No space left" in result.stderr, result
    assert "free some disk space" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "new").exists()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_default_look_is_accessible(sample_site: Path) -> None:
    """Headings in order, alt text, a skip link to the main content, lang on every page, and
    text colours of the stylesheet at WCAG AA contrast (4.5:1) on the backgrounds they sit on."""
    import re

    pages = [p for p in sample_site.rglob("*.html") if "search" not in p.parts[-2:-1]]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        if 'http-equiv="refresh"' in html:
            continue
        assert re.search(r'<html lang="[a-z]{2,3}" dir="(ltr|rtl)">', html), page
        body = html.split("<body>", 1)[1]
        assert body.lstrip().startswith('<a class="skip-link" href="#main">'), page
        assert '<main id="main"' in body
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", body)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, page
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (page, levels)
        for image in re.findall(r"<img\b[^>]*>", body):
            assert " alt=" in image, (page, image)
    css = (sample_site / "assets" / "style.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    for text, background in (
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "tint"),
        ("accent", "paper"),
        ("accent", "tint"),
        ("accent-ink", "accent"),
        ("alert", "alert-tint"),
        ("ink", "alert-tint"),
    ):
        ratio = _contrast(colours[text], colours[background])
        assert ratio >= 4.5, (text, background, round(ratio, 2))


def test_contact_name_and_role_join_without_a_space_before_the_comma(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    from prcli.model import Contact

    contact = Contact(name="Press office \t", role="  Media enquiries ", email=" p@example.org ")
    write_release(repository, make_release(title="Contacts joined", contacts=(contact,)))
    result = run("export", "-f", "html", "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result
    page = next((tmp_path / "site/releases").glob("*contacts-joined*.html")).read_text()
    assert "<li><strong>Press office</strong>, Media enquiries<br>" in page, page
    wire = run("export", "2021-10-15-contacts", "--format", "wire")
    assert wire.exit_code == 0, wire
    assert "Press office, Media enquiries, p@example.org\n" in wire.stdout


def test_reexport_report_counts_the_search_files_and_names_the_pages(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pagefind's hashed files (search/en/fragment/en_….pf_fragment) change on every edit: the
    # report counts them on the search line and names only the pages a reader would look for.
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    assert run("export", "-f", "html", "-o", "site").exit_code == 0
    edited = root / "releases/2021/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.md"
    edited.write_text(
        edited.read_text().replace('autumn flood season"', 'autumn high-water season"')
    )
    again = run("export", "-f", "html", "-o", "site")
    assert again.exit_code == 0, again
    assert "search/" not in again.stderr and ".pf_" not in again.stderr, again.stderr
    assert "Removed:" not in again.stderr  # only search files went
    found = re.search(
        r"Search: 3 Pagefind bundle\(s\), 1 rebuilt: (\d+) file\(s\) written, (\d+)", again.stderr
    )
    assert found and int(found[1]) > 0 and int(found[2]) > 0, again.stderr
    assert run("archive", "2021-11-02-statement").exit_code == 0
    third = run("export", "-f", "html", "-o", "site")
    assert third.exit_code == 0, third
    removed = [line for line in third.stderr.splitlines() if line.startswith("Removed:")]
    assert len(removed) == 1 and "search/" not in removed[0], third.stderr
    assert (
        "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html" in removed[0]
    )


def test_folder_report_of_thousands_of_files_stays_a_few_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from prcli.cli.output import report_folder
    from prcli.folderexport import FolderReport

    pages = [f"en/releases/{n:05}.html" for n in range(3000)]
    bundle = [f"search/en/fragment/en_{n:07x}.pf_fragment" for n in range(3000)]
    report = FolderReport(written=pages + bundle, removed=pages + bundle)
    report_folder(report, Path("site"), counted="search/")
    err = capsys.readouterr().err
    assert "site/: 6000 written, 0 unchanged, 6000 removed" in err  # the totals are whole
    assert len(err.splitlines()) == 2, err
    assert "Removed: en/releases/00000.html, " in err and "and 2995 more" in err
    assert "search/" not in err


def _as_elementtree_writes_it(data: bytes) -> bytes:
    """The document parsed and written again by ElementTree as prcli wrote sitemaps before they
    were written out as text (namespaces registered, indented by one space, UTF-8)."""
    ET.register_namespace("", SITEMAP[1:-1])
    ET.register_namespace("xhtml", XHTML[1:-1])
    root = ET.fromstring(data)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def test_sitemap_is_byte_for_byte_what_elementtree_writes(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sample(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRCLI_NOW", SAMPLE_NOW)
    base = "https://press.example.org/news&views"  # an ampersand to escape in every address
    assert run("export", "-f", "html", "-o", "site", "--base-url", base).exit_code == 0
    data = (root / "site" / "sitemap.xml").read_bytes()
    assert b"/news&amp;views/releases/" in data and b'xmlns:xhtml="' in data
    assert data == _as_elementtree_writes_it(data)


def test_an_empty_sitemap_is_what_elementtree_writes() -> None:
    from prcli.site.sitemaps import sitemap

    options: Any = type("Options", (), {"settings": type("S", (), {"default_language": "en"})})
    data = sitemap([], options, "https://press.example.org", [], set())
    assert data == _as_elementtree_writes_it(data)
    assert b"<urlset" in data and b"xhtml" not in data
