"""attach, detach and strip: photos and documents of a release."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated

import typer

from prcli.cli import output
from prcli.cli.context import AppContext
from prcli.errors import MediaError
from prcli.model import Attachment, Release

if TYPE_CHECKING:
    from prcli.repository import Entry

EPILOG_ATTACH = """Examples:

  prcli attach 2021-10-15-regional-civil ~/Pictures/IMG_2041.jpg --caption "Heads of delegations before the
  meeting" --credit "Press service / R. Aliyev" --alt "Eleven people in suits in front of flags"

  prcli attach 2021-10-15-regional-civil IMG_2041.jpg --strip --caption ... --credit ... --alt ...
  (removes the GPS position from the stored copy)

  prcli attach 2021-10-15-regional-civil statement.pdf --caption "Full text of the joint statement"

The file is copied to media/YYYY/<name>-<hash>.<ext> (the same file is stored once) and recorded
in the release. Images are checked (the format their name claims, damage, size); formats prcli cannot
make web pictures of are kept as documents. stdout: the stored path.
"""
EPILOG_DETACH = """Examples:

  prcli detach 2021-10-15-regional-civil 2                      (the second attachment)

  prcli detach 2021-10-15-regional-civil hall-3f2a9c81d0.jpg --keep-file

The file is deleted when no other release uses it (it stays in git history), and its cached web
sizes in .prcli/renditions/ with it, unless --keep-file.
"""
EPILOG_STRIP = """Examples:

  prcli strip 2021-10-15-regional-civil                         (every image of the release)

  prcli strip 2021-10-15-regional-civil hall-3f2a9c81d0.jpg

