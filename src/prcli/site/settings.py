"""[site] in prcli.toml: templates, stylesheet, logo, page size, feed size, search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from prcli.config import Config
from prcli.errors import ConfigError, UsageError


@dataclass(frozen=True, slots=True)
class SiteSettings:
    templates: Path | None = None
    stylesheet: Path | None = None
    logo: Path | None = None
    page_size: int = 20
    feed_size: int = 50
    search: bool = True


def read(settings: Config) -> SiteSettings:
    table = settings.raw.get("site", {})
    if not isinstance(table, dict):
        raise ConfigError(settings.path, "[site] must be a table")
    root = settings.path.parent

    def folder_or_file(key: str, want_dir: bool) -> Path | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(settings.path, f"site.{key} must be a path")
        path = (root / value).resolve()
        exists = path.is_dir() if want_dir else path.is_file()
        if not exists:
            kind = "folder" if want_dir else "file"
            raise ConfigError(
                settings.path,
                f"site.{key}: the {kind} {value} does not exist",
                hint=f"create it, or remove site.{key} to use prcli's own",
            )
        return path

    def number(key: str, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
            raise ConfigError(settings.path, f"site.{key} must be a whole number from 1 to 1000")
        return value

    search = table.get("search", True)
    if not isinstance(search, bool):
        raise ConfigError(settings.path, "site.search must be true or false")
    return SiteSettings(
        templates=folder_or_file("templates", True),
        stylesheet=folder_or_file("stylesheet", False),
        logo=folder_or_file("logo", False),
        page_size=number("page_size", 20),
        feed_size=number("feed_size", 50),
        search=search,
    )


_LABEL = r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?"  # letters (any script) and digits, inner hyphens
_HOST = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?|[0-9a-fA-F.]*:[0-9a-fA-F:.]*")
_UNSAFE = re.compile(r"[\s\"'<>\\^`{|}]")


def check_base_url(base_url: str, settings: Config | None = None) -> str:
    """'' (relative links only) or an absolute http(s) address, normalised without a final '/'.

    Every export that writes addresses (pages, feeds, sitemaps, ninjs, wire, e-mail) checks it:
    a space or a quote in it would go into every id and link. With `settings`, the value came from
    [organisation] url and the error names prcli.toml and the line."""
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    problem = ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = "is not an absolute http(s) address"
    elif parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        problem = "must not carry a query (?) or a fragment (#)"
    elif _UNSAFE.search(base_url):
        problem = "holds a space, a quote or another character an address cannot carry"
    elif parts.username is not None or not _HOST.fullmatch(parts.hostname or ""):
        problem = "does not name a valid host"
    else:
        try:
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number 0-65535
        except ValueError:
            problem = "has a port that is not a number from 0 to 65535"
    if not problem:
        return base_url.rstrip("/")
    if settings is not None:
        raise ConfigError(
            settings.path,
            f"organisation.url '{base_url}' {problem}",
            line=_line_of_url(settings.path),
            hint='write the site\'s public address, e.g. url = "https://press.example.org" '
            "(or pass --base-url)",
        )
    raise UsageError(
        f"base URL '{base_url}' {problem}",
        hint="use e.g. --base-url https://press.example.org (or [organisation] url)",
    )


def _line_of_url(path: Path) -> int | None:
    """The line of `url = ...` in the [organisation] table of prcli.toml, when it can be found."""
    table = ""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.strip("[] ")
        elif table == "organisation" and re.match(r"url\s*=", stripped):
            return number
    return None
