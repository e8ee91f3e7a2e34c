"""The press kit: one ZIP per release with everything a newsroom needs, byte for byte repeatable.

Inside `<id>/`: `release.md` (the text in Markdown), `release.txt` (wire copy, by the wire
exporter's default profile), `captions.txt` (every attachment's caption, credit, alt text and
terms), `event.ics` (media advisories), `originals/<file>` and `web/<file>-web.jpg` for each
picture (documents only as originals), and `manifest.json` listing every other file with its
size, SHA-256 and description. The words of release.md and captions.txt (headings, labels) are
the release language's, from prcli.l10n like the site's and the wire copy's. Entries are sorted,
timestamps fixed (the release's date), and permissions and the creating system set, so the same
input gives the same bytes on any machine."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from prcli.media.library import MediaFile
from prcli.publication import under_embargo

if TYPE_CHECKING:
    from prcli.exporters.base import ExportItem, ExportOptions
    from prcli.l10n import Localiser

STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".zip", ".mp3", ".mp4", ".mov", ".pdf")
KIT_FORMAT = "prcli-press-kit/1"


def markdown_text(
    item: ExportItem, options: ExportOptions, media: list[MediaFile], words: Localiser
) -> str:
    """The release as a journalist reads it: headline, standfirst, text, event, contacts; the
    words around them in the release's language (`words`, as on the site and in wire copy)."""
    from prcli.notices import words as notice_words
    from prcli.publication import retraction

    release = item.release
    settings = options.settings
    label = words.label
    lines = []
    withdrawn = retraction(release)
    if withdrawn is not None:
        retracted = notice_words(release.language)["retracted"]
        lines += [f"> **{retracted}:** {withdrawn.reason}", ""]
    lines += [f"# {release.title}", ""]
    if release.subtitle:
        lines += [f"*{release.subtitle}*", ""]
    issuer = release.issuer or words.issuer or settings.default_issuer
    facts = [issuer, release.date.isoformat()]
    if release.dateline:
        facts.append(release.dateline)
    lines += [" · ".join(f for f in facts if f), ""]
    if release.embargo_until is not None and under_embargo(release, options.now):
        from prcli.distribution.labels import long_moment

        until = long_moment(release.embargo_until, release.language)
        lines += [f"**{label('embargo_notice', time=until)}**", ""]
    if release.summary:
        lines += [f"**{release.summary}**", ""]
    if release.body:
        lines += [release.body, ""]
    event = release.event
    if event is not None:
        lines += [
            f"## {label('event')}",
            "",
            f"- {label('event_starts')}: {event.start.isoformat()}",
        ]
        if event.end is not None:
            lines.append(f"- {label('event_ends')}: {event.end.isoformat()}")
        if event.place:
            lines.append(f"- {label('event_place')}: {event.place}")
        from prcli.media.calendar import contact_text

        if contact_text(release):
            lines.append(f"- {label('event_accreditation')}: {contact_text(release)}")
        lines.append("")
    if media:
        lines += [f"## {label('kit_media')}", ""]
        for file in media:
            lines.append(f"- `originals/{file.name}`: {caption_line(file, label)}")
        lines.append("")
    boilerplate = settings.boilerplate.get(release.language, "")
    if boilerplate:
        lines += ["---", "", boilerplate, ""]
    contacts = release.contacts or settings.contacts
    if contacts:
        lines += [f"## {label('media_contacts')}", ""]
        for contact in contacts:
            parts = [contact.name, contact.role, contact.email, contact.phone]
            lines.append("- " + ", ".join(p for p in parts if p))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def caption_line(file: MediaFile, label: Callable[[str], str]) -> str:
    a = file.attachment
    text = a.caption or a.alt or file.name
    if a.credit:
        word = label("media_photo" if file.kind == "image" else "media_credit")
        text += f" ({word}: {a.credit})"
    return text


def captions_text(media: list[MediaFile], label: Callable[[str], str]) -> str:
    """Every attachment's facts, one 'Label: value' a line, in the release's language (`label`:
    a prcli.l10n.Localiser.label)."""
    blocks = []
    for file in media:
        a = file.attachment
        rows = [(label("kit_file"), f"originals/{file.name}")]
        web = file.rendition("web")
        if web is not None:
            rows.append((label("kit_web_size"), f"web/{web.name} ({web.width} x {web.height})"))
        rows += [
            (label("kit_caption"), a.caption),
            (label("media_credit"), a.credit),
            (label("kit_alt"), a.alt),
            (label("kit_terms"), a.licence),
            (label("kit_language"), a.language),
        ]
        blocks.append("\n".join(f"{name}: {value}" for name, value in rows if value))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _entry(name: str, data: bytes, day: date) -> tuple[zipfile.ZipInfo, bytes]:
    stamp = max(day, date(1980, 1, 1))
    info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
    info.create_system = 3  # Unix, whatever machine builds it
    info.external_attr = 0o644 << 16
    info.compress_type = (
        zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
    )
    return info, data


def build(item: ExportItem, options: ExportOptions) -> bytes:
    """The press kit of one release as ZIP bytes."""
    from prcli.exporters.base import repository_root
    from prcli.media.library import media_files
    from prcli.publication import retraction

    release = item.release
    withdrawn = retraction(release) is not None
    media = (
        []
        if withdrawn  # a retracted release keeps its notice, not its pictures
        else media_files(
            repository_root(item), item.entry.path.parent, release.attachments, options.settings
        )
    )
    from prcli.l10n import localiser

    words = localiser(options.settings, release.language, options.warnings)
    files: dict[str, bytes] = {}
    files["release.md"] = markdown_text(item, options, media, words).encode("utf-8")
    from prcli.exporters.wirefmt import render_item

    files["release.txt"] = render_item(item, options).encode("utf-8")
    if media:
        files["captions.txt"] = captions_text(media, words.label).encode("utf-8")
    if release.event is not None:
        from prcli.exporters.base import updated_at
        from prcli.media.calendar import calendar

        url = options.page_url(release.id) if options.base_url else ""
        files["event.ics"] = calendar(
            [(release, options.uri(release.id), url, updated_at(release, options))]
        )
    described: dict[str, dict[str, Any]] = {}
    for file in media:
        a = file.attachment
        original = f"originals/{file.name}"
        files[original] = file.public_data
        described[original] = {
            "kind": file.kind,
            "caption": a.caption,
            "credit": a.credit,
            "alt": a.alt,
            "licence": a.licence,
            "language": a.language,
        }
        if file.dimensions:
            described[original]["width"], described[original]["height"] = file.dimensions
        web = file.rendition("web")
        if web is not None:
            path = f"web/{web.name}"
            files[path] = web.data
            described[path] = {
                "kind": "image",
                "rendition_of": original,
                "width": web.width,
                "height": web.height,
            }
    manifest = {
        "format": KIT_FORMAT,
        "id": release.id,
        "title": release.title,
        "language": release.language,
        "uri": options.uri(release.id),
        "files": [
            {
                "path": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "media_type": _media_type(name),
                **described.get(name, {}),
            }
            for name, data in sorted(files.items())
        ],
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info, data = _entry(f"{release.id}/{name}", files[name], release.date)
            archive.writestr(info, data)
    return out.getvalue()


def _media_type(name: str) -> str:
    from prcli.media.files import media_type

    if name.endswith(".md"):
        return "text/markdown; charset=utf-8"
    if name.endswith(".txt"):
        return "text/plain; charset=utf-8"
    return media_type(name)
