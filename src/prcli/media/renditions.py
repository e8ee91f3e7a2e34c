"""Web and thumbnail renditions of attached pictures, made at export time and cached.

The cache lives in `.prcli/renditions/` (git-ignored) and is keyed by the SHA-256 of the original
and the rendition's size: an unchanged picture is never rendered twice, an edited one gets new
renditions, and two exports running at once write the same bytes atomically. Originals are only
read. Every rendition is made without EXIF, GPS or XMP data, with the orientation applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from prcli.atomicfile import write_atomic

CACHE_FOLDER = "renditions"
# Bump when the way renditions are made changes, so old cached files are not used.
VERSION = 1
SUFFIXES = {"web": "web", "thumbnail": "thumb"}


@dataclass(frozen=True, slots=True)
class Rendition:
    variant: str  # "web" or "thumbnail"
    name: str  # file name in exports: <stem>-web.jpg, <stem>-thumb.jpg
    media_type: str
    width: int
    height: int
    data: bytes


def cache_key(digest: str, variant: str, size: int) -> str:
    return f"{digest}-{variant}-{size}-v{VERSION}"


def _cached(folder: Path, key: str) -> tuple[Path, int, int] | None:
    for path in folder.glob(f"{key}-*"):
        dims = path.stem.rsplit("-", 1)[-1]
        width, _, height = dims.partition("x")
        if width.isdigit() and height.isdigit() and not path.name.startswith("."):
            return path, int(width), int(height)
    return None


def make(
    data: bytes, name: str, sizes: dict[str, int], cache: Path | None
) -> tuple[Rendition, ...]:
    """The renditions of one picture (`name` is its file name), from the cache when there."""
    from prcli.media import images

    digest = hashlib.sha256(data).hexdigest()
    stem = PurePosixPath(name).stem
    made = []
    for variant, size in sizes.items():
        key = cache_key(digest, variant, size)
        found = _cached(cache, key) if cache is not None and cache.is_dir() else None
        if found is not None:
            path, width, height = found
            try:
                payload = path.read_bytes()
            except OSError:
                found = None
        if found is not None:
            extension = path.suffix
            media_type = "image/png" if extension == ".png" else "image/jpeg"
        else:
            rendered = images.render(data, name, size)
            payload, extension, media_type = rendered.data, rendered.extension, rendered.media_type
            width, height = rendered.width, rendered.height
            if cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
                write_atomic(cache / f"{key}-{width}x{height}{extension}", payload)
        made.append(
            Rendition(
                variant,
                f"{stem}-{SUFFIXES.get(variant, variant)}{extension}",
                media_type,
                width,
                height,
                payload,
            )
        )
    return tuple(made)
