"""prcli completion: the shell completion script for bash, zsh or fish, printed or installed."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from prcli.cli import output
from prcli.cli.completion import SCRIPTS, install_path

EPILOG = """Examples:

  prcli completion bash --install        (then open a new terminal)

  prcli completion zsh --install         (needs fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)

  prcli completion fish --install

  prcli completion bash > /etc/bash_completion.d/prcli

Completes commands, options, release ids (from the index cache), categories and languages (from
prcli.toml), tags, statuses and format names.
"""


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    shell: Annotated[
        Shell, typer.Argument(metavar="SHELL", help="The shell to complete in: bash, zsh or fish.")
    ],
    install: Annotated[
        bool,
        typer.Option(
            "--install", help="Write the script where the shell finds it, instead of printing it."
        ),
    ] = False,
) -> None:
    """Print (or install) the shell completion script for bash, zsh or fish."""
    script = SCRIPTS[shell.value]
    if not install:
        output.write_line(script.rstrip("\n"))
        return
    from prcli.atomicfile import write_atomic

    target = install_path(shell.value)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, script.encode("utf-8"))
    output.say(f"Installed {shell.value} completion in {target}.")
    if shell is Shell.zsh:
        output.say("Make sure ~/.zshrc has fpath=(~/.zfunc $fpath) before compinit.")
    output.say("Open a new terminal to use it.")
