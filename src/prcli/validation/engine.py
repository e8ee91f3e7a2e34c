"""Run the rules over a repository: load findings, per-release rules, repository rules."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prcli.errors import ConfigError, InvalidRelease
from prcli.releasefile import Entry, LoadResult
from prcli.repository import Repository

# Importing the rule modules registers their rules, in code order.
from prcli.validation import (  # noqa: F401
    rules_content,
    rules_media,
    rules_merge,
    rules_references,
    rules_repository,
    rules_structure,
    rules_values,
    rules_workflow,
)
from prcli.validation.context import Context
from prcli.validation.registry import RULES, Rule, find_rule
from prcli.validation.types import Finding, Problem, Severity

OFF = "off"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0  # release files looked at (readable or not)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)


def severity_overrides(repository: Repository) -> dict[str, Severity | None]:
    """`[validation.rules]` of prcli.toml: code or name -> "off" | "info" | "warning" | "error"."""
    table = repository.config.raw.get("validation", {})
    rules = table.get("rules", {}) if isinstance(table, dict) else None
    if not isinstance(rules, dict):
        raise ConfigError(repository.config.path, "[validation.rules] must be a table")
    overrides: dict[str, Severity | None] = {}
    for name, value in rules.items():
        rule = find_rule(name)
        if rule is None:
            raise ConfigError(
                repository.config.path,
                f"[validation.rules] names an unknown rule '{name}'",
                hint="`prcli rules` lists the codes and names",
            )
        text = str(value).strip().lower()
        if text == OFF:
            overrides[rule.code] = None
        elif text in ("info", "warning", "error"):
            overrides[rule.code] = Severity.parse(text)
        else:
            raise ConfigError(
                repository.config.path,
                f"[validation.rules] {name} = '{value}': use off, info, warning or error",
            )
    return overrides


def validate(
    repository: Repository,
    now: datetime,
    *,
    loaded: LoadResult | None = None,
    only: Collection[Path] | None = None,
) -> Report:
    """Check every release (or the files in `only`) against every rule: `check`, collected."""
    run = check(repository, now, loaded=loaded, only=only)
    findings = list(run)
    return Report(findings, run.checked)


def check(
    repository: Repository,
    now: datetime,
    *,
    loaded: LoadResult | None = None,
    only: Collection[Path] | None = None,
) -> Checking:
    """The findings of every release (or of the files in `only`), in report order (by path, line,
    code, message), each as soon as its file is checked.

    Cross-release rules (unique ids, related ids, translation groups) always see the whole
    repository; repository-wide rules run only when no files are singled out. Without `loaded`
    the repository is read in two passes, never whole: the metadata of every release (kept as
    small summaries for the cross-release rules), then each checked release with its body.
    """
    return Checking(repository, now, severity_overrides(repository), loaded, only)


def _order(finding: Finding) -> tuple[str, int, str, str]:
    return str(finding.path), finding.line or 0, finding.code, finding.message


class Checking:
    """One run of the rules: iterate it once for the findings; `checked` counts the files as
    they are looked at (readable or not)."""

    def __init__(
        self,
        repository: Repository,
        now: datetime,
        overrides: dict[str, Severity | None],
        loaded: LoadResult | None,
        only: Collection[Path] | None,
    ) -> None:
        self.repository = repository
        self.now = now
        self.overrides = overrides
        self.loaded = loaded
        self.wanted = {path.resolve() for path in only} if only is not None else None
        self.checked = 0

    def __iter__(self) -> Iterator[Finding]:
        if self.loaded is not None:
            context = Context.build(self.repository, self.loaded.entries, self.now)
            chosen = sorted(
                (entry for entry in self.loaded.entries if self._wants(entry.path)),
                key=lambda entry: str(entry.path),
            )
            yield from self._run(context, self.loaded.errors, chosen)
            return
        with self.repository.stream() as stream:
            context = Context(self.repository, self.repository.config, self.now)
            errors = list(stream.problems)
            unreadable: set[Path] = set()
            for outcome in stream.read(bodies=False):
                if isinstance(outcome, InvalidRelease):
                    errors.append(outcome)
                    unreadable.add(outcome.path)
                else:
                    context.add(outcome)
            keys = [
                key for key in stream.keys if Path(key) not in unreadable and self._wants(Path(key))
            ]
            yield from self._run(context, errors, stream.read(keys))

    def _wants(self, path: Path) -> bool:
        return self.wanted is None or path.resolve() in self.wanted

    def _run(
        self,
        context: Context,
        errors: list[InvalidRelease],
        chosen: Iterable[Entry | InvalidRelease],
    ) -> Iterator[Finding]:
        loading: list[Finding] = []
        for error in errors:
            if self._wants(error.path):
                self.checked += 1
                loading.extend(self._load_finding(error))
        loading.sort(key=_order)
        repository_wide: list[Finding] = []
        if self.wanted is None:
            for rule in RULES.values():
                if rule.repository_check is not None:
                    for problem in rule.repository_check(context):
                        path = problem.path or self.repository.releases_dir
                        repository_wide.extend(self._finding(rule, problem, path))
            repository_wide.sort(key=_order)
        yield from heapq.merge(
            loading, self._per_release(context, chosen), repository_wide, key=_order
        )

    def _per_release(
        self, context: Context, chosen: Iterable[Entry | InvalidRelease]
    ) -> Iterator[Finding]:
        """The findings of each release in turn, in report order: the releases come by path."""
        rules = [rule for rule in RULES.values() if rule.release_check is not None]
        group: list[Finding] = []
        current: Path | None = None
        for outcome in chosen:
            if outcome.path != current:
                yield from sorted(group, key=_order)
                group = []
                current = outcome.path
            self.checked += 1
            if isinstance(outcome, InvalidRelease):  # it changed since the first pass
                group.extend(self._load_finding(outcome))
                continue
            silenced = _silenced(outcome)
            for rule in rules:
                if rule.code in silenced:
                    continue
                assert rule.release_check is not None
                for problem in rule.release_check(outcome, context):
                    group.extend(self._finding(rule, problem, outcome.path, outcome))
        yield from sorted(group, key=_order)

    def _load_finding(self, error: InvalidRelease) -> list[Finding]:
        rule = RULES.get(error.code) or RULES["PR001"]
        problem = Problem(error.message, line=error.line, hint=error.hint)
        return self._finding(rule, problem, error.path)

    def _finding(
        self, rule: Rule, problem: Problem, path: Path, entry: Entry | None = None
    ) -> list[Finding]:
        if rule.code in self.overrides:
            severity = self.overrides[rule.code]
        else:
            severity = problem.severity or rule.severity
        if severity is None:
            return []
        line = problem.line
        if line is None and problem.key and entry is not None:
            line = entry.line_of(problem.key)
        return [Finding(rule.code, rule.name, severity, path, line, problem.message, problem.hint)]


def _silenced(entry: Entry) -> set[str]:
    """Codes this release switched off, with a reason (PR008 reports the ones without)."""
    codes = set()
    for silence in entry.release.silence:
        rule = find_rule(silence.rule)
        if rule is not None and silence.reason.strip() and rule.code != "PR008":
            codes.add(rule.code)
    return codes
