"""The media list file: `contacts.toml` in the private folder, read and written whole.

```toml
[[contact]]
email = "aysel@example.az"
name = "Aysel Guliyeva"
outlet = "Example News Agency"
languages = ["az", "en"]
beats = ["security"]
lists = ["baku-press"]
consent_date = 2026-03-01
consent_source = "signed up at the March press conference"

[[suppressed]]
email = "left@example.org"
since = 2026-05-02
reason = "unsubscribed"
```

Writes are atomic (temp file, fsync, rename) under a lock, and the file stays 0600.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prcli import privatefolder
from prcli.contacts.model import MediaContact, Suppressed, normalise_address
from prcli.errors import PrcliError

if TYPE_CHECKING:
    from prcli.repository import Repository

FILE_NAME = "contacts.toml"
LOCK_NAME = ".contacts.lock"
HEADER = (
    "# prcli media list: personal data of journalists. Never commit this file.\n"
    "# Edit with `prcli contacts add|import|remove`, or by hand (then run `prcli contacts check`).\n"
)
_LINE = re.compile(r"\(at line (\d+), column \d+\)")
TEXT_FIELDS = ("email", "name", "outlet", "role", "consent_source", "notes")
LIST_FIELDS = ("languages", "beats", "lists")
DATE_FIELDS = ("consent_date", "added")


class ContactsFileError(PrcliError):
    def __init__(
        self, path: Path, message: str, *, line: int | None = None, hint: str = ""
    ) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line


@dataclass
class ContactBook:
    contacts: list[MediaContact] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)

    def find(self, address: str) -> MediaContact | None:
        key = normalise_address(address)
        return next((c for c in self.contacts if c.key == key), None)

    def is_suppressed(self, address: str) -> Suppressed | None:
        key = normalise_address(address)
        return next((s for s in self.suppressed if normalise_address(s.email) == key), None)

    def members(self, list_name: str) -> list[MediaContact]:
        return [c for c in self.contacts if list_name in c.lists]

    def list_names(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for contact in self.contacts:
            for name in contact.lists:
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items()))


class ContactStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME

    def load(self) -> ContactBook:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return ContactBook()
        except OSError as error:
            raise ContactsFileError(self.path, f"cannot read: {error.strerror}") from None
        try:
            document = tomllib.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ContactsFileError(self.path, "not UTF-8 text") from None
        except tomllib.TOMLDecodeError as error:
            found = _LINE.search(str(error))
            raise ContactsFileError(
                self.path,
                f"TOML syntax error: {_LINE.sub('', str(error)).strip()}",
                line=int(found.group(1)) if found else None,
                hint="fix the line; the file is plain TOML",
            ) from None
        return _book(self.path, document)

    @contextmanager
    def changing(self) -> Iterator[ContactBook]:
        """Read, let the caller change the book, write it back; one process at a time."""
        privatefolder.ensure(self.folder)
        with privatefolder.exclusive(self.folder / LOCK_NAME, "the media list"):
            book = self.load()
            yield book
            self.save(book)

    def save(self, book: ContactBook) -> None:
        import tomli_w

        from prcli.atomicfile import write_atomic

        privatefolder.ensure(self.folder)
        document: dict[str, Any] = {"contact": [_record(c) for c in book.contacts]}
        if book.suppressed:
            document["suppressed"] = [
                {
                    k: v
                    for k, v in (("email", s.email), ("since", s.since), ("reason", s.reason))
                    if v
                }
                for s in book.suppressed
            ]
        privatefolder.touch_private(self.path)
        write_atomic(self.path, (HEADER + "\n" + tomli_w.dumps(document)).encode("utf-8"))


def _record(contact: MediaContact) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("email", "name", "outlet", "role", "languages", "beats", "lists"):
        value = getattr(contact, name)
        if value:
            out[name] = list(value) if isinstance(value, tuple) else value
    for name in ("consent_date", "consent_source", "added", "notes"):
        value = getattr(contact, name)
        if value:
            out[name] = value
    return out


def _book(path: Path, document: Mapping[str, Any]) -> ContactBook:
    book = ContactBook()
    items = document.get("contact", [])
    if not isinstance(items, list):
        raise ContactsFileError(path, "`contact` must be an array of tables ([[contact]])")
    for number, item in enumerate(items, 1):
        book.contacts.append(_contact(path, number, item))
    suppressed = document.get("suppressed", [])
    if not isinstance(suppressed, list):
        raise ContactsFileError(path, "`suppressed` must be an array of tables ([[suppressed]])")
    for number, item in enumerate(suppressed, 1):
        if not isinstance(item, Mapping) or not isinstance(item.get("email"), str):
            raise ContactsFileError(path, f"[[suppressed]] number {number} needs an email")
        since = item.get("since")
        book.suppressed.append(
            Suppressed(
                item["email"],
                since if isinstance(since, dt.date) else dt.date(1970, 1, 1),
                str(item.get("reason", "")),
            )
        )
    return book


def _contact(path: Path, number: int, item: Any) -> MediaContact:
    where = f"[[contact]] number {number}"
    if not isinstance(item, Mapping):
        raise ContactsFileError(path, f"{where} must be a table")
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = item.get(name, "")
        if not isinstance(value, str):
            raise ContactsFileError(path, f"{where}: {name} must be text")
        values[name] = value.strip()
    if not values["email"]:
        raise ContactsFileError(path, f"{where} has no email", hint="every contact needs an email")
    for name in LIST_FIELDS:
        value = item.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ContactsFileError(
                path, f"{where} ({values['email']}): {name} must be a list of text"
            )
        values[name] = tuple(v.strip() for v in value if v.strip())
    for name in DATE_FIELDS:
        value = item.get(name)
        if isinstance(value, dt.datetime):
            value = value.date()
        if value is not None and not isinstance(value, dt.date):
            raise ContactsFileError(
                path,
                f"{where} ({values['email']}): {name} must be a date",
                hint="write it as 2026-03-01, without quotes",
            )
        values[name] = value
    unknown = sorted(set(item) - set(TEXT_FIELDS) - set(LIST_FIELDS) - set(DATE_FIELDS))
    if unknown:
        raise ContactsFileError(
            path,
            f"{where} ({values['email']}): unknown field(s) {', '.join(unknown)}",
            hint=f"known: {', '.join((*TEXT_FIELDS, *LIST_FIELDS, *DATE_FIELDS))}",
        )
    return MediaContact(**values)


def private_folder(repository: Repository) -> Path:
    """Where this repository keeps personal data ([distribution] private_folder)."""
    from prcli.distribution import settings as dist_settings

    folder = dist_settings.load(repository.config).private_folder
    return privatefolder.locate(
        repository.root, repository.releases_dir, folder, repository.config.path
    )


def for_repository(repository: Repository) -> ContactStore:
    return ContactStore(private_folder(repository))
