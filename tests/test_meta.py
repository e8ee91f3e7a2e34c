"""Every command documents itself with help text and at least one example."""

from __future__ import annotations

import typer.main

from prcli.cli.app import app

from .conftest import Run


def test_every_command_has_help_and_an_example(run: Run) -> None:
    group = typer.main.get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert {"init", "new", "list", "show", "edit"} <= set(names)
    for name in names:
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        assert "Examples:" in (command.epilog or ""), f"{name} has no example"
        result = run(name, "--help")
        assert result.exit_code == 0
        assert f"prcli {name}" in result.stdout
        assert "Examples" in result.stdout


def test_no_arguments_shows_help(run: Run) -> None:
    result = run()
    assert "Usage" in result.stdout + result.stderr
