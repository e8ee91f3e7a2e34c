"""Validation: a press-release linter with stable rule codes, locations and fixes.

One small function per rule (the `rules_*` modules), registered with a code, a name, a default
severity and an explanation; `engine.validate` runs them over a repository and applies the
repository's overrides and each release's silences.
"""

from prcli.validation.engine import Report, validate
from prcli.validation.registry import RULES, Rule, find_rule
from prcli.validation.types import Finding, Severity

__all__ = ["RULES", "Finding", "Report", "Rule", "Severity", "find_rule", "validate"]
