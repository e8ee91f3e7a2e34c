"""Markdown turned into readable plain text: wrapped paragraphs, lists, quotes, links as footnotes.

Used for wire copy and the text part of e-mail. Raw HTML in the Markdown is shown as text (as on the
website, where it is never passed through).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from prcli.exporters.htmlsafe import clean_text


@dataclass(slots=True)
class _Block:
    first: str  # prefix of the first line (list marker, quote mark)
    rest: str  # prefix of the following lines
    text: str
    wrap: bool = True
    tight: bool = False  # an item of a tight list: no blank line before it


@dataclass(slots=True)
class PlainText:
    text: str
    links: list[str] = field(default_factory=list)  # footnote n is links[n - 1]


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


class _Links:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.urls: list[str] = []

    def mark(self, url: str, label: str) -> str:
        """What follows the link text: '[n]' (footnotes) or ' (url)' (inline); nothing when the text
        already is the address."""
        shown = url.removeprefix("mailto:").removeprefix("tel:")
        if label.strip() in (url, shown) or not url:
            return ""
        if self.mode == "inline":
            return f" ({shown})"
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"


def _inline(children: list[Any], links: _Links) -> str:
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # (href, position of the link text)
    for token in children:
        kind = token.type
        if kind == "text" or kind == "code_inline":
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "link_open":
            stack.append((str(token.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and stack:
            href, start = stack.pop()
            out.append(links.mark(href, "".join(out[start:])))
        elif kind == "image":
            alt = token.content or "image"
            out.append(f"[{alt}]" + links.mark(str(token.attrGet("src") or ""), ""))
    return "".join(out)


def to_plain_text(
    markdown: str, *, width: int = 72, links: str = "footnotes", lead: str = ""
) -> PlainText:
    """`lead` (a dateline) opens the first paragraph, or stands alone when the text starts otherwise."""
    tokens = _parser().parse(clean_text(markdown))
    footnotes = _Links(links)
    blocks: list[_Block] = []
    # per open list: [ordered (1/0), next number, tight (1/0), items so far]
    lists: list[list[int]] = []
    quote = 0
    marker: str | None = None  # the marker waiting for the first block of a list item
    table_row: list[str] = []
    in_table = False
    table_started = False

    def prefix() -> tuple[str, str]:
        nonlocal marker
        quoted = "> " * quote
        indent = "".join("   " if level[0] else "  " for level in lists[:-1])
        if not lists:
            return quoted, quoted
        width_of_marker = 3 if lists[-1][0] else 2
        rest = quoted + indent + " " * width_of_marker
        if marker is not None:
            first = quoted + indent + marker.ljust(width_of_marker)
            marker = None
            return first, rest
        return rest, rest

    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1) if ordered else 0
            tight = any(
                t.hidden for t in tokens if t.type == "paragraph_open" and t.level > token.level
            )
            lists.append([1 if ordered else 0, start, 1 if tight else 0, 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            level = lists[-1]
            level[3] += 1
            if level[0]:
                marker = f"{level[1]}."
                level[1] += 1
            else:
                marker = "-"
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "inline" and in_table:
            table_row.append(_inline(token.children or [], footnotes).strip())
        elif kind == "inline":
            first, rest = prefix()
            tight = (
                bool(lists)
                and bool(lists[-1][2])
                and first != rest
                and (len(lists) > 1 or lists[-1][3] > 1)
            )
            blocks.append(
                _Block(first, rest, _inline(token.children or [], footnotes), True, tight)
            )
        elif kind in ("fence", "code_block"):
            first, rest = prefix()
            lines = token.content.rstrip("\n").split("\n")
            text = "\n".join(lines)
            blocks.append(_Block(first + "    ", rest + "    ", text, wrap=False))
        elif kind == "hr":
            blocks.append(_Block("", "", "* * *", wrap=False))
        elif kind in ("table_open", "table_close"):
            in_table = kind == "table_open"
            table_started = False
        elif kind == "tr_open":
            table_row = []
        elif kind == "tr_close":
            first, rest = prefix()
            row = " | ".join(table_row)
            blocks.append(_Block(first, rest, row, wrap=False, tight=table_started))
            table_started = True
    if lead:
        if (
            blocks
            and blocks[0].first == ""
            and blocks[0].wrap
            and tokens[0].type == "paragraph_open"
        ):
            blocks[0].text = f"{lead} {blocks[0].text}"
        else:
            blocks.insert(0, _Block("", "", lead))
    return PlainText(_layout(blocks, width), footnotes.urls)


def _layout(blocks: list[_Block], width: int) -> str:
    out: list[str] = []
    for block in blocks:
        lines: list[str] = []
        first, rest = block.first, block.rest
        for number, segment in enumerate(block.text.split("\n")):
            lead = first if number == 0 else rest
            if block.wrap and width > 0:
                wrapped = textwrap.fill(
                    " ".join(segment.split()),
                    width=width,
                    initial_indent=lead,
                    subsequent_indent=rest,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                lines.append(wrapped or lead.rstrip())
            else:
                lines.append((lead + segment).rstrip())
        if out and not block.tight:
            out.append("")
        out.append("\n".join(lines))
    return "\n".join(out)


def footnote_lines(links: list[str]) -> str:
    return "\n".join(f"[{number}] {url}" for number, url in enumerate(links, 1))
