"""The newsroom site in a real browser: headless Chromium renders the pages and runs the search.

The site is served over HTTP on 127.0.0.1 (Pagefind loads its index with fetch, which browsers do
not allow from file://). `.ci/run` installs Debian's chromium when it is missing; without it these
tests skip and say why.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from .test_site import SAMPLE_NOW, sample

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does this)",
)
AZ_RELEASE = "releases/2026-06-14-xilasedicilerin-gencede-birge-telimi-kecirilib.html"
RETRACTED = "releases/2021-11-02-statement-on-readiness-for-the-autumn-flood-season.html"


SITE_FOLDER: list[Path] = []  # the folder `served` serves


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample repository's site, one release retracted, served on a free loopback port."""
    from typer.testing import CliRunner

    from prcli.cli.app import app

    root = sample(tmp_path_factory.mktemp("browser"))
    runner = CliRunner()
    environment = {"PRCLI_NOW": SAMPLE_NOW, "PRCLI_REPO": str(root)}
    retracted = runner.invoke(
        app,
        [
            "retract",
            "2021-11-02-statement",
            "--reason",
            "Issued in error: the forecast was revised.",
        ],
        env=environment,
    )
    assert retracted.exit_code == 0, retracted.stderr
    built = runner.invoke(app, ["export", "-f", "html", "-o", str(root / "site")], env=environment)
    assert built.exit_code == 0, built.stderr
    SITE_FOLDER[:] = [root / "site"]
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def dom(url: str) -> str:
    """The DOM after scripts ran (virtual time lets the search finish), from headless Chromium."""
    return headless("--virtual-time-budget=60000", "--dump-dom", url)


def headless(*arguments: str) -> str:
    """What headless Chromium printed for these arguments (it must succeed)."""
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def searched(url: str) -> str:
    """The search page's DOM once its search finished (the page marks <body data-search-done>).
    Under heavy load the browser may dump the page before the index arrived: then ask again."""
    for _ in range(4):
        page = dom(url)
        if "data-search-done=" in page:
            return page
    raise AssertionError(f"the search never finished on {url}")


def text_of(html: str, pattern: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(pattern, html, re.S)]


def test_index_pages_in_three_languages(served: str) -> None:
    az = dom(served + "az/index.html")
    assert '<html lang="az" dir="ltr">' in az
    assert text_of(az, r"<h1>(.*?)</h1>") == ["Son xəbərlər"]
    assert "15 oktyabr 2021" in az and "Tədbirlər" in az
    assert 'class="skip-link" href="#main">Məzmuna keç</a>' in az
    ru = dom(served + "ru/index.html")
    assert text_of(ru, r"<h1>(.*?)</h1>") == ["Последние новости"] and "15 октября 2021" in ru
    en = dom(served + "en/index.html")
    titles = text_of(en, r'<h2 class="entry-title">(.*?)</h2>')
    assert "Statement on readiness for the autumn flood season [Retracted]" in titles
    # the root page sends the browser on to the default language
    assert "<h1>Latest releases</h1>" in dom(served)


def test_release_page(served: str) -> None:
    page = dom(served + AZ_RELEASE)
    assert '<html lang="az" dir="ltr">' in page
    assert text_of(page, r"<h1>(.*?)</h1>") == ["Xilasedicilərin Gəncədə birgə təlimi keçirilib"]
    headings = re.findall(r"<h([1-6])[ >]", page)
    assert headings[0] == "1" and all(int(b) - int(a) <= 1 for a, b in itertools.pairwise(headings))
    assert "14 iyun 2026" in page and "Media üçün əlaqə" in page
    assert '<script type="application/ld+json">' in page


def test_retracted_page_shows_the_notice_above_the_text(served: str) -> None:
    page = dom(served + RETRACTED)
    notice = page.index('class="notice notice-retracted"')
    assert notice < page.index('class="body"')
    assert "This release has been retracted" in page
    assert "Issued in error: the forecast was revised." in page
    assert "<title>[Retracted] Statement on readiness" in page


