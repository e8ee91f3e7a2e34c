"""Attach and detach: copy a file into the repository under a stable name and record it.

The stable name is `media/<year>/<slug of the file name>-<first 10 hex digits of SHA-256>.<ext>`:
the same file attached twice (or to each language version) is stored once, and two different
files called `photo.jpg` never overwrite each other.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from prcli.atomicfile import write_atomic
from prcli.errors import InvalidValue, MediaError
from prcli.media import files
from prcli.model import ATTACHMENT_KINDS, Attachment, Release

HASH_DIGITS = 10
# An attached file larger than this is refused outright (a validation rule warns much earlier).
HARD_LIMIT = 2 * 1024**3


@dataclass(frozen=True, slots=True)
class Incoming:
    """A file on its way in, read and checked, not yet written."""

    data: bytes
    name: str  # the stable path, relative to the repository root (POSIX separators)
    kind: str
    notes: tuple[str, ...] = field(
        default=()
    )  # what the user should know (kept as a document, ...)


def read_source(source: Path) -> bytes:
    """The bytes of the file to attach; a link, a folder or an unreadable file is refused."""
    if source.is_symlink():
        raise MediaError(
            f"{source} is a symbolic link",
            hint=f"attach the file it points to: {os.path.realpath(source)}",
        )
    if not source.exists():
        raise MediaError(f"{source} does not exist", hint="check the file name")
    if not source.is_file():
        raise MediaError(f"{source} is not a file", hint="attach a file, not a folder")
    size = source.stat().st_size
    if size > HARD_LIMIT:
        raise MediaError(
            f"{source} is {size / 1024**3:.1f} GB, more than prcli stores in a repository",
            hint="publish large video elsewhere and link to it from the release",
        )
    if size == 0:
        raise MediaError(f"{source} is empty", hint="check the file")
    try:
        return source.read_bytes()
    except OSError as error:
        raise MediaError(f"cannot read {source}: {error.strerror}") from None


def stable_name(release: Release, original_name: str, data: bytes, suffix: str = "") -> str:
    from prcli.ids import slugify_title

    pure = PurePosixPath(original_name.replace("\\", "/"))
    ext = (suffix or pure.suffix).lower()
    if ext == ".jpeg":
        ext = ".jpg"
    slug = slugify_title(pure.stem)[:40].rstrip("-") or "file"
    digest = hashlib.sha256(data).hexdigest()[:HASH_DIGITS]
    return f"{files.MEDIA_FOLDER}/{release.date.year:04d}/{slug}-{digest}{ext}"


def prepare(
    release: Release, source: Path, data: bytes, *, kind: str = "", strip: bool = False
) -> Incoming:
    """Check the file against what its name (or --kind) claims; strip GPS data when asked."""
    from prcli.media import images

    if kind and kind not in ATTACHMENT_KINDS:
        raise InvalidValue(
            f"unknown kind '{kind}'", hint=f"use one of: {', '.join(ATTACHMENT_KINDS)}"
        )
    shown = source.name
    suffix = source.suffix.lower()
    guessed = files.guess_kind(source.name)
    notes: list[str] = []
    chosen = kind or guessed
    if chosen == "image" and suffix not in files.IMAGE_FORMATS:
        if suffix in files.UNSUPPORTED_IMAGES or not kind:
            notes.append(
                f"{shown}: {suffix or 'this format'} is not a format prcli makes web pictures from "
                "(JPEG, PNG, GIF, WebP, TIFF); attached as a document"
            )
            chosen = "document"
        else:
            raise MediaError(
                f"{shown} is not a picture format prcli reads (JPEG, PNG, GIF, WebP, TIFF)",
                hint="convert it to JPEG, or attach it with --kind document",
            )
    elif not kind and suffix in files.UNSUPPORTED_IMAGES:
        notes.append(
            f"{shown}: {suffix} pictures are not a format prcli makes web pictures from "
            "(JPEG, PNG, GIF, WebP, TIFF); attached as a document"
        )
    if chosen == "image":
        info = images.inspect(data, shown)
        claimed = files.IMAGE_FORMATS[suffix]
        if info.format != claimed:
            raise MediaError(
                f"{shown} claims to be {claimed} but is {info.format or 'something else'}",
                hint=f"rename it to the right extension (.{info.format.lower()}) and attach again",
            )
        if strip and info.gps:
            data = images.strip_gps(data, shown)
            notes.append(f"{shown}: GPS position removed from the stored copy")
        elif info.gps:
            notes.append(
                f"{shown} carries a GPS position; `prcli attach --strip` or `prcli strip ID` removes it"
            )
    return Incoming(data, stable_name(release, source.name, data), chosen, tuple(notes))


def same_file(root: Path, incoming: Incoming) -> Incoming:
    """`incoming` under the name of the same bytes already stored in media/, when there are: a
    picture attached to releases of two years (media/2021/, media/2026/), or under two original
    names, is stored once. Names end in a hash of the content, so only files with that ending are
    compared (in full)."""
    if (root / incoming.name).exists():
        return incoming  # store() compares it
    ending = PurePosixPath(incoming.name).name.rsplit("-", 1)[-1]  # "<hash><ext>"
    for candidate in sorted((root / files.MEDIA_FOLDER).glob(f"*/*-{ending}")):
        try:
            if candidate.is_symlink() or not candidate.is_file():
                continue
            if candidate.read_bytes() == incoming.data:
                name = candidate.relative_to(root).as_posix()
                return replace(incoming, name=name)
        except OSError:
            continue
    return incoming


def store(root: Path, incoming: Incoming) -> bool:
    """Write the file under its stable name; False when the same bytes are already there."""
    target = root / incoming.name
    if target.is_symlink():
        raise MediaError(f"{incoming.name} is a symbolic link in the repository", hint="remove it")
    if target.exists():
        if target.read_bytes() == incoming.data:
            return False
        raise MediaError(  # a hash prefix collision, or a file edited in place
            f"{incoming.name} exists with other content",
            hint="move the existing file away, or attach under another file name",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(target, incoming.data, exclusive=True)
    except FileExistsError:  # another process stored the same name meanwhile
        if target.read_bytes() != incoming.data:
            raise MediaError(f"{incoming.name} exists with other content") from None
        return False
    return True


def add(release: Release, attachment: Attachment) -> Release:
    """The release with one more attachment; the same file (or file name) twice is refused."""
    name = PurePosixPath(attachment.path).name
    for existing in release.attachments:
        if existing.path == attachment.path:
            raise MediaError(
                f"{release.id} already has {attachment.path}",
                hint="change its caption with `prcli edit`, or `prcli detach` it first",
            )
        if PurePosixPath(existing.path).name == name:
            raise MediaError(
                f"{release.id} already has an attachment named {name} ({existing.path})",
                hint="two attachments with the same name would collide in the press kit",
            )
    return release.replace(attachments=(*release.attachments, attachment))


def find(release: Release, reference: str) -> int:
    """The index of the attachment a user names: its number (1 = first), path or file name."""
    attachments = release.attachments
    if reference.isdigit():
        number = int(reference)
        if 1 <= number <= len(attachments):
            return number - 1
        raise InvalidValue(
            f"{release.id} has {len(attachments)} attachment(s), not {number}",
            hint="`prcli show ID` lists them",
        )
    for index, attachment in enumerate(attachments):
        if reference in (attachment.path, PurePosixPath(attachment.path).name):
            return index
    matches = [
        i for i, a in enumerate(attachments) if PurePosixPath(a.path).name.startswith(reference)
    ]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(PurePosixPath(a.path).name for a in attachments) or "none"
    raise InvalidValue(
        f"{release.id} has no attachment '{reference}'", hint=f"its attachments: {listed}"
    )


def still_used(paths: list[tuple[Path, Release]], root: Path, target: Path) -> bool:
    """Whether any release (given with its file) still refers to the file `target`."""
    for release_file, release in paths:
        for attachment in release.attachments:
            for candidate in files.candidates(root, release_file.parent, attachment):
                if os.path.normpath(candidate) == os.path.normpath(target):
                    return True
    return False
