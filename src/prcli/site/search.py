"""The static search: Pagefind bundles, one per language and year, built at export time.

Pagefind (the binary shipped on PyPI as pagefind-bin) makes the index and the browser library;
prcli only chooses what goes in. Two choices are prcli's:

- Folding. Pagefind folds letters that Unicode decomposes (ş -> s, ü -> u, ё -> е) but not
  letters without a decomposition: Azerbaijani ə and ı stay apart from e and i, so "gence" would
  not find "Gəncə". prcli therefore indexes each release's text folded with `prcli.text.fold`
  (the same folding as `prcli search`), and the search page folds the query the same way before
  asking Pagefind. Result lines show the real title and summary, kept as Pagefind metadata.
- Shards. A bundle per language and year, merged in the browser (Pagefind's mergeIndex): a
  re-export after one edit re-indexes one year of one language, not the whole site.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from pathlib import Path

from prcli.errors import PrcliError
from prcli.exporters.base import ExportItem
from prcli.exporters.htmlsafe import clean_text
from prcli.l10n import Localisation
from prcli.site.state import RenderCache
from prcli.site.views import file_stamp, release_path
from prcli.text import fold

FOLDER = "search"
SHARD_ABOVE = 2000
# Pagefind's ready-made interfaces: the site has its own search page, so they are not copied.
_UNUSED = re.compile(r"pagefind-(?:ui|modular-ui|component-ui|highlight)\.(?:js|css)")
_MARKDOWN_SYNTAX = re.compile(r"\]\([^)]*\)|[#*_`>\[\]|~]+|<[^>]*>")


def shards(items: Sequence[ExportItem]) -> dict[str, list[ExportItem]]:
    """Releases grouped into the units that are re-indexed: one bundle per language, or per
    language and year once a language has more than SHARD_ABOVE releases (each Pagefind run has a
    fixed cost, so small sites get few bundles; large ones re-index one year after an edit)."""
    by_language: dict[str, list[ExportItem]] = defaultdict(list)
    for item in items:
        by_language[item.release.language].append(item)
    groups: dict[str, list[ExportItem]] = defaultdict(list)
    for language, found in by_language.items():
        for item in found:
            year = item.release.date.year
            groups[f"{language}-{year}" if len(found) > SHARD_ABOVE else language].append(item)
    return dict(groups)


def _text(item: ExportItem, l10n: Localisation) -> str:
    release = item.release
    parts = [
        release.title,
        release.subtitle,
        release.summary,
        release.dateline,
        l10n.category(release.language, release.category),
        " ".join(release.places),
        " ".join(release.tags),
        _MARKDOWN_SYNTAX.sub(" ", release.body),
    ]
    return fold(clean_text(" ".join(p for p in parts if p)))


def _document(item: ExportItem, l10n: Localisation) -> str:
    release = item.release
    t = l10n[release.language]
    meta = {
        "title": clean_text(release.title),
        "date": t.date(release.date),
        "summary": clean_text(release.summary),
        "category": clean_text(l10n.category(release.language, release.category)),
    }
    tags = "".join(
        f'<span data-pagefind-meta="{name}[data-value]" data-value="{escape(value)}"></span>'
        for name, value in meta.items()
        if value
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(release.language)}"><head><meta charset="utf-8">'
        f"<title>{escape(meta['title'])}</title></head><body>{tags}"
        f"<main data-pagefind-body>{escape(_text(item, l10n))}</main></body></html>"
    )


def _shard_key(items: Sequence[ExportItem], l10n: Localisation) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for item in items:
        release = item.release
        digest.update(
            repr(
                (
                    file_stamp(item),
                    l10n.category(release.language, release.category),
                    l10n[release.language].date_format,
                )
            ).encode()
        )
    return digest.hexdigest()


def _executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind")
        if found:
            return found
        raise PrcliError(
            "the search index needs Pagefind, which is not installed",
            hint="pip install 'pagefind[bin]', or set [site] search = false",
        ) from None
    return str(get_executable())


def files(
    groups: dict[str, list[ExportItem]], cache: RenderCache, l10n: Localisation
) -> tuple[list[tuple[str, bytes | None]], int]:
    """The files of every bundle: bytes for the shards re-indexed now, None for those kept."""
    result: list[tuple[str, bytes | None]] = []
    todo: dict[str, str] = {}
    for name, items in sorted(groups.items()):
        key = _shard_key(items, l10n)
        kept = cache.shard_fresh(name, key)
        if kept is None:
            todo[name] = key
            continue
        cache.new_shards[name] = (key, kept)
        result.extend((path, None) for path in kept)
    if not todo:
        return result, 0
    executable = _executable()
    with tempfile.TemporaryDirectory(prefix="prcli-search-") as temp:
        staging = Path(temp)
        running: list[tuple[str, subprocess.Popen[bytes]]] = []
        finished: list[str] = []
        for name in todo:
            source = staging / name
            for item in groups[name]:
                target = source / release_path(item.release.id)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_document(item, l10n), encoding="utf-8")
            process = subprocess.Popen(
                [
                    executable,
                    "--site",
                    str(source),
                    "--output-path",
                    str(staging / f"{name}.bundle"),
                    "--silent",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            running.append((name, process))
            if len(running) >= 2:  # two at a time: the indexer is itself multi-threaded
                finished.append(_wait(*running.pop(0)))
        finished.extend(_wait(name, process) for name, process in running)
        for name in finished:
            bundle = staging / f"{name}.bundle"
            names = []
            for path in sorted(bundle.rglob("*")):
                if path.is_file() and not _UNUSED.fullmatch(path.name):
                    site_name = f"{FOLDER}/{name}/{path.relative_to(bundle).as_posix()}"
                    names.append(site_name)
                    result.append((site_name, path.read_bytes()))
            cache.new_shards[name] = (todo[name], names)
    return result, len(todo)


def _wait(name: str, process: subprocess.Popen[bytes]) -> str:
    _, errors = process.communicate()
    if process.returncode != 0:
        message = errors.decode("utf-8", "replace").strip().splitlines()
        raise PrcliError(
            f"Pagefind failed on the search bundle {name}: "
            f"{message[-1] if message else process.returncode}",
            hint="nothing was written; run the export again, or set [site] search = false",
        )
    return name
