"""Run the rules over a repository: load findings, per-release rules, repository rules."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prcli.errors import ConfigError
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
    """Check every release (or the files in `only`) against every rule.

    Cross-release rules (unique ids, related ids, translation groups) always see the whole
    repository; repository-wide rules run only when no files are singled out.
    """
    wanted = {path.resolve() for path in only} if only is not None else None
    if loaded is None:
        # Checking a few releases: the others matter only through their metadata (ids, titles,
        # translation groups), so their bodies stay unread.
        loaded = repository.load_all(bodies=wanted is None)
        if wanted is not None:
            loaded = LoadResult(
                [
                    repository.read(e.path) if e.path.resolve() in wanted else e
                    for e in loaded.entries
                ],
                loaded.errors,
            )
    overrides = severity_overrides(repository)
    context = Context.build(repository, loaded.entries, now)
    report = Report()

    def effective(rule: Rule, problem: Problem) -> Severity | None:
        if rule.code in overrides:
            return overrides[rule.code]
        return problem.severity or rule.severity

    def add(rule: Rule, problem: Problem, path: Path, entry: Entry | None = None) -> None:
        severity = effective(rule, problem)
        if severity is None:
            return
        line = problem.line
        if line is None and problem.key and entry is not None:
            line = entry.line_of(problem.key)
        report.findings.append(
            Finding(rule.code, rule.name, severity, path, line, problem.message, problem.hint)
        )

    for error in loaded.errors:
        if wanted is not None and error.path.resolve() not in wanted:
            continue
        report.checked += 1
        rule = RULES.get(error.code) or RULES["PR001"]
        add(rule, Problem(error.message, line=error.line, hint=error.hint), error.path)

    release_rules = [rule for rule in RULES.values() if rule.release_check is not None]
    for entry in loaded.entries:
        if wanted is not None and entry.path.resolve() not in wanted:
            continue
        report.checked += 1
        silenced = _silenced(entry)
        for rule in release_rules:
            if rule.code in silenced:
                continue
            assert rule.release_check is not None
            for problem in rule.release_check(entry, context):
                add(rule, problem, entry.path, entry)

    if wanted is None:
        for rule in RULES.values():
            if rule.repository_check is not None:
                for problem in rule.repository_check(context):
                    add(rule, problem, problem.path or repository.releases_dir)

    report.findings.sort(key=lambda f: (str(f.path), f.line or 0, f.code, f.message))
    return report


def _silenced(entry: Entry) -> set[str]:
    """Codes this release switched off, with a reason (PR008 reports the ones without)."""
    codes = set()
    for silence in entry.release.silence:
        rule = find_rule(silence.rule)
        if rule is not None and silence.reason.strip() and rule.code != "PR008":
            codes.add(rule.code)
    return codes
