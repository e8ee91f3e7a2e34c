"""html: the newsroom site as an exporter of the registry (a folder, built by `prcli.site.build`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from prcli.exporters.base import ExportItem, ExportOptions

if TYPE_CHECKING:
    from prcli.site.build import SiteReport


class _Site:
    name = "html"
    extension = ".html"
    public = True
    stream = False
    folder = True

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None:
        raise NotImplementedError("html writes a folder")

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]:
        raise NotImplementedError("html builds a site with write_folder")

    def write_folder(
        self, items: Sequence[ExportItem], options: ExportOptions, folder: Path, force: bool
    ) -> SiteReport:
        """Build or update the site in `folder` (see `prcli.site.build`)."""
        from prcli.site.build import build

        return build(items, options, folder, force=force)


HTML = _Site()
