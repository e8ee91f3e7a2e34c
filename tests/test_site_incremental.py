"""Re-exports of the newsroom site make again every page whose inputs changed, and only those:
what each page shows of other releases, of the settings and label files, and of the clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from prcli.model import HistoryEntry, Status
from prcli.repository import Repository

from .conftest import Run
from .helpers import BAKU, make_release, write_release


def _config(repository: Repository, text: str = "") -> None:
    path = repository.root / "prcli.toml"
    path.write_text(path.read_text() + "\n[site]\nsearch = false\n" + text)


def _export(run: Run, out: Path, *more: str) -> str:
    result = run("export", "-f", "html", "-o", str(out), *more)
    assert result.exit_code == 0, result
    return result.stderr


def test_a_label_changed_in_a_label_file_is_shown_on_every_page(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    _config(repository, 'labels = "labels"\n')
    (repository.root / "labels").mkdir()
    labels = repository.root / "labels" / "en.toml"
    labels.write_text('[labels]\nlatest = "Newest releases"\n')
    write_release(repository, make_release())
    out = tmp_path / "site"
    _export(run, out)
    assert "Newest releases" in (out / "en/index.html").read_text()
    labels.write_text('[labels]\nlatest = "Most recent releases"\n')
    _export(run, out)
    assert "Most recent releases" in (out / "en/index.html").read_text()


def test_a_translation_retitled_is_shown_on_the_page_of_its_other_version(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    _config(repository)
    english = make_release(translation_key="meeting")
    write_release(repository, english)
    azerbaijani = make_release(
        id="2021-10-15-moskvada-gorus", title="Moskvada görüş", language="az"
    ).replace(translation_key="meeting")
    path = write_release(repository, azerbaijani)
    out = tmp_path / "site"
    _export(run, out)
    page = out / "releases" / f"{english.id}.html"
    assert "Moskvada görüş" in page.read_text()
    path.write_text(path.read_text().replace("Moskvada görüş", "Moskvada ikinci görüş"))
    _export(run, out)
    assert "Moskvada ikinci görüş" in page.read_text()


def _published(repository: Repository, title: str, at: datetime) -> Path:
    release = make_release(
        title=title, date=at.date(), history=(HistoryEntry(Status.PUBLISHED, at),)
    )
    return write_release(repository, release)


def test_the_news_sitemap_follows_the_clock_and_the_titles_of_its_releases(
    tmp_path: Path, repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(repository)
    path = _published(repository, "Morning news", datetime(2026, 11, 25, 9, tzinfo=BAKU))
    _published(repository, "Fresh news", datetime(2026, 11, 26, 9, tzinfo=BAKU))
    out = tmp_path / "site"
    news = out / "news-sitemap.xml"
    monkeypatch.setenv("PRCLI_NOW", "2026-11-27T08:00:00+04:00")
    _export(run, out, "--base-url", "https://example.org")
    assert "Morning news" in news.read_text() and "Fresh news" in news.read_text()
    # Edited by hand: the title changes, not the time of the last public change.
    path.write_text(path.read_text().replace("Morning news", "Early news"))
    _export(run, out, "--base-url", "https://example.org")
    assert "Early news" in news.read_text() and "Morning news" not in news.read_text()
    # Two hours later on the same day: published more than two days ago, no longer news.
    monkeypatch.setenv("PRCLI_NOW", "2026-11-27T10:00:00+04:00")
    _export(run, out, "--base-url", "https://example.org")
    assert "Early news" not in news.read_text() and "Fresh news" in news.read_text()


def test_a_language_that_only_a_release_brings_joins_the_menu_of_every_page(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    _config(repository)
    write_release(repository, make_release())
    out = tmp_path / "site"
    _export(run, out)
    assert 'hreflang="de"' not in (out / "en/index.html").read_text()
    write_release(repository, make_release(id="2021-10-15-treffen", language="de"))
    _export(run, out)
    assert 'href="../de/index.html"' in (out / "en/index.html").read_text()


def test_a_release_appears_when_the_clock_passes_its_embargo(
    tmp_path: Path, repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(repository)
    write_release(repository, make_release())
    lifted = datetime(2021, 10, 20, 12, tzinfo=BAKU)
    embargoed = make_release(
        title="Embargoed statement",
        date=lifted.date(),
        embargo_until=lifted,
        history=(HistoryEntry(Status.PUBLISHED, lifted - timedelta(days=1)),),
    )
    write_release(repository, embargoed)
    out = tmp_path / "site"
    monkeypatch.setenv("PRCLI_NOW", (lifted - timedelta(minutes=1)).isoformat())
    _export(run, out)
    page = out / "releases" / f"{embargoed.id}.html"
    assert not page.exists() and "Embargoed statement" not in (out / "en/index.html").read_text()
    assert "Embargoed statement" not in (out / "en/feed.xml").read_text()
    monkeypatch.setenv("PRCLI_NOW", (lifted + timedelta(minutes=1)).isoformat())
    _export(run, out)
    assert page.exists() and "Embargoed statement" in (out / "en/index.html").read_text()
    assert "Embargoed statement" in (out / "en/feed.xml").read_text()


def test_the_sitemap_follows_a_correction_written_into_the_history_by_hand(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    _config(repository)
    published = datetime(2021, 10, 15, 12, tzinfo=BAKU)
    release = make_release(history=(HistoryEntry(Status.PUBLISHED, published),))
    write_release(repository, release)
    out = tmp_path / "site"
    _export(run, out, "--base-url", "https://example.org")
    assert "<lastmod>2021-10-15T12:00:00+04:00</lastmod>" in (out / "sitemap.xml").read_text()
    corrected = published + timedelta(days=2)
    note = HistoryEntry(Status.PUBLISHED, corrected, note="The date was wrong", kind="correction")
    write_release(repository, release.replace(history=(*release.history, note)))
    _export(run, out, "--base-url", "https://example.org")
    assert "<lastmod>2021-10-17T12:00:00+04:00</lastmod>" in (out / "sitemap.xml").read_text()


def test_a_search_bundle_missing_a_file_is_built_again(
    tmp_path: Path, repository: Repository, run: Run
) -> None:
    write_release(repository, make_release())
    write_release(repository, make_release(id="2021-10-15-moskvada-gorus", language="az"))
    out = tmp_path / "site"
    assert "2 rebuilt" in _export(run, out)
    assert "0 rebuilt" in _export(run, out)
    fragments = sorted((out / "search" / "en" / "fragment").iterdir())
    assert fragments
    fragments[0].unlink()  # deleted by hand: the bundle no longer works
    assert "1 rebuilt" in _export(run, out)  # the bundle of en, not that of az
    assert fragments[0].is_file()


def test_what_babel_answered_is_kept_for_the_next_export_of_the_same_babel(
    tmp_path: Path, repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prcli import l10n

    _config(repository)
    write_release(repository, make_release())
    _export(run, tmp_path / "first")
    memo = repository.root / ".prcli" / "site" / "cldr.json"
    data = json.loads(memo.read_text(encoding="utf-8"))
    assert ["2021-10-15", "d MMMM y", "en", "15 October 2021"] in data["memo"]["dates"]
    assert data["memo"]["directions"]["az"] == "ltr" and data["memo"]["names"]["ru"] == "Русский"
    for entry in data["memo"]["dates"]:
        if entry[:3] == ["2021-10-15", "d MMMM y", "en"]:
            entry[3] = "the fifteenth of October"  # to see where the next export's date came from
    memo.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(l10n, "_DATES", {})  # as in a new process
    _export(run, tmp_path / "second")
    assert "the fifteenth of October" in (tmp_path / "second/en/index.html").read_text()
    data["babel"] = "0.1"  # written by another babel, whose CLDR may say otherwise: not used
    memo.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(l10n, "_DATES", {})
    _export(run, tmp_path / "third")
    assert "15 October 2021" in (tmp_path / "third/en/index.html").read_text()
    memo.write_text('{"format": 1, "babel": "', encoding="utf-8")  # cut short: ignored
    assert (
        "15 October 2021"
        in _export(run, tmp_path / "fourth") + (tmp_path / "fourth/en/index.html").read_text()
    )


def test_pictures_are_read_again_only_when_their_files_change(
    tmp_path: Path, repository: Repository, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prcli.media import library

    from .media_helpers import write_picture

    _config(repository)
    release = make_release()
    write_release(repository, release)
    source = write_picture(tmp_path / "hall.jpg", width=400, height=300)
    result = run("attach", release.id, str(source), "--caption", "Hall", "--alt", "The hall")
    assert result.exit_code == 0, result
    stored = repository.root / result.stdout.strip()
    out = tmp_path / "site"
    _export(run, out)
    published = out / "media" / stored.name
    assert published.read_bytes() == stored.read_bytes()
    reading = library.media_files

    def refused(*arguments: object) -> object:
        raise AssertionError("an unchanged picture was read again")

    monkeypatch.setattr(library, "media_files", refused)
    assert "site/: 0 written," in _export(run, out)
    monkeypatch.setattr(library, "media_files", reading)
    write_picture(stored, width=400, height=300, colour=(30, 30, 200))  # replaced in place
    _export(run, out)
    assert published.read_bytes() == stored.read_bytes()
