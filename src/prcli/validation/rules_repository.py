"""Repository: nothing stray in releases/, names in NFC, each release in its year's folder."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from prcli.atomicfile import TEMP_SUFFIX
from prcli.repository import RELEASE_SUFFIX, Entry
from prcli.validation.context import Context
from prcli.validation.registry import load_rule, release_rule, repository_rule
from prcli.validation.types import Problem, Severity

load_rule(
    "PR404",
    "outside-link",
    Severity.ERROR,
    "No symbolic links in releases/ lead outside the repository.",
    """
    A link from releases/ to a file outside the repository is not read: it would not travel with a
    clone, and following it could expose files that are not releases. Copy the file in instead.
    """,
)


@repository_rule("PR401", "stray-file", Severity.WARNING, "releases/ holds only release files.")
def stray_file(context: Context) -> Iterator[Problem]:
    """
    Files in releases/ that are not `.md` releases (notes, images, office documents) are easy to
    lose track of, and leftover `.tmp` files mean a write was interrupted. Move other files next
    to the release as attachments in a folder of their own, and delete leftover temp files.
    Attachment files named by a release are not stray.
    """
    folder = context.repository.releases_dir
    if not folder.is_dir():
        return
    from prcli.media.files import candidates

    root = context.repository.root
    attached = {
        place.resolve()
        for folder, attachment in context.attachments
        for place in candidates(root, folder, attachment)
    }
    for current, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(current) / name
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                yield Problem(
                    "leftover temporary file from an interrupted write",
                    path=path,
                    hint="check the release next to it, then delete this file",
                )
            elif (
                not name.endswith(RELEASE_SUFFIX)
                and not name.startswith(".")
                and path.resolve() not in attached
            ):
                yield Problem(
                    "not a release file",
                    path=path,
                    hint="move it out of releases/, or attach it to a release",
                )


@release_rule("PR402", "file-name-nfc", Severity.ERROR, "File names are in Unicode NFC.")
def file_name_nfc(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    The same accented name can be spelt in two Unicode forms (NFC `ş` as one character, NFD as
    `s` plus a combining cedilla). Git and other systems then see two different files. prcli
    writes NFC names; rename files that came from elsewhere.
    """
    name = entry.path.name
    if unicodedata.normalize("NFC", name) != name:
        yield Problem(
            "the file name is not in Unicode NFC form",
            line=None,
            hint=f"rename it to {unicodedata.normalize('NFC', name)}",
        )


@release_rule(
    "PR403", "year-folder", Severity.WARNING, "A release lives in releases/YYYY/ of its date."
)
def year_folder(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Releases are kept as releases/YYYY/<id>.md with YYYY the year of their date, so the folder
    tree stays browsable. A file elsewhere still works but is hard to find.
    """
    expected = context.repository.path_for(entry.release).parent
    if entry.path.parent != expected:
        shown = context.repository.display(expected)
        yield Problem(
            f"the release is dated {entry.release.date} but is not in {shown}/",
            key="date",
            hint=f"move it to {shown}/",
        )
