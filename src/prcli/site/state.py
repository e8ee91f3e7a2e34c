"""What the last site export rendered, and from what: the cache that makes re-exports incremental.

The folder's manifest (`prcli.folderexport`) says which files prcli wrote and owns. This cache,
kept in the repository's `.prcli/site/` (one file per export folder, never in the folder itself),
adds for each page the key of the inputs it was rendered from and the size and modification time
the file had after writing. A page whose key is unchanged, whose file is listed in the manifest and
still has that size and time is not rendered again: it is passed to the folder writer as "kept".
Anything else — a new key, a hand edit, a lost manifest or cache — renders the page again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from prcli import records
from prcli.folderexport import read_manifest

FORMAT = 2


def stamp(path: Path | str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


@dataclass(slots=True)
class RenderCache:
    folder: Path
    path: Path  # where the cache is kept
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # page -> (key, stamp)
    shards: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # name -> (key, files)
    listed: dict[str, str] = field(default_factory=dict)  # the folder's trusted manifest
    new_keys: dict[str, str] = field(default_factory=dict)
    new_shards: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    checked: dict[str, str] = field(
        default_factory=dict
    )  # kept page -> the stamp it was found with
    # The media files of each release with attachments: release id -> (key of the attachments'
    # files as they were read, [[file name, page key], ...]), so that a re-export reads no picture
    # whose file did not change.
    media: dict[str, tuple[str, list[list[str]]]] = field(default_factory=dict)
    new_media: dict[str, tuple[str, list[list[str]]]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, repository_root: Path) -> RenderCache:
        name = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=8).hexdigest()
        cache = cls(folder, repository_root / ".prcli" / "site" / f"{name}.json")
        cache.listed, _ = read_manifest(folder) if folder.is_dir() else ({}, "")
        try:
            data = json.loads(cache.path.read_bytes())
            if data.get("format") == FORMAT and data.get("folder") == str(folder.resolve()):
                cache.keys = {k: (v[0], v[1]) for k, v in data["pages"].items()}
                cache.shards = {k: (v[0], list(v[1])) for k, v in data["shards"].items()}
                cache.media = {
                    k: (str(v[0]), [[str(n), str(key)] for n, key in v[1]])
                    for k, v in data.get("media", {}).items()
                }
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            pass  # no cache: everything is rendered
        return cache

    def fresh(self, page: str, key: str) -> bool:
        """The page was rendered from the same inputs and is on disk as prcli wrote it."""
        self.new_keys[page] = key
        old = self.keys.get(page)
        if old is None or old[0] != key or page not in self.listed or not old[1]:
            return False
        # One stat per kept page (a string path: pathlib costs more than the stat itself). It
        # is what finds a page deleted or edited by hand in the folder, which is then rendered.
        if stamp(f"{self._root}{page}") != old[1]:
            return False
        self.checked[page] = old[1]  # kept: not written, so save() need not look again
        return True

    def shard_fresh(self, name: str, key: str) -> list[str] | None:
        """The files of a search bundle built from the same releases, when all are still listed."""
        old = self.shards.get(name)
        if old is None or old[0] != key or not old[1]:
            return None
        if not all(f in self.listed for f in old[1]) or not self._files_in(old[1]):
            return None
        return old[1]

    def _files_in(self, names: list[str]) -> bool:
        """All these files are in the folder: one listing of each of their folders (a bundle has
        hundreds of files; a stat of each cost more than the rest of the check)."""
        found: dict[str, set[str]] = {}
        for name in names:
            parent, _, base = name.rpartition("/")
            files = found.get(parent)
            if files is None:
                try:
                    with os.scandir(f"{self._root}{parent}") as entries:
                        files = found[parent] = {e.name for e in entries if e.is_file()}
                except OSError:
                    return False
            if base not in files:
                return False
        return True

    @property
    def _root(self) -> str:
        return f"{self.folder}{os.sep}"

    def save(self) -> None:
        root = self._root
        checked = self.checked
        pages = {
            page: (key, checked.get(page) or stamp(f"{root}{page}"))
            for page, key in sorted(self.new_keys.items())
        }
        if (
            pages == self.keys
            and self.new_shards == self.shards
            and self.new_media == self.media
            and self.path.is_file()
        ):
            return  # as it was read: a re-export that changed nothing writes nothing here
        data = {
            "format": FORMAT,
            "folder": str(self.folder.resolve()),
            "pages": pages,
            "shards": {k: [v[0], v[1]] for k, v in sorted(self.new_shards.items())},
            "media": {k: [v[0], v[1]] for k, v in sorted(self.new_media.items())},
        }
        with contextlib.suppress(OSError):  # a cache: losing it costs time, never correctness
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_suffix(".tmp")
            temp.write_bytes(records.encode(data))  # JSON, 5 x faster than json.dumps
            temp.replace(self.path)


CLDR_FORMAT = 1


def _cldr_path(repository_root: Path) -> Path:
    return repository_root / ".prcli" / "site" / "cldr.json"


def _babel_version() -> str:
    from babel import __version__

    return str(__version__)


def load_cldr(repository_root: Path) -> bool:
    """Give prcli.l10n what babel answered in the last export (dates, language names, text
    directions), when it was the same babel: a re-export then loads no CLDR data. A memo that
    does not read is ignored (it costs time, never correctness). False when none was taken."""
    from prcli import l10n

    try:
        data = json.loads(_cldr_path(repository_root).read_bytes())
        if data.get("format") == CLDR_FORMAT and data.get("babel") == _babel_version():
            l10n.remember_cldr(data["memo"])
            return True
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass
    return False


def save_cldr(repository_root: Path, loaded: bool) -> None:
    """Keep what babel answered for the next export, when this one asked it anything new or
    found no memo to take (`loaded`: what `load_cldr` said)."""
    from prcli import l10n

    if loaded and not l10n.cldr_grown():
        return
    data = {"format": CLDR_FORMAT, "babel": _babel_version(), "memo": l10n.cldr_memo()}
    path = _cldr_path(repository_root)
    with contextlib.suppress(OSError):  # a cache: losing it costs time, never correctness
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temp.replace(path)
