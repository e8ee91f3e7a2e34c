"""Attachments and media advisories: alt text, credits, captions, sizes, GPS, damage, duplicates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from prcli.errors import MediaError
from prcli.media import files
from prcli.model import ATTACHMENT_KINDS, Attachment
from prcli.repository import Entry
from prcli.validation.context import Context
from prcli.validation.registry import release_rule
from prcli.validation.types import Problem, Severity


def _present(entry: Entry, context: Context) -> Iterator[tuple[Attachment, Path]]:
    """Attachments whose file exists inside the repository (PR202 reports the others)."""
    for attachment in entry.release.attachments:
        try:
            target = files.locate(context.repository.root, entry.path.parent, attachment)
        except MediaError:
            continue
        if target.is_file():
            yield attachment, target


@release_rule("PR801", "image-alt-text", Severity.ERROR, "Every image has alt text.")
def image_alt_text(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Alt text describes a picture for readers who cannot see it (screen readers, slow connections,
    text-only e-mail). Pages and e-mails must carry it: add `alt:` to the attachment, one or two
    sentences saying what the picture shows.
    """
    for attachment in entry.release.attachments:
        if files.kind_of(attachment) == "image" and not attachment.alt.strip():
            yield Problem(
                f"image {attachment.path} has no alt text",
                key="attachments",
                hint=f"add alt: to it (`prcli edit {entry.release.id}`)",
            )


@release_rule(
    "PR802", "media-credit", Severity.WARNING, "Photos, audio and video name their author."
)
def media_credit(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A credit line is a legal matter: newspapers print it under every photo, and many licences
    require it. Add `credit:` (photographer or agency) to each picture, recording and video.
    """
    for attachment in entry.release.attachments:
        if (
            files.kind_of(attachment) in ("image", "audio", "video")
            and not attachment.credit.strip()
        ):
            yield Problem(
                f"{attachment.path} has no credit",
                key="attachments",
                hint="add credit: (photographer or agency)",
            )


@release_rule("PR803", "attachment-caption", Severity.WARNING, "Attachments have a caption.")
def attachment_caption(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Photo editors pass over pictures without captions: say who and what is shown, where and when.
    A document without a caption is reported as information only.
    """
    for attachment in entry.release.attachments:
        if not attachment.caption.strip():
            document = files.kind_of(attachment) == "document"
            yield Problem(
                f"{attachment.path} has no caption",
                key="attachments",
                hint="add caption: (who and what, where, when)",
                severity=Severity.INFO if document else None,
            )


@release_rule("PR804", "attachment-size", Severity.WARNING, "Attachments are not too large.")
def attachment_size(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Very large files make a repository slow to clone and e-mails bounce. The limit is
    `[media] max_file_mb` in prcli.toml (25 MB by default). Publish large video elsewhere and
    link to it, or attach a smaller export.
    """
    from prcli.media.settings import media_settings

    limit = media_settings(context.settings).max_file_mb
    for attachment, target in _present(entry, context):
        size = target.stat().st_size
        if size > limit * 1024 * 1024:
            yield Problem(
                f"{attachment.path} is {size / 1024 / 1024:.1f} MB, more than {limit:g} MB",
                key="attachments",
                hint="attach a smaller version, or raise [media] max_file_mb in prcli.toml",
            )


@release_rule("PR805", "image-gps", Severity.WARNING, "Attached pictures carry no GPS position.")
def image_gps(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Phone photos record where they were taken. A picture of a meeting can give away the position
    of a secure building. Web pictures made by prcli never carry it, but the original is
    published in press kits and the repository: `prcli strip ID` removes it from the originals.
    """
    from prcli.media import images

    for attachment, target in _present(entry, context):
        if not files.renders(attachment):
            continue
        try:
            gps = images.has_gps(target.read_bytes(), PurePosixPath(attachment.path).name)
        except MediaError:
            continue  # PR806 reports it
        if gps:
            yield Problem(
                f"{attachment.path} carries a GPS position in its EXIF data",
                key="attachments",
                hint=f"prcli strip {entry.release.id} {PurePosixPath(attachment.path).name}",
            )


@release_rule(
    "PR806", "image-readable", Severity.ERROR, "Attached pictures are the images they claim."
)
def image_readable(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A file named .jpg that is not a JPEG, a damaged or truncated picture, or one with more pixels
    than prcli opens (a decompression bomb) cannot be made into web pictures. Export it again, or
    give it the right extension. Headers are checked here; `prcli attach` decodes every pixel.
    """
    from prcli.media import images

    for attachment, target in _present(entry, context):
        if not files.renders(attachment):
            continue
        name = PurePosixPath(attachment.path).name
        claimed = files.IMAGE_FORMATS[PurePosixPath(name).suffix.lower()]
        try:
            found = images.header_format(target.read_bytes(), name)
        except MediaError as error:
            yield Problem(error.message, key="attachments", hint=error.hint)
            continue
        if found != claimed:
            yield Problem(
                f"{attachment.path} claims to be {claimed} but is {found or 'something else'}",
                key="attachments",
                hint="give the file the right extension",
            )


@release_rule(
    "PR807", "attachment-duplicate", Severity.ERROR, "No two attachments share a file name."
)
def attachment_duplicate(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Two attachments with the same file name would overwrite each other in a press kit or an
    exported site, and the same file listed twice is shown twice. Remove or rename one.
    """
    names = Counter(PurePosixPath(a.path).name for a in entry.release.attachments)
    for name, count in sorted(names.items()):
        if count > 1:
            yield Problem(
                f"{count} attachments are named {name}",
                key="attachments",
                hint="`prcli detach` one of them, or attach it again under another name",
            )


@release_rule("PR808", "attachment-kind", Severity.WARNING, "Attachment kinds are known.")
def attachment_kind(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    `kind` is one of image, document, audio, video (or empty: taken from the file name). Other
    values are treated as documents.
    """
    for attachment in entry.release.attachments:
        if attachment.kind and attachment.kind not in ATTACHMENT_KINDS:
            yield Problem(
                f"{attachment.path} has an unknown kind '{attachment.kind}'",
                key="attachments",
                hint=f"use one of: {', '.join(ATTACHMENT_KINDS)}",
            )


@release_rule("PR809", "event-times", Severity.ERROR, "An event ends after it starts.")
def event_times(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    The `event` block of a media advisory gives the start and (optionally) end of the press
    conference. An end before the start is a typo that calendars would reject.
    """
    event = entry.release.event
    if event is not None and event.end is not None and event.end < event.start:
        yield Problem(
            f"the event ends ({event.end.isoformat()}) before it starts ({event.start.isoformat()})",
            key="event",
            hint="fix event.start or event.end",
        )
