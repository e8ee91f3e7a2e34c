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
    head = stripped[:4000]
    ninjs_head = '"headlines"' in head or '"uri"' in head or '"bodies"' in head
    if stripped.startswith("["):
        return "ninjs" if ninjs_head else "json"
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0].strip()
        lines = [line for line in stripped.splitlines() if line.strip()]
        if (
            len(lines) > 1
            and first_line.endswith("}")
            and all(line.lstrip().startswith("{") for line in lines)
        ):
            # JSON Lines: ninjs (`prcli export -f ninjs -o FILE` writes one document a line)
            # when its first document is one, else prcli records.
            return "ninjs" if _ninjs_document(first_line) else "jsonl"
        return "ninjs" if ninjs_head else "json"
    return "text"


def _ninjs_document(line: str) -> bool:
    import json

    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and (
        "headlines" in record or "bodies" in record or ("uri" in record and "id" not in record)
    )


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
