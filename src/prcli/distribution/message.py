"""RFC 5322 messages for a release, built with the standard library's `email` package.

multipart/alternative with a plain-text part and an HTML part (multipart/mixed around it when the
release has attachments); UTF-8 throughout, RFC 2047 encoded subjects for Azerbaijani and Russian;
a Message-ID that is the same every time for the same release version and recipient; the embargo
notice at the top of both parts and in the subject of advance copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from prcli.config import Config
from prcli.distribution.content import Copy, contact_lines, version
from prcli.distribution.labels import label
from prcli.distribution.plaintext import footnote_lines, to_plain_text
from prcli.errors import PrcliError
from prcli.exporters.htmlsafe import clean_text, markdown_to_html
from prcli.model import Release

if TYPE_CHECKING:
    from prcli.media.library import MediaFile

TEXT_WIDTH = 72


class MessageError(PrcliError):
    """A message cannot be built: no sender address, an attachment that is missing."""


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str  # From: header value, "Name <address>"
    recipient: str = ""  # To: address ('' for an exported message)
    recipient_name: str = ""
    reply_to: str = ""
    unsubscribe: str = ""
    updated: bool = False  # a re-send after a correction: "Updated" in the subject
    test: bool = False  # a test copy: "[TEST]" in the subject


def sender_address(value: str) -> str:
    return parseaddr(value)[1]


def default_sender(settings: Config, sender: str) -> str:
    """[distribution] from, else the organisation with the first media contact's address."""
    if sender:
        return sender
    for contact in settings.contacts:
        if contact.email and "@" in contact.email:
            local, _, domain = contact.email.partition("@")
            name = settings.organisation or contact.name
            return str(Address(display_name=name, username=local, domain=domain))
    return ""


def message_id(copy: Copy, envelope: Envelope) -> str:
    """<id.version[.recipient hash]@domain>: stable for one version to one recipient."""
    domain = sender_address(envelope.sender).rpartition("@")[2] or "prcli.invalid"
    parts = [copy.release.id, f"v{version(copy.release)}"]
    if envelope.recipient:
        parts.append(hashlib.sha256(envelope.recipient.lower().encode()).hexdigest()[:10])
    if envelope.test:
        parts.append("test")
    return f"<{'.'.join(parts)}@{domain}>"


def subject(copy: Copy, envelope: Envelope) -> str:
    language = copy.language
    parts = []
    if envelope.test:
        parts.append(f"[{label(language, 'test')}]")
    if copy.retracted:
        parts.append(copy.retraction_heading + ":")
    if copy.embargoed:
        parts.append(copy.embargo_notice_subject() + ":")
    if envelope.updated:
        parts.append(label(language, "updated") + ":")
    parts.append(" ".join(copy.release.title.split()))
    return " ".join(parts)


def text_part(copy: Copy, envelope: Envelope, media: Sequence[MediaFile] = ()) -> str:
    release = copy.release
    parts: list[str] = []
    if copy.embargoed:
        parts.append(copy.embargo_notice())
    if copy.retracted:
        parts.append(f"{copy.retraction_heading}\n{copy.retraction_line()}")
    parts.append(copy.issuer)
    headline = release.title.strip()
    if release.subtitle.strip():
        headline += "\n" + release.subtitle.strip()
    parts.append(headline)
    if copy.updated_line():
        parts.append(copy.updated_line())
    if release.summary.strip():
        parts.append(" ".join(release.summary.split()))
    body = to_plain_text(release.body, width=TEXT_WIDTH, lead=copy.dateline())
    parts.append(body.text)
    if body.links:
        parts.append(f"{label(copy.language, 'links')}:\n{footnote_lines(body.links)}")
    if copy.boilerplate.strip():
        parts.append(copy.boilerplate.strip())
    if media:
        parts.append("\n".join(f"[{file.name}] {describe(file)}".rstrip() for file in media))
    contacts = contact_lines(copy.contacts)
    if contacts:
        parts.append(label(copy.language, "contacts") + ":\n" + "\n".join(contacts))
    if copy.page_url:
        parts.append(f"{label(copy.language, 'online')}: {copy.page_url}")
    if envelope.unsubscribe:
        parts.append(f"-- \n{label(copy.language, 'unsubscribe')}: {_unsubscribe_shown(envelope)}")
    return "\n\n".join(parts) + "\n"


def _unsubscribe_shown(envelope: Envelope) -> str:
    return (
        envelope.unsubscribe.removeprefix("mailto:").split("?")[0]
        if envelope.unsubscribe.startswith("mailto:")
        else envelope.unsubscribe
    )


def _e(value: str) -> str:
    return escape(clean_text(value), quote=True)


STYLE = (
    "body{margin:0;padding:0;background:#f4f4f4}"
    ".wrap{max-width:640px;margin:0 auto;padding:24px;background:#fff;color:#222;"
    "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5}"
    ".embargo{border:2px solid #b00;color:#b00;padding:8px 12px;font-weight:bold}"
    ".issuer,.meta,.footer{color:#555;font-size:14px}"
    "h1{font-size:24px;line-height:1.25;margin:8px 0}"
    ".updated{background:#fff7d6;padding:6px 10px}"
)


def describe(file: MediaFile) -> str:
    """'Caption (Credit)' of an attachment."""
    attachment = file.attachment
    credit = f"({attachment.credit})" if attachment.credit else ""
    return " ".join(part for part in (attachment.caption, credit) if part)


