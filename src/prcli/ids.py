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
# python-slugify (text-unidecode) drops these; map them first.
_SLUG_EXTRA = str.maketrans({"ə": "e", "Ə": "E"})


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
