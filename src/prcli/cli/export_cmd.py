"""prcli export: batches of releases in the formats websites, wire services and spreadsheets read."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, overload

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.cli.filters import FilterOptions
from prcli.cli.options import (
    CategoryFilter,
    LanguageFilter,
    QueryFilter,
    SinceFilter,
    StatusFilter,
    TagFilter,
    UntilFilter,
    build_filters,
)
from prcli.errors import InvalidRelease, UsageError
from prcli.model import Release, Status
from prcli.query import SORT_FIELDS, Filters

if TYPE_CHECKING:
    from prcli.exporters import Exporter, ExportItem, ExportOptions, Version
    from prcli.publication import PublicState
    from prcli.releasefile import Entry
    from prcli.releasestream import ReleaseStream
    from prcli.repository import Repository

EPILOG = """Examples:

  prcli export --format json --language en | jq '.[].title'

  prcli export --format csv --excel --since 2021-01-01 -o releases.csv

  prcli export --format html -o site/ --force

  prcli export --format ninjs --ninjs-version 3 -o wire/

  prcli export --format atom --base-url https://press.example.org > feed.xml

  prcli export 2021-10-15-regional-civil 2021-11-02-statement --format markdown -o copy/

  prcli export 2021-10-15-regional-civil --format wire --wire-profile agency     (wire copy, linted)

  prcli export --format eml --language az -o outbox/                  (one .eml per release)

  prcli export 2021-10-15-regional-civil --format kit -o kits/                   (press kit: one ZIP)

  prcli export 2021-10-15-regional-civil --format kit -o tbilisi-kit.zip             (one release: that file)

  prcli export --format ics --since 2026-11-01 > advisories.ics       (media advisories)

