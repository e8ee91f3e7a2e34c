"""prcli new: create a release from flags, prompts and the editor."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from prcli.cli import output, prompts, terminal
from prcli.cli.context import AppContext
from prcli.cli.editing import edit_until_valid, not_saved, open_session
from prcli.cli.options import canonical_category, checked_language, parse_date_option
from prcli.drafts import Author, follow_edit, new_draft
from prcli.editor import EditSession
from prcli.errors import Cancelled, InvalidRelease, InvalidValue, PrcliError, UsageError
from prcli.identity import current_user
from prcli.ids import ID_PATTERN
from prcli.model import Release
from prcli.releasefile import render
from prcli.repository import Repository
from prcli.text import one_line

EPILOG = """Examples:

  prcli new "CIS security chiefs meet in Moscow" --category Events --tag CIS --no-edit

  prcli new "Dövlət Təhlükəsizliyi Xidmətinin məlumatı" --language az --category Official --body-file body.md

  echo "Body text" | prcli new "Statement on the exercise" -c Statements --body-file - --no-input

  prcli new -c Statements -- "-20 °C expected in Baku tonight"      (options first; -- before a headline starting with '-')
"""


def new(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(
            help="The headline. Asked for on a terminal when missing. A headline that starts "
            "with '-' goes after -- (else it reads as options): prcli new -- \"-5 degrees\"",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category", "-c", help="One of the repository's categories.", show_default=False
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            help="Language tag. Default: the repository's first.",
            show_default=False,
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Publication date YYYY-MM-DD. Default: today.",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="A tag; repeat for several.", show_default=False),
    ] = None,
    summary: Annotated[str, typer.Option("--summary", help="The lead paragraph.")] = "",
    subtitle: Annotated[str, typer.Option("--subtitle", help="The subheadline.")] = "",
    body_file: Annotated[
        str | None,
        typer.Option(
            "--body-file",
            help="Read the Markdown body from this file, or '-' for standard input.",
            metavar="PATH|-",
            show_default=False,
        ),
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option("--slug", help="Words for the id instead of the title's.", show_default=False),
    ] = None,
    edit: Annotated[
        bool | None,
        typer.Option(
            "--edit/--no-edit",
            help="Open the new release in $VISUAL/$EDITOR before saving. Default: on a terminal "
            "when no --body-file is given.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt; fail naming the missing option.")
    ] = False,
) -> None:
    """Create a draft release and print its path (the only thing on stdout)."""
    app = AppContext.of(ctx)
    repository = app.repository()
    settings = repository.config
    interactive = terminal.stdin_is_interactive() and not no_input

    if title is None or not title.strip():
        if not interactive:
            raise UsageError(
                "missing title",
                hint='pass it as the first argument: prcli new "Headline" (after -- when it '
                "starts with '-': prcli new -- \"-5 degrees tonight\")",
            )
        title = prompts.ask_text("Title")
    title = one_line(title)
    if not title:
        raise InvalidValue("the title is empty", hint="give the release a headline")

    if category is not None:
        chosen_category = canonical_category(category, settings)
    elif interactive:
        chosen_category = prompts.ask(
            f"Category ({', '.join(settings.categories)})",
            lambda answer: canonical_category(answer, settings),
            default=settings.categories[0],
        )
    else:
        raise UsageError(
            "missing --category",
            hint=f"pass --category with one of: {', '.join(settings.categories)}",
        )
    chosen_language = checked_language(language or settings.default_language, settings)
    now = app.now()
    release_date = parse_date_option(day, "--date") or now.date()
    body = _read_body(body_file) if body_file is not None else ""
    release = new_draft(
        title=title,
        category=chosen_category,
        language=chosen_language,
        day=release_date,
        issuer=settings.default_issuer,
        author=Author(current_user(repository.root), now, app.clock_mark()),
        subtitle=subtitle,
        summary=summary,
        tags=tag or (),
        body=body,
        slug=slug,
    )

    if edit if edit is not None else (interactive and body_file is None):
        path = repository.path_for(release)
        with open_session(repository, path) as session:
            release, text = _edit_new(repository, release, slug, interactive, session)
            try:
                entry = repository.create(release)
            except PrcliError as error:
                raise not_saved(repository, error, path, text, session) from None
    else:
        entry = repository.create(release)
    output.write_line(repository.display(entry.path))
    output.say(
        f"Created {entry.release.id} ({entry.release.status}, {entry.release.language})", "green"
    )
    output.report_findings(repository, entry.path, now)


def _read_body(source: str) -> str:
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).expanduser().read_bytes()
    except OSError as error:
        raise InvalidValue(f"cannot read --body-file {source}: {error.strerror}") from None
    import codecs

    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")  # the byte-order mark says which; it is dropped
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(
            f"--body-file {source} is not UTF-8 text", hint="re-save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise InvalidValue(
            f"--body-file {source} holds NUL bytes: binary data or UTF-16 without a byte-order mark",
            hint="re-save it as UTF-8 text",
        )
    return text


def _edit_new(
    repository: Repository,
    release: Release,
    slug: str | None,
    interactive: bool,
    session: EditSession,
) -> tuple[Release, bytes]:
    path = repository.path_for(release)
    data = render(release, repository.config.format)

    def check(edited: Release) -> None:
        if edited.id != release.id and not ID_PATTERN.fullmatch(edited.id):
            raise InvalidRelease(
                path,
                f"'{edited.id}' is not a valid id",
                hint="ids are YYYY-MM-DD-lowercase-words; or leave the id as it was",
                line=2,
            )

    result = edit_until_valid(
        repository, data, path=path, interactive=interactive, session=session, check=check
    )
    if result is None:
        raise Cancelled("the editor closed without changes; nothing was created")
    return follow_edit(release, result[0].release, slug), result[1]
