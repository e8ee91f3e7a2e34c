"""A small repository that trips every cross-release rule, for the streaming tests.

Deterministic: the same files every time, so the outputs of `validate` and the machine exports on
it can be compared with golden digests taken before those commands streamed
(tests/data/streaming-golden.json). It has translation groups (consistent and not), duplicate ids
and titles, dead and live related links, a translation older than its source, forged statuses,
unreadable files, a stray file, a leftover temp file and a release in the wrong year's folder, and
releases sharing a date (so the order of ties by id shows).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from prcli.model import Attachment, Contact, HistoryEntry, Status
from prcli.repository import Repository

from .helpers import BAKU, make_release, write_release, write_text_release

WORDS = [
    "security",
    "service",
    "cooperation",
    "region",
    "border",
    "meeting",
    "delegation",
    "citizens",
    "operation",
    "information",
    "exchange",
    "stability",
    "agreement",
    "officials",
    "statement",
]


def _body(number: int, words: int) -> str:
    text = " ".join(WORDS[(number * 7 + i * 3) % len(WORDS)] for i in range(words))
    return f"{text.capitalize()}.\n\nSecond paragraph {number}: ok.\n"


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), BAKU) + timedelta(hours=hour)


def build(repository: Repository, count: int = 36) -> list[Path]:
    """Write the releases (and the broken files) into `repository`; returns the release paths."""
    languages = ("en", "az", "ru")
    categories = ("Events", "Official", "Statements")
    statuses = (Status.PUBLISHED, Status.DRAFT, Status.APPROVED, Status.PUBLISHED, Status.REVIEW)
    paths: list[Path] = []
    ids: list[str] = []
    for number in range(count):
        group = number // 3
        language = languages[number % 3]
        # Three releases share each date, so ties in the date order are broken by id.
        day = date(2020, 1, 1) + timedelta(days=40 * (number // 3) + (number % 2))
        if number % 9 == 4:
            day = day + timedelta(days=3)  # a language version with another date (PR204)
        category = categories[group % 3] if number % 11 != 5 else "Official"
        status = statuses[number % len(statuses)]
        title = f"Meeting number {group} on {WORDS[group % len(WORDS)]}"
        if number % 13 == 7:
            title = "Shared headline of two releases"  # PR311 within a language
        fields: dict[str, object] = {
            "title": title + ("" if language == "en" else f" ({language})"),
            "language": language,
            "date": day,
            "category": category,
            "status": status,
            "summary": f"Summary {number}.",
            "tags": (WORDS[number % 5], WORDS[(number + 2) % 5]),
            "body": _body(number, 20 + (number * 17) % 70),
            "translation_key": f"group-{group}" if group % 4 != 3 else "",
            "issuer": "Public Relations Department",
            "contacts": (Contact("Press", email="press@example.org" if number % 10 else "bad@"),),
        }
        if number % 6 == 2:
            fields["embargo_until"] = _moment(day, 9 + number % 2)  # PR206 in some groups
        if number % 5 == 3:
            fields["related"] = (ids[-1] if ids else "missing", "2019-01-01-missing-release")
        if number % 8 == 6:
            fields["body"] = "TODO write this. " + str(fields["body"])
        if number % 12 == 10:
            fields["attachments"] = (Attachment(f"media/{number}.jpg", caption=""),)
        if number % 7 == 1 and ids:
            fields["translation_of"] = ids[0]
            fields["updated"] = _moment(day, 1)
        release = make_release(**fields)
        if number % 10 == 9:  # a status typed by hand: published without a history (PR503)
            release = release.replace(status=Status.PUBLISHED, history=())
        if number % 15 == 14:
            release = release.replace(
                status=Status.RETRACTED,
                retraction="",
                history=(HistoryEntry(Status.RETRACTED, _moment(day, 13), "Press office"),),
            )
        ids.append(release.id)
        paths.append(write_release(repository, release, "toml" if number % 17 == 16 else "yaml"))
    # A later edit of the first source (PR205 for its translations).
    source = make_release(
        id=ids[0] + "-source",
        title="Source release",
        date=date(2020, 1, 1),
        updated=_moment(date(2023, 5, 1), 10),
        body=_body(99, 60),
    )
    paths.append(write_release(repository, source, "yaml"))
    # A copy of a release under another name: the same id twice (PR005, PR006).
    copy = paths[4].with_name("2020-03-01-copy-of-a-release.md")
    copy.write_bytes(paths[4].read_bytes())
    paths.append(copy)
    # A release in the wrong year's folder (PR403), and an unknown field (PR004).
    moved = repository.releases_dir / "2019" / paths[7].name
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_bytes(paths[7].read_bytes().replace(b"language:", b"catgory: x\nlanguage:", 1))
    paths[7].unlink()
    paths[7] = moved
    # Files that cannot be read, each with its own one-line reason.
    write_text_release(repository, "2020-02-02-broken-yaml.md", "---\ntitle: [unclosed\n---\nx\n")
    write_text_release(repository, "2020-02-03-no-front-matter.md", "Just text, no front matter.\n")
    write_text_release(repository, "2020-02-04-binary.md", b"---\x00\xff\xfe binary\n")
    write_text_release(
        repository, "2020-02-05-missing-title.md", "---\nid: 2020-02-05-missing-title\n---\nx\n"
    )
    # Not releases: a stray note and a temp file left by an interrupted write (PR401).
    (repository.releases_dir / "2020" / "notes.txt").write_text("notes\n", encoding="utf-8")
    (repository.releases_dir / "2020" / ".2020-x.md.abcdefgh.tmp").write_text("", encoding="utf-8")
    return paths
