"""Web and thumbnail renditions of attached pictures, made at export time and cached.

The cache lives in `.prcli/renditions/` (git-ignored) and is keyed by the SHA-256 of the original
and the rendition's size: an unchanged picture is never rendered twice, an edited one gets new
renditions, and two exports running at once write the same bytes atomically. Originals are only
read. Every rendition is made without EXIF, GPS or XMP data, with the orientation applied.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from prcli.atomicfile import write_atomic

CACHE_FOLDER = "renditions"
# Bump when the way renditions are made changes, so old cached files are not used.
VERSION = 2
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
    """The renditions of one picture (`name` is its file name), from the cache when there; the
    missing ones are made from one decoding of the picture."""
    from prcli.media import images

    digest = hashlib.sha256(data).hexdigest()
    stem = PurePosixPath(name).stem
    found: dict[str, tuple[bytes, str, int, int]] = {}
    for variant, size in sizes.items():
        hit = (
            _cached(cache, cache_key(digest, variant, size))
            if cache is not None and cache.is_dir()
            else None
        )
        if hit is not None:
            path, width, height = hit
            with contextlib.suppress(OSError):  # vanished meanwhile: made again below
                found[variant] = (path.read_bytes(), path.suffix, width, height)
    missing = [variant for variant in sizes if variant not in found]
    if missing:
        rendered = images.render_many(data, name, [sizes[v] for v in missing])
        for variant, result in zip(missing, rendered, strict=True):
            found[variant] = (result.data, result.extension, result.width, result.height)
            if cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
                key = cache_key(digest, variant, sizes[variant])
                write_atomic(
                    cache / f"{key}-{result.width}x{result.height}{result.extension}", result.data
                )
    made = []
    for variant in sizes:
        payload, extension, width, height = found[variant]
        made.append(
            Rendition(
                variant,
                f"{stem}-{SUFFIXES.get(variant, variant)}{extension}",
                "image/png" if extension == ".png" else "image/jpeg",
                width,
                height,
                payload,
            )
        )
    return tuple(made)
