"""The media formats of `prcli export`: `kit` (a press-kit ZIP per release) and `ics` (media
advisories as iCalendar)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from prcli.exporters.base import ExportItem, ExportOptions, updated_at

if TYPE_CHECKING:
    from prcli.media.library import MediaFile


def page_media(item: ExportItem, options: ExportOptions) -> list[MediaFile]:
    """The attachments a public page shows (none for a retracted release: its notice stays, its
    pictures go)."""
    from prcli.exporters.base import repository_root
    from prcli.media.library import media_files

    release = item.release
    if not release.attachments or release.retraction:
        return []
    return media_files(
        repository_root(item), item.entry.path.parent, release.attachments, options.settings
    )


def page_calendar(item: ExportItem, options: ExportOptions) -> bytes:
    """The .ics file of one media advisory."""
    from prcli.media.calendar import calendar

    return calendar([event for _, event in _events([item], options)])


class _Kit:
    name = "kit"
    extension = ".zip"
    public = True
    stream = False
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        raise NotImplementedError("kit writes one ZIP file per release")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        from prcli.media.kit import build

        for item in items:
            yield f"{item.release.id}.zip", build(item, options)


def _events(items: Sequence[ExportItem], options: ExportOptions) -> list[tuple[ExportItem, tuple]]:  # type: ignore[type-arg]
    chosen = []
    for item in items:
        release = item.release
        if release.event is None:
            continue
        url = options.page_url(release.id) if options.base_url else ""
        chosen.append((item, (release, options.uri(release.id), url, updated_at(release, options))))
    return chosen


class _Ics:
    name = "ics"
    extension = ".ics"
    public = True
    stream = True
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        from prcli.media.calendar import calendar

        out.write(calendar([event for _, event in _events(items, options)]).decode("utf-8"))

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        from prcli.media.calendar import calendar

        for item, event in _events(items, options):
            yield f"{item.release.id}.ics", calendar([event])


KIT = _Kit()
ICS = _Ics()
