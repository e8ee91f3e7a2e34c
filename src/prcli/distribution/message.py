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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prcli.config import Config
from prcli.distribution.content import Copy, contact_lines, version
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


def default_sender(settings: Config, sender: str, language: str = "") -> str:
    """[distribution] from, else the organisation with the first media contact's address. The
    organisation is named in `language` as [l10n.<language>] organisation names it (the newsroom
    site's translation), else as [organisation] name does."""
    if sender:
        return sender
    for contact in settings.contacts:
        if contact.email and "@" in contact.email:
            local, _, domain = contact.email.partition("@")
            organisation = settings.organisation
            if language:
                from prcli.distribution.content import localiser_for

                organisation = localiser_for(settings, language).organisation or organisation
            name = organisation or contact.name
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
    parts = []
    if envelope.test:
        parts.append(f"[{copy.label('test_copy')}]")
    if copy.retracted:
        parts.append(copy.retraction_heading + ":")
    if copy.embargoed:
        parts.append(copy.embargo_notice_subject() + ":")
    if envelope.updated:
        parts.append(copy.label("updated_subject") + ":")
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
        parts.append(f"{copy.label('links')}:\n{footnote_lines(body.links)}")
    if copy.boilerplate.strip():
        parts.append(copy.boilerplate.strip())
    if media:
        parts.append("\n".join(f"[{file.name}] {describe(file)}".rstrip() for file in media))
    contacts = contact_lines(copy.contacts)
    if contacts:
        parts.append(copy.label("media_contacts") + ":\n" + "\n".join(contacts))
    if copy.page_url:
        parts.append(f"{copy.label('read_online')}: {copy.page_url}")
    if envelope.unsubscribe:
        parts.append(f"-- \n{copy.label('unsubscribe')}: {_unsubscribe_shown(envelope)}")
    return "\n\n".join(parts) + "\n"


def _unsubscribe_shown(envelope: Envelope) -> str:
    return (
        envelope.unsubscribe.removeprefix("mailto:").split("?")[0]
        if envelope.unsubscribe.startswith("mailto:")
        else envelope.unsubscribe
    )


def describe(file: MediaFile) -> str:
    """'Caption (Credit)' of an attachment."""
    attachment = file.attachment
    credit = f"({attachment.credit})" if attachment.credit else ""
    return " ".join(part for part in (attachment.caption, credit) if part)


def html_part(
    copy: Copy,
    envelope: Envelope,
    figures: Sequence[tuple[str, MediaFile]] = (),
    templates: Path | None = None,
) -> str:
    """The HTML part, from `email.html` of the newsroom site's template set (an office's own
    templates folder overrides it, as it overrides the pages). `figures` are (Content-ID, picture)
    shown inline after the text."""
    from markupsafe import Markup

    from prcli.site import templating

    release = copy.release
    shown = []
    for cid, file in figures:
        web = file.rendition("web")
        shown.append(
            {
                "cid": cid,
                "alt": clean_text(file.attachment.alt),
                "caption": clean_text(describe(file)),
                "width": min(web.width, 592) if web else 0,
            }
        )
    context = {
        "lang": copy.language,
        "dir": getattr(copy.localiser, "direction", "ltr"),
        "t": copy.localiser,
        "title": clean_text(release.title),
        "subtitle": clean_text(release.subtitle),
        "summary": clean_text(release.summary),
        "issuer": clean_text(copy.issuer),
        "embargo_notice": copy.embargo_notice() if copy.embargoed else "",
        "retraction_heading": copy.retraction_heading,
        "retraction_line": copy.retraction_line(),
        "updates": list(copy.updates),
        "dateline": copy.dateline(),
        "body": Markup(markdown_to_html(release.body)),
        "figures": shown,
        "boilerplate": clean_text(copy.boilerplate),
        "contacts": [clean_text(line) for line in contact_lines(copy.contacts)],
        "page_url": copy.page_url,
        "online_label": copy.label("read_online"),
        "unsubscribe": envelope.unsubscribe,
        "unsubscribe_label": copy.label("unsubscribe"),
    }
    env = _environment(templates)
    return templating.render(env, "email.html", context, templates).decode("utf-8")


@lru_cache(maxsize=4)
def _environment(templates: Path | None) -> Any:
    """One Jinja2 environment per template folder and process: compiled once, used per message."""
    from prcli.site import templating

    return templating.environment(templates)


def build(
    copy: Copy,
    envelope: Envelope,
    *,
    date: dt.datetime,
    media: Sequence[MediaFile] = (),
    media_mode: str = "inline",
    templates: Path | None = None,
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
    message.add_alternative(
        html_part(copy, envelope, inline, templates), subtype="html", charset="utf-8"
    )
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


def templates_of(settings: Config) -> Path | None:
    """The office's own template folder ([site] templates), if any."""
    from prcli.site.settings import read

    return read(settings).templates


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
