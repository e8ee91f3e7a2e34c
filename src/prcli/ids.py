"""Release ids: `YYYY-MM-DD-<ascii slug>`, stable, equal to the file stem, never a counter."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from prcli.errors import InvalidValue

ID_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
# What a user may type as an id or id prefix: no separators, no dots, so never a path.
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MAX_SLUG = 60
# The hard rule for every id that names a file or goes into a link: REFERENCE_PATTERN (ASCII
# letters, digits, hyphens and underscores, not starting with a separator) and at most this many
# bytes (file systems allow 255 for a whole name, and `.md`, temp suffixes and translation tags add
# to it). ID_PATTERN is the preferred shape; other safe shapes only get a validation warning.
MAX_ID_BYTES = 200
# python-slugify (text-unidecode) drops these; map them first.
_SLUG_EXTRA = str.maketrans({"ə": "e", "Ə": "E"})


def id_problem(value: object) -> str:
    """Why `value` cannot be a release id ('' when it can). The one id rule, used by the reader,
    by every command that creates or renames a release, and by the exporters."""
    if not isinstance(value, str) or not value:
        return "an id must be non-empty text"
    if len(value.encode("utf-8")) > MAX_ID_BYTES:
        return f"the id is longer than {MAX_ID_BYTES} bytes"
    if REFERENCE_PATTERN.fullmatch(value):
        return ""
    if value.startswith((".", "-", "_")):
        return "an id must start with a letter or digit"
    bad = next((c for c in value if not (c.isascii() and (c.isalnum() or c in "-_"))), "")
    if bad in ("/", "\\"):
        return "an id cannot contain a path separator"
    if bad and (not bad.isprintable() or bad.isspace()):
        return f"an id cannot contain the space or control character U+{ord(bad):04X}"
    return f"an id cannot contain {bad!r} (ASCII letters, digits, '-' and '_' only)"


def check_id(value: str, *, what: str = "id") -> str:
    """`value` when it is a safe id; else InvalidValue naming the problem."""
    problem = id_problem(value)
    if problem:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise InvalidValue(
            f"{what} {shown!r} is not a release id: {problem}",
            hint="ids look like 2021-10-15-lower-case-words",
        )
    return value


def slugify_title(title: str) -> str:
    from slugify import slugify

    text = unicodedata.normalize("NFC", title).translate(_SLUG_EXTRA)
    slug = str(slugify(text, lowercase=True))
    if len(slug) <= MAX_SLUG:
        return slug
    # Cut at the last whole word ourselves: slugify's word_boundary skips a long word and carries
    # on with later short ones ("security-and-of-the").
    head = slug[: MAX_SLUG + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:MAX_SLUG]


def make_id(day: date, title: str, slug: str | None = None) -> str:
    """The id for a new release; raises InvalidValue when the title has nothing to build it from."""
    chosen = slugify_title(slug) if slug is not None else slugify_title(title)
    if not chosen:
        source = "--slug" if slug is not None else "title"
        raise InvalidValue(
            f"the {source} {(slug if slug is not None else title)!r} has no letters or digits to "
            "make an id from",
            hint="add a word to the title, or pass --slug WORDS",
        )
    return f"{day.isoformat()}-{chosen}"


def with_suffix(base_id: str) -> str:
    """A collision-free variant: random, so two git branches never pick the same one."""
    import secrets

    return f"{base_id}-{secrets.token_hex(2)}"
