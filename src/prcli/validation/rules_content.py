"""Content: a headline that reads as one, a body with substance, no leftovers, no hidden text."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from prcli.model import Release, Status
from prcli.releasefile import Entry
from prcli.validation.context import Context, title_key
from prcli.validation.registry import release_rule
from prcli.validation.types import Problem, Severity

MAX_TITLE = 120
MIN_WORDS = 50
MAX_WORDS = 1000
# Upper-case markers only: "todo" or "tk" in running text are words, TODO is a marker.
_MARKERS = ("TODO", "TBD", "TK", "XXX")
_MARKER = re.compile(r"\b(?:TODO|TBD|TK|XXX)\b")
_PHRASES = ("lorem ipsum", "[insert")
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ().\-/]{4,24}[0-9]")
# Characters that hide or reorder text (CVE-2021-42574, "Trojan Source"), and C0/C1 controls.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _is_draft(release: Release) -> bool:
    return release.status is Status.DRAFT


@functools.lru_cache(maxsize=4)
def _word_count(body: str) -> int:
    """Words in a body, counted once for the rules that both ask (PR305, PR306)."""
    return len(body.split())


def _body_line(entry: Entry, offset: int) -> int | None:
    if not entry.body_line:
        return None
    return entry.body_line + entry.release.body.count("\n", 0, offset)


@release_rule(
    "PR301", "title-length", Severity.ERROR, f"The title has at most {MAX_TITLE} characters."
)
def title_length(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Wire services and feed readers cut long headlines; news sites show about 60-120 characters.
    Put the detail in `subtitle` or `summary`.
    """
    length = len(entry.release.title)
    if length > MAX_TITLE:
        yield Problem(
            f"title has {length} characters (at most {MAX_TITLE})",
            key="title",
            hint="shorten it; move the detail to subtitle or summary",
        )


