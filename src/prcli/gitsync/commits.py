"""Commit prcli's changes to release files, one commit per release, with a message that says what
happened: `prcli: approve 2026-11-27-cis-meeting (Kamran)`. Used by `prcli sync` and by
`[git] autocommit = true`.

The files a release attaches (`media/2026/...`, inside the repository) travel in the same commit
as the release: a new or changed attached file is added, and one `prcli detach` deleted is
committed as deleted, so a fresh clone never lacks a file its releases name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from prcli.errors import InvalidRelease, MediaError
from prcli.gitsync import git, install
from prcli.model import HistoryEntry, Release, Status
from prcli.releasefile import parse_release

VERBS = {
    Status.REVIEW: "submit",
    Status.APPROVED: "approve",
    Status.PUBLISHED: "publish",
    Status.ARCHIVED: "archive",
    Status.RETRACTED: "retract",
    Status.DRAFT: "send back to draft",
}
_BOOKKEEPING = ("history", "status", "updated", "publish_at")
BATCH = 20  # more new releases than this at once (an import) go into one commit


@dataclass(frozen=True, slots=True)
class Change:
    """One release file as git sees it between HEAD and the working tree."""

    kind: str  # A (added), M (modified), D (deleted), R (renamed)
    path: str  # relative to the git top level
    old_path: str = ""  # for R


def staged_changes(top: Path, paths: Sequence[str]) -> list[Change]:
    """Stage `paths` (release files; relative to `top`) and list them as git sees them, renames
    detected."""
    if not paths:
        return []
    tracked = set(git.run(top, "ls-files", "-z", "--", *paths).stdout.split("\0"))
    paths = [path for path in paths if path in tracked or (top / path).exists()]
    if not paths:
        return []
    git.run(top, "add", "-A", "--", *paths)
    text = git.run(top, "diff", "--cached", "--name-status", "-M", "-z", "--", *paths).stdout
    fields = [field for field in text.split("\0") if field]
    changes: list[Change] = []
    index = 0
    while index < len(fields):
        status = fields[index]
        if status.startswith(("R", "C")):
            changes.append(Change("R", fields[index + 2], fields[index + 1]))
            index += 3
        else:
            changes.append(Change(status[0], fields[index + 1]))
            index += 2
    return changes


def pending_release_paths(top: Path, root: Path, releases_folder: str) -> list[str]:
    """Release files under the releases folder that differ from HEAD (relative to `top`)."""
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    folder = f"{prefix}/{releases_folder}" if prefix != "." else releases_folder
    return [
        path
        for path in git.changed_paths(top, [f":(glob){folder}/**/*.md"])
        if path.endswith(".md")
    ]


def attached_files(top: Path, root: Path, path: str) -> tuple[list[str], list[str]]:
    """The files (relative to `top`) that the release at `path` attaches now, and those it
    attached at HEAD but no longer does (detached since); inside the repository only."""
    from prcli.media import files

    full = top / path
    now = _read(full.read_bytes(), path) if full.is_file() else None
    before = _at_head(top, path)
    base = top.resolve()

    def located(release: Release | None) -> list[str]:
        found: list[str] = []
        for attachment in release.attachments if release is not None else ():
            try:
                target = files.locate(root, full.parent, attachment)
                found.append(target.relative_to(base).as_posix())
            except (MediaError, ValueError):
                continue  # outside the repository or a link: not prcli's to commit
        return list(dict.fromkeys(found))

    current = located(now)
    return current, [name for name in located(before) if name not in current]


def changed_attached_files(top: Path, root: Path, path: str) -> list[str]:
    """Of the release's attached files, those that differ from HEAD: new or changed files it
    attaches, and files it no longer attaches that were deleted. A file it still attaches but
    that is missing is left alone (validation reports it; committing would spread the loss)."""
    current, former = attached_files(top, root, path)
    wanted = current + former
    if not wanted:
        return []
    changed = git.changed_paths(top, [f":(literal){name}" for name in wanted])
    return [name for name in changed if name in former or (top / name).is_file()]


def pending_attached_files(
    top: Path, root: Path, releases_folder: str, releases: Sequence[str]
) -> list[str]:
    """Attached files that `commit_pending` would commit: those of the pending `releases`, and any
    other release's attached file that differs from HEAD (say, one an older prcli left out)."""
    found: list[str] = []
    for path in releases:
        found += changed_attached_files(top, root, path)
    return list(
        dict.fromkeys(found + [name for _, name in _stray_attached(top, root, releases_folder)])
    )


