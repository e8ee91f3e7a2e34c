"""What the exporters know about a release's attachments: files, sizes, renditions, public names.

Every export (site, ninjs, feeds, e-mail, press kit, records) asks here, so a picture is
described the same way everywhere. Exported files live under `media/` in an export folder:
`media/<stored file name>` (the original) and `media/<stem>-web.jpg`, `media/<stem>-thumb.jpg`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from prcli.config import Config
from prcli.errors import MediaError
from prcli.media import files
from prcli.media.renditions import Rendition, make
from prcli.model import Attachment

EXPORT_FOLDER = "media"


@dataclass(frozen=True)
class MediaFile:
    attachment: Attachment
    source: Path
    data: bytes
    sizes: tuple[tuple[str, int], ...]
    cache: Path | None

    @property
    def kind(self) -> str:
        return files.kind_of(self.attachment)

    @property
    def name(self) -> str:
        """The original's file name, as stored (`hall-3f2a9c81d0.jpg`)."""
        return PurePosixPath(self.attachment.path).name

    @property
    def media_type(self) -> str:
        return files.media_type(self.name)

    @cached_property
    def public_data(self) -> bytes:
        """The original as it is published: a picture's GPS position removed (losslessly; the
        repository's file is not changed, and `prcli validate` asks for `prcli strip`)."""
        if not files.renders(self.attachment):
            return self.data
        from prcli.media import images

        if not images.has_gps(self.data, self.name):
            return self.data
        return images.strip_gps(self.data, self.name)

    @property
    def size(self) -> int:
        """Size in bytes of the published original."""
        return len(self.public_data)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def export_path(self) -> str:
        """Where the original goes in an export folder or press kit."""
        return f"{EXPORT_FOLDER}/{self.name}"

    @cached_property
    def renditions(self) -> tuple[Rendition, ...]:
        if not files.renders(self.attachment):
            return ()
        return make(self.data, self.name, dict(self.sizes), self.cache)

    def rendition(self, variant: str) -> Rendition | None:
        return next((r for r in self.renditions if r.variant == variant), None)

    def rendition_path(self, rendition: Rendition) -> str:
        return f"{EXPORT_FOLDER}/{rendition.name}"

    @cached_property
    def dimensions(self) -> tuple[int, int] | None:
        """Width and height of the original as shown (orientation applied), for images."""
        if not files.renders(self.attachment):
            return None
        from prcli.media import images

        info = images.header_info(self.data, self.name)
        if info.orientation in (5, 6, 7, 8):
            return info.height, info.width
        return info.width, info.height

    def files(self) -> list[tuple[str, bytes]]:
        """Every file this attachment puts into an export: the original and its renditions."""
        result = [(self.export_path, self.public_data)]
        result.extend((self.rendition_path(r), r.data) for r in self.renditions)
        return result


def media_files(
    root: Path, release_folder: Path, attachments: tuple[Attachment, ...], settings: Config
) -> list[MediaFile]:
    """The release's attachments, read and checked; raises MediaError for one that is missing,
    outside the repository or behind a link."""
    from prcli.media.settings import media_settings

    chosen = media_settings(settings)
    sizes = (("web", chosen.web_size), ("thumbnail", chosen.thumbnail_size))
    from prcli.repository import WORK_FOLDER

    cache = root / WORK_FOLDER / "renditions"
    result = []
    seen: dict[str, str] = {}
    for attachment in attachments:
        source = files.locate(root, release_folder, attachment)
        name = PurePosixPath(attachment.path).name
        if name in seen and seen[name] != attachment.path:
            raise MediaError(
                f"two attachments are named {name} ({seen[name]}, {attachment.path})",
                hint="`prcli validate` reports it as PR807; detach or rename one",
            )
        seen[name] = attachment.path
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise MediaError(
                f"attachment '{attachment.path}' does not exist",
                hint="`prcli validate` reports it as PR202",
            ) from None
        except OSError as error:
            raise MediaError(
                f"cannot read attachment '{attachment.path}': {error.strerror}"
            ) from None
        result.append(MediaFile(attachment, source, data, sizes, cache))
    return result