@release_rule("PR302", "title-all-caps", Severity.WARNING, "The title is not all capitals.")
def title_all_caps(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A headline in capitals reads as shouting and is harder to read; agencies and search engines
    rewrite it. Use sentence case.
    """
    cased = [char for char in entry.release.title if char.lower() != char.upper()]
    if len(cased) >= 4 and all(char.isupper() for char in cased):
        yield Problem("title is in capitals", key="title", hint="write it in sentence case")


@release_rule(
    "PR303", "title-full-stop", Severity.WARNING, "The title does not end with a full stop."
)
def title_full_stop(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Headlines do not end with a full stop (an ellipsis or a question mark is fine).
    """
    title = entry.release.title.rstrip()
    if title.endswith(".") and not title.endswith("..."):
        yield Problem("title ends with a full stop", key="title", hint="remove the final '.'")


@release_rule(
    "PR304", "body-empty", Severity.ERROR, "The body is not empty (information in drafts)."
)
def body_empty(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release without text cannot go out. New drafts start empty, so in a draft this is only
    information.
    """
    if not entry.release.body.strip():
        yield Problem(
            "the body is empty",
            line=entry.body_line or None,
            hint="write the release text below the front matter",
            severity=Severity.INFO if _is_draft(entry.release) else None,
        )


@release_rule("PR305", "body-short", Severity.WARNING, f"The body has at least {MIN_WORDS} words.")
def body_short(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release of a few words rarely answers who, what, when and where. Silence this rule for
    releases that are short by design (a one-line notice) with a reason.
    """
    body = entry.release.body
    words = _word_count(body)
    if body.strip() and words < MIN_WORDS:
        yield Problem(
            f"the body has {words} words (fewer than {MIN_WORDS})",
            line=entry.body_line or None,
            hint="say who, what, when and where",
            severity=Severity.INFO if _is_draft(entry.release) else None,
        )


@release_rule("PR306", "body-long", Severity.WARNING, f"The body has at most {MAX_WORDS} words.")
def body_long(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Press releases over a thousand words are seldom read to the end; split background material
    into an attachment or a related release.
    """
    words = _word_count(entry.release.body)
    if words > MAX_WORDS:
        yield Problem(
            f"the body has {words} words (more than {MAX_WORDS})",
            line=entry.body_line or None,
            hint="cut it, or move background into an attachment",
        )


@release_rule(
    "PR307",
    "placeholder",
    Severity.ERROR,
    "No placeholders (TODO, TK, XXX, lorem ipsum, [insert ...]).",
)
def placeholder(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Placeholders left in a release (`TODO`, `TBD`, `TK`, `XXX`, `lorem ipsum`, `[insert quote]`) are
    errors once it leaves the draft state: they are the classic embarrassing press release. In a
    draft they are information.
    """
    release = entry.release
    severity = Severity.INFO if _is_draft(release) else None
    for key in ("title", "subtitle", "summary"):
        word = _find_placeholder(getattr(release, key))
        if word:
            yield Problem(f"placeholder '{word}' in {key}", key=key, severity=severity)
    in_body = _search_placeholder(release.body)
    if in_body:
        yield Problem(
            f"placeholder '{in_body[0]}' in the body",
            line=_body_line(entry, in_body[1]),
            hint="replace it with the real text",
            severity=severity,
        )


def _search_placeholder(text: str) -> tuple[str, int] | None:
    """The first placeholder in `text` and where it starts. Substring tests first: a regex over
    every body of a large repository costs seconds, `in` costs milliseconds."""
    found: list[tuple[int, str]] = []
    if any(marker in text for marker in _MARKERS):
        match = _MARKER.search(text)
        if match:
            found.append((match.start(), match.group(0)))
    lowered = text.lower()
    for phrase in _PHRASES:
        start = lowered.find(phrase)
        if start >= 0:
            found.append((start, text[start : start + len(phrase)]))
    if not found:
        return None
    start, word = min(found)
    return word, start


def _find_placeholder(text: str) -> str:
    found = _search_placeholder(text)
    return found[0] if found else ""


@release_rule("PR308", "contact-email", Severity.ERROR, "Contact email addresses are well formed.")
def contact_email(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A journalist's reply to a malformed address is lost. Write a plain address such as
    press@example.org (no name, no angle brackets).
    """
    for contact in entry.release.contacts:
        if contact.email and not _EMAIL.fullmatch(contact.email.strip()):
            yield Problem(
                f"contact {contact.name}: '{contact.email}' is not an email address",
                key="contacts",
                hint="write it as name@example.org",
            )


@release_rule("PR309", "contact-phone", Severity.ERROR, "Contact phone numbers are well formed.")
def contact_phone(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Phone numbers are digits with optional spaces, dots, hyphens, slashes and brackets, best in
    international form: +994 12 555 01 00.
    """
    for contact in entry.release.contacts:
        phone = contact.phone.strip()
        if phone and (not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6):
            yield Problem(
                f"contact {contact.name}: '{contact.phone}' is not a phone number",
                key="contacts",
                hint="write it in international form, e.g. +994 12 555 01 00",
            )


@release_rule(
    "PR310",
    "hidden-characters",
    Severity.ERROR,
    "No invisible, bidirectional or control characters in the text.",
)
def hidden_characters(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Zero-width characters (U+200B-U+200F), bidirectional embeddings and overrides (U+202A-U+202E,
    U+2066-U+2069) and control characters can hide or reorder text, so what a reviewer approves
    is not what readers see (CVE-2021-42574, "Trojan Source"). They almost always arrive by
    copy and paste. Delete them.
    """
    release = entry.release
    fields: list[tuple[str, str]] = [
        (key, getattr(release, key))
        for key in (
            "title",
            "subtitle",
            "summary",
            "category",
            "dateline",
            "issuer",
            "translation_key",
        )
    ]
    for key in ("tags", "people", "organisations", "places", "related"):
        fields.extend((key, value) for value in getattr(release, key))
    for contact in release.contacts:
        fields.extend(
            ("contacts", value)
            for value in (contact.name, contact.role, contact.email, contact.phone)
        )
    for key, value in fields:
        match = _HIDDEN.search(value)
        if match:
            yield Problem(f"{_describe(match.group(0))} in {key}", key=key, hint="delete it")
    match = _HIDDEN.search(release.body)
    if match:
        yield Problem(
            f"{_describe(match.group(0))} in the body",
            line=_body_line(entry, match.start()),
            hint="delete it",
        )


def _describe(char: str) -> str:
    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} {name}"


@release_rule("PR311", "duplicate-title", Severity.WARNING, "Titles are unique within a language.")
def duplicate_title(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Two releases in the same language with the same headline confuse readers and search results,
    and often mean a release was filed twice. Make the headlines distinct.
    """
    same = [p for p in context.titles.get(title_key(entry.release), []) if p.path != entry.path]
    if same:
        yield Problem(
            "the same title is used by " + ", ".join(p.id for p in same),
            key="title",
            hint="make the headline distinct, or remove the duplicate release",
        )
