"""prcli validate and prcli rules: the press-release linter and its rule book."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.errors import InvalidValue, PrcliError

if TYPE_CHECKING:
    from prcli.repository import Repository
    from prcli.validation import Finding, Rule
    from prcli.validation.engine import Checking

EPILOG = """Examples:

  prcli validate

  prcli validate 2021-10-15-regional-civil releases/2022/2022-03-10-clarification-on-reports-of-a-chemical-leak-in-sumgait.md --strict

  prcli validate --format github          (in a GitHub Actions step: annotations on the diff)

  prcli validate --format json | jq '.[] | select(.severity == "error") | .path'

  prcli validate --explain PR307

Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.
"""

RULES_EPILOG = """Examples:

  prcli rules

  prcli rules PR310

  prcli rules --format json | jq -r '.[].code'

Switch a rule off or change its severity in prcli.toml:

  [validation.rules]
  PR305 = "off"
  title-all-caps = "error"

or for one release, in its front matter:

  silence:
    - rule: "PR305"
      reason: "one-line notice by design"
"""


class ValidateFormat(StrEnum):
    table = "table"
    json = "json"
    github = "github"


class RulesFormat(StrEnum):
    table = "table"
    json = "json"


def validate(
    ctx: typer.Context,
    references: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID|PATH]...", help="Releases to check (default: all).", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (grouped by file), json (a list of findings), github (workflow annotations).",
        ),
    ] = ValidateFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="CODE", help="Explain one rule and exit.", show_default=False
        ),
    ] = None,
) -> None:
    """Check releases for completeness and form: every finding has a rule code, a file and a line."""
    if explain is not None:
        output.write_line(_explanation(_rule_or_fail(explain)))
        return
    from prcli.validation.engine import check

    app = AppContext.of(ctx)
    repository = app.repository()
    only = [repository.resolve(ref, app.cwd) for ref in references] if references else None
    tally = _Tally()
    findings = tally.count(check(repository, app.now(), only=only), strict)
    if fmt is ValidateFormat.json:
        _write_json(findings, repository)
    elif fmt is ValidateFormat.github:
        _write_github(findings, repository)
    else:
        _write_table(findings, repository)
    _summary(tally)
    if tally.errors:
        raise typer.Exit(1)


def rules(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="[CODE]", help="Explain this rule (code or name).", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RulesFormat.table,
) -> None:
    """List every validation rule with its code, name, severity and what it checks."""
    from prcli.validation import RULES

    if code is not None:
        output.write_line(_explanation(_rule_or_fail(code)))
        return
    overrides = _overrides_if_any(ctx)
    ordered = sorted(RULES.values(), key=lambda rule: rule.code)
    if fmt is RulesFormat.json:
        output.write_json(
            [
                {
                    "code": rule.code,
                    "name": rule.name,
                    "default_severity": rule.severity.label,
                    "severity": _effective_label(rule, overrides),
                    "summary": rule.summary,
                    "explanation": rule.explanation,
                }
                for rule in ordered
            ]
        )
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Code", no_wrap=True)
    table.add_column("Name", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Checks", ratio=1)
    for rule in ordered:
        label = _effective_label(rule, overrides)
        shown = Text(label, style=_SEVERITY_STYLES.get(label, "dim"))
        if label != rule.severity.label:
            shown.append(f" (default {rule.severity.label})", style="dim")
        table.add_row(rule.code, rule.name, shown, Text(rule.summary))
    output.stdout_console().print(table)
    output.say("`prcli rules CODE` explains one rule.", "dim")


_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan", "off": "dim"}


def _rule_or_fail(code: str) -> Rule:
    from prcli.validation import find_rule

    rule = find_rule(code)
    if rule is None:
        raise InvalidValue(f"unknown rule '{code}'", hint="`prcli rules` lists the codes and names")
    return rule


def _explanation(rule: Rule) -> str:
    return f"{rule.code} {rule.name} ({rule.severity.label} by default)\n\n{rule.summary}\n\n{rule.explanation}"


def _overrides_if_any(ctx: typer.Context) -> dict[str, object]:
    """The repository's severity overrides, or none when there is no repository here."""
    from prcli.validation.engine import severity_overrides

    try:
        return dict(severity_overrides(AppContext.of(ctx).repository()))
    except PrcliError:
        return {}


