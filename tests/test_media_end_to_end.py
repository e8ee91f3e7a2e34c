"""The issue's end-to-end case: a release with three photos goes out as HTML, ninjs (2 and 3,
schema-valid), Atom and RSS, e-mail (an .eml file and a message through a real SMTP server) and a
press kit; every picture that leaves prcli is read back with Pillow: captions and credits travel
with it, and no EXIF or GPS data does."""

from __future__ import annotations

import email
import email.policy
import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release
from .media_helpers import gps_of, write_picture
from .smtpserver import PASSWORD, Server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ID = "2021-10-15-cis-security-chiefs-meet-in-moscow"
BASE = "https://press.example.org"
PHOTOS = [
    ("hall.jpg", "Heads of delegations in the hall", "R. Aliyev", {"gps": True, "orientation": 6}),
    ("flags.png", "Flags of the member states", "Press service", {"fmt": "PNG"}),
    ("table.jpg", "The negotiating table", "AzerTAc", {"orientation": 3}),
]


def clean(data: bytes) -> tuple[int, int]:
    """A published rendition: no EXIF, GPS or XMP; returns its size."""
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), "EXIF left in a rendition"
        assert "xmp" not in image.info and "exif" not in image.info
        assert max(image.size) <= 1600
        return image.size


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def check_message(message: EmailMessage) -> None:
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    markup = html.get_content()
    plain = text.get_content()
    inline = [part for part in message.walk() if part.get("Content-ID")]
    assert len(inline) == 3
    for part in inline:
        assert part.get_content_type() == "image/jpeg"
        assert f'src="cid:{part["Content-ID"].strip("<>")}"' in markup
        clean(part.get_content())
    for _, caption, credit, _ in PHOTOS:
        assert f"{caption} ({credit})" in markup  # the figcaption (prcli.distribution.message)
        assert f"{caption} ({credit})" in plain


def test_three_photos_everywhere(
    run: Run, repository: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_release(repository, make_release(summary="Heads of services met in Moscow."))
    for name, caption, credit, options in PHOTOS:
        source = write_picture(tmp_path / name, width=1800, height=1200, **options)
        result = run(
            "attach", ID, str(source), "--caption", caption, "--credit", credit,
            "--alt", f"Photo: {caption.lower()}",
        )  # fmt: skip
        assert result.exit_code == 0, result
    findings = json.loads(run("validate", "--format", "json").stdout)
    media = [f for f in findings if f["code"].startswith("PR8")]
    assert [f["code"] for f in media] == ["PR805"]  # the GPS of hall.jpg, with its fix
    assert media[0]["hint"].startswith(f"prcli strip {ID} hall-")

    # HTML
    site = tmp_path / "site"
    assert run("export", "-f", "html", "-o", f"{site}/", "--base-url", BASE).exit_code == 0
    page = (site / "releases" / f"{ID}.html").read_text()
    assert page.count("<figure") == 3 and page.count("<figcaption>") == 3
    for _, caption, credit, _ in PHOTOS:
        assert f'{caption} <span class="credit">Photo: {credit}</span>' in page
    renditions = sorted((site / "media").glob("*-web.*")) + sorted(
        (site / "media").glob("*-thumb.*")
    )
    assert len(renditions) == 6
    sizes = {path.name: clean(path.read_bytes()) for path in renditions}
    hall_web = next(
        size for name, size in sizes.items() if name.startswith("hall-") and "-web" in name
    )
    assert hall_web == (1067, 1600)  # turned upright
    for original in (site / "media").glob("*"):
        if (
            original.suffix in (".jpg", ".png")
            and "-web" not in original.name
            and "-thumb" not in original.name
        ):
            assert not gps_of(original.read_bytes())  # not even the downloadable original

    # ninjs 2 and 3
    from .test_cli_export import _ninjs_validator

    for version in (2, 3):
        result = run("export", "-f", "ninjs", "--ninjs-version", str(version), "--base-url", BASE)
        document = json.loads(result.stdout)
        assert not list(_ninjs_validator(version).iter_errors(document))
        pictures = [a for a in document["associations"] if a["type"] == "picture"]
        assert [a["by"] for a in pictures] == [credit for _, _, credit, _ in PHOTOS]

    # feeds
    feedparser = pytest.importorskip("feedparser")
    atom = feedparser.parse(run("export", "-f", "atom", "--base-url", BASE).stdout)
    assert len(atom.entries[0].enclosures) == 3
    rss = feedparser.parse(run("export", "-f", "rss", "--base-url", BASE).stdout)
    assert [c["content"] for c in rss.entries[0].media_credit] == [c for _, _, c, _ in PHOTOS]

    # e-mail: an .eml file, and a message through a real SMTP server
    outbox = tmp_path / "outbox"
    assert run("export", "-f", "eml", "-o", f"{outbox}/", "--base-url", BASE).exit_code == 0
    check_message(parse((outbox / f"{ID}.eml").read_bytes()))
    with Server() as server:
        config = repository.root / "prcli.toml"
        config.write_text(config.read_text() + server.config())
        monkeypatch.setenv("PRCLI_SMTP_PASSWORD", PASSWORD)
        sent = run("send", ID, "--test", "desk@example.org")
        assert sent.exit_code == 0, sent
        check_message(server.handler.received[0].message)

    # press kit
    kits = tmp_path / "kits"
    assert run("export", ID, "-f", "kit", "-o", f"{kits}/").exit_code == 0
    with zipfile.ZipFile(kits / f"{ID}.zip") as archive:
        names = archive.namelist()
        webs = [n for n in names if "/web/" in n]
        assert len(webs) == 3 and len([n for n in names if "/originals/" in n]) == 3
        for name in webs:
            clean(archive.read(name))
        for name in names:
            if "/originals/" in name:
                assert not gps_of(archive.read(name))
        captions = archive.read(f"{ID}/captions.txt").decode()
    for _, caption, credit, _ in PHOTOS:
        assert f"Caption: {caption}" in captions and f"Credit: {credit}" in captions


def test_email_can_attach_pictures_instead(
    run: Run, repository: Repository, tmp_path: Path
) -> None:
    config = repository.root / "prcli.toml"
    config.write_text(config.read_text() + '\n[media]\nemail = "attached"\n')
    write_release(repository, make_release())
    for name, caption, credit, options in PHOTOS:
        source = write_picture(tmp_path / name, **options)
        args = ["--caption", caption, "--credit", credit, "--alt", "a"]
        assert run("attach", ID, str(source), *args).exit_code == 0
    outbox = tmp_path / "outbox"
    assert run("export", "-f", "eml", "-o", f"{outbox}/").exit_code == 0
    message = parse((outbox / f"{ID}.eml").read_bytes())
    attached: list[Any] = list(message.iter_attachments())
    assert sorted(part.get_filename().split("-")[0] for part in attached) == [
        "flags",
        "hall",
        "table",
    ]
    assert not [part for part in message.walk() if part.get("Content-ID")]
    for part in attached:
        clean(part.get_content())
    plain = message.get_body(preferencelist=("plain",))
    assert (
        plain is not None and "Heads of delegations in the hall (R. Aliyev)" in plain.get_content()
    )
