"""json (one array) and jsonl (one release per line): every field plus the body.

The record shape is versioned and described by the JSON Schema shipped in
prcli/schemas/release-record-1.schema.json (docs/formats.md explains it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from prcli.exporters.base import ExportItem, ExportOptions
from prcli.records import record


def export_record(item: ExportItem) -> dict[str, Any]:
    return record(
        item.release,
        path=item.path,
        translations=sorted(version.language for version in item.versions),
        body=True,
    )


class _Json:
    name = "json"
    extension = ".json"
    public = False
    stream = True
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        out.write("[")
        for position, item in enumerate(items):
            out.write(
                ("," if position else "")
                + "\n  "
                + json.dumps(export_record(item), ensure_ascii=False)
            )
        out.write("\n]\n" if items else "]\n")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        for item in items:
            text = json.dumps(export_record(item), ensure_ascii=False, indent=2) + "\n"
            yield f"{item.release.id}.json", text.encode("utf-8")


class _JsonLines:
    name = "jsonl"
    extension = ".jsonl"
    public = False
    stream = True
    folder = False

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        for item in items:
            out.write(json.dumps(export_record(item), ensure_ascii=False) + "\n")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("jsonl is a single stream")


JSON = _Json()
JSONL = _JsonLines()
