"""prcli.toml: the organisation, its languages, categories, contacts, boilerplate and file format."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prcli.errors import ConfigError
from prcli.fileformat import FrontMatterFormat
from prcli.model import Contact
from prcli.paths import CONFIG_NAME as CONFIG_NAME

DEFAULT_CATEGORIES = ("Events", "Official", "Statements", "Interviews")
DEFAULT_LANGUAGES = ("en",)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    organisation: str
    department: str = ""
    issuer: str = ""
    timezone_name: str = "UTC"
    url: str = ""
    releases_folder: str = "releases"
    format: FrontMatterFormat = "yaml"
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    default_language: str = "en"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    contacts: tuple[Contact, ...] = ()
    boilerplate: Mapping[str, str] = field(default_factory=dict)
    # [workflow]: the person who approves must differ from the one who submitted.
    require_second_approver: bool = False
    # Every table as read, for the sections later features own (validation, workflow, ...).
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @property
    def default_issuer(self) -> str:
        if self.issuer:
            return self.issuer
        if self.department:
            return f"{self.department} of the {self.organisation}"
        return self.organisation


def load(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_LINE.search(message)
        raise ConfigError(
            path,
            f"TOML syntax error: {_TOML_LINE.sub('', message).strip()}",
            line=int(found.group(1)) if found else None,
            hint="fix the line, or compare with the file `prcli init` writes",
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read: {error}") from None
    return from_mapping(path, data)


def from_mapping(path: Path, data: Mapping[str, Any]) -> Config:
    reader = SettingsReader(path, data)
    org = reader.table("organisation")
    rel = reader.table("releases")
    timezone_name = reader.text(org, "organisation.timezone", "UTC")
    try:
        ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            path,
            f"unknown timezone '{timezone_name}'",
            hint="use an IANA name such as Asia/Baku or Europe/Moscow",
        ) from None
    languages = reader.text_list(rel, "releases.languages", DEFAULT_LANGUAGES)
    for language in languages:
        if not LANGUAGE_TAG.fullmatch(language):
            raise ConfigError(
                path, f"'{language}' is not a BCP 47 language tag (en, az, ru, pt-BR)"
            )
    default_language = reader.text(rel, "releases.default_language", languages[0])
    if default_language not in languages:
        raise ConfigError(
            path, f"default_language '{default_language}' is not in languages {list(languages)}"
        )
    fmt = reader.text(rel, "releases.format", "yaml")
    if fmt not in ("yaml", "toml"):
        raise ConfigError(path, f"releases.format must be 'yaml' or 'toml', not '{fmt}'")
    folder = reader.text(rel, "releases.folder", "releases")
    folder_path = Path(folder)
    if folder_path.is_absolute() or ".." in folder_path.parts or not folder.strip():
        raise ConfigError(
            path,
            f"releases.folder '{folder}' must be a folder inside the repository",
            hint='use a relative name such as "releases"',
        )
    contacts = []
    raw_contacts = data.get("contacts", [])
    if not isinstance(raw_contacts, list):
        raise ConfigError(path, "contacts must be an array of tables ([[contacts]])")
    for item in raw_contacts:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ConfigError(path, "each [[contacts]] needs a name")
        contacts.append(
            Contact(
                name=item["name"],
                role=str(item.get("role", "")),
                email=str(item.get("email", "")),
                phone=str(item.get("phone", "")),
            )
        )
    workflow = reader.table("workflow")
    second_approver = workflow.get("require_second_approver", False)
    if not isinstance(second_approver, bool):
        raise ConfigError(path, "workflow.require_second_approver must be true or false")
    boilerplate = reader.table("boilerplate")
    for language, text in boilerplate.items():
        if not isinstance(text, str):
            raise ConfigError(path, f"boilerplate.{language} must be text")
    return Config(
        path=path,
        organisation=reader.text(org, "organisation.name", ""),
        department=reader.text(org, "organisation.department", ""),
        issuer=reader.text(org, "organisation.issuer", ""),
        timezone_name=timezone_name,
        url=reader.text(org, "organisation.url", ""),
        releases_folder=folder,
        format=cast(FrontMatterFormat, fmt),
        languages=languages,
        default_language=default_language,
        categories=reader.text_list(rel, "releases.categories", DEFAULT_CATEGORIES),
        contacts=tuple(contacts),
        boilerplate=dict(boilerplate),
        require_second_approver=second_approver,
        raw=dict(data),
    )


class SettingsReader:
    """Typed reads from prcli.toml: every wrong type is a ConfigError naming the dotted key."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path = path
        self.data = data

    def table(self, name: str, within: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """The table `name` (dotted for the message) at the top level or inside `within`."""
        source = self.data if within is None else within
        value = source.get(name.rsplit(".", 1)[-1], {})
        if not isinstance(value, Mapping):
            raise ConfigError(self.path, f"[{name}] must be a table")
        return value

    def text(self, table: Mapping[str, Any], dotted: str, default: str) -> str:
        value = table.get(dotted.rsplit(".", 1)[1], default)
        if not isinstance(value, str):
            raise ConfigError(self.path, f"{dotted} must be text")
        return value

    def text_list(
        self, table: Mapping[str, Any], dotted: str, default: tuple[str, ...]
    ) -> tuple[str, ...]:
        value = table.get(dotted.rsplit(".", 1)[1], list(default))
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.path, f"{dotted} must be a non-empty list of text")
        return tuple(value)

    def boolean(self, table: Mapping[str, Any], dotted: str, default: bool) -> bool:
        value = table.get(dotted.rsplit(".", 1)[1], default)
        if not isinstance(value, bool):
            raise ConfigError(self.path, f"{dotted} must be true or false")
        return value

    def integer(
        self, table: Mapping[str, Any], dotted: str, default: int, low: int, high: int
    ) -> int:
        value = table.get(dotted.rsplit(".", 1)[1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(self.path, f"{dotted} must be a whole number from {low} to {high}")
        return value

    def number(self, table: Mapping[str, Any], dotted: str, default: float, low: float) -> float:
        value = table.get(dotted.rsplit(".", 1)[1], default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
            raise ConfigError(self.path, f"{dotted} must be a number, at least {low}")
        return float(value)


def render(
    *,
    organisation: str,
    department: str,
    issuer: str,
    timezone_name: str,
    url: str,
    languages: tuple[str, ...],
    categories: tuple[str, ...],
    fmt: FrontMatterFormat,
    contacts: tuple[Contact, ...] = (),
) -> str:
    """The text of a new prcli.toml, with a comment on each section."""
    import tomli_w

    org: dict[str, str] = {"name": organisation}
    if department:
        org["department"] = department
    if issuer:
        org["issuer"] = issuer
    org["timezone"] = timezone_name
    if url:
        org["url"] = url
    releases = {
        "folder": "releases",
        "format": fmt,
        "languages": list(languages),
        "default_language": languages[0],
        "categories": list(categories),
    }
    parts = [
        "# prcli repository settings. Releases live under [releases].folder as YYYY/<id>.md.\n",
        "\n# Who issues the releases; timezone is an IANA name used for dates and embargoes.\n",
        tomli_w.dumps({"organisation": org}),
        "\n# Languages are BCP 47 tags; format is the front matter: yaml (---) or toml (+++).\n",
        tomli_w.dumps({"releases": releases}),
    ]
    if contacts:
        parts.append("\n# Media contacts added to every release unless it names its own.\n")
        parts.append(
            tomli_w.dumps(
                {
                    "contacts": [
                        {k: v for k, v in vars_of(contact).items() if v} for contact in contacts
                    ]
                }
            )
        )
    parts.append(
        "\n# The 'About ...' paragraph printed under each release, one per language.\n"
        "[boilerplate]\n"
    )
    return "".join(parts)


def vars_of(contact: Contact) -> dict[str, str]:
    return {
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
    }
