"""The one output sink for machine formats, and the one `--format` option type.

Every command that prints data for scripts (`list`, `search`, `stats`, `status`, `log`, `import`)
names its formats from the one `Format` enum with `format_option(...)`, and writes them through
`Sink`: human formats (`table`) stay with each command, machine formats are written here only.

Three shapes of data:

- `Sink.records(encoded)`: release records as the index stores them (prcli.records.encode), for
  `json` (one array, one compact object a line), `jsonl`, `csv` (prcli.records.CSV_COLUMNS) and
  `ids`, streamed a few hundred at a time;
- `Sink.rows(rows, columns)`: flat rows (an import summary, a history): `json` an indented array,
  `jsonl` one compact object a line, `csv` the given columns;
- `Sink.document(value)`: one JSON document (`stats`, the `status` overview), indented.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from prcli.cli.output import write_bytes


class Format(StrEnum):
    """Every output format a listing command may offer (each offers a subset)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ids = "ids"


MACHINE_FORMATS = frozenset({Format.json, Format.jsonl, Format.csv, Format.ids})


def format_option(*formats: Format, help: str = "Output format.") -> Any:
    """The `--format/-f` option of a command offering `formats` (the first is the default).

    Use as `Annotated[Format, format_option(Format.table, Format.json)] = Format.table`: the choice
    list (in --help and in shell completion) is exactly what the command offers. (Typer is imported
    here, not above: the fast path of `prcli list` writes through this module without Typer.)"""
    import typer
    from typer._types import TyperChoice

    return typer.Option(
        "--format",
        "-f",
        click_type=TyperChoice([str(fmt) for fmt in formats]),
        help=help,
    )


class Sink:
    """Writes machine formats to stdout (bytes, UTF-8); `Sink(Format.table)` writes nothing."""

    def __init__(self, fmt: Format) -> None:
        self.format = fmt

    @property
    def machine(self) -> bool:
        return self.format in MACHINE_FORMATS

    def records(self, encoded: Iterable[bytes]) -> None:
        """Release records (see docs/formats.md): `json` one array, `jsonl` one object a line,
        `csv` the columns of prcli.records.CSV_COLUMNS, `ids` one id a line. Records come encoded,
        as the index cache stores them, and are written as they come, a few hundred at a time."""
        from prcli.records import csv_rows, record_ids

        fmt = self._machine()
        started = False
        for chunk in _chunks(encoded, 512):
            if fmt is Format.jsonl:
                data = b"".join(record + b"\n" for record in chunk)
            elif fmt is Format.json:
                data = (b",\n  " if started else b"[\n  ") + b",\n  ".join(chunk)
            elif fmt is Format.ids:
                data = "".join(f"{value}\n" for value in record_ids(chunk)).encode("utf-8")
            else:
                data = csv_rows(chunk, header=not started).encode("utf-8")
            write_bytes(data)
            started = True
        if fmt is Format.json:
            write_bytes(b"\n]\n" if started else b"[]\n")
        elif fmt is Format.csv and not started:
            write_bytes(csv_rows(()).encode("utf-8"))

    def rows(
        self, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, ids: str = "id"
    ) -> None:
        """Flat rows: `json` one indented array, `jsonl` one compact object a line, `csv` a header
        of `columns` and a spreadsheet-safe row each (lists joined with "; "), `ids` the
        non-empty values of the column `ids`, one a line."""
        fmt = self._machine()
        if fmt is Format.json:
            # As they come: the bytes `json.dumps(list(rows), indent=2)` would give (no raw line
            # break inside a JSON string, so every one comes from the indentation).
            started = False
            for chunk in _chunks(rows, 512):
                parts = [_indented(row) for row in chunk]
                write_bytes(((",\n  " if started else "[\n  ") + ",\n  ".join(parts)).encode())
                started = True
            write_bytes(b"\n]\n" if started else b"[]\n")
        elif fmt is Format.jsonl:
            for chunk in _chunks(rows, 512):
                write_bytes(
                    "".join(_compact(row) + "\n" for row in chunk).encode("utf-8"),
                )
        elif fmt is Format.ids:
            for chunk in _chunks(rows, 512):
                write_bytes("".join(f"{row[ids]}\n" for row in chunk if row[ids]).encode("utf-8"))
        else:
            import io

            from prcli.csvout import CsvWriter

            buffer = io.StringIO()
            writer = CsvWriter(buffer)
            writer.row(columns)
            for chunk in _chunks(rows, 512):
                for row in chunk:
                    writer.row(row.get(column) for column in columns)
                write_bytes(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
            write_bytes(buffer.getvalue().encode("utf-8"))

    def document(self, value: Any) -> None:
        """One JSON document, indented by two spaces, non-ASCII text as it is."""
        if self._machine() is not Format.json:
            raise ValueError(f"a document has no {self.format} form")
        write_bytes((json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

    def _machine(self) -> Format:
        if not self.machine:
            raise ValueError(f"{self.format} is not a machine format")
        return self.format


def _indented(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
