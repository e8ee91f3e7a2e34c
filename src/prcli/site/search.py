"""The static search: Pagefind bundles, one per language (and year on large sites), built at export
time by Pagefind processes (one per core) while the pages render.

Pagefind (the binary shipped on PyPI as pagefind-bin) makes the index and the browser library;
prcli only chooses what goes in. Three choices are prcli's:

- Folding. Pagefind folds letters that Unicode decomposes (ş -> s, ü -> u, ё -> е) but not
  letters without a decomposition: Azerbaijani ə and ı stay apart from e and i, so "gence" would
  not find "Gəncə". prcli therefore indexes each release's text folded with `prcli.text.fold`
  (the same folding as `prcli search`), and the search page folds the query the same way before
  asking Pagefind. Result lines show the real title and summary, kept as Pagefind metadata.
- Shards. A bundle per language and year, merged in the browser (Pagefind's mergeIndex): a
  re-export after one edit re-indexes one year of one language, not the whole site.
- A few processes, no staged pages. Every bundle is an in-memory index of a `pagefind --service`
  process (the service Pagefind's own Node and Python APIs drive, spoken here directly: the Python
  API reads one answer per 0.1 s, 14 minutes for 8,000 records); one process per core, the
  bundles shared between them by size, since a process works through its requests one at a time.
  Each release goes in as a record (text, URL, language, metadata) while the pages render in the
  worker processes; each bundle's files come back in Pagefind's answer and are written (and
  hashed) into a staging folder inside the export folder by the thread reading the answers, from
  which the folder writer moves them into place (`prcli.folderexport.Staged`): nothing is
  written twice or copied.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from prcli.errors import PrcliError
from prcli.exporters.base import ExportItem
from prcli.exporters.htmlsafe import clean_text
from prcli.folderexport import Staged, staging
from prcli.l10n import Localisation
from prcli.model import Status
from prcli.notices import words
from prcli.site.state import RenderCache
from prcli.site.views import file_stamp, release_path
from prcli.text import fold

FOLDER = "search"
SHARD_ABOVE = 2000
# Pagefind's ready-made interfaces: the site has its own search page, so they are not kept.
_UNUSED = re.compile(r"pagefind-(?:ui|modular-ui|component-ui|highlight)\.(?:js|css)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"[#*_`>\[\]|~]+")
_FAILED_HINT = "nothing was written; run the export again, or set [site] search = false"


def shards(items: Sequence[ExportItem]) -> dict[str, list[ExportItem]]:
    """Releases grouped into the units that are re-indexed: one bundle per language, or per
    language and year once a language has more than SHARD_ABOVE releases (small sites get few
    bundles; large ones re-index one year after an edit)."""
    by_language: dict[str, list[ExportItem]] = defaultdict(list)
    for item in items:
        by_language[item.release.language].append(item)
    groups: dict[str, list[ExportItem]] = defaultdict(list)
    for language, found in by_language.items():
        for item in found:
            year = item.release.date.year
            groups[f"{language}-{year}" if len(found) > SHARD_ABOVE else language].append(item)
    return dict(groups)


def _words(body: str) -> str:
    """A Markdown body without link targets, tags and markup characters (each made a space).
    Each pattern runs only where its characters occur: `in` finds none in a 4 kB body faster
    than a regular expression does (a third of the cost of a release's record, before)."""
    if "](" in body:
        body = _LINK_TARGET.sub(" ", body)
    if "<" in body:
        body = _TAG.sub(" ", body)
    if any(mark in body for mark in "#*_`>[]|~"):
        body = _MARKUP.sub(" ", body)
    return body


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
        _words(release.body),
    ]
    return fold(clean_text(" ".join(p for p in parts if p)))


def record(item: ExportItem, l10n: Localisation) -> dict[str, Any]:
    """A release as a Pagefind record: folded text to search, its page and the result line."""
    release = item.release
    meta = {
        "title": clean_text(release.title),
        "date": l10n[release.language].date(release.date),
        "summary": clean_text(release.summary),
        "category": clean_text(l10n.category(release.language, release.category)),
        # a retracted release is marked in search results as in every list ("[Retracted]")
        "mark": words(release.language)["retracted_mark"]
        if release.status is Status.RETRACTED
        else "",
    }
    return {
        "url": "/" + release_path(release.id),
        "content": _text(item, l10n),
        "language": release.language,
        "meta": {name: value for name, value in meta.items() if value},
        "filters": None,
        "sort": None,
    }


