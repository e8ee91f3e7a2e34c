"""Markdown to safe HTML, and text that is safe inside XML."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Bidirectional overrides and zero-width characters hide or reorder text in a page or feed.
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Text with nothing XML cannot carry and no hidden or reordering characters."""
    if text.isascii() and text.isprintable():
        return text  # printable ASCII (no control character, no DEL): nothing to take out
    return _HIDDEN.sub("", _NOT_XML.sub("", text))


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # "html": False: raw HTML in a release is shown as text, never passed through. The two rules
    # that would pass it do nothing then but cost a call on every line: they are off.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .disable(["html_block", "html_inline"])
    )


def markdown_to_html(text: str) -> str:
    """Render Markdown with raw HTML off, then keep only an allow-list of tags and URL schemes."""
    import nh3

    rendered = _markdown().render(clean_text(text))
    return str(nh3.clean(rendered, url_schemes={"http", "https", "mailto", "tel"}))
