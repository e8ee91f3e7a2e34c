"""[media] in prcli.toml: size limits, rendition sizes, how e-mail carries pictures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from prcli.config import Config
from prcli.errors import ConfigError

EmailMode = Literal["inline", "attached", "links"]


@dataclass(frozen=True, slots=True)
class MediaSettings:
    max_file_mb: float = 25.0  # validation warns about larger attachments (PR804)
    web_size: int = 1600  # longest edge of the web picture, in pixels
    thumbnail_size: int = 400
    email: EmailMode = "inline"  # pictures in e-mail: inline (cid:), attached, or links only


def media_settings(config: Config) -> MediaSettings:
    table = config.raw.get("media", {})
    if not isinstance(table, dict):
        raise ConfigError(config.path, "[media] must be a table")
    defaults = MediaSettings()
    values: dict[str, object] = {}
    for key in ("max_file_mb", "web_size", "thumbnail_size"):
        if key not in table:
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(config.path, f"media.{key} must be a positive number")
        if key != "max_file_mb" and (not isinstance(value, int) or not 16 <= value <= 8000):
            raise ConfigError(config.path, f"media.{key} must be a whole number of pixels, 16-8000")
        values[key] = value
    if "email" in table:
        if table["email"] not in ("inline", "attached", "links"):
            raise ConfigError(config.path, "media.email must be 'inline', 'attached' or 'links'")
        values["email"] = table["email"]
    return MediaSettings(**{**_as_dict(defaults), **values})  # type: ignore[arg-type]


def _as_dict(settings: MediaSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in MediaSettings.__slots__}