Formats: json, jsonl (every field and the body; schema in docs/formats.md), csv, toml, markdown
(folder), html (folder), ninjs (folder or JSON Lines), atom, rss, wire (plain-text wire copy per
wire.profiles.NAME in prcli.toml: .txt per release or one stream), eml (RFC 5322 messages: .eml
per release or an mbox stream), kit (a press-kit ZIP per release: Markdown and wire text, every
attachment in original and web size, captions, event.ics, manifest), ics (iCalendar events of
media advisories: the releases with an event block; with none, an empty calendar and exit 0, or 1
with --fail-empty). -o never points into releases/, media/, .prcli/, the private folder or the
repository itself, nor at its files (prcli.toml, .gitattributes, .gitignore, any file git tracks)
(even with --force): export beside them, e.g. -o site/. html, ninjs, atom, rss, wire, eml, kit and ics are public: they include only
published releases past their embargo unless --include-unpublished (an embargoed release then says
EMBARGOED UNTIL ... at the top). Exports into one folder run one at a time: a second one waits
(up to 10 minutes) for the first to end, then exports. Ctrl-C leaves the folder as it was (exit 130;
SIGTERM and SIGHUP too, exit 143 and 129); once files go into place it lets the folder become whole.
"""


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    toml = "toml"
    markdown = "markdown"
    html = "html"
    ninjs = "ninjs"
    atom = "atom"
    rss = "rss"
    wire = "wire"
    eml = "eml"
    kit = "kit"
    ics = "ics"


def export(
    ctx: typer.Context,
    references: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID|PATH]...", help="Only these releases.", show_default=False),
    ] = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.json,
    output_path: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH|-",
            help="'-' for stdout, a file, or a folder (one file per release where the format allows).",
        ),
    ] = "-",
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an existing file, or write into a non-empty folder."),
    ] = False,
    include_unpublished: Annotated[
        bool,
        typer.Option(
            "--include-unpublished",
            help="Let the public formats (html, ninjs, atom, rss, wire, eml, kit and ics) include "
            "releases that are not published or still under embargo.",
        ),
    ] = False,
    ninjs_version: Annotated[
        int,
        typer.Option(
            "--ninjs-version",
            min=2,
            max=3,
            metavar="2|3",
            help="IPTC ninjs major version: 2 or 3.",
        ),
    ] = 2,
    excel: Annotated[
        bool, typer.Option("--excel", help="csv: add a byte-order mark and CRLF for Excel.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Public address for links and ids. Default: [organisation] url in prcli.toml.",
            show_default=False,
        ),
    ] = None,
    wire_profile: Annotated[
        str | None,
        typer.Option(
            "--wire-profile",
            metavar="NAME",
            help="wire: the destination profile wire.profiles.NAME of prcli.toml (width, end mark, "
            "release line, max length); the copy is linted against it.",
            show_default=False,
        ),
    ] = None,
    fail_empty: Annotated[
        bool, typer.Option("--fail-empty", help="Exit 1 when nothing matches.")
    ] = False,
    status: StatusFilter = None,
    category: CategoryFilter = None,
    language: LanguageFilter = None,
    tag: TagFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    query: QueryFilter = None,
) -> None:
    """Export releases, newest first. Output is deterministic: the same releases give the same bytes."""
    from prcli import exporters

    app = AppContext.of(ctx)
    repository = app.repository()
    settings = repository.config
    exporter = exporters.get(fmt.value)
    address = (base_url if base_url is not None else settings.url).strip()
    if base_url is not None or exporter.public:
        # Every format that writes addresses checks the base URL (only html did: a feed's ids
        # could read "foo bar/releases/..."); a bad [organisation] url is named in prcli.toml.
        from prcli.site.settings import check_base_url

        check_base_url(address, None if base_url is not None else settings)
    typed: FilterOptions = {
        "status": status,
        "category": category,
        "language": language,
        "tag": tag,
        "since": since,
        "until": until,
        "query": query,
    }
    # The filters as typed are recorded with a folder export (and compared with the last one's).
    selection = _selection_text(references, **typed)
    target = _check_target(exporter, output_path, force, repository, selection)
    filters = build_filters(settings, **typed)
    if wire_profile and fmt is not ExportFormat.wire:
        raise UsageError("--wire-profile goes with --format wire")
    wanted = (
        {repository.resolve(ref, app.cwd).resolve() for ref in references} if references else None
    )
    now = app.now()
    # The site needs every release at hand; every other format holds one release at a time.
    whole = fmt is ExportFormat.html
    with _folder_held(target), _no_cyclic_gc(whole), repository.stream() as stream:
        chosen = _select(
            stream,
            filters,
            wanted,
            now,
            exporter.public,
            include_unpublished,
            whole,
            advisories=fmt is ExportFormat.ics,
        )
        options = exporters.ExportOptions(
            settings=settings,
            now=now,
            nameable=chosen.nameable,
            known_ids=frozenset(chosen.ids),
            base_url=address,
            ninjs_version=ninjs_version,
            excel=excel,
            wire_profile=wire_profile or "",
            read_texts=(lambda paths: stream.read([str(path) for path in paths]))
            if whole
            else None,
            selection=selection,
            signatures=stream.signatures if whole else {},
        )
        items = chosen.items(stream, repository.root)
        if target is not None and target.one_file and len(items) > 1:
            raise UsageError(
                f"{len(items)} releases match, and {exporter.name} writes one "
                f"{exporter.extension} file per release: {output_path} can hold only one",
                hint=f"pass a folder, e.g. -o {Path(output_path).stem}/, or name one release",
            )
        lint_failed = fmt is ExportFormat.wire and _lint_wire(items, options)
        with output.progress(len(items), "Exporting") as advance:
            tracked = _Tracked(items, advance)
            if target is None:
                exporter.write_stream(tracked, sys.stdout, options)
                sys.stdout.flush()
                where = "stdout"
            elif target.one_file:
                from prcli.atomicfile import write_atomic

                for _, data in exporter.files(tracked, options):
                    write_atomic(target.path, data)
                where = str(target.path)
            elif target.per_release and fmt is ExportFormat.html:
                _write_site(exporter, tracked, options, target.path, force)
                where = f"{target.path}/"
            elif target.per_release:
                _write_folder(exporter, tracked, options, target.path, force)
                where = f"{target.path}/"
            else:
                _write_file(exporter, tracked, options, target.path, target.stream)
                where = str(target.path)
    for warning in options.warnings:
        output.warn(warning)
    held_back, forged = chosen.held_back, chosen.forged
    errors = [*chosen.errors, *chosen.late_errors]
    exported = len(items) - len(chosen.late_errors)
    if fmt is ExportFormat.ics:
        ids = [candidate.id for candidate in chosen.chosen]
        _advisories_summary(ids, chosen.without_event, where, held_back)
    else:
        _summary(exported, where, held_back)
    _tidy(repository)
    failed = False
    for release_id, release_status in forged:
        output.say(
            f"{release_id}: refused, its status ({release_status}) is not backed by its history "
            f"[PR503]; see prcli validate {release_id}",
            "red",
        )
        failed = True
    if errors:
        count = output.report_unreadable(errors, repository)
        output.say(f"{count} release file(s) could not be read and were not exported.", "red")
        failed = True
    if not exported and fail_empty:
        failed = True
    if lint_failed:
        output.say("Wire copy has lint errors (listed above); it was written all the same.", "red")
        failed = True
    if failed:
        raise typer.Exit(1)


@contextlib.contextmanager
def _no_cyclic_gc(wanted: bool) -> Iterator[None]:
    """The site keeps every release alive to the end: the cyclic GC would scan them again and
    again while they are read (a tenth of a re-export's time) and find nothing to free."""
    collecting = wanted and gc.isenabled()
    if collecting:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            # Everything made meanwhile is still in the young generation: the first collection
            # would scan all of it at once (a tenth of a re-export). Into the oldest generation
            # with it (freeze, then unfreeze), where it is collected as usual, and rarely.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


@contextlib.contextmanager
def _folder_held(target: _Target | None) -> Iterator[None]:
    """A folder export, from reading the releases to the last file: one at a time per folder (a
    cron job's and a person's; the one that waited reads the releases when its turn comes, so
    the folder ends up made from the latest), and Ctrl-C as one line saying what the folder is."""
    if target is None or not target.per_release:
        yield
        return
    from prcli import folderexport
    from prcli.errors import Interrupted
    from prcli.interrupts import Held

    shown = f"{target.path}/"

    def waiting() -> None:
        output.say(
            f"Waiting for another prcli export into {shown} to end "
            f"(up to {folderexport.wait_span(folderexport.LOCK_TIMEOUT)})...",
            "yellow",
        )

    try:
        with folderexport.locked(target.path, waiting=waiting):
            yield
    except Held:
        raise Interrupted(
            f"interrupted once the files were in place: {shown} is whole, as this export made it"
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {shown} was left as it was") from None


def _tidy(repository: Repository) -> None:
    """What would only grow in .prcli/: renditions no export uses any more, lock files nobody
    holds. Best effort: it never fails an export."""
    from prcli.media.renditions import CACHE_FOLDER, prune

    prune(repository.work_dir / CACHE_FOLDER)
    repository.prune_locks()


def _selection_text(
    references: list[str] | None, **filters: str | list[str] | list[Status] | None
) -> str:
    """The filters as typed, in a fixed order ("" for every release): a folder export records
    them, and refuses to run with other filters into a folder made from another selection."""
    parts: list[str] = []
    for name, value in filters.items():
        values = value if isinstance(value, list) else [value] if value else []
        for one in sorted(str(getattr(v, "value", v)) for v in values):
            parts.append(f"--{name} {shlex.quote(one)}")
    parts.extend(shlex.quote(ref) for ref in sorted(references or []))
    return " ".join(parts)


def _lint_wire(items: Sequence[ExportItem], options: ExportOptions) -> bool:
    """Lint each wire copy against its profile; findings go to stderr. True when any is an error."""
    from prcli.distribution import settings as dist_settings
    from prcli.distribution import wire
    from prcli.distribution.content import make_copy

    profile = dist_settings.load(options.settings).profile(options.wire_profile or None)
    errors = False
    for item in items:
        copy = make_copy(item.release, options.settings, options.now, options.base_url)
        for finding in wire.lint(wire.render(copy, profile), copy, profile):
            errors = errors or finding.severity == "error"
            output.say(
                f"{item.release.id}: {finding}", "red" if finding.severity == "error" else "yellow"
            )
    return errors


# Formats that write exactly one file per release: with one release, -o NAME.EXT writes it there.
_ONE_FILE_PER_RELEASE = frozenset({"kit"})


class _Target:
    def __init__(
        self, path: Path, per_release: bool, one_file: bool = False, stream: bool = False
    ) -> None:
        self.path = path
        self.per_release = per_release
        self.one_file = one_file  # a per-release format writing its single release to `path`
        self.stream = stream  # a device, pipe or descriptor: written straight into (streamfile)


def _check_target(
    exporter: Exporter, output_path: str, force: bool, repository: Repository, selection: str
) -> _Target | None:
    """Decide, before anything is read or written, where the output goes; refuse what would clobber."""
    if output_path == "-":
        if not exporter.stream:
            if exporter.name == "html":
                raise UsageError(
                    "html builds a website (a folder of pages, feeds and a search index): "
                    "it cannot go to stdout",
                    hint="pass -o FOLDER, e.g. prcli export --format html -o site/",
                )
            raise UsageError(
                f"{exporter.name} writes one file per release: it cannot go to stdout",
                hint=f"pass -o FOLDER, e.g. -o {exporter.name}/",
            )
        return None
    from prcli.outputguard import refuse_repository_folders
    from prcli.streamfile import is_stream

    path = Path(output_path).expanduser()
    refuse_repository_folders(repository, path, output_path)
    if is_stream(path):  # /dev/null, a FIFO, /dev/stdout, >(gzip > x.gz): no temp file, no rename
        if not exporter.stream:
            raise UsageError(
                f"{output_path} is a device or a pipe, and {exporter.name} writes one file per "
                "release",
                hint="pass -o FOLDER",
            )
        return _Target(path, False, stream=True)
    as_folder = output_path.endswith(("/", "\\"))
    if (
        exporter.name in _ONE_FILE_PER_RELEASE
        and not as_folder
        and not path.is_dir()
        and output_path.lower().endswith(exporter.extension)
    ):
        _check_file(output_path, path, force)
        output.say(f"Writing the {exporter.name} of one release to the file {output_path}")
        return _Target(path, False, one_file=True)
    per_release = exporter.folder and (not exporter.stream or path.is_dir() or as_folder)
    if per_release:
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{output_path} exists and is not a folder",
                hint=f"{exporter.name} writes a folder (one file per release): choose a folder name",
            )
        from prcli.folderexport import check_selection, read_manifest

        _, distrust = read_manifest(path) if path.is_dir() else ({}, "")
        check_selection(path, selection)
        if distrust == "no manifest" and not force:
            raise UsageError(
                f"{output_path} is not empty and prcli did not export into it before",
                hint="pass --force to write into it (files prcli did not write are never removed; "
                "one of the same name is replaced)",
            )
        if exporter.name == "html":
            output.say(f"Building the newsroom site in {path}/")
        elif not exporter.stream:
            output.say(f"{exporter.name} writes a folder: one file per release in {path}/")
        elif not path.is_dir():
            output.say(f"Writing a folder: one {exporter.extension} file per release in {path}/")
        return _Target(path, True)
    if exporter.folder:
        output.say(
            f"Writing one {exporter.name} stream to the file {output_path} "
            f"(end the path with / for a folder of one file per release)"
        )
    if path.is_dir() or as_folder:
        example = f"{output_path.rstrip('/').rstrip(chr(92))}/releases{exporter.extension}"
        raise UsageError(
            f"{output_path} is a folder"
            f"{'' if path.is_dir() else ' (it ends with /)'}, and {exporter.name} writes one file",
            hint=f"give a file name, e.g. -o {example}",
        )
    _check_file(output_path, path, force)
    return _Target(path, False)


def _check_file(output_path: str, path: Path, force: bool) -> None:
    from prcli.streamfile import special_kind

    kind = special_kind(path)
    if kind:
        raise UsageError(
            f"{output_path} is {kind}, not a file: an export neither writes into it nor replaces "
            "it, even with --force",
            hint="give the name of a regular file",
        )
    if path.exists() and not force:
        raise UsageError(f"{output_path} exists", hint="pass --force to replace it")
    if not path.parent.is_dir():
        raise UsageError(f"the folder of {output_path} does not exist", hint="create it first")


@dataclass(slots=True)
class _Candidate:
    """A release that matches, known by what ordering and the public gate need of it."""

    key: str  # its file
    id: str
    order: Any  # its value of the date order (query.SORT_FIELDS)
    status: Status
    held_back: str  # why a public format leaves it out ('' when it does not)
    advisory: bool  # it has an event block: a media advisory (ics exports only those)
    entry: Entry | None  # the release itself, when the whole repository is kept (the site)
    state: PublicState | None = None  # its public state now (the site: kept for its pages)


@dataclass
class _Selection:
    """What the first pass over the metadata of every release decided: which releases go out in
    which order, and what the formats need to know of the others."""

    chosen: list[_Candidate] = field(default_factory=list)
    errors: list[InvalidRelease] = field(default_factory=list)
    late_errors: list[InvalidRelease] = field(default_factory=list)  # broke since the first pass
    ids: set[str] = field(default_factory=set)
    nameable: frozenset[str] | None = None
    versions: dict[str, list[Version]] = field(default_factory=dict)
    releases: dict[str, list[Release]] = field(default_factory=dict)  # the same (site only)
    held_back: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    forged: list[tuple[str, Status]] = field(default_factory=list)
    whole: bool = False
    without_event: int = 0  # matching releases left out of an ics export: no event block

    def items(self, stream: ReleaseStream, root: Path) -> Sequence[ExportItem]:
        if self.whole:
            return [
                self.item(candidate.entry, root, candidate.state)
                for candidate in self.chosen
                if candidate.entry
            ]
        return _Streamed(self, stream, root)

    def item(self, entry: Entry, root: Path, state: PublicState | None = None) -> ExportItem:
        from prcli.exporters import ExportItem

        release = entry.release
        key = release.translation_key
        versions = tuple(v for v in self.versions.get(key, ()) if v.id != release.id)
        others = tuple(r for r in self.releases.get(key, ()) if r.id != release.id)
        path = str(entry.path)
        prefix = f"{root}{os.sep}"  # (relative_to, lexical too, costs more than all the rest)
        if path.startswith(prefix) and len(path) > len(prefix):
            relative = path[len(prefix) :]
        else:
            relative = str(entry.path.relative_to(root))
        return ExportItem(entry, relative, others, versions, state)


def _select(
    stream: ReleaseStream,
    filters: Filters,
    wanted: set[Path] | None,
    now: datetime,
    public: bool,
    include_unpublished: bool,
    whole: bool,
    *,
    advisories: bool = False,
) -> _Selection:
    """Go once through the metadata of every release (texts only when --query needs them),
    keeping only what `_Selection` holds."""
    from prcli.exporters import Version
    from prcli.publication import public_state, status_backed

    selection = _Selection(errors=list(stream.problems), whole=whole)
    public_now: set[str] | None = set() if public and not include_unpublished else None
    sort_value, newest_first = SORT_FIELDS["date"]
    # One outcome per file, in the order of stream.keys (whose strings are kept, not copies).
    # The site reads the texts later, of the releases it renders (ExportOptions.read_texts).
    outcomes = stream.read(bodies=bool(filters.text))
    for key, outcome in zip(stream.keys, outcomes, strict=True):
        if isinstance(outcome, InvalidRelease):
            selection.errors.append(outcome)
            continue
        release = outcome.release
        selection.ids.add(release.id)
        state = public_state(release, now) if public else None
        if public_now is not None and state is not None and state.public:
            public_now.add(release.id)
        if release.translation_key:
            version = Version(release.id, release.language)
            selection.versions.setdefault(release.translation_key, []).append(version)
            if whole:
                selection.releases.setdefault(release.translation_key, []).append(release)
        if wanted is not None and outcome.path.resolve() not in wanted:
            continue
        if not filters.matches(release):
            continue
        held_back = ""
        if state is not None:
            if include_unpublished:  # a preview may show work in progress, never a forged status
                held_back = "" if status_backed(release) else FORGED
            elif not state.public:
                held_back = state.reason
        selection.chosen.append(
            _Candidate(
                key,
                release.id,
                sort_value(release),
                release.status,
                held_back,
                release.event is not None,
                outcome if whole else None,
                state if whole else None,
            )
        )
    # The order of query.order(..., "date"): by the date, ties by id, both newest first.
    selection.chosen.sort(key=lambda candidate: candidate.id, reverse=newest_first)
    selection.chosen.sort(key=lambda candidate: candidate.order, reverse=newest_first)
    going: list[_Candidate] = []
    for candidate in selection.chosen:
        if not candidate.held_back:
            if advisories and not candidate.advisory:  # ics: media advisories only
                selection.without_event += 1
                continue
            going.append(candidate)
            continue
        selection.held_back[candidate.held_back] += 1
        if candidate.held_back.startswith(FORGED):
            selection.forged.append((candidate.id, candidate.status))
    selection.chosen = going
    if public_now is not None:
        selection.nameable = frozenset(public_now)
    return selection


FORGED = "status not backed by its history"


class _Streamed(Sequence["ExportItem"]):
    """The chosen releases, read with their texts one batch at a time as an exporter walks
    through them. A file that cannot be read any more is left out and reported."""

    def __init__(self, selection: _Selection, stream: ReleaseStream, root: Path) -> None:
        self._selection = selection
        self._stream = stream
        self._root = root
        self._keys = [candidate.key for candidate in selection.chosen]

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> ExportItem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ExportItem]: ...
    def __getitem__(self, index: int | slice) -> ExportItem | Sequence[ExportItem]:
        if isinstance(index, slice):
            return list(self._items(self._keys[index]))
        return next(iter(self._items([self._keys[index]])))

    def __iter__(self) -> Iterator[ExportItem]:
        return self._items(self._keys)

    def _items(self, keys: Sequence[str]) -> Iterator[ExportItem]:
        for outcome in self._stream.read(keys):
            if isinstance(outcome, InvalidRelease):
                late = self._selection.late_errors
                if all(error.path != outcome.path for error in late):
                    late.append(outcome)
                continue
            yield self._selection.item(outcome, self._root)


