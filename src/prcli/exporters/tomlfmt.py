"""toml: one [[releases]] table per release, front-matter fields in canonical order plus the body."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from prcli import codec
from prcli.exporters.base import ExportItem, ExportOptions
from prcli.fileformat import toml_ready


def toml_table(item: ExportItem) -> dict[str, Any]:
    table = codec.encode(item.release)
    table["path"] = item.path
    table["body"] = item.release.body
    return table


class _Toml:
    name = "toml"
    extension = ".toml"
    public = False
    stream = True
    folder = False

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        import tomli_w

        out.write(tomli_w.dumps({"releases": [toml_ready(toml_table(item)) for item in items]}))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("toml is a single stream")


TOML = _Toml()
