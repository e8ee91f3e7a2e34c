"""markdown: a clean copy of the selection as release files, one per release, into a folder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from prcli.exporters.base import ExportItem, ExportOptions
from prcli.releasefile import render


class _Markdown:
    name = "markdown"
    extension = ".md"
    public = False
    stream = False
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        raise NotImplementedError("markdown writes one file per release")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        for item in items:
            yield f"{item.release.id}.md", render(item.release, item.entry.format)


MARKDOWN = _Markdown()
