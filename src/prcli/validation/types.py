"""The values validation produces: severities and findings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found, before the engine attaches the rule's code and effective severity.

    `key` names the front-matter field (its line is looked up); `line` is used when given.
    `severity` lets a rule soften itself (a placeholder in a draft is only information).
    `path` is set by repository rules, which are not about one release.
    """

    message: str
    key: str | None = None
    line: int | None = None
    hint: str = ""
    severity: Severity | None = None
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    path: Path
    line: int | None
    message: str
    hint: str = ""