def _shard_key(
    items: Sequence[ExportItem], l10n: Localisation, stamp: Callable[[ExportItem], str]
) -> str:
    lines = []
    for item in items:
        release = item.release
        category = l10n.category(release.language, release.category)
        lines.append(f"{stamp(item)}\t{category}\t{l10n[release.language].date_format}")
    text = repr(lines)  # one repr of short texts: the lines cannot run into each other
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _processes() -> int:
    """How many Pagefind processes index at once: one per core, at most 4 (as render workers)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _shares(sizes: dict[str, int], processes: int) -> list[list[str]]:
    """The bundles split between at most `processes` Pagefind processes, each bundle whole, the
    largest first to the process with the fewest releases so far (no process left empty)."""
    shares: list[list[str]] = [[] for _ in range(min(processes, len(sizes)))]
    loads = [0] * len(shares)
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        least = loads.index(min(loads))
        shares[least].append(name)
        loads[least] += sizes[name]
    return shares


def _alternating(shares: list[list[str]]) -> list[str]:
    """The bundles in the order they are sent: a bundle of each process in turn, so that every
    process has work from the start."""
    order: list[str] = []
    for round_ in range(max(map(len, shares), default=0)):
        order.extend(share[round_] for share in shares if round_ < len(share))
    return order


def _unpack(files: list[dict[str, str]], folder: Path) -> list[tuple[str, str, int]]:
    """Write the files of a bundle (Pagefind's GetFiles answer: relative paths and base64
    contents) into `folder`, leaving out Pagefind's ready-made interfaces; gives each file's
    path, SHA-256 and size, so that the folder writer need not read them again."""
    written = []
    made: set[Path] = set()
    for file in sorted(files, key=lambda f: f["path"]):
        name = PurePosixPath(file["path"])
        if name.is_absolute() or ".." in name.parts or not name.parts:
            raise ValueError(f"a file outside its bundle: {name}")
        if _UNUSED.fullmatch(name.name):
            continue
        data = base64.b64decode(file["content"])
        path = folder.joinpath(*name.parts)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        written.append((name.as_posix(), hashlib.sha256(data).hexdigest(), len(data)))
    return written


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


class _Service:
    """One `pagefind --service` process: requests and answers are base64 JSON, each ended by a
    comma, on its stdin and stdout. Answers are read by a thread, so neither pipe fills up."""

    def __init__(self, executable: str) -> None:
        self.process = subprocess.Popen(
            [executable, "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            process_group=0,  # Ctrl-C in a terminal is prcli's to handle: it ends Pagefind (close)
        )
        self.answers: dict[int, dict[str, Any]] = {}
        self.bundles: dict[int, Path] = {}  # GetFiles requests: the folder of their files
        self.errors: list[str] = []
        self.sent = 0
        self.ready = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        stdout = self.process.stdout.fileno()
        # A bytearray, cut at the last comma only when one came in: a bundle's files come as one
        # answer of megabytes, which `bytes +=` and a split per read made quadratic.
        pending = bytearray()
        while chunk := os.read(stdout, 1 << 20):
            pending += chunk
            if b"," not in chunk:
                continue
            end = pending.rfind(b",")
            messages = pending[:end].split(b",")
            del pending[: end + 1]
            answers: list[tuple[int, dict[str, Any]]] = []
            errors: list[str] = []
            for message in messages:
                try:
                    answer = json.loads(base64.b64decode(message))
                    number, payload = answer.get("message_id"), answer["payload"]
                    if payload.get("type") == "GetFiles" and number in self.bundles:
                        payload = {"written": _unpack(payload["files"], self.bundles[number])}
                except OSError as error:
                    errors.append(f"the search files could not be written ({error})")
                    continue
                except (ValueError, TypeError, KeyError, AttributeError):
                    errors.append("an answer that does not read")
                    continue
                if payload.get("type") == "Error":
                    errors.append(str(payload.get("message", "error")))
                if isinstance(number, int):
                    answers.append((number, payload))
            with self.ready:
                self.answers.update(answers)
                self.errors.extend(errors)
                self.ready.notify_all()
        with self.ready:
            self.errors.append("Pagefind stopped")
            self.ready.notify_all()

    def get_files(self, index: int, folder: Path) -> int:
        """Ask for the files of a bundle; the reader writes them into `folder` as they come.
        (Not WriteFiles: Pagefind answers it before its last writes reach the files, so a file
        could be read, hashed and published empty.)"""
        number = self.sent + 1
        self.bundles[number] = folder
        return self.send({"type": "GetFiles", "index_id": index})

    def send(self, payload: dict[str, Any]) -> int:
        assert self.process.stdin is not None
        self.sent += 1
        # UTF-8, not \u escapes: half the bytes for Azerbaijani and Russian text to encode and parse.
        message = json.dumps(
            {"message_id": self.sent, "payload": payload}, ensure_ascii=False
        ).encode("utf-8")
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
        except OSError:
            self.fail()
        return self.sent

    def flush(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.flush()
        except OSError:
            self.fail()

    def wait(self, number: int) -> dict[str, Any]:
        """The answer to request `number` (requests are answered in any order)."""
        self.flush()
        with self.ready:
            while number not in self.answers and not self.errors:
                self.ready.wait()
            if self.errors:
                self.fail()
            return self.answers[number]

    def fail(self) -> None:
        message = self.errors[0] if self.errors else "Pagefind stopped"
        raise PrcliError(f"Pagefind failed on the search index: {message}", hint=_FAILED_HINT)

    def close(self) -> None:
        """End the process (every answer needed is in, or the export failed)."""
        self.process.kill()
        self.process.wait()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        self.reader.join(timeout=5)


class Indexer:
    """The search bundles of one export. `start` chooses the bundles to rebuild (from the render
    cache); `feed` sends their releases to Pagefind, to run while the pages render; `files` waits
    for the bundles and gives every file of the search (staged or kept) to the folder writer."""

    def __init__(
        self,
        groups: dict[str, list[ExportItem]],
        cache: RenderCache,
        l10n: Localisation,
        folder: Path,
        stamp: Callable[[ExportItem], str] = file_stamp,
    ) -> None:
        self.groups = groups
        self.cache = cache
        self.l10n = l10n
        self.folder = folder
        self.staging = staging(folder) / FOLDER
        self.todo: dict[str, str] = {}
        self.kept: list[tuple[str, None]] = []
        for name, items in sorted(groups.items()):
            key = _shard_key(items, l10n, stamp)
            kept = cache.shard_fresh(name, key)
            if kept is None:
                self.todo[name] = key
            else:
                cache.new_shards[name] = (key, kept)
                self.kept.extend((path, None) for path in kept)
        self.executable = _executable() if self.todo else ""
        self.services: list[_Service] = []
        self.written: dict[str, tuple[_Service, int]] = {}

    def feed(self) -> None:
        """Start Pagefind and send it every release of the bundles to rebuild, then ask it for
        each bundle's files (written into the staging folder as they come); returns without
        waiting for them.

        One Pagefind process per core (at most 4), each with its share of the bundles (by
        release count): a process handles its requests one at a time and spends most of its
        CPU on one thread, so one process alone would leave a core idle once the pages are
        rendered, with the index still to make and write."""
        if not self.todo:
            return
        shares = _shares({name: len(self.groups[name]) for name in self.todo}, _processes())
        self.services = [_Service(self.executable) for _ in shares]
        asked = [
            (service, name, service.send({"type": "NewIndex", "config": None}))
            for service, names in zip(self.services, shares, strict=True)
            for name in names
        ]
        indexes = {
            name: (service, service.wait(number)["index_id"]) for service, name, number in asked
        }
        shutil.rmtree(self.staging, ignore_errors=True)  # what a run of this pid left
        self.staging.mkdir(parents=True)
        for name in _alternating(shares):
            service, index = indexes[name]
            for item in self.groups[name]:
                service.send({"type": "AddRecord", "index_id": index, **record(item, self.l10n)})
            self.written[name] = (service, service.get_files(index, self.staging / name))
            service.flush()  # this bundle's requests go now: that process has its work

    def files(self) -> list[tuple[str, bytes | Staged | None]]:
        """Every file of the search: staged for the bundles rebuilt now, None for those kept."""
        result: list[tuple[str, bytes | Staged | None]] = list(self.kept)
        for name, (service, number) in self.written.items():
            names = []
            for relative, digest, size in service.wait(number)["written"]:
                site_name = f"{FOLDER}/{name}/{relative}"
                names.append(site_name)
                result.append((site_name, Staged(self.staging / name / relative, digest, size)))
            self.cache.new_shards[name] = (self.todo[name], names)
        return result

    @property
    def rebuilt(self) -> int:
        return len(self.todo)

    def close(self) -> None:
        for service in self.services:
            service.close()
        self.services = []
