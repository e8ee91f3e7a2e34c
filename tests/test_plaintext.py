"""Markdown to the plain text of wire copy and e-mail: wrapping, lists, quotes, code, links."""

from __future__ import annotations

from prcli.distribution.plaintext import to_plain_text

MARKDOWN = """Intro with a [link](https://example.org/a), raw <b>html</b> and **bold**.

## Next steps

- one item that is rather long and will need wrapping because it keeps going
- two [again](https://example.org/a)
  1. nested
  2. nested two

> quoted text
> more

```
code   kept  as is
```

| a | b |
|---|---|
| 1 | 2 |

Write to <press@example.org> or [call us](tel:+994125550100).
"""


def test_plain_text_reads_like_the_page() -> None:
    result = to_plain_text(MARKDOWN, width=40, lead="BAKU, 1 May 2026 —")
    assert result.text == (
        "BAKU, 1 May 2026 — Intro with a link[1],\n"
        "raw <b>html</b> and bold.\n"
        "\n"
        "Next steps\n"
        "\n"
        "- one item that is rather long and will\n"
        "  need wrapping because it keeps going\n"
        "- two again[1]\n"
        "  1. nested\n"
        "  2. nested two\n"
        "\n"
        "> quoted text more\n"
        "\n"
        "    code   kept  as is\n"
        "\n"
        "a | b\n"
        "1 | 2\n"
        "\n"
        "Write to press@example.org or call\n"
        "us[2]."
    )
    assert result.links == ["https://example.org/a", "tel:+994125550100"]


def test_inline_links_and_a_body_that_starts_with_a_heading() -> None:
    result = to_plain_text("# Title\n\nSee [it](https://x.org).", links="inline", lead="BAKU —")
    assert result.text == "BAKU —\n\nTitle\n\nSee it (https://x.org)."
    assert result.links == []
