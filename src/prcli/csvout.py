"""The one CSV writer: every command that writes CSV (list, export, stats, contacts) goes through it.

A CSV file is opened in spreadsheets, so it must be safe there:

- a cell that starts with a formula character (`=`, `+`, `-`, `@`, and their full-width forms),
  also after leading spaces or line breaks, or that starts with a tab or carriage return, gets a
  leading apostrophe, so the spreadsheet shows the text instead of running it (OWASP);
- a carriage return inside a cell becomes a line feed, so the cell is quoted like any other multi-line
  cell and can never end the row early (Python's csv module quotes only the characters of its own
  line terminator, and a lone CR in an unquoted cell starts a new row in Excel and LibreOffice);
- numbers stay numbers (a negative number is not a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_LEADING_CONTROL = frozenset("\t\r\n")


def cell(value: Any) -> str | int | float:
    """One spreadsheet-safe cell: lists joined with '; ', line ends made LF, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        text = "; ".join("" if item is None else str(item) for item in value)
    else:
        text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text[:1] in _LEADING_CONTROL or text.lstrip()[:1] in FORMULA_START:
        text = "'" + text
    return text


class CsvWriter:
    """Rows of safe cells; `excel=True` ends rows with CRLF (write the BOM yourself)."""

    def __init__(self, out: TextIO, *, excel: bool = False) -> None:
        self._writer = csv.writer(
            out, lineterminator="\r\n" if excel else "\n", quoting=csv.QUOTE_MINIMAL
        )

    def row(self, values: Iterable[Any]) -> None:
        self._writer.writerow([cell(value) for value in values])
