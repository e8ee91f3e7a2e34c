"""The rule registry: every rule's code, name, default severity, summary and explanation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from inspect import cleandoc
from typing import TYPE_CHECKING, Literal

from prcli.validation.types import Problem, Severity

if TYPE_CHECKING:
    from prcli.releasefile import Entry
    from prcli.validation.context import Context

Scope = Literal["load", "release", "repository"]
ReleaseCheck = Callable[["Entry", "Context"], Iterable[Problem]]
RepositoryCheck = Callable[["Context"], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    explanation: str
    release_check: ReleaseCheck | None = None
    repository_check: RepositoryCheck | None = None


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.code in RULES or any(r.name == rule.name for r in RULES.values()):
        raise ValueError(f"rule {rule.code} {rule.name} registered twice")
    RULES[rule.code] = rule


def load_rule(code: str, name: str, severity: Severity, summary: str, explanation: str) -> None:
    """A rule checked while reading the file (the reader raises it as InvalidRelease.code)."""
    _register(Rule(code, name, severity, "load", summary, cleandoc(explanation)))


def release_rule(
    code: str, name: str, severity: Severity, summary: str
) -> Callable[[ReleaseCheck], ReleaseCheck]:
    """Register a check of one release; its docstring is the rule's explanation."""

    def register(check: ReleaseCheck) -> ReleaseCheck:
        _register(
            Rule(
                code, name, severity, "release", summary, cleandoc(check.__doc__ or summary), check
            )
        )
        return check

    return register


def repository_rule(
    code: str, name: str, severity: Severity, summary: str
) -> Callable[[RepositoryCheck], RepositoryCheck]:
    """Register a check of the repository as a whole; its docstring is the explanation."""

    def register(check: RepositoryCheck) -> RepositoryCheck:
        _register(
            Rule(
                code,
                name,
                severity,
                "repository",
                summary,
                cleandoc(check.__doc__ or summary),
                repository_check=check,
            )
        )
        return check

    return register


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    rule = RULES.get(wanted.upper())
    if rule is not None:
        return rule
    return next((r for r in RULES.values() if r.name == wanted.lower()), None)
