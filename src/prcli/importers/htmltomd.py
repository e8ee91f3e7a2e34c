"""HTML (and the body of NITF) to clean Markdown: paragraphs, emphasis, links, lists, headings.

Scripts, styles and anything unknown are dropped or reduced to their text; the result is plain
Markdown that the repository's own renderer turns back into safe HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "ul",
    "ol",
    "table",
    "tr",
    "pre",
    "body.content",
    "block",
}
_HEADINGS = {
    "h1": "#",
    "h2": "##",
    "h3": "###",
    "h4": "####",
    "h5": "#####",
    "h6": "######",
    "hl1": "##",
    "hl2": "###",
}
_SKIP = {"script", "style", "head", "title", "nitf-head", "media", "iframe", "object"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[str] = []
        self.counters: list[int] = []
        self.link: str | None = None
        self.link_text: list[str] = []

    def _write(self, text: str) -> None:
        if self.link is not None:
            self.link_text.append(text)
        else:
            self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _BLOCKS or tag in _HEADINGS:
            self.out.append("\n\n")
        if tag in _HEADINGS:
            self.out.append(_HEADINGS[tag] + " ")
        elif tag in ("strong", "b"):
            self._write("**")
        elif tag in ("em", "i"):
            self._write("*")
        elif tag == "br":
            self._write("  \n")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.counters.append(0)
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1] == "ol":
                self.counters[-1] += 1
                self.out.append(f"\n{'   ' * depth}{self.counters[-1]}. ")
            else:
                self.out.append(f"\n{'  ' * depth}- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.lower().startswith(("http://", "https://", "mailto:")):
                self.link = href
                self.link_text = []
        elif tag == "blockquote":
            self.out.append("> ")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag in ("strong", "b"):
            self._write("**")
        elif tag in ("em", "i"):
            self._write("*")
        elif tag == "a" and self.link is not None:
            text = "".join(self.link_text).strip() or self.link
            self.out.append(f"[{text}]({self.link})")
            self.link = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.counters.pop()
            self.out.append("\n\n")
        elif tag in _BLOCKS or tag in _HEADINGS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._write(re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    if "<body.content" in html:  # NITF: only the story, not its head
        start = html.index("<body.content")
        end = html.find("</body.content>", start)
        html = html[start : end if end > 0 else len(html)]
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out)
    lines = [line.rstrip() for line in text.split("\n")]
    # Keep the indentation of nested list items, drop the stray spaces left between tags.
    text = "\n".join(line if _LIST_ITEM.match(line) else line.lstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_LIST_ITEM = re.compile(r"\s*(?:- |\d+\. )")
