"""Web and thumbnail renditions of attached pictures, made at export time and cached.

The cache lives in `.prcli/renditions/` (git-ignored) and is keyed by the SHA-256 of the original
and the rendition's size: an unchanged picture is never rendered twice, an edited one gets new
renditions, and two exports running at once write the same bytes atomically. Originals are only
read. Every rendition is made without EXIF, GPS or XMP data, with the orientation applied.
The cache does not only grow: `forget` drops the renditions of an original that was detached and
deleted, and `prune` (run after each export) those of an older VERSION or unused for 90 days.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from prcli.atomicfile import write_atomic

CACHE_FOLDER = "renditions"
# Bump when the way renditions are made changes, so old cached files are not used.
VERSION = 2
SUFFIXES = {"web": "web", "thumbnail": "thumb"}
# A cached rendition prcli wrote: <sha256>-<variant>-<size>-v<version>-<width>x<height>.<ext>
_CACHED = re.compile(r"([0-9a-f]{64})-[a-z]+-\d+-v(\d+)-\d+x\d+\.[a-z]+")
UNUSED_DAYS = 90  # a rendition no export used for this long is removed by prune()


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
                _touch(path)
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


def _touch(path: Path) -> None:
    """Mark a cached rendition as in use (prune keeps it), at most once a day: a cache hit does not
    write every time."""
    import time

    if time.time() - path.stat().st_mtime > 86400:
        os.utime(path)


def forget(cache: Path, data: bytes) -> int:
    """Remove the cached renditions of a picture whose original is gone (detached and deleted)."""
    digest = hashlib.sha256(data).hexdigest()
    return _remove(cache, lambda match, _: match.group(1) == digest)


def prune(cache: Path, unused_days: float = UNUSED_DAYS) -> int:
    """Remove cached renditions made by an older VERSION, and those no export used for
    `unused_days` (each use touches them): pictures detached or replaced in ways prcli did not see
    (a teammate's detach pulled by git). Only files of this user with prcli's names are removed; a
    removed rendition is made again when a picture needs it. Returns how many were removed."""
    import time

    limit = time.time() - unused_days * 86400

    def stale(match: re.Match[str], info: os.stat_result) -> bool:
        return int(match.group(2)) != VERSION or info.st_mtime < limit

    return _remove(cache, stale)


def _remove(cache: Path, chosen: Callable[[re.Match[str], os.stat_result], bool]) -> int:
    import stat

    try:
        names = os.listdir(cache)
    except OSError:
        return 0
    removed = 0
    for name in names:
        match = _CACHED.fullmatch(name)
        if match is None:
            continue
        path = cache / name
        try:
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and chosen(match, info):
                path.unlink()
                removed += 1
        except OSError:
            continue  # gone meanwhile
    return removed
