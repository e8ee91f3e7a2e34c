"""Renditions, press kits and iCalendar: outputs read back with Pillow, zipfile and icalendar."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from prcli.model import Contact, Event
from prcli.repository import Repository

from .conftest import Run
from .helpers import BAKU, make_release, write_release
from .media_helpers import gps_of, picture, write_picture

ID = "2021-10-15-cis-security-chiefs-meet-in-moscow"


@pytest.fixture
def with_photos(run: Run, repository: Repository, tmp_path: Path) -> list[str]:
    """A published release with three photos (one 3000 x 2000 with GPS and orientation 6, one
    PNG, one small) and a PDF; returns the stored paths."""
    write_release(
        repository,
        make_release(
            summary="Heads of services met.",
            event=Event(
                start=datetime(2021, 10, 20, 11, tzinfo=BAKU),
                end=datetime(2021, 10, 20, 12, 30, tzinfo=BAKU),
                place="Press centre, 1 Istiglaliyyat Street, Baku",
                accreditation=Contact(name="Leyla", email="accreditation@example.org"),
            ),
        ),
    )
    sources = [
        (
            write_picture(tmp_path / "hall.jpg", width=3000, height=2000, gps=True, orientation=6),
            "Hall",
        ),
        (write_picture(tmp_path / "flags.png", fmt="PNG", width=800, height=600), "Flags"),
        (write_picture(tmp_path / "small.jpg", width=200, height=100), "Small"),
    ]
    stored = []
    for source, caption in sources:
        result = run(
            "attach", ID, str(source), "--caption", caption, "--credit", "Press service",
            "--alt", f"{caption} picture", "--licence", "Editorial use",
        )  # fmt: skip
        assert result.exit_code == 0, result
        stored.append(result.stdout.strip())
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a statement\n")
    result = run("attach", ID, str(pdf), "--caption", "Joint statement")
    assert result.exit_code == 0, result
    stored.append(result.stdout.strip())
    return stored


def kit(run: Run, tmp_path: Path, name: str = "kits") -> bytes:
    folder = tmp_path / name
    result = run("export", ID, "--format", "kit", "-o", f"{folder}/")
    assert result.exit_code == 0, result
    return (folder / f"{ID}.zip").read_bytes()


def test_press_kit_holds_text_originals_web_sizes_captions_and_manifest(
    run: Run, repository: Repository, tmp_path: Path, with_photos: list[str]
) -> None:
    originals = {Path(p).name: (repository.root / p).read_bytes() for p in with_photos}
    data = kit(run, tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == sorted(names)
        assert all(name.startswith(f"{ID}/") for name in names)
        inside = {name.removeprefix(f"{ID}/"): archive.read(name) for name in names}
        assert {i.date_time for i in archive.infolist()} == {(2021, 10, 15, 0, 0, 0)}
    for name, content in originals.items():
        if name.startswith("hall-"):  # published without its GPS position, pixels untouched
            assert gps_of(content) and not gps_of(inside[f"originals/{name}"])
            published = io.BytesIO(inside[f"originals/{name}"])
            with Image.open(published) as out, Image.open(io.BytesIO(content)) as source:
                assert out.tobytes() == source.tobytes()
        else:
            assert inside[f"originals/{name}"] == content
    webs = sorted(name for name in inside if name.startswith("web/"))
    assert len(webs) == 3  # pictures only, not the PDF
    hall_web = next(n for n in webs if n.startswith("web/hall-"))
    with Image.open(io.BytesIO(inside[hall_web])) as image:
        assert image.size == (1067, 1600)  # 3000 x 2000 turned upright (orientation 6), 1600 long
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        # the coloured half of the original is on the left; turned 90 degrees clockwise it is on top
        assert image.getpixel((533, 100))[0] > 150 and image.getpixel((533, 1500)) == (
            255,
            255,
            255,
        )
    flags_web = next(n for n in webs if n.startswith("web/flags-"))
    assert flags_web.endswith("-web.jpg")
    small_web = next(n for n in webs if n.startswith("web/small-"))
    with Image.open(io.BytesIO(inside[small_web])) as image:
        assert image.size == (200, 100)  # never enlarged
    release_md = inside["release.md"].decode()
    assert release_md.startswith("# CIS security chiefs meet in Moscow")
    assert "Press centre, 1 Istiglaliyyat Street, Baku" in release_md
    assert "Hall (Photo: Press service)" in release_md
    assert "CIS SECURITY CHIEFS" in inside["release.txt"].decode().upper()
    captions = inside["captions.txt"].decode()
    assert "Caption: Flags" in captions and "Credit: Press service" in captions
    assert "Alt text: Hall picture" in captions and "Usage terms: Editorial use" in captions
    assert "Caption: Joint statement" in captions
    assert inside["event.ics"].startswith(b"BEGIN:VCALENDAR")
    manifest = json.loads(inside["manifest.json"])
    assert manifest["id"] == ID
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(inside) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(inside[path]).hexdigest()
        assert entry["size"] == len(inside[path])
    hall = next(e for p, e in listed.items() if p.startswith("originals/hall-"))
    assert hall["caption"] == "Hall" and hall["credit"] == "Press service"
    assert (hall["width"], hall["height"]) == (2000, 3000)
    assert not gps_of(inside[next(p for p in listed if p.startswith("originals/hall-"))])


def test_press_kit_bytes_repeat_and_renditions_come_from_the_cache(
    run: Run,
    repository: Repository,
    tmp_path: Path,
    with_photos: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = kit(run, tmp_path, "one")
    cached = sorted((repository.root / ".prcli" / "renditions").iterdir())
    assert len(cached) == 6  # web and thumbnail of three pictures
    stamps = [path.stat().st_mtime_ns for path in cached]

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a rendition was made again")

    from prcli.media import images

    render = images.render_many
    monkeypatch.setattr(images, "render_many", fail)
    second = kit(run, tmp_path, "two")
    assert first == second  # byte-identical
    assert [path.stat().st_mtime_ns for path in cached] == stamps
    # an edited picture gets new renditions; the old original's are not used for it
    monkeypatch.setattr(images, "render_many", render)
    target = repository.root / with_photos[2]
    target.write_bytes(picture(width=300, height=100, colour=(0, 0, 255)))
    third = kit(run, tmp_path, "three")
    assert third != first
    assert len(list((repository.root / ".prcli" / "renditions").iterdir())) == 8


def test_a_missing_attachment_stops_the_kit_with_a_clear_error(
    run: Run, repository: Repository, tmp_path: Path, with_photos: list[str]
) -> None:
    (repository.root / with_photos[0]).unlink()
    result = run("export", ID, "--format", "kit", "-o", f"{tmp_path / 'kits'}/")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "kits").glob("*.zip"))


def test_media_advisory_as_icalendar(
    run: Run, repository: Repository, with_photos: list[str]
) -> None:
    icalendar = pytest.importorskip("icalendar")
    result = run("export", "--format", "ics", "--base-url", "https://press.example.org")
    assert result.exit_code == 0, result
    calendar = icalendar.Calendar.from_ical(result.stdout)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "CIS security chiefs meet in Moscow"
    assert event.decoded("dtstart") == datetime(2021, 10, 20, 11, tzinfo=BAKU)
    assert event.decoded("dtend") == datetime(2021, 10, 20, 12, 30, tzinfo=BAKU)
    assert "Istiglaliyyat" in str(event["location"])
    assert str(event["organizer"]) == "mailto:accreditation@example.org"
    assert str(event["url"]) == f"https://press.example.org/releases/{ID}.html"
    assert "Accreditation: Leyla" in str(event["description"])


@pytest.mark.parametrize("version", [2, 3])
def test_ninjs_associations_with_renditions_validate(
    run: Run, with_photos: list[str], version: int
) -> None:
    from .test_cli_export import _ninjs_validator

    validator = _ninjs_validator(version)
    result = run(
        "export", "--format", "ninjs", "--ninjs-version", str(version),
        "--base-url", "https://press.example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result
    document = json.loads(result.stdout)
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]
    size = "sizeinbytes" if version == 2 else "sizeInBytes"
    media_type = "contenttype" if version == 2 else "contentType"
    pictures = [a for a in document["associations"] if a["type"] == "picture"]
    assert [a["name"] for a in pictures] == ["picture1", "picture2", "picture3"]
    hall = pictures[0]
    assert hall["descriptions"] == [
        {"role": "caption", "value": "Hall"},
        {"role": "alt", "value": "Hall picture"},
    ]
    assert hall["by"] == "Press service"
    assert hall["usageterms" if version == 2 else "usageTerms"] == "Editorial use"
    renditions = {r["name"]: r for r in hall["renditions"]}
    assert set(renditions) == {"original", "web", "thumbnail"}
    assert (renditions["web"]["width"], renditions["web"]["height"]) == (1067, 1600)
    assert (renditions["original"]["width"], renditions["original"]["height"]) == (2000, 3000)
    assert renditions["web"][media_type] == "image/jpeg" and renditions["web"][size] > 0
    assert renditions["web"]["href"].startswith("https://press.example.org/releases/media/hall-")
    pdf = next(a for a in document["associations"] if a["type"] == "component")
    assert [r["name"] for r in pdf["renditions"]] == ["original"]
    if version == 3:
        assert document["eventDetails"]["dates"] == {
            "startDate": "2021-10-20T11:00:00+04:00",
            "endDate": "2021-10-20T12:30:00+04:00",
        }
    else:
        assert "eventDetails" not in document
    assert any(p.get("rel") == "eventlocation" for p in document["places"])


def test_html_pages_show_figures_with_captions_credits_and_srcset(
    run: Run, tmp_path: Path, with_photos: list[str]
) -> None:
    from html.parser import HTMLParser

    site = tmp_path / "site"
    result = run("export", "--format", "html", "-o", f"{site}/")
    assert result.exit_code == 0, result
    page = (site / "releases" / f"{ID}.html").read_text()

    class Figures(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.images: list[dict[str, str | None]] = []
            self.captions: list[str] = []
            self.inside = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "img":
                self.images.append(dict(attrs))
            self.inside = self.inside or tag == "figcaption"
            if tag == "figcaption":
                self.captions.append("")

        def handle_endtag(self, tag: str) -> None:
            self.inside = self.inside and tag != "figcaption"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.captions[-1] += data

    parser = Figures()
    parser.feed(page)
    assert page.count("<figure") == 3
    assert parser.captions == [
        "Hall Photo: Press service",
        "Flags Photo: Press service",
        "Small Photo: Press service",
    ]
    hall = parser.images[0]
    assert hall["alt"] == "Hall picture"
    assert (hall["width"], hall["height"]) == ("1067", "1600")
    srcset = str(hall["srcset"])
    assert "-thumb.jpg 267w" in srcset and "-web.jpg 1067w" in srcset
    for image in parser.images:
        for candidate in str(image["srcset"]).split(", "):
            path = site / "releases" / candidate.split(" ")[0]  # relative to the page
            with Image.open(path) as picture_file:
                assert not picture_file.getexif() and "xmp" not in picture_file.info
    assert 'class="downloads"' in page and "Joint statement" in page
    for stored in with_photos:
        assert (site / "media" / Path(stored).name).is_file()  # originals, for download
    assert "Press centre, 1 Istiglaliyyat Street, Baku" in page
    assert f'href="../releases/{ID}.ics"' in page
    assert (site / "releases" / f"{ID}.ics").read_bytes().startswith(b"BEGIN")


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feeds_carry_enclosures_and_media(run: Run, with_photos: list[str], fmt: str) -> None:
    feedparser = pytest.importorskip("feedparser")
    result = run("export", "--format", fmt, "--base-url", "https://press.example.org")
    assert result.exit_code == 0, result
    feed = feedparser.parse(result.stdout)
    assert not feed.bozo, feed.bozo_exception
    entry = feed.entries[0]
    enclosures = entry.enclosures
    base = "https://press.example.org/releases/media/"
    if fmt == "atom":
        assert len(enclosures) == 4
        assert [e.href.removeprefix(base)[:5] for e in enclosures] == [
            "hall-",
            "flags",
            "small",
            "state",
        ]
        assert enclosures[0].type == "image/jpeg" and int(enclosures[0].length) > 0
    else:
        assert len(enclosures) == 1 and enclosures[0].href.startswith(base + "hall-")
        contents = entry.media_content
        assert len(contents) == 4
        assert contents[0]["medium"] == "image" and contents[0]["width"] == "1067"
        assert entry.media_credit[0]["content"] == "Press service"
        assert entry.media_thumbnail[0]["url"].endswith("-thumb.jpg")
    content = entry.content[0].value if fmt == "atom" else entry.description
    assert "<figure" in content and "Photo: Press service" in content
    assert f'src="{base}hall-' in content


def _published(repository: Repository, title: str, event: Event | None = None) -> str:
    from prcli.model import HistoryEntry, Status

    from .helpers import NOW

    release = make_release(
        title=title,
        event=event,
        history=(HistoryEntry(Status.PUBLISHED, NOW, "Press office"),),
    )
    write_release(repository, release)
    return release.id


def test_ics_without_any_event_says_nothing_was_exported(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    """Not "Exported 2": no release is a media advisory. An empty calendar, exit 0 (a script's
    cron job has nothing to announce), exit 1 with --fail-empty."""
    _published(repository, "Flood season statement")
    _published(repository, "Winter tyres reminder")
    result = run("export", "--format", "ics")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("BEGIN:VCALENDAR") and "VEVENT" not in result.stdout
    assert "Exported" not in result.stderr
    assert "none of the 2 matching releases has an event" in result.stderr.lower()
    assert run("export", "--format", "ics", "--fail-empty").exit_code == 1
    folder = run("export", "--format", "ics", "-o", str(tmp_path / "ics") + "/")
    assert folder.exit_code == 0 and "Exported" not in folder.stderr
    assert not list((tmp_path / "ics").glob("*.ics"))


def test_ics_names_the_advisories_it_exported(run: Run, repository: Repository) -> None:
    event = Event(start=datetime(2026, 12, 2, 11, tzinfo=BAKU), place="Baku")
    advisory = _published(repository, "Press conference on the flood season", event)
    _published(repository, "Winter tyres reminder")
    result = run("export", "--format", "ics", "--fail-empty")
    assert result.exit_code == 0, result
    assert result.stdout.count("BEGIN:VEVENT") == 1
    assert f"Exported 1 media advisory to stdout: {advisory}" in result.stderr
    assert "1 matching release without an event block" in result.stderr


def test_media_partials_speak_the_release_language(
    run: Run, repository: Repository, tmp_path: Path, with_photos: list[str]
) -> None:
    """Captions, the downloads heading and the event block of an az release are in Azerbaijani
    (prcli.l10n labels), on its page and in the feeds."""
    path = next((repository.root / "releases").rglob(f"{ID}.md"))
    path.write_text(path.read_text().replace('language: "en"', 'language: "az"'))
    site = tmp_path / "site"
    result = run("export", "--format", "html", "-o", f"{site}/")
    assert result.exit_code == 0, result
    page = (site / "releases" / f"{ID}.html").read_text()
    for word in ("Foto: Press service", ">Yükləmələr<", ">Tədbir<", ">Başlanğıc<", ">Bitmə<"):
        assert word in page
    for word in (">Yer<", ">Akkreditasiya<", "Təqvimə əlavə et (.ics)"):
        assert word in page
    for english in ("Photo:", ">Downloads<", ">Event<", ">Starts<", ">Place<", "Add to calendar"):
        assert english not in page
    feed = run("export", "--format", "atom")
    assert "Foto: Press service" in feed.stdout and "Photo:" not in feed.stdout


def test_renditions_of_a_deleted_picture_and_stale_ones_are_pruned(
    run: Run, repository: Repository, tmp_path: Path, with_photos: list[str]
) -> None:
    """.prcli/renditions does not keep pictures forever: detaching (and so deleting) a picture
    drops its renditions; an export drops renditions of an older rendering version and ones no
    export used for months, and keeps what it uses and files that are not prcli's."""
    import os
    import time

    cache = repository.root / ".prcli" / "renditions"
    assert run("export", "--format", "html", "-o", f"{tmp_path / 'site'}/").exit_code == 0
    hall = hashlib.sha256((repository.root / with_photos[0]).read_bytes()).hexdigest()
    assert len(list(cache.glob(f"{hall}-*"))) == 2  # web and thumbnail
    detached = run("detach", ID, Path(with_photos[0]).name)
    assert detached.exit_code == 0 and "deleted" in detached.stderr, detached
    assert not list(cache.glob(f"{hall}-*"))
    in_use = sorted(cache.iterdir())
    old_version = cache / f"{'a' * 64}-web-1200-v1-1200x800.jpg"
    unused = cache / f"{'b' * 64}-web-1200-v{_version()}-1200x800.jpg"
    foreign = cache / "notes.txt"
    for path in (old_version, unused, foreign):
        path.write_bytes(b"x")
    long_ago = time.time() - 200 * 86400
    for path in (unused, foreign, *in_use):
        os.utime(path, (long_ago, long_ago))
    assert run("export", "--format", "html", "-o", f"{tmp_path / 'site'}/").exit_code == 0
    assert sorted(cache.iterdir()) == sorted([*in_use, foreign])


