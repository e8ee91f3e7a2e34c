"""Import inputs into the repository: read with an importer, settle ids and duplicates, create or
update releases one by one. One bad input never stops the others, and never leaves a partial file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from prcli import importers
from prcli.errors import InvalidValue, PrcliError
from prcli.ids import make_id
from prcli.importers import Candidate, ImportContext, ImportError_
from prcli.importers.decoding import decode
from prcli.model import HistoryEntry, Release, Status
from prcli.releasefile import Entry
from prcli.repository import Repository
from prcli.text import fold

SOURCE_KEY = "source_id"


@dataclass
class Outcome:
    source: str
    action: (
        str  # created, updated, unchanged, duplicate, failed (or "would create" ... in a dry run)
    )
    release_id: str = ""
    path: Path | None = None
    reason: str = ""
    findings: list[str] = field(default_factory=list)  # "PR305 warning" ...


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, and every file in the folders named (sorted; hidden files skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


class Importer:
    def __init__(
        self, repository: Repository, context: ImportContext, *, update: bool, dry_run: bool
    ) -> None:
        self.repository = repository
        self.context = context
        self.update = update
        self.dry_run = dry_run
        entries = repository.load_all(bodies=False).entries
        self.by_id: dict[str, Entry] = {e.release.id: e for e in entries}
        self.by_source: dict[str, Entry] = {
            str(e.release.extra[SOURCE_KEY]): e for e in entries if SOURCE_KEY in e.release.extra
        }
        self.by_title: dict[tuple[object, str], Entry] = {_title_key(e.release): e for e in entries}

    def run(
        self, files: list[Path], fmt: str | None, progress: Callable[[], None] = lambda: None
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for file in files:
            shown = _display(file)
            try:
                text, _encoding = decode(file.read_bytes())
                name = fmt or importers.detect(text)
                candidates = importers.get(name).read(text, self.context)
            except ImportError_ as error:
                outcomes.append(Outcome(shown, "failed", reason=_reason(error)))
                progress()
                continue
            except OSError as error:
                outcomes.append(Outcome(shown, "failed", reason=f"cannot read: {error.strerror}"))
                progress()
                continue
            except (ValueError, TypeError, LookupError, ArithmeticError, RecursionError) as error:
                # A reader bug must cost this input only, never the batch (benchmarks/fuzz.py
                # hunts these down; this keeps the promise meanwhile).
                outcomes.append(Outcome(shown, "failed", reason=_unexpected(error)))
                progress()
                continue
            for number, candidate in enumerate(candidates, 1):
                label = shown if len(candidates) == 1 else f"{shown} #{number}"
                if isinstance(candidate, ImportError_):
                    outcomes.append(Outcome(label, "failed", reason=_reason(candidate)))
                    continue
                try:
                    outcomes.append(self._one(label, candidate))
                except PrcliError as error:
                    outcomes.append(Outcome(label, "failed", reason=_reason(error)))
                except (
                    ValueError,
                    TypeError,
                    LookupError,
                    ArithmeticError,
                    RecursionError,
                ) as error:
                    outcomes.append(Outcome(label, "failed", reason=_unexpected(error)))
            progress()
        if not self.dry_run:
            self._attach_findings(outcomes)
        return outcomes

    def _one(self, label: str, candidate: Candidate) -> Outcome:
        release = candidate.release
        if self.context.clock:  # the steps this import adds carry the pinned-clock mark
            release = release.replace(
                history=tuple(
                    step.replace(clock=self.context.clock) if step.at == self.context.now else step
                    for step in release.history
                )
            )
        if candidate.source_id and not candidate.keep_id:
            release = release.replace(extra={**release.extra, SOURCE_KEY: candidate.source_id})
        existing = self._match(candidate, release)
        note = "; ".join(candidate.notes)
        if existing is not None:
            if not self.update:
                return Outcome(
                    label,
                    "duplicate",
                    existing.release.id,
                    existing.path,
                    f"already imported as {existing.release.id}",
                )
            merged = release.replace(
                id=existing.release.id, created=existing.release.created or release.created
            )
            if candidate.keep_id:
                merged = release
            merged, held = self._gate(merged, existing.path)
            note = "; ".join(n for n in (note, held) if n)
            if self.dry_run:
                return Outcome(label, "would update", merged.id, existing.path, note)
            entry, changed = self.repository.update(existing.path, lambda _: merged)
            self._remember(entry)
            return Outcome(
                label, "updated" if changed else "unchanged", entry.release.id, entry.path, note
            )
        if not candidate.keep_id:
            try:
                release = release.replace(id=make_id(release.date, release.title))
            except InvalidValue:
                release = release.replace(
                    id=make_id(release.date, release.title, slug="imported release")
                )
        release, held = self._gate(release, self.repository.path_for(release))
        note = "; ".join(n for n in (note, held) if n)
        if self.dry_run:
            return Outcome(
                label, "would create", release.id, self.repository.path_for(release), note
            )
        entry = self.repository.create(release)
        self._remember(entry)
        return Outcome(label, "created", entry.release.id, entry.path, note)

    def _gate(self, release: Release, path: Path) -> tuple[Release, str]:
        """The import gate: a release that fails validation never arrives published or approved.
        It comes in as `review` (its history says why) and the summary lists its findings."""
        if release.status not in (Status.PUBLISHED, Status.APPROVED):
            return release, ""
        from prcli.releasefile import LoadResult
        from prcli.validation import Severity, validate

        others = [e for e in self.by_id.values() if e.path.resolve() != path.resolve()]
        report = validate(
            self.repository,
            self.context.now,
            loaded=LoadResult([*others, Entry(path, release)], []),
            only=[path],
        )
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        if not errors:
            return release, ""
        codes = ", ".join(dict.fromkeys(f"{f.code} {f.rule}" for f in errors))
        why = f"held in review, not {release.status}: {len(errors)} validation error(s) ({codes})"
        first = release.history[0] if release.history else None
        step = HistoryEntry(
            Status.REVIEW,
            self.context.now,
            self.context.actor,
            f"{first.note + '; ' if first and first.note else ''}{why}",
            clock=first.clock if first else "",
        )
        return release.replace(status=Status.REVIEW, history=(step,), publish_at=None), why

    def _match(self, candidate: Candidate, release: Release) -> Entry | None:
        if candidate.keep_id:
            return self.by_id.get(release.id)
        if candidate.source_id and candidate.source_id in self.by_source:
            return self.by_source[candidate.source_id]
        return self.by_title.get(_title_key(release))

    def _remember(self, entry: Entry) -> None:
        self.by_id[entry.release.id] = entry
        self.by_title[_title_key(entry.release)] = entry
        if SOURCE_KEY in entry.release.extra:
            self.by_source[str(entry.release.extra[SOURCE_KEY])] = entry

    def _attach_findings(self, outcomes: list[Outcome]) -> None:
        written = [
            o.path for o in outcomes if o.path is not None and o.action in ("created", "updated")
        ]
        if not written:
            return
        from prcli.validation import Severity, validate

        report = validate(self.repository, self.context.now, only=written)
        by_path: dict[Path, list[str]] = {}
        for finding in report.findings:
            if finding.severity >= Severity.WARNING:
                by_path.setdefault(finding.path.resolve(), []).append(
                    f"{finding.code} {finding.rule}"
                )
        for outcome in outcomes:
            if outcome.path is not None and outcome.action in ("created", "updated"):
                outcome.findings = by_path.get(outcome.path.resolve(), [])


def _title_key(release: Release) -> tuple[object, str]:
    return (release.date, " ".join(fold(release.title).split()))


def _unexpected(error: Exception) -> str:
    return (
        f"prcli could not read this input ({type(error).__name__}: {str(error)[:200]}); "
        "please report it with the file"
    )


def _reason(error: PrcliError) -> str:
    return f"{error.message} ({error.hint})" if error.hint else error.message


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):  # not below it, or the working folder was deleted
        return str(path)
