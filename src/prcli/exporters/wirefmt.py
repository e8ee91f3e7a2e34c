"""wire: plain-text wire copy, one .txt per release or all in one stream, per [wire.profiles]."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from prcli.exporters.base import ExportItem, ExportOptions


def render_item(item: ExportItem, options: ExportOptions) -> str:
    from prcli.distribution import settings as dist_settings
    from prcli.distribution import wire
    from prcli.distribution.content import make_copy

    profile = dist_settings.load(options.settings).profile(options.wire_profile or None)
    copy = make_copy(item.release, options.settings, options.now, options.base_url)
    return wire.render(copy, profile)


class _Wire:
    name = "wire"
    extension = ".txt"
    public = True
    stream = True
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        for number, item in enumerate(items):
            if number:
                out.write("\n")
            out.write(render_item(item, options))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        for item in items:
            yield f"{item.release.id}.txt", render_item(item, options).encode("utf-8")


WIRE = _Wire()
