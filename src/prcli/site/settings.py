"""[site] in prcli.toml: templates, stylesheet, logo, page size, feed size, search."""

from __future__ import annotations

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


def check_base_url(base_url: str) -> str:
    """'' (relative links only) or an absolute http(s) address, normalised without a final '/'."""
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"base URL '{base_url}' is not an absolute http(s) address",
            hint="use e.g. --base-url https://press.example.org (or [organisation] url)",
        )
    return base_url.rstrip("/")
