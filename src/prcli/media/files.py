"""What kind of file an attachment is, its media type, and where it lives in the repository."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path, PurePosixPath

from prcli.errors import MediaError
from prcli.model import Attachment

MEDIA_FOLDER = "media"

# Image formats prcli makes web renditions of (Pillow format names), by file suffix.
IMAGE_FORMATS: dict[str, str] = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".gif": "GIF",
    ".webp": "WEBP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
}
AUDIO_SUFFIXES = frozenset({".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".opus", ".flac"})
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".ogv"})
# Pictures prcli cannot make renditions of: kept as documents (said so when attached).
UNSUPPORTED_IMAGES = frozenset(
    {".heic", ".heif", ".avif", ".bmp", ".svg", ".psd", ".raw", ".cr2", ".nef", ".dng", ".jxl"}
)
_EXTRA_TYPES = {
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".avif": "image/avif",
    ".md": "text/markdown",
    ".opus": "audio/opus",
    ".m4a": "audio/mp4",
    ".mkv": "video/x-matroska",
}


def guess_kind(name: str) -> str:
    """image, audio, video or document, from the file name."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in IMAGE_FORMATS:
        return "image"
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return "document"


def kind_of(attachment: Attachment) -> str:
    return attachment.kind or guess_kind(attachment.path)


def media_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _EXTRA_TYPES:
        return _EXTRA_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(f"x{suffix}", strict=False)
    return guessed or "application/octet-stream"


def renders(attachment: Attachment) -> bool:
    """Whether prcli makes web renditions of this attachment (an image in a format Pillow reads)."""
    return (
        kind_of(attachment) == "image"
        and PurePosixPath(attachment.path).suffix.lower() in IMAGE_FORMATS
    )


def candidates(root: Path, release_folder: Path, attachment: Attachment) -> tuple[Path, Path]:
    """Where the path may point: relative to the repository root, or (older releases) to the
    release file's folder."""
    relative = Path(attachment.path)
    return root / relative, release_folder / relative


def locate(root: Path, release_folder: Path, attachment: Attachment) -> Path:
    """The attachment's file, checked: inside the repository and not a symbolic link.

    Raises MediaError for an absolute path, `..` leading out, or a link (a link could make an
    export publish any file of the machine). The file need not exist: callers check that."""
    relative = Path(attachment.path)
    shown = attachment.path
    if relative.is_absolute() or attachment.path.startswith(("/", "\\")):
        raise MediaError(
            f"attachment '{shown}' is an absolute path",
            hint="attach the file with `prcli attach`, which copies it into media/",
        )
    root = root.resolve()
    first, legacy = (
        Path(os.path.normpath(p)) for p in candidates(root, release_folder, attachment)
    )
    chosen = first if _present(first) or not _present(legacy) else legacy
    if not chosen.is_relative_to(root):
        raise MediaError(
            f"attachment '{shown}' leads outside the repository",
            hint="attach the file with `prcli attach`, which copies it into media/",
        )
    step = chosen
    while step != root:
        if step.is_symlink():
            raise MediaError(
                f"attachment '{shown}' is (or lies under) a symbolic link",
                hint="replace the link by the file itself (`prcli attach` copies it in)",
            )
        step = step.parent
    return chosen


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()
