"""Markdown to safe HTML (raw HTML in a release is text, never markup) and safe link segments."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from prcli.exporters.htmlsafe import markdown_to_html

RAW_HTML = [
    "<div>\n*not emphasis*\n</div>\n",
    "<script>alert(1)</script>\n\nafter",
    "Text with <b>inline</b> and <!-- a comment --> and <?php x ?> and <![CDATA[x]]>.",
    "<table><tr><td>cell</td></tr></table>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "  <pre>\n  indented\n  </pre>\n\n    <code block>\n",
    "> <blockquote> inside a quote\n\n- <li> in a list\n- [link](https://example.org) <i>",
    "<a href='javascript:alert(1)'>x</a> [y](javascript:alert(1)) <https://example.org>",
]


@pytest.mark.parametrize("text", RAW_HTML)
def test_raw_html_is_text_as_with_the_html_rules_present(text: str) -> None:
    """The html_block and html_inline rules are turned off (with "html": False they only cost
    time): the page is exactly what markdown-it renders with them on, and no tag comes through."""
    import nh3

    reference = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    expected = nh3.clean(reference.render(text), url_schemes={"http", "https", "mailto", "tel"})
    rendered = markdown_to_html(text)
    assert rendered == expected
    for tag in ("<div", "<script", "<b>", "<i>", "<!--", "<?php", "<![CDATA", 'href="javascript'):
        assert tag not in rendered


@pytest.mark.parametrize(
    "release_id",
    [
        "2021-10-15-cis-security",
        "A.b_c~d-1",
        "",
        "şuşa",
        "a/b",
        "a b",
        "a?b#c",
        "javascript:x",
        "%41",
    ],
)
def test_url_segment_is_what_quote_gives(release_id: str) -> None:
    """The shortcut for plain ids (returned as they are) gives exactly urllib's encoding."""
    from urllib.parse import quote

    from prcli.exporters.base import url_segment

    assert url_segment(release_id) == quote(release_id, safe="")


def test_clean_text_takes_out_the_same_from_ascii_as_from_any_text() -> None:
    """Printable ASCII comes back as it is; every other ASCII character goes through the
    patterns (tab, newline and carriage return stay; other controls and DEL go)."""

    from prcli.exporters.htmlsafe import clean_text

    for code in range(128):
        text = f"a{chr(code)}b"
        kept = code in (9, 10, 13) or 32 <= code < 127
        assert clean_text(text) == (text if kept else "ab"), code
    assert clean_text("Şuşa\u202e\x07 ok\u200b") == "Şuşa ok"
    assert clean_text("") == "" and clean_text("plain & <simple>") == "plain & <simple>"
