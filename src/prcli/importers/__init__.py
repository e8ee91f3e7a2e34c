"""Importers: one module per source format behind one registry, plus format detection."""

from __future__ import annotations

from importlib import import_module

from prcli.importers.base import Candidate, ImportContext, Importer, ImportError_, load_json

_REGISTRY: dict[str, tuple[str, str]] = {
    "text": ("prcli.importers.text", "TEXT"),
    "ninjs": ("prcli.importers.ninjs", "NINJS"),
    "json": ("prcli.importers.jsonfmt", "JSON"),
    "jsonl": ("prcli.importers.jsonfmt", "JSONL"),
    "markdown": ("prcli.importers.markdownfmt", "MARKDOWN"),
}
NAMES: tuple[str, ...] = tuple(_REGISTRY)


def get(name: str) -> Importer:
    module, attribute = _REGISTRY[name]
    importer: Importer = getattr(import_module(module), attribute)
    return importer


def detect(text: str) -> str:
    """Guess the source format from the content."""
    stripped = text.lstrip()
    if stripped.startswith(("---\n", "+++\n")):
        return "markdown"
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0].strip()
        lines = [line for line in stripped.splitlines() if line.strip()]
        if (
            len(lines) > 1
            and first_line.endswith("}")
            and all(line.lstrip().startswith("{") for line in lines)
        ):
            return "jsonl"
        head = stripped[:4000]
        if '"headlines"' in head or '"uri"' in head or '"bodies"' in head:
            return "ninjs"
        return "json"
    return "text"


__all__ = [
    "NAMES",
    "Candidate",
    "ImportContext",
    "ImportError_",
    "Importer",
    "detect",
    "get",
    "load_json",
]
