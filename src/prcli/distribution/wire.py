"""Wire copy: the fixed plain-text form wire services take, per destination profile, and its lint.

FOR IMMEDIATE RELEASE (or EMBARGOED UNTIL <time with zone>), headline, subheadline, the dateline
leading the first paragraph, the body as plain text with links as footnotes, boilerplate, media
contacts and an end mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prcli.distribution.content import Copy, contact_lines
from prcli.distribution.plaintext import footnote_lines, to_plain_text
from prcli.distribution.settings import WireProfile


def render(copy: Copy, profile: WireProfile) -> str:
    release = copy.release
    width = profile.width
    parts: list[str] = []
    # A retracted release is no longer released: the retraction notice leads and no release line
    # (FOR IMMEDIATE RELEASE / EMBARGOED UNTIL) is printed.
    if profile.release_line and not copy.retracted:
        parts.append(copy.release_line())
    if copy.retracted:
        parts.append(_fill(copy.retraction_heading.upper(), width))
        parts.append(_fill(copy.retraction_line(), width))
    headline = [release.title.strip()]
    if release.subtitle.strip():
        headline.append(release.subtitle.strip())
    parts.append("\n".join(_fill(line, width) for line in headline))
    updated = copy.updated_line()
    if updated:
        parts.append(_fill(updated, width))
    if release.summary.strip():
        parts.append(_fill(release.summary, width))
    body = to_plain_text(release.body, width=width, links=profile.links, lead=copy.dateline())
    parts.append(body.text)
    if body.links:
        parts.append(footnote_lines(body.links))
    if copy.page_url:
        parts.append(copy.page_url)
    if copy.boilerplate.strip():
        parts.append(_fill(copy.boilerplate, width))
    contacts = contact_lines(copy.contacts)
    if contacts:
        parts.append(copy.label("media_contacts") + ":\n" + "\n".join(contacts))
    if profile.end_mark:
        parts.append(profile.end_mark)
    return "\n\n".join(part for part in parts if part) + "\n"


def _fill(text: str, width: int) -> str:
    import textwrap

    flat = " ".join(text.split())
    if width <= 0:
        return flat
    return textwrap.fill(flat, width=width, break_long_words=False, break_on_hyphens=False)


@dataclass(frozen=True, slots=True)
class WireFinding:
    code: str
    severity: str  # "error" or "warning"
    line: int  # line of the wire copy (0: the whole copy)
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{self.severity}: {where}{self.message} [{self.code}]"


# A line holding only an address (a footnote or the page link) cannot be wrapped and is not a fault.
_URL_LINE = re.compile(r"(\[\d+\] )?\S+:\S+")
_PLACEHOLDER = re.compile(r"\bTODO\b|\bTK\b|\[\.\.\.\]|\bXXX\b|lorem ipsum", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def lint(text: str, copy: Copy, profile: WireProfile) -> list[WireFinding]:
    """Check wire copy against the profile it is meant for."""
    findings: list[WireFinding] = []
    lines = text.split("\n")
    if profile.max_length and len(text) > profile.max_length:
        findings.append(
            WireFinding(
                "WIRE01",
                "error",
                0,
                f"{len(text)} characters; profile '{profile.name}' takes at most {profile.max_length}",
            )
        )
    for number, line in enumerate(lines, 1):
        if profile.width and len(line) > profile.width and not _URL_LINE.fullmatch(line):
            findings.append(
                WireFinding(
                    "WIRE02",
                    "warning",
                    number,
                    f"{len(line)} characters wide (profile width {profile.width}): a word or "
                    "address too long to wrap",
                )
            )
        if profile.ascii_only and not line.isascii():
            letters = "".join(sorted({c for c in line if not c.isascii()}))[:20]
            findings.append(
                WireFinding(
                    "WIRE03",
                    "error",
                    number,
                    f"characters outside ASCII ({letters}); profile '{profile.name}' takes ASCII only",
                )
            )
        if _CONTROL.search(line):
            findings.append(
                WireFinding("WIRE04", "error", number, "control or invisible characters")
            )
        if _PLACEHOLDER.search(line):
            findings.append(
                WireFinding("WIRE05", "error", number, "placeholder text (TODO, TK, XXX, [...])")
            )
        if profile.end_mark and line.strip() == profile.end_mark and number < len(lines) - 1:
            findings.append(
                WireFinding(
                    "WIRE06",
                    "error",
                    number,
                    f"the end mark '{profile.end_mark}' inside the copy: wire systems cut the story here",
                )
            )
    if not copy.release.body.strip():
        findings.append(WireFinding("WIRE07", "error", 0, "the release has no body text"))
    if not copy.release.dateline.strip():
        findings.append(
            WireFinding(
                "WIRE08", "warning", 0, "no dateline (place): set `dateline` in the release"
            )
        )
    if copy.embargoed and not profile.release_line:
        findings.append(
            WireFinding(
                "WIRE09",
                "error",
                0,
                f"an embargoed copy, and profile '{profile.name}' has release_line = false: "
                "the embargo would not be stated",
            )
        )
    return findings