def test_search_runs_in_the_browser_and_folds_letters(served: str) -> None:
    for query in ("susa", "Şuşa", "gence", "telim"):
        page = searched(served + f"az/search.html?q={query}")
        links = re.findall(r'<a href="([^"]+)">([^<]*)</a>', page.split('id="search-results"')[1])
        assert links, (query, page.split('id="search-status"')[1][:300])
        assert links[0] == ("../" + AZ_RELEASE, "Xilasedicilərin Gəncədə birgə təlimi keçirilib")
    nothing = searched(served + "az/search.html?q=zzzqqq")
    assert "“zzzqqq” üzrə heç nə tapılmadı." in nothing
    # each language searches its own releases
    ru = searched(served + "ru/search.html?q=тбилиси")
    assert "regionalnye-rukovoditeli" in ru.split('id="search-results"')[1]
    page = searched(served + "en/search.html?q=tbilisi")
    assert "1 result for “tbilisi”" in page  # the plural form of the language (was "1 results")
    en = page.split('id="search-results"')[1]
    assert "regional-civil-protection-chiefs-meet-in-tbilisi" in en
    assert "regionalnye-rukovoditeli" not in en and "tbiliside" not in en


def test_search_marks_a_retracted_release_as_the_lists_do(served: str) -> None:
    """A retracted release was found by search with nothing to tell it from a live one."""
    page = searched(served + "en/search.html?q=readiness").split('id="search-results"')[1]
    assert '<li class="entry retracted">' in page, page[:600]
    assert '<span class="badge">[Retracted]</span>' in page
    live = searched(served + "en/search.html?q=tbilisi").split('id="search-results"')[1]
    assert "retracted" not in live and "badge" not in live


def test_search_opened_from_a_file_says_it_needs_a_web_server(served: str) -> None:
    """From file:// the browser loads neither the module script nor the index: the page says so
    (it used to stay silently empty); served over HTTP the note stays hidden."""
    unavailable = r'<p id="search-unavailable"[^>]*>'
    over_http = searched(served + "en/search.html?q=tbilisi")
    assert " hidden" in re.findall(unavailable, over_http)[0]
    page = dom((SITE_FOLDER[0] / "en" / "search.html").as_uri() + "?q=tbilisi")
    tag = re.findall(unavailable, page)[0]
    assert " hidden" not in tag, tag
    assert "needs the site on a web server" in page


def test_long_words_and_code_do_not_widen_the_page_on_a_phone(served: str) -> None:
    """A long address, a long hashtag or a line of code in a release used to make the whole page
    scroll sideways on a 390-pixel phone; they now wrap (code scrolls inside its own box)."""
    page = (SITE_FOLDER[0] / AZ_RELEASE).read_text(encoding="utf-8")
    long_url = "https://press.example.org/documents/" + "flood-preparedness-report-" * 6 + ".pdf"
    extra = (
        f"<p>{long_url}</p><p>#{'CaspianCivilProtection' * 4}</p>"
        f"<pre><code>curl -s {long_url}?category=Statements&amp;language=en | jq .</code></pre>"
        "<script>const html = document.documentElement;"
        "document.body.dataset.width = `${html.scrollWidth} ${html.clientWidth}`;</script>"
    )
    probe = SITE_FOLDER[0] / "releases" / "probe-long-words.html"
    probe.write_text(page.replace("</article>", extra + "</article>", 1), encoding="utf-8")
    shown = headless(
        "--hide-scrollbars",
        "--window-size=390,844",
        "--dump-dom",
        served + "releases/probe-long-words.html",
    )
    found = re.findall(r'data-width="(\d+) (\d+)"', shown)
    assert found, shown[-500:]
    scroll, client = map(int, found[0])
    assert client <= 500 and scroll <= client, (scroll, client)  # nothing wider than the screen
