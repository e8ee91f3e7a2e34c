"""The root command: global options, the error mapper, and the wiring of each command module."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from prcli import __version__
from prcli.cli import (
    completion_cmd,
    contacts_cmd,
    edit_cmd,
    export_cmd,
    import_cmd,
    init_cmd,
    list_cmd,
    media_cmd,
    new_cmd,
    rename_cmd,
    search_cmd,
    send_cmd,
    show_cmd,
    stats_cmd,
    team_cmd,
    translate_cmd,
    validate_cmd,
    workflow_cmd,
)
from prcli.cli.context import AppContext
from prcli.errors import PrcliError

DEBUG_VARIABLE = "PRCLI_DEBUG"


class PrcliGroup(TyperGroup):
    """Turns every PrcliError into one error line, a hint and its exit code (no traceback).

    Set PRCLI_DEBUG=1 to see the traceback instead.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PrcliError as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            from prcli.cli.output import report_error

            obj = ctx.obj if isinstance(ctx.obj, AppContext) else None
            report_error(error, obj._repository if obj else None)
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:
            # `prcli list | head -1`: the reader left; stop quietly with the status of a process
            # ended by SIGPIPE (128 + 13), as other Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as error:
            # A write path the core did not wrap (disk full, permissions): one line, no traceback.
            if os.environ.get(DEBUG_VARIABLE):
                raise
            from prcli.cli.output import report_error
            from prcli.errors import storage_error

            where = error.filename if error.filename is not None else "a file"
            report_error(storage_error(where, error, "use"))
            raise typer.Exit(1) from None
        finally:
            obj = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if obj is not None and obj._repository is not None and obj._repository.written:
                from prcli.cli.autocommit import autocommit

                autocommit(obj._repository)


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
    ctx.obj = AppContext(repo_option=repo, now_option=now, use_cache=not no_cache)


COMMANDS: list[tuple[str, Callable[..., None], str]] = [
    ("init", init_cmd.init, init_cmd.EPILOG),
    ("new", new_cmd.new, new_cmd.EPILOG),
    ("list", list_cmd.list_releases, list_cmd.EPILOG),
    ("show", show_cmd.show, show_cmd.EPILOG),
    ("edit", edit_cmd.edit, edit_cmd.EPILOG),
    ("submit", workflow_cmd.submit, workflow_cmd.EPILOG_SUBMIT),
    ("approve", workflow_cmd.approve, workflow_cmd.EPILOG_APPROVE),
    ("publish", workflow_cmd.publish, workflow_cmd.EPILOG_PUBLISH),
    ("archive", workflow_cmd.archive, workflow_cmd.EPILOG_ARCHIVE),
    ("retract", workflow_cmd.retract, workflow_cmd.EPILOG_RETRACT),
    ("status", workflow_cmd.status, workflow_cmd.EPILOG_STATUS),
    ("log", workflow_cmd.log, workflow_cmd.EPILOG_LOG),
    ("translate", translate_cmd.translate, translate_cmd.EPILOG),
    ("attach", media_cmd.attach, media_cmd.EPILOG_ATTACH),
    ("detach", media_cmd.detach, media_cmd.EPILOG_DETACH),
    ("strip", media_cmd.strip, media_cmd.EPILOG_STRIP),
    ("validate", validate_cmd.validate, validate_cmd.EPILOG),
    ("rules", validate_cmd.rules, validate_cmd.RULES_EPILOG),
    ("export", export_cmd.export, export_cmd.EPILOG),
    ("import", import_cmd.import_releases, import_cmd.EPILOG),
    ("search", search_cmd.search, search_cmd.EPILOG),
    ("stats", stats_cmd.stats, stats_cmd.EPILOG),
    ("rename", rename_cmd.rename, rename_cmd.EPILOG),
    ("send", send_cmd.send, send_cmd.EPILOG),
    ("sync", team_cmd.sync, team_cmd.SYNC_EPILOG),
    ("completion", completion_cmd.completion, completion_cmd.EPILOG),
]


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


CLASSES = {"search": search_cmd.WordsCommand}
for name, function, epilog in COMMANDS:
    app.command(
        name,
        cls=CLASSES.get(name),
        epilog=plain_epilog(epilog),
        short_help=summary(function),
    )(function)
app.add_typer(team_cmd.setup_app)
app.add_typer(contacts_cmd.app, name="contacts")
app.command("merge-driver", epilog=team_cmd.MERGE_DRIVER_EPILOG, hidden=True)(team_cmd.merge_driver)
