"""csv: fixed columns, lists joined with '; ', formulas neutralised; --excel adds a BOM."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from prcli.csvout import CsvWriter
from prcli.exporters.base import ExportItem, ExportOptions
from prcli.exporters.jsonfmt import export_record

COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "status",
    "category",
    "language",
    "title",
    "subtitle",
    "summary",
    "tags",
    "people",
    "organisations",
    "places",
    "dateline",
    "event_date",
    "embargo_until",
    "issuer",
    "translation_key",
    "translations",
    "related",
    "attachments",
    "event_start",
    "event_place",
    "path",
    "body",
)


class _Csv:
    name = "csv"
    extension = ".csv"
    public = False
    stream = True
    folder = False

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        if options.excel:
            out.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
        writer = CsvWriter(out, excel=options.excel)
        writer.row(COLUMNS)
        for item in items:
            row = export_record(item)
            event = row["event"] or {}
            row["event_start"] = event.get("start")
            row["event_place"] = event.get("place", "")
            # one cell: each file as "path (caption; credit)" would need quoting rules; paths only
            row["attachments"] = [a["path"] for a in row["attachments"]]
            writer.row(row[column] for column in COLUMNS)

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("csv is a single stream")


CSV = _Csv()
