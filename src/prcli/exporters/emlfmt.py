"""eml: RFC 5322 messages, one .eml per release in a folder, or an mbox stream.

The same messages `prcli send` sends, without a recipient: to check, archive, or hand to another
mailing tool.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from email.message import EmailMessage
from typing import TextIO

from prcli.exporters.base import ExportItem, ExportOptions, published_at, repository_root


def build_item(item: ExportItem, options: ExportOptions) -> EmailMessage:
    from prcli.distribution import message
    from prcli.distribution import settings as dist_settings
    from prcli.distribution.content import make_copy

    dist = dist_settings.load(options.settings)
    copy = make_copy(item.release, options.settings, options.now, options.base_url)
    media, mode = message.media_of(
        item.release, item.entry.path, repository_root(item), options.settings
    )
    envelope = message.Envelope(
        sender=default_sender(options, item.release.language),
        reply_to=dist.reply_to,
        unsubscribe=dist.unsubscribe,
    )
    return message.build(
        copy,
        envelope,
        date=published_at(item.release, options),
        media=media,
        media_mode=mode,
        templates=message.templates_of(options.settings),
    )


def default_sender(options: ExportOptions, language: str = "") -> str:
    from prcli.distribution import message
    from prcli.distribution import settings as dist_settings

    sender = dist_settings.load(options.settings).sender
    return message.default_sender(options.settings, sender, language)


def to_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes()


class _Eml:
    name = "eml"
    extension = ".eml"
    public = True
    stream = True  # an mbox
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        from email import policy

        for item in items:
            message = build_item(item, options)
            moment = published_at(item.release, options)
            out.write(f"From MAILER-DAEMON {moment.strftime('%a %b %d %H:%M:%S %Y')}\n")
            text = message.as_bytes(policy=policy.SMTP.clone(linesep="\n")).decode("ascii")
            for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
                quoted = line.lstrip(">")
                out.write((">" + line if quoted.startswith("From ") else line) + "\n")
            out.write("\n")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        for item in items:
            yield f"{item.release.id}.eml", to_bytes(build_item(item, options))


EML = _Eml()
