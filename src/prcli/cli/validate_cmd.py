"""prcli validate and prcli rules: the press-release linter and its rule book."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.errors import InvalidValue, PrcliError

if TYPE_CHECKING:
    from prcli.repository import Repository
    from prcli.validation import Finding, Report, Rule

EPILOG = """Examples:

  prcli validate

  prcli validate 2021-10-15-cis releases/2022/2022-03-10-statement.md --strict

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
    from prcli.validation import Severity
    from prcli.validation import validate as run_validation

    app = AppContext.of(ctx)
    repository = app.repository()
    only = [repository.resolve(ref, app.cwd) for ref in references] if references else None
    report = run_validation(repository, app.now(), only=only)
    if strict:
        report.findings = [
            _promoted(finding) if finding.severity is Severity.WARNING else finding
            for finding in report.findings
        ]
    if fmt is ValidateFormat.json:
        _write_json(report, repository)
    elif fmt is ValidateFormat.github:
        _write_github(report, repository)
    else:
        _write_table(report, repository)
    _summary(report)
    if report.errors:
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


def _promoted(finding: Finding) -> Finding:
    from dataclasses import replace

    from prcli.validation import Severity

    return replace(finding, severity=Severity.ERROR)


def _relative(finding: Finding, repository: Repository) -> str:
    try:
        return str(finding.path.relative_to(repository.root))
    except ValueError:
        return str(finding.path)


def _write_json(report: Report, repository: Repository) -> None:
    output.write_json(
        [
            {
                "code": finding.code,
                "rule": finding.rule,
                "severity": finding.severity.label,
                "path": _relative(finding, repository),
                "line": finding.line,
                "message": finding.message,
                "hint": finding.hint,
            }
            for finding in report.findings
        ]
    )


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _write_github(report: Report, repository: Repository) -> None:
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for finding in report.findings:
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


def _write_table(report: Report, repository: Repository) -> None:
    if not report.findings:
        return
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    from prcli.text import one_line

    parts: list[RenderableType] = []
    current = None
    table: Table | None = None
    for finding in report.findings:
        if finding.path != current:
            current = finding.path
            if table is not None:
                parts.append(table)
            parts.append(Text(repository.display(finding.path), style="bold underline"))
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
        parts.append(table)
    output.stdout_console().print(Group(*parts))


def _summary(report: Report) -> None:
    from prcli.validation import Severity

    files = len({finding.path for finding in report.findings})
    counts = [
        f"{report.count(severity)} {severity.label}{'s' if report.count(severity) != 1 else ''}"
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    if report.findings:
        output.say(
            f"{', '.join(counts)} in {files} file(s); {report.checked} release(s) checked.",
            "red" if report.errors else "yellow",
        )
    else:
        output.say(f"{report.checked} release(s) checked: no problems.", "green")
