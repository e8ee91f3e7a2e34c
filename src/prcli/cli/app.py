"""The root command: global options, the error mapper, and the table of commands.

A command's module is imported, and its Click command built from the function's signature, only
when that command runs (or its help is shown): `prcli list` does not pay for `export`'s imports or
for building thirty other commands. The root `--help` lists every command from the table below
without importing any command module; tests/test_startup.py checks that the table's summaries are
the first sentences of the commands' docstrings, and that the lazily built commands are the ones an
eager build would make.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from prcli import __version__
from prcli.cli.guard import ExitCode, guarded

if TYPE_CHECKING:
    from typer import _click

    from prcli.cli.context import AppContext


class PrcliGroup(TyperGroup):
    """Runs every command through prcli.cli.guard (a PrcliError becomes one error line, a hint and
    its exit code, no traceback; PRCLI_DEBUG=1 shows it). Its commands come from COMMANDS, each built
    when first asked for (LazyCommands).
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands and their summaries, as TyperGroup lays them out, from COMMANDS alone.
        Every summary is whole, wrapped to the width (Click would cut a group's with '...')."""
        rows = [(name, spec.summary) for name, spec in COMMANDS.items() if not spec.hidden]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        from functools import partial

        from typer._click.exceptions import NoSuchOption, UsageError

        given = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        _warn_text_read_as_option(self, ctx, given)
        try:
            return guarded(partial(super().invoke, ctx), partial(_app_context, ctx))
        except ExitCode as stop:
            raise typer.Exit(stop.code) from None
        except NoSuchOption as error:
            _hint_dash_text(error, given)
            raise
        except UsageError as error:
            _hint_options_before_double_dash(error, given)
            raise


def _hint_dash_text(error: Any, given: list[str]) -> None:
    """`prcli new "-2 degrees tonight"`: text that starts with a dash reads as options; say how
    to pass it (after `--`) when the unknown option is a number or part of words."""
    import shlex

    name = str(error.option_name)
    token = next((arg for arg in given if arg.startswith(name)), name)
    command = getattr(error.ctx, "command", None)
    if not _takes_text(command) or name.startswith("--"):  # --titel: a mistyped option
        return
    path = getattr(error.ctx, "command_path", "") or "prcli COMMAND"  # 'prcli contacts add'
    error.message += (
        f"\nhint: text starting with '-' reads as an option; if {shlex.quote(token)} is meant as "
        f"text, put -- before it: {path} -- {shlex.quote(token)}"
    )


def _takes_text(command: Any) -> bool:
    """The command has an argument (a title, words, an address) text could be meant for."""
    return any(param.param_type_name == "argument" for param in getattr(command, "params", ()))


def _hint_options_before_double_dash(error: Any, given: list[str]) -> None:
    """`prcli new -- "-2 degrees" --no-input`: after `--` every word is text, options too."""
    if "--" not in given or "unexpected extra argument" not in str(error.message):
        return
    after = given[given.index("--") + 1 :]
    if any(arg.startswith("-") and arg != "-" for arg in after[1:]):
        error.message += "\nhint: every word after -- is text: put the options before --"


def _warn_text_read_as_option(group: Any, ctx: Any, given: list[str]) -> None:
    """`prcli new "-cold front"`: Click reads '-cold front' as the option -c with the value
    'old front' (a short option takes the rest of its word), and the command then misses its
    title or refuses the category. Words with a space that start with a short option taking a
    value are text someone meant: say how they were read and how to pass them (after --).
    The parsing itself stays Click's: `-c"Official Events"` still sets the category."""
    end = given.index("--") if "--" in given else len(given)
    if not any(_text_like(arg) for arg in given[:end]):
        return  # the usual case: nothing else to do
    import shlex

    command, names = group, []
    for arg in given[:end]:
        found = command.get_command(ctx, arg) if hasattr(command, "get_command") else None
        if found is None:
            break
        command = found
        names.append(arg)
    if (
        not names
        or not _takes_text(command)
        or getattr(command, "words_may_start_with_dash", False)
    ):
        return
    options = {
        opt: param
        for param in getattr(command, "params", ())
        if param.param_type_name == "option" and not param.is_flag
        for opt in param.opts
    }
    previous = ""
    for arg in given[:end]:
        param = options.get(arg[:2])
        if _text_like(arg) and param is not None and options.get(previous) is None:
            from prcli.cli import output

            where = " ".join(names)
            output.warn(
                f"{shlex.quote(arg)} reads as the option {arg[:2]} ({max(param.opts, key=len)}) "
                f"with the value {shlex.quote(arg[2:])}; if it is meant as text (a title), put -- "
                f"before it: prcli {where} -- {shlex.quote(arg)}"
            )
        previous = arg


def _text_like(arg: str) -> bool:
    """A word that starts like a short option (-c) but holds a space: text, not an option."""
    return arg[:1] == "-" and arg[1:2] not in ("", "-") and any(c.isspace() for c in arg)


app = typer.Typer(
    cls=PrcliGroup,
    name="prcli",
    help="Manage press releases kept as Markdown files in a folder repository.",
    epilog="Run `prcli COMMAND --help` for a command's options and examples.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help text is plain text: "[organisation]" and "[validation.rules]" are shown, not read as
    # Rich markup and dropped.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    repo: Annotated[
        str | None,
        typer.Option(
            "--repo",
            envvar="PRCLI_REPO",
            metavar="PATH",
            help="The repository folder (holding prcli.toml). Default: the nearest one above the "
            "working folder.",
            show_default=False,
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            envvar="PRCLI_NOW",
            metavar="DATETIME",
            help="Pretend it is this time (ISO 8601), for dry runs and tests.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="PRCLI_NO_CACHE",
            help="Read every release file instead of using the index cache in .prcli/.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    from prcli.cli.context import AppContext

    ctx.obj = AppContext(repo_option=repo, now_option=now, use_cache=not no_cache)


class Spec(NamedTuple):
    """Where a command lives: `function` and `epilog` are attribute names in prcli.cli.`module`.
    `summary` is the command's line in `prcli --help` (the first sentence of the function's
    docstring, kept here so that listing the commands imports none of them). A `group` is a Typer
    app in `function` (its help and epilog are its own)."""

    module: str
    function: str
    epilog: str
    summary: str
    cls: str | None = None
    hidden: bool = False
    group: bool = False


COMMANDS: dict[str, Spec] = {
    "init": Spec(
        "init_cmd",
        "init",
        "EPILOG",
        "Create a release repository: prcli.toml, releases/, .gitattributes and .gitignore.",
    ),
    "new": Spec(
        "new_cmd",
        "new",
        "EPILOG",
        "Create a draft release and print its path (the only thing on stdout).",
    ),
    "list": Spec(
        "list_cmd",
        "list_releases",
        "EPILOG",
        "List releases, newest first. Unreadable files are reported on stderr and make the exit "
        "code 1.",
    ),
    "show": Spec("show_cmd", "show", "EPILOG", "Show one release."),
    "edit": Spec(
        "edit_cmd",
        "edit",
        "EPILOG",
        "Open a release in your editor, check it, and save it with `updated` set to now.",
    ),
    "submit": Spec("workflow_cmd", "submit", "EPILOG_SUBMIT", "Send drafts to review."),
    "approve": Spec(
        "workflow_cmd",
        "approve",
        "EPILOG_APPROVE",
        "Approve releases in review. With require_second_approver, not your own.",
    ),
    "publish": Spec(
        "workflow_cmd",
        "publish",
        "EPILOG_PUBLISH",
        "Publish approved releases: refused while under embargo or with validation errors.",
    ),
    "archive": Spec("workflow_cmd", "archive", "EPILOG_ARCHIVE", "Archive published releases."),
    "retract": Spec(
        "workflow_cmd",
        "retract",
        "EPILOG_RETRACT",
        "Retract published releases. The release stays, with a retraction notice.",
    ),
    "status": Spec(
        "workflow_cmd",
        "status",
        "EPILOG_STATUS",
        "Show what is live now, or move one release to another state.",
    ),
    "log": Spec(
        "workflow_cmd",
        "log",
        "EPILOG_LOG",
        "Show a release's audit trail: every state it went through and every e-mail send run.",
    ),
    "translate": Spec(
        "translate_cmd",
        "translate",
        "EPILOG",
        "Start a language version of a release as a linked draft.",
    ),
    "attach": Spec(
        "media_cmd",
        "attach",
        "EPILOG_ATTACH",
        "Copy a photo or document into the repository and attach it to a release.",
    ),
    "detach": Spec(
        "media_cmd",
        "detach",
        "EPILOG_DETACH",
        "Remove an attachment from a release (and its file, when no other release uses it).",
    ),
    "strip": Spec(
        "media_cmd",
        "strip",
        "EPILOG_STRIP",
        "Remove GPS positions from a release's attached pictures.",
    ),
    "validate": Spec(
        "validate_cmd",
        "validate",
        "EPILOG",
        "Check releases for completeness and form: every finding has a rule code, a file and a "
        "line.",
    ),
    "rules": Spec(
        "validate_cmd",
        "rules",
        "RULES_EPILOG",
        "List every validation rule with its code, name, severity and what it checks.",
    ),
    "export": Spec(
        "export_cmd",
        "export",
        "EPILOG",
        "Export releases, newest first. Output is deterministic: the same releases give the same "
        "bytes.",
    ),
    "import": Spec(
        "import_cmd",
        "import_releases",
        "EPILOG",
        "Import releases; a summary says per input what was created, updated, skipped or failed.",
    ),
    "search": Spec(
        "search_cmd",
        "search",
        "EPILOG",
        "Search titles, summaries, bodies, tags, people, places and organisations, best match "
        "first.",
        cls="WordsCommand",
    ),
    "stats": Spec(
        "stats_cmd",
        "stats",
        "EPILOG",
        "Show the press office's output: per month, by category, language, status and author.",
    ),
    "rename": Spec(
        "rename_cmd",
        "rename",
        "EPILOG",
        "Give a release a new id: its file, its `id`, and the references to it.",
    ),
    "send": Spec(
        "send_cmd",
        "send",
        "EPILOG",
        "E-mail a release to a media list (one message per recipient), or a test copy.",
    ),
    "sync": Spec(
        "team_cmd",
        "sync",
        "SYNC_EPILOG",
        "Share your work with the team: commit, take in theirs, validate, push.",
    ),
    "completion": Spec(
        "completion_cmd",
        "completion",
        "EPILOG",
        "Print (or install) the shell completion script for bash, zsh or fish.",
    ),
    "setup": Spec(
        "team_cmd",
        "setup_app",
        "",
        "Connect the repository to git and to a CI host (merge driver, scheduled publishing).",
        group=True,
    ),
    "contacts": Spec(
        "contacts_cmd",
        "app",
        "",
        "Media lists: journalists with language, beat, lists and consent (personal data, kept out "
        "of git).",
        group=True,
    ),
    "merge-driver": Spec(
        "team_cmd",
        "merge_driver",
        "MERGE_DRIVER_EPILOG",
        "",
        hidden=True,
    ),
}


def plain_epilog(epilog: str) -> str:
    """Click rewraps help paragraphs to the terminal width; an example line must stay one line
    (to copy and paste), so indented paragraphs are marked with Click's no-rewrap marker."""
    paragraphs = epilog.split("\n\n")
    return "\n\n".join(
        f"\b\n{paragraph}" if paragraph.startswith("  ") else paragraph for paragraph in paragraphs
    )


def summary(function: Callable[..., None]) -> str:
    """The first sentence of a command's docstring, whole (Click would cut it at 45 characters)."""
    first = (function.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(first.split())


def build(name: str) -> _click.Command:
    """The Click command of one entry of COMMANDS, built as `app.command(...)` would build it."""
    import typer.main
    from typer.models import CommandInfo, TyperInfo

    spec = COMMANDS[name]
    module = importlib.import_module(f"prcli.cli.{spec.module}")
    target = getattr(module, spec.function)
    if spec.group:
        gc.enable()  # see below
        return typer.main.get_group_from_info(
            # A short help of its own: Click would cut the summary with '...' in the root help.
            TyperInfo(target, name=name, short_help=spec.summary),
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
    info = CommandInfo(
        name=name,
        cls=getattr(module, spec.cls) if spec.cls else typer.core.TyperCommand,
        callback=target,
        epilog=plain_epilog(getattr(module, spec.epilog)),
        short_help=None if spec.hidden else spec.summary,
        hidden=spec.hidden,
    )
    command = typer.main.get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )
    gc.enable()  # prcli.cli.main turns it off for the start-up, which ends here
    return command


class LazyCommands(MutableMapping[str, "_click.Command"]):
    """The root group's commands by name; each of COMMANDS is built on first access. A command
    added later (Click's add_command) is kept as given."""

    def __init__(self) -> None:
        self.built: dict[str, _click.Command] = {}

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self.built:
            if name not in COMMANDS:
                raise KeyError(name)
            self.built[name] = build(name)
        return self.built[name]

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("prcli's commands are fixed")

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self.built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(1 for name in self.built if name not in COMMANDS)


def _app_context(ctx: Any) -> AppContext | None:
    from prcli.cli.context import AppContext

    return ctx.obj if isinstance(ctx.obj, AppContext) else None