Removes the GPS position from attached originals (JPEG without re-encoding; PNG and TIFF saved
again losslessly). Web pictures made at export never carry any EXIF data.
"""

Reference = Annotated[str, typer.Argument(metavar="ID", help="Release id, unique prefix or path.")]
Note = Annotated[
    str,
    typer.Option(
        "--note",
        "-m",
        help="For a published release: a public change note (without it, a minor change).",
    ),
]


def _changed(app: AppContext, release: Release, now: datetime, note: str) -> Release:
    """The release stamped as changed; a published one gets its history step (minor without a
    note, a public correction with one), like `prcli edit`."""
    from prcli.identity import current_user
    from prcli.workflow import record_edit

    by = current_user(app.repository().root)
    stamped = record_edit(
        release, now=now, by=by, note=note, minor=not note.strip(), clock=app.clock_mark()
    )
    return stamped.replace(updated=now)


def attach(
    ctx: typer.Context,
    reference: Reference,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The file to copy in.")],
    caption: Annotated[str, typer.Option("--caption", "-c", help="What it shows.")] = "",
    credit: Annotated[str, typer.Option("--credit", help="Author or agency to credit.")] = "",
    alt: Annotated[
        str, typer.Option("--alt", help="Text alternative for readers who cannot see an image.")
    ] = "",
    licence: Annotated[
        str, typer.Option("--licence", "--license", help="Licence or usage terms.")
    ] = "",
    language: Annotated[
        str, typer.Option("--language", help="Language of the file itself, if it has one.")
    ] = "",
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="image, document, audio or video. Default: from the file name."
        ),
    ] = "",
    strip: Annotated[
        bool, typer.Option("--strip", help="Remove the GPS position from the stored copy.")
    ] = False,
    note: Note = "",
) -> None:
    """Copy a photo or document into the repository and attach it to a release."""
    from prcli.media import store

    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    data = store.read_source(file)
    release = repository.read(path).release
    incoming = store.same_file(
        repository.root, store.prepare(release, file, data, kind=kind, strip=strip)
    )
    record = Attachment(
        path=incoming.name,
        kind=incoming.kind,
        caption=caption.strip(),
        alt=alt.strip(),
        credit=credit.strip(),
        licence=licence.strip(),
        language=language.strip(),
    )
    now = app.now()
    store.add(release, record)  # refuse a duplicate before anything is written
    created = store.store(repository.root, incoming)
    try:
        entry, _ = repository.update(
            path, lambda current: _changed(app, store.add(current.release, record), now, note)
        )
    except BaseException:
        # Nothing half-done stays behind, but a file another process recorded meanwhile (the same
        # picture attached twice at once) is kept.
        if created:
            with contextlib.suppress(Exception):
                target = repository.root / incoming.name
                users = [(e.path, e.release) for e in repository.load_all(bodies=False).entries]
                if not store.still_used(users, repository.root, target):
                    target.unlink()
        raise
    output.write_line(incoming.name)
    for note in incoming.notes:
        output.warn(note)
    missing = []
    if record.kind == "image" and not record.alt:
        missing.append("--alt (images need alt text)")
    if record.kind in ("image", "audio", "video") and not record.credit:
        missing.append("--credit")
    if not record.caption:
        missing.append("--caption")
    if missing:
        output.warn(f"no {', '.join(missing)}: `prcli edit {entry.release.id}` to add them")
    where = "stored" if created else "already stored"
    output.say(f"Attached {incoming.name} ({record.kind}, {where}) to {entry.release.id}", "green")


def detach(
    ctx: typer.Context,
    reference: Reference,
    attachment: Annotated[
        str, typer.Argument(metavar="NAME|NUMBER", help="File name, path or number (1 = first).")
    ],
    keep_file: Annotated[
        bool, typer.Option("--keep-file", help="Leave the file in media/ even if unused.")
    ] = False,
    note: Note = "",
) -> None:
    """Remove an attachment from a release (and its file, when no other release uses it)."""
    from prcli.media import files, store

    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    now = app.now()
    removed: list[Attachment] = []

    def change(entry: Entry) -> Release:
        release = entry.release
        index = store.find(release, attachment)
        removed.append(release.attachments[index])
        kept = release.attachments[:index] + release.attachments[index + 1 :]
        return _changed(app, release.replace(attachments=kept), now, note)

    entry, _ = repository.update(path, change)
    gone = removed[-1]
    output.write_line(gone.path)
    message = f"Detached {gone.path} from {entry.release.id}"
    if not keep_file:
        try:
            target = files.locate(repository.root, entry.path.parent, gone)
        except MediaError:
            target = None
        if target is not None and target.is_file():
            loaded = repository.load_all(bodies=False)
            users = [(e.path, e.release) for e in loaded.entries]
            if store.still_used(users, repository.root, target):
                message += "; the file stays (another release uses it)"
            else:
                from prcli.media import renditions

                data = target.read_bytes()
                target.unlink()
                renditions.forget(repository.work_dir / renditions.CACHE_FOLDER, data)
                message += f"; deleted {repository.display(target)}"
    output.say(message, "green")


def strip(
    ctx: typer.Context,
    reference: Reference,
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="[NAME]...", help="Only these attachments.", show_default=False),
    ] = None,
) -> None:
    """Remove GPS positions from a release's attached pictures."""
    from prcli.atomicfile import write_atomic
    from prcli.media import files, images, store

    app = AppContext.of(ctx)
    repository = app.repository()
    path = repository.resolve(reference, app.cwd)
    release = repository.read(path).release
    chosen = (
        [release.attachments[store.find(release, name)] for name in names]
        if names
        else [a for a in release.attachments if files.renders(a)]
    )
    changed = 0
    for attachment in chosen:
        target = files.locate(repository.root, path.parent, attachment)
        if not target.is_file():
            raise MediaError(f"{attachment.path} does not exist", hint="`prcli validate` lists it")
        name = PurePosixPath(attachment.path).name
        data = target.read_bytes()
        if not images.has_gps(data, name):
            continue
        write_atomic(target, images.strip_gps(data, name))
        output.write_line(attachment.path)
        changed += 1
    output.say(
        f"Removed the GPS position from {changed} picture(s) of {release.id}."
        if changed
        else f"No picture of {release.id} carries a GPS position.",
        "green",
    )