def _effective_label(rule: Rule, overrides: dict[str, object]) -> str:
    if rule.code not in overrides:
        return rule.severity.label
    value = overrides[rule.code]
    return "off" if value is None else str(getattr(value, "label", value))


class _Tally:
    """Counts the findings as they go by (for the summary and the exit status)."""

    def __init__(self) -> None:
        self.by_severity: dict[str, int] = {"error": 0, "warning": 0, "info": 0}
        self.files: set[Path] = set()
        self.run: Checking | None = None

    def count(self, run: Checking, strict: bool) -> Iterator[Finding]:
        from dataclasses import replace

        from prcli.validation import Severity

        self.run = run
        for finding in run:
            if strict and finding.severity is Severity.WARNING:
                finding = replace(finding, severity=Severity.ERROR)
            self.by_severity[finding.severity.label] += 1
            self.files.add(finding.path)
            yield finding

    @property
    def errors(self) -> int:
        return self.by_severity["error"]

    @property
    def checked(self) -> int:
        return self.run.checked if self.run is not None else 0


def _relative(finding: Finding, repository: Repository) -> str:
    try:
        return str(finding.path.relative_to(repository.root))
    except ValueError:
        return str(finding.path)


FINDING_COLUMNS = ("code", "rule", "severity", "path", "line", "message", "hint")


def _write_json(findings: Iterable[Finding], repository: Repository) -> None:
    """A JSON array written one batch of findings at a time (prcli.cli.sink)."""
    from prcli.cli.sink import Format, Sink

    rows = (
        {
            "code": finding.code,
            "rule": finding.rule,
            "severity": finding.severity.label,
            "path": _relative(finding, repository),
            "line": finding.line,
            "message": finding.message,
            "hint": finding.hint,
        }
        for finding in findings
    )
    Sink(Format.json).rows(rows, FINDING_COLUMNS)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _write_github(findings: Iterable[Finding], repository: Repository) -> None:
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for finding in findings:
        properties = [
            f"file={_github_escape(repository.display(finding.path), property_value=True)}"
        ]
        if finding.line:
            properties.append(f"line={finding.line}")
        properties.append(
            f"title={_github_escape(f'{finding.code} {finding.rule}', property_value=True)}"
        )
        message = finding.message + (f" ({finding.hint})" if finding.hint else "")
        sys.stdout.write(
            f"::{levels[finding.severity.label]} {','.join(properties)}::{_github_escape(message)}\n"
        )


def _write_table(findings: Iterable[Finding], repository: Repository) -> None:
    """Grouped by file: each file's table is printed as soon as its findings are in."""
    from rich.table import Table
    from rich.text import Text

    from prcli.text import one_line

    console = output.stdout_console()
    current = None
    table: Table | None = None
    for finding in findings:
        if finding.path != current:
            current = finding.path
            if table is not None:
                console.print(table)
            console.print(Text(repository.display(finding.path), style="bold underline"))
            table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1), expand=True)
            table.add_column(justify="right", no_wrap=True, min_width=4)
            table.add_column(no_wrap=True, min_width=7)
            table.add_column(no_wrap=True)
            table.add_column(ratio=1)
        assert table is not None
        label = finding.severity.label
        message = Text(one_line(finding.message))
        if finding.hint:
            message.append(f" ({one_line(finding.hint)})", style="dim")
        table.add_row(
            str(finding.line or ""),
            Text(label, style=_SEVERITY_STYLES[label]),
            Text(f"{finding.code} {finding.rule}", style="dim"),
            message,
        )
    if table is not None:
        console.print(table)


def _summary(tally: _Tally) -> None:
    counts = [
        f"{count} {label}{'s' if count != 1 else ''}" for label, count in tally.by_severity.items()
    ]
    if tally.files:
        output.say(
            f"{', '.join(counts)} in {len(tally.files)} file(s); {tally.checked} release(s) checked.",
            "red" if tally.errors else "yellow",
        )
    else:
        output.say(f"{tally.checked} release(s) checked: no problems.", "green")