def _stray_attached(top: Path, root: Path, releases_folder: str) -> list[tuple[str, str]]:
    """(release path, attached file) for attached files that differ from HEAD while their release
    does not. Reads the releases only when something under media/ or the releases folder (other
    than a release file) changed."""
    from prcli.media import files

    prefix = _prefix(top, root)
    folders = [f"{prefix}{files.MEDIA_FOLDER}", f"{prefix}{releases_folder}"]
    changed = {
        path
        for path in git.changed_paths(top, folders)
        if not path.endswith(".md") or path.startswith(f"{prefix}{files.MEDIA_FOLDER}/")
    }
    if not changed:
        return []
    listed = git.run(top, "ls-files", "-z", "--", f":(glob){prefix}{releases_folder}/**/*.md")
    found: list[tuple[str, str]] = []
    for path in sorted(name for name in listed.stdout.split("\0") if name):
        for name in attached_files(top, root, path)[0]:
            if name in changed and (top / name).is_file():
                found.append((path, name))
                changed.discard(name)
    return found


def _prefix(top: Path, root: Path) -> str:
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    return "" if prefix == "." else f"{prefix}/"


def _read(data: bytes, name: str) -> Release | None:
    try:
        return parse_release(Path(name), data).release
    except InvalidRelease:
        return None


def _at_head(top: Path, path: str) -> Release | None:
    result = git.run(top, "show", f"HEAD:{path}", check=False)
    return _read(result.stdout.encode("utf-8"), path) if result.returncode == 0 else None


def _verb(step: HistoryEntry, before: Status | None) -> str:
    kind = getattr(step, "kind", "")
    if kind:
        return "correct" if kind == "correction" else "minor edit"
    if before is not None and step.status is before:
        return "note"
    return VERBS.get(step.status, str(step.status))


def describe(top: Path, change: Change) -> str:
    """The commit message for one release's change: a subject naming the action and the id, and
    a line per workflow step."""
    stem = Path(change.path).stem
    if change.kind == "D":
        return f"prcli: delete {stem}"
    if change.kind == "R":
        return f"prcli: rename {Path(change.old_path).stem} to {stem}"
    current = _read((top / change.path).read_bytes(), change.path)
    if current is None:
        return f"prcli: update {stem} (the file does not read as a release)"
    if change.kind == "A":
        if current.translation_of:
            return (
                f"prcli: translate {current.translation_of} into {current.language}: {current.id}"
            )
        return f"prcli: new {current.id}" + (
            f" ({current.status})" if current.status is not Status.DRAFT else ""
        )
    before = _at_head(top, change.path)
    if before is None:
        return f"prcli: edit {current.id}"
    known = set(before.history)
    steps = [step for step in current.history if step not in known]
    actions: list[str] = []
    state: Status | None = before.status
    for step in steps:
        actions.append(_verb(step, state))
        state = step.status
    names = sorted({step.by for step in steps if step.by})
    content_changed = any(
        getattr(before, name) != getattr(current, name)
        for name in Release.__dataclass_fields__
        if name not in _BOOKKEEPING
    )
    if content_changed:
        actions.insert(0, "edit")
    if before.publish_at != current.publish_at and current.publish_at is not None:
        actions.append(f"schedule for {current.publish_at.isoformat()}")
    if not actions:
        actions.append("update")
    subject = f"prcli: {', '.join(dict.fromkeys(actions))} {current.id}"
    if names:
        subject += f" ({', '.join(names)})"
    lines = [
        f"- {step.status} at {step.at.isoformat()}"
        + (f" by {step.by}" if step.by else "")
        + (f": {step.note}" if step.note else "")
        for step in steps
    ]
    return subject + ("\n\n" + "\n".join(lines) if lines else "")