def _version() -> int:
    from prcli.media.renditions import VERSION

    return VERSION


def _kit_texts(run: Run, repository: Repository, tmp_path: Path, language: str) -> tuple[str, str]:
    """captions.txt and release.md of the press kit of a release in `language` with one photo."""
    release_id = f"2021-10-15-meeting-{language}"
    write_release(repository, make_release(id=release_id, language=language))
    source = write_picture(tmp_path / "hall.jpg", width=400, height=300)
    result = run(
        "attach", release_id, str(source), "--caption", "Hall", "--credit", "Press service",
        "--alt", "The hall", "--licence", "Editorial use",
    )  # fmt: skip
    assert result.exit_code == 0, result
    folder = tmp_path / f"kits-{language}"
    result = run("export", release_id, "--format", "kit", "-o", f"{folder}/")
    assert result.exit_code == 0, result
    assert result.stderr.count("warning:") == (1 if language == "de" else 0), result.stderr
    if language == "de":
        assert "no labels for language 'de'" in result.stderr
    with zipfile.ZipFile(folder / f"{release_id}.zip") as archive:
        return (
            archive.read(f"{release_id}/captions.txt").decode(),
            archive.read(f"{release_id}/release.md").decode(),
        )


def test_press_kit_words_are_in_the_release_language(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    config = repository.root / "prcli.toml"
    config.write_text(
        config.read_text().replace('["en", "az", "ru"]', '["en", "az", "ru", "de"]')
        + '\n[l10n.ru.labels]\nkit_caption = "Подпись к фото"\n'
    )
    az, az_text = _kit_texts(run, repository, tmp_path, "az")
    assert az.startswith("Fayl: originals/hall")
    assert "Veb ölçüsü: web/hall" in az and "Şəkilaltı yazı: Hall\n" in az
    assert "Mənbə: Press service\n" in az and "Alternativ mətn: The hall\n" in az
    assert "İstifadə şərtləri: Editorial use\n" in az and "Caption" not in az
    ru, ru_text = _kit_texts(run, repository, tmp_path, "ru")  # the repository's label wins
    assert "Подпись к фото: Hall\n" in ru and "Источник: Press service\n" in ru
    de, de_text = _kit_texts(run, repository, tmp_path, "de")  # no German labels: English, warned
    assert "Caption: Hall\n" in de and "Credit: Press service\n" in de
    # release.md: its headings and the photo credit too
    assert "## Şəkillər və sənədlər\n" in az_text and "Hall (Foto: Press service)" in az_text
    assert "## Media üçün əlaqə\n" in az_text and "Media contacts" not in az_text
    assert "## Фотографии и документы\n" in ru_text and "Hall (Фото: Press service)" in ru_text
    assert "## Pictures and documents\n" in de_text and "## Media contacts\n" in de_text
