"""What every exporter receives and how it is described."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, TextIO

from prcli.config import Config
from prcli.errors import InvalidRelease
from prcli.model import Release
from prcli.releasefile import Entry

if TYPE_CHECKING:
    from prcli.publication import PublicState


class Version(NamedTuple):
    """Another language version of a release (sharing its translation_key), by id and language."""

    id: str
    language: str


@dataclass(frozen=True, slots=True)
class ExportItem:
    entry: Entry
    path: str  # relative to the repository root
    # The other language versions (sharing the translation_key), exported or not, in reading
    # order, as releases: the site's pages show their titles and dates. Streamed exports, which
    # hold one release at a time, give `versions` instead.
    translations: tuple[Release, ...] = ()
    # The same versions by id and language: all that the other formats name of them. Taken from
    # `translations` when not given.
    versions: tuple[Version, ...] = ()
    # What `public_state` said of it at the export's clock, when the caller worked it out already
    # (the site): `updated_at` takes it rather than working it out again for every release.
    state: PublicState | None = None

    def __post_init__(self) -> None:
        if self.translations and not self.versions:
            versions = tuple(Version(r.id, r.language) for r in self.translations)
            object.__setattr__(self, "versions", versions)

    @property
    def release(self) -> Release:
        return self.entry.release


@dataclass(frozen=True, slots=True)
class ExportOptions:
    settings: Config
    now: datetime
    base_url: str = ""
    ninjs_version: int = 2
    excel: bool = False
    wire_profile: str = ""  # wire: a profile of [wire.profiles] in prcli.toml ('' = default)
    # A feed of one part of a site (the newsroom's feed per language): its title, language and page.
    feed_title: str = ""
    feed_language: str = ""
    home_url: str = ""
    feed_url: str = ""  # the feed's own address (Atom rel="self"), when it has one
    # Public outputs may name (link, associate, group with) only these releases: the ids public now
    # in the whole repository (prcli.publication.public_ids). None: a preview, anything may be named.
    nameable: frozenset[str] | None = None
    # Every id in the repository (to spot a translation key that is one).
    known_ids: frozenset[str] = frozenset()
    # Reads releases again with their texts, by file (an outcome per path, in order): how an
    # exporter given releases without their texts (`Entry.body_loaded` False: the site, which
    # needs the metadata of every release but the texts only of what it renders) gets them.
    read_texts: Callable[[Sequence[Path]], Iterable[Entry | InvalidRelease]] | None = None
    # The filters the releases were chosen by, as typed ("" = every release): recorded in a
    # folder's manifest (see prcli.folderexport.check_selection).
    selection: str = ""
    # The signature (size, mtime_ns, ctime_ns, inode) of each release file, by path, as the scan
    # found it before the releases were read: what the site keys a release's pages by (one stat
    # per file and export, the scan's). Empty: the site takes each file's signature itself.
    signatures: Mapping[str, tuple[int, int, int, int]] = field(default_factory=dict)
    # What an exporter has to tell the person exporting (labels of a language shown in English,
    # see prcli.l10n.localiser), each once: the command shows them on stderr when it is done.
    warnings: list[str] = field(default_factory=list)

    def may_name(self, release_id: str) -> bool:
        return self.nameable is None or release_id in self.nameable

    def group_key(self, key: str, members: Iterable[str]) -> str:
        """A translation key as a public output may show it: as it is when every release sharing
        it is public (it is often the source's id, made from its headline), else an opaque digest
        that still groups the language versions but names nothing."""
        if self.nameable is None or (
            all(self.may_name(member) for member in members)
            and (key not in self.known_ids or self.may_name(key))
        ):
            return key
        import hashlib

        return "tk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]

    def uri(self, release_id: str) -> str:
        """A stable identifier for a release: its public address, or a URN without one."""
        if self.base_url:
            return f"{self.base_url.rstrip('/')}/releases/{url_segment(release_id)}"
        return f"urn:prcli:release:{url_segment(release_id)}"

    def page_url(self, release_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/releases/{url_segment(release_id)}.html"


def url_segment(release_id: str) -> str:
    """A release id as one URL path segment. Ids are checked when read (prcli.ids); this
    percent-encodes anything else anyway, so no id can add a scheme (`javascript:`), a path or a
    query to a link even if a bad one ever got this far."""
    if _PLAIN(release_id):  # what checked ids are made of: nothing to encode
        return release_id
    from urllib.parse import quote

    return quote(release_id, safe="")


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch  # urllib's always-safe characters


def page_href(release_id: str) -> str:
    """The relative link to a release's page beside the current one. Starts with './', so it is
    never read as a scheme or a protocol-relative address."""
    return f"./{url_segment(release_id)}.html"


def repository_root(item: ExportItem) -> Path:
    """The repository folder, from the release file and its path inside the repository."""
    return item.entry.path.parents[len(Path(item.path).parts) - 1]


class Exporter(Protocol):
    name: str
    extension: str
    public: bool  # only published releases past their embargo, unless asked otherwise
    stream: bool  # can write one stream (stdout or one file)
    folder: bool  # can write one file per release into a folder

    def write_stream(
        self, items: Sequence[ExportItem], out: TextIO, options: ExportOptions
    ) -> None: ...

    def files(
        self, items: Sequence[ExportItem], options: ExportOptions
    ) -> Iterator[tuple[str, bytes]]: ...


def start_of_day(day: date, options: ExportOptions) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=options.settings.timezone)


def published_at(release: Release, options: ExportOptions) -> datetime:
    """When it went out: the last move to published in the history, else the start of its date."""
    from prcli.publication import published_moment

    return published_moment(release) or start_of_day(release.date, options)


def updated_at(
    release: Release, options: ExportOptions, state: PublicState | None = None
) -> datetime:
    """The last public change: publication, a correction or the retraction (prcli.publication);
    a minor edit does not re-issue. For work in progress (a preview), the last edit. `state`:
    the release's `public_state` at `options.now`, when known."""
    if state is None:
        from prcli.publication import public_state

        state = public_state(release, options.now)
    if state.updated is not None:
        return state.updated
    return release.updated or release.created or published_at(release, options)


def expires_at(release: Release, options: ExportOptions) -> datetime | None:
    """`expires` is the last valid day: the release stops at the following midnight."""
    if release.expires is None:
        return None
    return start_of_day(release.expires + timedelta(days=1), options)