def _with_attached(top: Path, root: Path, release_paths: Sequence[str]) -> list[str]:
    """The release files and their changed attached files, the latter staged."""
    extra: list[str] = []
    for path in release_paths:
        extra += changed_attached_files(top, root, path)
    extra = list(dict.fromkeys(extra))
    if extra:
        git.run(top, "add", "-A", "--", *extra)
    return [*release_paths, *extra]


def commit_paths(top: Path, paths: Iterable[str], root: Path | None = None) -> list[str]:
    """Commit each release file in `paths` (relative to `top`) on its own, with the files it
    attaches (found from `root`, prcli's repository folder; default `top`); renames as one.
    Returns the subjects of the commits made."""
    root = root or top
    wanted = sorted(set(paths))
    subjects = []
    changes = staged_changes(top, wanted)
    added = [change for change in changes if change.kind == "A"]
    if len(added) > BATCH:  # an import: one commit, not hundreds
        ids = [Path(change.path).stem for change in added]
        message = f"prcli: new {len(ids)} releases\n\n" + "\n".join(ids)
        files = _with_attached(top, root, [c.path for c in added])
        git.run(top, "commit", "-q", "--no-verify", "-m", message, "--", *files)
        subjects.append(message.splitlines()[0])
        changes = [change for change in changes if change.kind != "A"]
    companions = _translation_sources(top, changes)
    paired = {source.path for source in companions.values()}
    for change in changes:
        if change.path in paired:
            continue  # committed with its new translation
        message = describe(top, change)
        files = [change.path] + ([change.old_path] if change.old_path else [])
        if change.path in companions:
            files.append(companions[change.path].path)
        files = _with_attached(top, root, files)
        git.run(top, "commit", "-q", "--no-verify", "-m", message, "--", *files)
        subjects.append(message.splitlines()[0])
    return subjects


def _translation_sources(top: Path, changes: Sequence[Change]) -> dict[str, Change]:
    """New translation's path -> the change of its source release (which `translate` updates with
    the shared translation_key): one commit for the one action."""
    modified = {Path(change.path).stem: change for change in changes if change.kind == "M"}
    pairs: dict[str, Change] = {}
    for change in changes:
        if change.kind != "A" or not modified:
            continue
        release = _read((top / change.path).read_bytes(), change.path)
        if release is not None and release.translation_of in modified:
            pairs[change.path] = modified.pop(release.translation_of)
    return pairs


def commit_pending(root: Path, releases_folder: str) -> list[str]:
    """Commit every changed release file, and the merge driver's line in .gitattributes."""
    top = git.toplevel(root)
    subjects = commit_paths(top, pending_release_paths(top, root, releases_folder), root)
    for release, name in _stray_attached(top, root, releases_folder):
        git.run(top, "add", "-A", "--", name)
        subject = f"prcli: attached file of {Path(release).stem}"
        git.run(top, "commit", "-q", "--no-verify", "-m", f"{subject}\n\n{name}", "--", name)
        subjects.append(subject)
    attributes = root / ".gitattributes"
    relative = attributes.resolve().relative_to(top.resolve()).as_posix()
    if (
        attributes.exists()
        and install.attribute_line(releases_folder) in attributes.read_text(encoding="utf-8")
        and git.changed_paths(top, [relative])
    ):
        git.run(top, "add", "--", relative)
        subject = "prcli: merge driver for release files in .gitattributes"
        git.run(top, "commit", "-q", "--no-verify", "-m", subject, "--", relative)
        subjects.append(subject)
    return subjects


def commit_written(root: Path, written: Iterable[Path]) -> list[str]:
    """`[git] autocommit`: commit the release files one command wrote."""
    top = git.toplevel(root)
    base = top.resolve()
    relative = []
    for path in written:
        try:
            relative.append(path.resolve().relative_to(base).as_posix())
        except ValueError:
            continue
    return commit_paths(top, relative, root)