def html_part(copy: Copy, envelope: Envelope, figures: Sequence[tuple[str, MediaFile]] = ()) -> str:
    """The HTML part; `figures` are (Content-ID, picture) shown inline after the text."""
    release = copy.release
    language = copy.language
    out = [
        "<!DOCTYPE html>\n",
        f'<html lang="{_e(language)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_e(release.title)}</title>\n<style>{STYLE}</style>\n</head>\n",
        '<body>\n<div class="wrap">\n',
    ]
    if copy.embargoed:
        out.append(f'<p class="embargo">{_e(copy.embargo_notice())}</p>\n')
    if copy.retraction_line():
        out.append(f'<p class="embargo">{_e(copy.retraction_line())}</p>\n')
    out.append(f'<p class="issuer">{_e(copy.issuer)}</p>\n')
    out.append(f"<h1>{_e(release.title)}</h1>\n")
    if release.subtitle.strip():
        out.append(f"<p><em>{_e(release.subtitle)}</em></p>\n")
    if copy.updated_line():
        out.append(f'<p class="updated">{_e(copy.updated_line())}</p>\n')
    if release.summary.strip():
        out.append(f"<p><strong>{_e(release.summary)}</strong></p>\n")
    out.append(f'<p class="meta">{_e(copy.dateline())}</p>\n')
    out.append(markdown_to_html(release.body))
    for cid, file in figures:
        web = file.rendition("web")
        size = f' width="{min(web.width, 592)}"' if web else ""
        out.append(
            f'<figure style="margin:16px 0"><img src="cid:{_e(cid)}" alt="{_e(file.attachment.alt)}"'
            f'{size} style="max-width:100%;height:auto">'
        )
        if describe(file):
            out.append(f'<figcaption class="meta">{_e(describe(file))}</figcaption>')
        out.append("</figure>\n")
    if copy.boilerplate.strip():
        out.append(f"<p>{_e(copy.boilerplate)}</p>\n")
    contacts = contact_lines(copy.contacts)
    if contacts:
        out.append(f"<h2>{_e(label(language, 'contacts'))}</h2>\n<ul>\n")
        out.extend(f"<li>{_e(line)}</li>\n" for line in contacts)
        out.append("</ul>\n")
    if copy.page_url:
        out.append(f'<p><a href="{_e(copy.page_url)}">{_e(label(language, "online"))}</a></p>\n')
    if envelope.unsubscribe:
        out.append(
            f'<p class="footer"><a href="{_e(envelope.unsubscribe)}">'
            f"{_e(label(language, 'unsubscribe'))}</a></p>\n"
        )
    out.append("</div>\n</body>\n</html>\n")
    return "".join(out)


def build(
    copy: Copy,
    envelope: Envelope,
    *,
    date: dt.datetime,
    media: Sequence[MediaFile] = (),
    media_mode: str = "inline",
) -> EmailMessage:
    """The whole message. Pictures travel as their web rendition (no EXIF or GPS data, never the
    original): inline in the HTML part (`media_mode` "inline"), as attachments ("attached"), or not
    at all ("links"); other documents are attached unless "links"."""
    from email import policy

    if not sender_address(envelope.sender):
        raise MessageError(
            "no sender address for e-mail",
            hint='set from = "Press Office <press@example.org>" under [distribution] in prcli.toml',
        )
    carried = [] if media_mode == "links" else list(media)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject(copy, envelope)
    message["From"] = envelope.sender
    if envelope.recipient:
        message["To"] = Address(
            display_name=" ".join(envelope.recipient_name.split()), addr_spec=envelope.recipient
        )
    if envelope.reply_to:
        message["Reply-To"] = envelope.reply_to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(copy, envelope)
    if envelope.unsubscribe:
        message["List-Unsubscribe"] = f"<{envelope.unsubscribe}>"
        if envelope.unsubscribe.startswith("https:"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["X-Prcli-Release"] = copy.release.id
    message["X-Prcli-Version"] = str(version(copy.release))
    domain = sender_address(envelope.sender).rpartition("@")[2] or "prcli.invalid"
    # Content-IDs from the picture's hash: the same message gives the same bytes.
    inline = [
        (f"{file.digest[:20]}@{domain}", file)
        for file in carried
        if media_mode == "inline" and file.rendition("web") is not None
    ]
    message.set_content(text_part(copy, envelope, media), subtype="plain", charset="utf-8")
    message.add_alternative(html_part(copy, envelope, inline), subtype="html", charset="utf-8")
    if inline:
        html = message.get_body(preferencelist=("html",))
        assert isinstance(html, EmailMessage)
        for cid, file in inline:
            web = file.rendition("web")
            assert web is not None
            maintype, _, subtype = web.media_type.partition("/")
            html.add_related(
                web.data, maintype=maintype, subtype=subtype, cid=f"<{cid}>", filename=web.name
            )
    shown = {id(file) for _cid, file in inline}
    for file in carried:
        if id(file) in shown:
            continue
        web = file.rendition("web")
        if web is not None:  # a picture: its web rendition, never the original with its metadata
            data, media_type, name = web.data, web.media_type, web.name
        else:
            data, media_type, name = file.public_data, file.media_type, file.name
        maintype, _, subtype = media_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    # After the parts: set_content() drops every Content-* header set before it.
    message["Content-Language"] = copy.language
    return message


def media_of(
    release: Release, release_file: Path, root: Path, settings: Config
) -> tuple[list[MediaFile], str]:
    """The release's attachments for e-mail and the [media] email mode; none when retracted."""
    from prcli.media.library import media_files
    from prcli.media.settings import media_settings
    from prcli.publication import retraction

    mode = media_settings(settings).email
    if not release.attachments or retraction(release) is not None:
        return [], mode
    return media_files(root, release_file.parent, release.attachments, settings), mode
