"""prcli edit: change a release in $VISUAL/$EDITOR; a text that does not read is never saved."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from prcli.cli import output, terminal
from prcli.cli.context import AppContext
from prcli.cli.editing import edit_until_valid, not_saved, open_session
from prcli.errors import InvalidRelease, PrcliError, UsageError
from prcli.identity import current_user
from prcli.model import Release
from prcli.releasefile import Entry
from prcli.workflow import check_edit, keeps_change_notes, record_edit

EPILOG = """Examples:

  prcli edit 2021-10-15-regional-civil

  EDITOR="code --wait" prcli edit releases/2021/2021-10-15-regional-civil-protection-chiefs-meet-in-tbilisi.md

  prcli edit 2021-10-15-regional-civil --note "Corrected the date of the meeting."   (a published release)

  prcli edit 2021-10-15-regional-civil --minor                                      (a typo: no public note)

A published (or retracted) release keeps a public record of its corrections: saving a change asks
for a change note (--note, or a prompt on a terminal), shown as "Updated <date>: <note>" on its page,
in feeds and ninjs. --minor records the edit without a public note. The status is changed only by
the workflow commands (submit, approve, publish, archive, retract, status), never by an edit.
"""


def edit(
    ctx: typer.Context,
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A release id, a unique prefix of one, or its file path."
        ),
    ],
    note: Annotated[
        str,
        typer.Option(
            "--note",
            "-m",
            help="Public change note for an edit of a published release (a correction).",
        ),
    ] = "",
    minor: Annotated[
        bool,
        typer.Option("--minor", help="A minor fix (typo) of a published release: no public note."),
    ] = False,
) -> None:
    """Open a release in your editor, check it, and save it with `updated` set to now.

    A release that no longer reads is not saved: the original stays untouched and your text is kept
    in a recovery file; on a terminal you are offered to edit again. A release someone else changed
    while your editor was open is never overwritten: your text is kept and its path named.
    """
    app = AppContext.of(ctx)
    if note.strip() and minor:
        raise UsageError("--note and --minor exclude each other", hint="a correction or a typo fix")
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    try:
        original = path.read_bytes()
    except OSError as error:
        raise InvalidRelease(path, f"cannot read: {error.strerror}") from None
    try:
        before: Entry | None = repository.read(path)
    except InvalidRelease:
        before = None  # editing is how a broken file gets fixed

    def same_id(edited: Release) -> None:
        if edited.id != path.stem:
            raise InvalidRelease(
                path,
                f"the id must stay '{path.stem}' (the file name), not '{edited.id}'",
                line=2,
                hint="ids are permanent so links keep working; change the title instead",
            )

    # The lock is not held while the editor is open (that may take an hour): under the lock the
    # file is compared with the snapshot the editor started from, and a changed file is never
    # overwritten. Whatever stops the save, the user's text is kept and its place named.
    with open_session(repository, path) as session:
        result = edit_until_valid(
            repository,
            original,
            path=path,
            interactive=terminal.stdin_is_interactive(),
            session=session,
            check=same_id,
        )
        if result is None:
            output.say("No changes; nothing saved.")
            return
        edited_entry, edited = result
        release = edited_entry.release
        now = app.now()
        changed = before is None or release != before.release
        try:
            if before is not None and changed:
                check_edit(before.release, release)
                release = _record(app, before.release, release, now, note, minor)
            elif note.strip() and before is not None:
                output.say("No change to save; the note was not recorded.")
            if changed:
                release = release.replace(updated=now)
            with repository.locked(path.stem):
                try:
                    current: bytes | None = path.read_bytes()
                except OSError:
                    current = None
                if current != original:
                    raise Conflict(
                        f"{repository.display(path)} changed on disk while you were editing",
                        hint=f"compare your text with the release and run `prcli edit {path.stem}` "
                        "again",
                    )
                saved = repository.save(Entry(path, release, edited_entry.format))
        except PrcliError as error:
            raise not_saved(repository, error, path, edited, session) from None
    if saved:
        output.say(f"Saved {release.id}", "green")
        output.report_findings(repository, path, now)
    else:
        output.say("No changes; nothing saved.")


class Conflict(PrcliError):
    """The release changed on disk between the editor opening and the save."""


def _record(
    app: AppContext, before: Release, after: Release, now: datetime, note: str, minor: bool
) -> Release:
    """Add the history step of an edit to a public release (asking for the note on a terminal)."""
    if not keeps_change_notes(after):
        if note.strip():
            output.say(
                f"{after.id} is {after.status}: a change note is only kept for published "
                "releases; saved without it."
            )
        return after
    if not note.strip() and not minor and terminal.stdin_is_interactive():
        from prcli.cli import prompts

        output.say(
            f"{after.id} is {after.status}: readers see a note of what changed, as "
            '"Updated <date>: <note>". Leave it empty for a minor fix (a typo).'
        )
        note = prompts.ask_text("Change note", default="")
        minor = not note.strip()
    by = current_user(app.repository().root)
    return record_edit(after, now=now, by=by, note=note, minor=minor, clock=app.clock_mark())