def _write_file(
    exporter: Exporter,
    items: Sequence[ExportItem],
    options: ExportOptions,
    path: Path,
    stream: bool = False,
) -> None:
    """One stream into one file, written as it comes: the file appears whole or not at all. A
    device, pipe or descriptor (`stream`) takes the bytes straight, as stdout does."""
    from prcli.atomicfile import atomic_output
    from prcli.streamfile import open_stream

    with open_stream(path) if stream else atomic_output(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        exporter.write_stream(items, text, options)
        text.flush()
        text.detach()


def _write_folder(
    exporter: Exporter,
    items: Sequence[ExportItem],
    options: ExportOptions,
    folder: Path,
    force: bool,
) -> None:
    """Write the exporter's files through the folder manifest (see prcli.folderexport)."""
    from prcli.folderexport import write_folder

    report = write_folder(
        folder, exporter.files(items, options), force=force, selection=options.selection
    )
    output.report_folder(report, folder)


def _write_site(
    exporter: Exporter,
    items: Sequence[ExportItem],
    options: ExportOptions,
    folder: Path,
    force: bool,
) -> None:
    """The newsroom site: rendered incrementally, written through the folder manifest."""
    from prcli.site.exporter import HTML
    from prcli.site.search import FOLDER

    assert exporter is HTML
    report = HTML.write_folder(items, options, folder, force)
    for warning in report.warnings:
        output.warn(warning)
    # Pagefind's files have hashed names nobody looks for: counted on the search line, not named
    bundled = FOLDER + "/"
    output.report_folder(report.folder, folder, counted=bundled)
    if report.search:
        written = sum(name.startswith(bundled) for name in report.folder.written)
        removed = sum(name.startswith(bundled) for name in report.folder.removed)
        files = f": {written} file(s) written, {removed} removed" if written or removed else ""
        output.say(report.search[:1].upper() + report.search[1:] + files + ".")


def _summary(count: int, where: str, held_back: dict[str, int]) -> None:
    if count == 0:
        output.say("No releases match; nothing exported." if not held_back else "Nothing exported.")
    else:
        output.say(f"Exported {count} release(s) to {where}.", "green")
    _held_back_summary(held_back)


def _advisories_summary(
    ids: Sequence[str], without_event: int, where: str, held_back: dict[str, int]
) -> None:
    """ics: which releases went out as media advisories, and why the others did not."""
    others = f"{without_event} matching release{'s' if without_event != 1 else ''}"
    if ids:
        named = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        plural = "advisory" if len(ids) == 1 else "advisories"
        output.say(f"Exported {len(ids)} media {plural} to {where}: {named}", "green")
        if without_event:
            output.say(f"Left out {others} without an event block (not media advisories).", "dim")
    elif without_event:
        output.say(
            f"None of the {others} has an event block: no media advisory, nothing exported"
            + (" (an empty calendar)." if where == "stdout" or not where.endswith("/") else "."),
            "yellow",
        )
        output.say(
            "  hint: a media advisory is a release with event: {start, place} "
            "(see docs/formats.md)",
            "dim",
        )
    else:
        output.say("No releases match; nothing exported." if not held_back else "Nothing exported.")
    _held_back_summary(held_back)


def _held_back_summary(held_back: dict[str, int]) -> None:
    if held_back:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(held_back.items()))
        output.say(
            f"Left out {sum(held_back.values())} release(s): {reasons}. "
            "--include-unpublished includes them.",
            "yellow",
        )


class _Tracked(Sequence["ExportItem"]):
    """The items, advancing the progress bar as an exporter walks through them."""

    def __init__(self, items: Sequence[ExportItem], advance: output.Advance) -> None:
        self._items = items
        self._advance = advance

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> ExportItem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ExportItem]: ...
    def __getitem__(self, index: int | slice) -> ExportItem | Sequence[ExportItem]:
        return self._items[index]

    def __iter__(self) -> Iterator[ExportItem]:
        for item in self._items:
            yield item
            self._advance()
