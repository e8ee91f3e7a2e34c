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

        # What tomli_w.dumps({"releases": [every table]}) writes, one release at a time: an array
        # of tables ([[releases]] blocks separated by blank lines), since a release's table never
        # fits the 100 characters tomli_w allows an inline table (id, title, status, language,
        # date, path and body alone take more), and `releases = []` when there is none.
        first = True
        for item in items:
            piece = tomli_w.dumps({"releases": [toml_ready(toml_table(item))]})
            if not piece.startswith(_AOT):  # a tiny table, alone written inline: as a block
                piece = _as_block(tomli_w, toml_ready(toml_table(item)))
            out.write(piece if first else "\n" + piece)
            first = False
        if first:
            out.write(tomli_w.dumps({"releases": []}))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("toml is a single stream")


_AOT = "[[releases]]\n"


def _as_block(tomli_w: Any, table: dict[str, Any]) -> str:
    """`table` as tomli_w writes it inside an array of tables: next to a table too long to be
    inline, then cut off before that one."""
    text: str = tomli_w.dumps({"releases": [table, {"_": "-" * 120}]})
    return text[: text.rindex("\n\n" + _AOT) + 1]


TOML = _Toml()
