"""Exporters: one module per format behind one registry (name -> exporter), imported on demand."""

from __future__ import annotations

from importlib import import_module

from prcli.exporters.base import Exporter, ExportItem, ExportOptions, Version

# name -> (module, attribute). Modules are imported only when their format is asked for.
_REGISTRY: dict[str, tuple[str, str]] = {
    "json": ("prcli.exporters.jsonfmt", "JSON"),
    "jsonl": ("prcli.exporters.jsonfmt", "JSONL"),
    "csv": ("prcli.exporters.csvfmt", "CSV"),
    "toml": ("prcli.exporters.tomlfmt", "TOML"),
    "markdown": ("prcli.exporters.markdownfmt", "MARKDOWN"),
    "html": ("prcli.site.exporter", "HTML"),
    "ninjs": ("prcli.exporters.ninjs", "NINJS"),
    "atom": ("prcli.exporters.feeds", "ATOM_EXPORTER"),
    "rss": ("prcli.exporters.feeds", "RSS"),
    "wire": ("prcli.exporters.wirefmt", "WIRE"),
    "eml": ("prcli.exporters.emlfmt", "EML"),
    "kit": ("prcli.media.exports", "KIT"),
    "ics": ("prcli.media.exports", "ICS"),
}
NAMES: tuple[str, ...] = tuple(_REGISTRY)


def get(name: str) -> Exporter:
    module, attribute = _REGISTRY[name]
    exporter: Exporter = getattr(import_module(module), attribute)
    return exporter


__all__ = ["NAMES", "ExportItem", "ExportOptions", "Exporter", "Version", "get"]
