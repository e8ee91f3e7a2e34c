"""Media contacts from CSV: the exports of the usual media databases (Cision, Meltwater, Muck Rack,
Prowly, Agility, spreadsheets) recognised by their column names.

Encodings: UTF-8 (with or without BOM), UTF-16, Windows-1251. Separators: comma, semicolon, tab.
Cells holding several values (languages, beats, lists) are split on ';', ',' and '|'.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from prcli.contacts.model import MediaContact, address_problem
from prcli.errors import PrcliError

# Column headings, compared with case, spaces, '-' and '_' ignored.
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": (
        "email",
        "e-mail",
        "emailaddress",
        "mail",
        "workemail",
        "primaryemail",
        "contactemail",
        "journalistemail",
        "emailaddress1",
    ),
    "first": ("firstname", "givenname", "forename", "first"),
    "last": ("lastname", "surname", "familyname", "last"),
    "name": ("name", "fullname", "contactname", "contact", "journalist", "journalistname"),
    "outlet": (
        "outlet",
        "mediaoutlet",
        "outletname",
        "publication",
        "media",
        "medianame",
        "company",
        "organisation",
        "organization",
        "account",
        "newsoutlet",
    ),
    "role": ("role", "title", "jobtitle", "position"),
    "languages": ("language", "languages", "lang", "outletlanguage", "contactlanguage"),
    "beats": ("beat", "beats", "topics", "topic", "subjects", "coverage", "subjectsandbeats"),
    "lists": ("list", "lists", "tags", "groups", "group", "segment", "segments"),
    "consent_date": (
        "consentdate",
        "optindate",
        "subscribed",
        "subscriptiondate",
        "gdprconsentdate",
        "consentgiven",
        "dateofconsent",
    ),
    "consent_source": ("consentsource", "optinsource", "source", "consent", "lawfulbasis"),
}
_SPLIT = re.compile(r"\s*[;,|]\s*")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


class CsvImportError(PrcliError):
    pass


@dataclass
class Row:
    line: int
    contact: MediaContact | None
    problem: str = ""


@dataclass
class CsvResult:
    rows: list[Row] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> heading as written
    ignored: list[str] = field(default_factory=list)  # headings not understood


def _heading(text: str) -> str:
    return re.sub(r"[\s_\-.]", "", text.strip().casefold()).replace("e-mail", "email")


def decode(data: bytes) -> str:
    from prcli.importers.base import ImportError_
    from prcli.importers.decoding import decode as decode_text

    try:
        return decode_text(data)[0]
    except ImportError_ as error:
        raise CsvImportError(error.message, hint=error.hint) from None


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = _NUMERIC_DATE.fullmatch(text.split()[0])
    if found:  # 14.06.2023 and 14/06/2023: day first, as the offices using prcli write them
        day, month, year = (int(part) for part in found.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def read(data: bytes, *, default_lists: tuple[str, ...] = (), today: dt.date) -> CsvResult:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headings = next(reader)
    except StopIteration:
        raise CsvImportError("the file is empty") from None
    result = CsvResult()
    index: dict[str, int] = {}
    wanted = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    for position, heading in enumerate(headings):
        name = wanted.get(_heading(heading))
        if name and name not in index:
            index[name] = position
            result.columns[name] = heading.strip()
        elif heading.strip():
            result.ignored.append(heading.strip())
    if "email" not in index:
        raise CsvImportError(
            "no e-mail column in the first line "
            f"(found: {', '.join(h.strip() for h in headings if h.strip()) or 'nothing'})",
            hint="name the column 'Email' (or 'E-mail', 'Email address')",
        )

    def cell(row: list[str], name: str) -> str:
        position = index.get(name)
        if position is None or position >= len(row):
            return ""
        return " ".join(row[position].split())

    for row in reader:
        line = reader.line_num
        if not any(value.strip() for value in row):
            continue
        email = cell(row, "email")
        problem = address_problem(email)
        if problem:
            result.rows.append(Row(line, None, problem))
            continue
        name = cell(row, "name") or " ".join(
            part for part in (cell(row, "first"), cell(row, "last")) if part
        )
        raw_date = cell(row, "consent_date")
        consent_date = parse_date(raw_date)
        if raw_date and consent_date is None:
            result.rows.append(Row(line, None, f"consent date '{raw_date}' is not a date"))
            continue
        lists = tuple(dict.fromkeys((*default_lists, *_values(cell(row, "lists")))))
        contact = MediaContact(
            email=email,
            name=name,
            outlet=cell(row, "outlet"),
            role=cell(row, "role"),
            languages=tuple(v.lower() for v in _values(cell(row, "languages"))),
            beats=_values(cell(row, "beats")),
            lists=lists,
            consent_date=consent_date,
            consent_source=cell(row, "consent_source"),
            added=today,
        )
        result.rows.append(Row(line, contact))
    return result


def _values(text: str) -> tuple[str, ...]:
    return tuple(part for part in _SPLIT.split(text.strip()) if part) if text.strip() else ()
