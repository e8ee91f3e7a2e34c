"""Writing a folder of exported files that prcli can reconcile on the next run.

Every export into a folder (html pages, markdown copies, ninjs documents, the newsroom site, e-mail
and wire folders) goes through `write_folder`. It keeps a manifest, `.prcli-manifest`, listing
each file prcli wrote with its SHA-256. The next export into the same folder:

- rewrites the files it produces again (only those whose bytes changed are touched);
- removes the files it wrote before and no longer produces (a release retracted into a notice keeps
  its page; one archived or unpublished loses it), but only when the file still holds exactly what
  prcli wrote: a file edited by hand since is kept, and said so;
- never touches a file the manifest does not list ("foreign"): it is kept and reported. Writing over
  a foreign file of the same name needs `force=True`.

An incremental exporter (the newsroom site) may give `None` instead of the bytes of a file it
knows to be unchanged since the last run and still listed: the file is kept as it is, unread. It
may also give `Staged(path)` for a file another program or process wrote into the folder's
staging folder (`staging(folder)`: one per process, never listed, removed at the end of the run, or
by a later run once its process is gone): the file is moved into place with a rename, not copied
(keeping the mode of the file it replaces). A writer that gives the staged file's SHA-256 and size
spares this process reading it back (the site's render workers write their pages so).

The manifest also records the selection the export was made from ("" = every release the format
takes; else the filters, e.g. "--language az"). A filtered export never removes what it did not
select: `check_selection` refuses a filtered export into a folder whose manifest came from a
different selection (a full site would lose its other languages' pages), before anything is read or
written. An export of every release may go anywhere, and records "" again.

A manifest that is missing, unreadable or edited by hand (its own checksum no longer matches) is not
trusted: nothing is removed, and a new manifest is built from what this run writes. The manifest is
written before the files (listing old and new) and again after, so a crash at any moment leaves
every file prcli wrote listed.

One export at a time per folder (`locked`): the manifest, the staging folders, the files and the
site's render cache are read and written by one process, start to end. The lock is an flock on the
folder itself (nothing is added to it, and it dies with its process); a second export waits for the
first to finish (up to LOCK_TIMEOUT), then does its work on the folder as the first left it. A file
system that cannot lock a folder (NFS) gets a lock file, `.prcli-lock`, which the writer never lists
and removes at the end. Once the files begin to be moved into place, Ctrl-C waits for the folder to
be whole again (`prcli.interrupts.deferred`): an export stops before it writes, or after.
A folder that cannot be written into is named as the user gave it (`unwritable`), never by the
staging folder or manifest the failure met first.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from prcli.atomicfile import write_atomic
from prcli.errors import PrcliError, StorageError

MANIFEST = ".prcli-manifest"
LOCK_FILE = ".prcli-lock"  # only where a folder cannot be locked itself (see `locked`)
LOCK_TIMEOUT = 600.0  # seconds an export waits for another one into the same folder
FORMAT = "prcli-folder-manifest/1"
_STAGING = re.compile(r"\.prcli-staging\.(\d+)\.tmp")  # files made by other programs (Staged)


class FolderConflict(PrcliError):
    """The export would overwrite files prcli did not write."""

    def __init__(self, message: str, *, hint: str = "", names: list[str] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.names = names or []


@dataclass
class FolderReport:
    written: list[str] = field(default_factory=list)  # created or changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # prcli's own files no longer produced
    kept_edited: list[str] = field(default_factory=list)  # ours, but changed by hand: kept
    foreign: list[str] = field(default_factory=list)  # not written by prcli: kept
    replaced_foreign: list[str] = field(default_factory=list)  # foreign, overwritten (force)
    manifest_rebuilt: str = ""  # why the old manifest was not trusted ("" when it was)


@dataclass(frozen=True, slots=True)
class Staged:
    """A file written into the folder's staging folder, to be moved to its name by a rename;
    `digest` (SHA-256, hex) and `size` when the writer knows them ("" and -1: read here)."""

    path: Path
    digest: str = ""
    size: int = -1


class FolderBusy(PrcliError):
    """Another export into the same folder ran for longer than this one would wait."""


_HELD: set[Path] = set()  # the folders this process holds the lock of (`locked` is re-entrant)
# flock on a folder fails with these where the file system emulates it by record locks (NFS).
_NO_FOLDER_LOCK = {errno.EBADF, errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}


@contextmanager
def locked(
    folder: Path, *, waiting: Callable[[], None] = lambda: None, timeout: float | None = None
) -> Iterator[None]:
    """Hold the export lock of `folder` (created when missing; removed again at the end when
    this left it empty). Another process holding it: `waiting()` is called, and the wait lasts up
    to `timeout` (default LOCK_TIMEOUT) seconds before FolderBusy. Held already by this process:
    nothing more to do. A wait that gives up or is interrupted (Ctrl-C, SIGTERM) removes the
    folders it found missing, when they are empty and no other export holds them."""
    from prcli import filelock

    place = folder.resolve()
    if place in _HELD:
        yield
        return
    limit = LOCK_TIMEOUT if timeout is None else timeout
    # Made by prcli: missing when this began, or made here (again: a holder that made the folder
    # removes it when it leaves it empty, and this one makes it again to lock it).
    created = [path for path in (place, *place.parents) if not path.exists()]
    made: list[Path] = []

    def busy() -> PrcliError:
        return FolderBusy(
            f"another prcli export into {folder}/ has been running for more than "
            f"{wait_span(limit)}",
            hint=f"wait for it to end and export again, or export into another folder than "
            f"{folder}/",
        )

    lock_file: Path | None = None
    try:
        try:
            fd = filelock.acquire(
                lambda: _open_folder(place, folder, made), place, limit, busy, waiting
            )
        except OSError as error:
            if error.errno not in _NO_FOLDER_LOCK:
                raise _not_locked(folder, error) from None
            lock_file = place / LOCK_FILE
            fd = filelock.acquire(
                lambda: _open_lock_file(place, folder, made), lock_file, limit, busy, waiting
            )
    except BaseException:  # gave up, interrupted, failed: what this made is not left behind
        _remove_unused(place, lock_file, [*created, *made])
        raise
    _HELD.add(place)
    try:
        yield
    except OSError as error:
        if error.errno is None or not _internal(place, error.filename):
            raise
        raise unwritable(folder, error.errno) from None
    except StorageError as error:
        if error.errno is None or not _internal(place, error.path):
            raise
        raise unwritable(folder, error.errno) from None
    finally:
        _HELD.discard(place)
        try:
            # While still holding it: a process waiting for it then finds that the folder (or the
            # lock file) it opened is gone, and opens the one there now.
            if lock_file is not None:
                with contextlib.suppress(OSError):
                    lock_file.unlink()
            _remove_empty([*created, *made])  # made by prcli and still empty: as it was
        finally:
            os.close(fd)  # releases the lock


def _remove_empty(paths: list[Path]) -> None:
    """Remove the empty folders among `paths`, deepest first (a folder with files stays)."""
    for path in sorted(set(paths), key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir()


def _remove_unused(place: Path, lock_file: Path | None, created: list[Path]) -> None:
    """After a wait for `place` that did not end with its lock: remove the folders in `created`
    (made by prcli) that are empty, but only while no other export holds `place` (its lock, or
    its lock file where the folder cannot be locked, taken here without waiting): one that does
    is working in the folder, and removes what it made itself."""
    import fcntl

    if not created:
        return
    try:
        fd = os.open(lock_file if lock_file is not None else place, os.O_RDONLY)
    except OSError:  # gone already (or never made): only its parents may be left
        _remove_empty([path for path in created if path != place])
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        from prcli.filelock import names

        if not names(lock_file if lock_file is not None else place, fd):
            return  # replaced meanwhile: another export's folder now
        if lock_file is not None:
            lock_file.unlink()
        _remove_empty(created)
    except OSError:  # held by another export (or not lockable): theirs to tidy
        return
    finally:
        os.close(fd)  # after the removal, as `locked` does


def wait_span(seconds: float) -> str:
    """How long an export waits, in words: "10 minutes", "2 seconds"."""
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def _open_folder(place: Path, folder: Path, made: list[Path]) -> int:
    try:
        _make(place, made)
        return os.open(place, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise _not_locked(folder, error) from None


def _open_lock_file(place: Path, folder: Path, made: list[Path]) -> int:
    try:
        _make(place, made)
        return os.open(place / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as error:
        raise _not_locked(folder, error) from None


def _make(place: Path, made: list[Path]) -> None:
    """Make `place` and its missing parents; those this call made (not another process meanwhile)
    are added to `made`."""
    if place.is_dir():
        return
    for path in reversed([place, *place.parents]):
        if path.is_dir():
            continue
        try:
            path.mkdir()
        except FileExistsError:
            continue
        made.append(path)


def _not_locked(folder: Path, error: OSError) -> PrcliError:
    from prcli.errors import storage_error

    return storage_error(folder, error, "create and lock the export folder")


def _internal(place: Path, name: object) -> bool:
    """Whether `name` is the export folder `place` itself or one of prcli's own files in it (the
    manifest, the lock file, a staging folder and what is in it): names a user never chose."""
    if not isinstance(name, str | os.PathLike):
        return False
    try:
        parts = Path(os.path.realpath(name)).relative_to(place).parts
    except ValueError:
        return False
    return not parts or parts[0] in (MANIFEST, LOCK_FILE) or bool(_STAGING.fullmatch(parts[0]))


def unwritable(folder: Path, number: int) -> StorageError:
    """The export folder cannot be written into: named as the user gave it, with what to do, rather
    than the internal file (staging folder, manifest) the failure met first."""
    reason = os.strerror(number)
    reason = reason[:1].lower() + reason[1:]
    if number in (errno.EACCES, errno.EPERM):
        hint = (
            f"export into another folder (-o), or make {folder} writable for you "
            f"(chmod u+w {folder}"
            + (f"; chattr -i {folder} if it is immutable" if number == errno.EPERM else "")
            + ")"
        )
    elif number == errno.EROFS:
        hint = "the file system is read-only: export into a folder elsewhere (-o)"
    elif number in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some disk space (or raise the quota), or export into a folder elsewhere (-o)"
    else:
        hint = f"check {folder} and the disk, or export into another folder (-o)"
    return StorageError(folder, f"cannot write into {folder}: {reason}", hint=hint, errno=number)


def staging(folder: Path) -> Path:
    """This process's staging folder inside `folder` (created by whoever writes there first)."""
    return folder / f".prcli-staging.{os.getpid()}.tmp"


def clear_stale_staging(folder: Path) -> None:
    """Remove staging folders left by runs whose process is gone (killed half-way)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _STAGING.fullmatch(entry.name)
        if found is None or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(found.group(1))
        if pid != os.getpid():
            try:
                os.kill(pid, 0)
                continue  # another export is writing into this folder now
            except ProcessLookupError:
                pass
            except OSError:
                continue
        shutil.rmtree(entry.path, ignore_errors=True)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_name(name: str) -> str:
    """A relative POSIX path inside the folder; raises on anything that could leave it."""
    if (
        name
        and name != MANIFEST
        and "\\" not in name
        and "\x00" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    ):
        return name  # already plain: what PurePosixPath would give back (a site has thousands)
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
        or name == MANIFEST
        or "\x00" in name
    ):
        raise PrcliError(f"refusing to write '{name}': not a plain relative path in the folder")
    return str(path)


def read_manifest(folder: Path) -> tuple[dict[str, str], str]:
    """The files listed by the folder's manifest (name -> sha256) and, when it cannot be trusted,
    why ('' when it is trusted or simply absent with an empty folder)."""
    files, distrust, _ = _read(folder)
    return files, distrust


def check_selection(folder: Path, selection: str) -> None:
    """Refuse a filtered export (`selection` not "") into a folder whose trusted manifest lists
    files exported from another selection: this export would remove them."""
    if not selection or not folder.is_dir():
        return
    files, distrust, before = _read(folder)
    if distrust or not files or before == selection:
        return
    raise FolderConflict(
        f"{folder} holds {len(files)} file(s) exported from "
        f"{'every release' if not before else 'another selection (' + before + ')'}; "
        f"exporting only {selection} there would remove the others",
        hint=f"export the selection into a folder of its own (e.g. -o {folder.name}-part), or "
        "without filters; to replace the folder with the selection, delete it first",
    )


def _read(folder: Path) -> tuple[dict[str, str], str, str]:
    path = folder / MANIFEST
    if not path.exists():
        return {}, "no manifest" if _has_files(folder) else "", ""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, "the manifest does not read", ""
    # An export reads its folder's manifest up to three times (the command, the render cache, the
    # writer): the files of the last trusted one are kept while its bytes are the same.
    stamp = (str(path.resolve()), hashlib.blake2b(raw, digest_size=16).digest())
    if _LAST_READ and _LAST_READ[0] == stamp:
        return dict(_LAST_READ[1]), "", _LAST_READ[2]
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}, "the manifest does not read", ""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, "the manifest is not prcli's", ""
    files = data.get("files")
    selection = data.get("selection", "")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return {}, "the manifest does not read", ""
    if not isinstance(selection, str) or data.get("checksum") != _checksum(files, selection):
        return {}, "the manifest was edited by hand", ""
    try:
        clean = {check_name(name): value for name, value in files.items()}
    except PrcliError:
        return {}, "the manifest names a path outside the folder", ""
    _LAST_READ[:] = [stamp, clean, selection]
    return dict(clean), "", selection


_LAST_READ: list[Any] = []  # [stamp, files, selection] of the last trusted manifest read


def write_folder(
    folder: Path,
    files: Iterable[tuple[str, bytes | Staged | None]],
    *,
    force: bool = False,
    durable: bool = True,
    selection: str = "",
) -> FolderReport:
    """Write `files` (relative name, bytes) into `folder` and reconcile it with its manifest.

    `None` for the bytes keeps a file prcli wrote before (it must be listed in a trusted manifest);
    `Staged` moves a file from the folder's staging folder; `durable=False` writes without fsync
    (see `write_atomic`); `selection` is recorded in the manifest (`check_selection` runs
    again here, under the folder's lock). The staging folder is removed at the end, whatever
    happens. Holds the folder's lock (`locked`) throughout; from the first file put in place to
    the manifest, Ctrl-C waits for the folder to be whole (then `interrupts.Held` is raised).
    """
    from prcli.interrupts import deferred

    with locked(folder):
        try:
            check_selection(folder, selection)
            listed = list(files)  # made (an exporter's generator runs) while Ctrl-C stops it
            with deferred():  # checked and put in place: Ctrl-C lets the folder become whole
                return _write_folder(
                    folder, listed, force=force, durable=durable, selection=selection
                )
        finally:
            shutil.rmtree(staging(folder), ignore_errors=True)
            clear_stale_staging(folder)


def _write_folder(
    folder: Path,
    files: Iterable[tuple[str, bytes | Staged | None]],
    *,
    force: bool,
    durable: bool,
    selection: str,
) -> FolderReport:
    folder.mkdir(parents=True, exist_ok=True)
    report = FolderReport()
    old, distrust, before = _read(folder)
    report.manifest_rebuilt = distrust
    produced: dict[str, bytes] = {}
    staged: dict[str, Staged] = {}
    kept: dict[str, str] = {}
    for name, data in files:
        name = check_name(name)
        if data is None:
            if name not in old:
                raise ValueError(f"{name}: only a file listed in the manifest can be kept")
            kept[name] = old[name]
            report.unchanged.append(name)
        elif isinstance(data, Staged):
            if not data.path.is_relative_to(staging(folder)):
                raise ValueError(f"{data.path}: a staged file must be in {staging(folder)}")
            if not data.digest or data.size < 0:
                content = data.path.read_bytes()
                data = Staged(data.path, digest(content), len(content))
            staged[name] = data
        else:
            produced[name] = data
    new = {name: digest(data) for name, data in produced.items()}
    new.update((name, data.digest) for name, data in staged.items())
    new.update(kept)

    existing = _listing(folder)
    foreign_targets = sorted(
        name
        for name in [*produced, *staged]
        if name in existing
        and name not in old
        and digest((folder / name).read_bytes()) != new[name]
    )
    if foreign_targets and not force:
        shown = ", ".join(foreign_targets[:5]) + (" ..." if len(foreign_targets) > 5 else "")
        raise FolderConflict(
            f"{folder} holds {len(foreign_targets)} file(s) prcli did not write that this export "
            f"would replace: {shown}",
            hint="move them away, or pass --force to replace them (other files are never touched)",
            names=foreign_targets,
        )
    report.replaced_foreign = foreign_targets

    # Before touching anything: list old and new, so a crash leaves no file of ours unlisted.
    # A trusted manifest that already lists them all as they will be (and the same selection) is
    # not written again (a re-export of an unchanged 17,500-file site: two JSON documents of 2 MB
    # less).
    both = {**old, **new}
    same = not distrust and before == selection and (folder / MANIFEST).is_file()
    on_disk = old if same else None
    if both != on_disk:
        _save_manifest(folder, both, selection)
        on_disk = both
    places = _Places(folder)
    for name, data in produced.items():
        target = folder / name
        if name in existing and _same(target, data):
            report.unchanged.append(name)
            continue
        places.check(target)
        write_atomic(target, data, durable=durable)
        report.written.append(name)
    for name, file in staged.items():
        target = folder / name
        exists = name in existing
        if exists and _same_digest(target, file):
            report.unchanged.append(name)
            continue
        places.check(target)
        if exists:  # as write_atomic does: the new file keeps the mode of the one it replaces
            with contextlib.suppress(OSError):
                os.chmod(file.path, os.stat(target).st_mode & 0o7777)
        os.replace(file.path, target)
        report.written.append(name)
    for name in sorted(set(old) - set(new)):
        target = folder / name
        if not target.is_file():
            continue
        if digest(target.read_bytes()) != old[name]:
            report.kept_edited.append(name)
            continue
        target.unlink()
        report.removed.append(name)
        _prune_empty(folder, target.parent)
    if new != on_disk:
        _save_manifest(folder, new, selection)
    # The folder as listed before, less what was removed: listing 17,000 files again costs more.
    left = set(report.kept_edited) | set(report.removed)
    report.foreign = sorted(name for name in existing if name not in new and name not in left)
    return report


def _checksum(files: dict[str, Any], selection: str = "") -> str:
    # The selection counts only when there is one: manifests written before it was kept still hold.
    covered: Any = {"files": files, "selection": selection} if selection else files
    canonical = json.dumps(covered, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return digest(canonical.encode("utf-8"))


def _save_manifest(folder: Path, files: dict[str, str], selection: str = "") -> None:
    ordered = dict(sorted(files.items()))
    data: dict[str, Any] = {
        "format": FORMAT,
        "note": "Files prcli wrote here, with their SHA-256. prcli removes only files listed here "
        "whose content is unchanged; do not edit (an edited manifest is rebuilt, nothing removed).",
        "files": ordered,
    }
    if selection:
        data["selection"] = selection
    data["checksum"] = _checksum(ordered, selection)
    write_atomic(
        folder / MANIFEST, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()
    )


def _listing(folder: Path) -> set[str]:
    """Every regular file below `folder` (relative POSIX names), without the manifest and
    leftover temporary files of atomic writes. Symbolic links are neither listed nor followed."""
    names: set[str] = set()
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not prefix and _STAGING.fullmatch(entry.name):
                    continue
                pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.is_file(follow_symlinks=False):
                name = f"{prefix}{entry.name}"
                if name in (MANIFEST, LOCK_FILE) or (
                    entry.name.startswith(".") and entry.name.endswith(".tmp")
                ):
                    continue
                names.add(name)
    return names


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        not _STAGING.fullmatch(p.name) and p.name != LOCK_FILE for p in folder.iterdir()
    )


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_digest(path: Path, file: Staged) -> bool:
    try:
        return (
            path.is_file()
            and path.stat().st_size == file.size
            and digest(path.read_bytes()) == file.digest
        )
    except OSError:
        return False


class _Places:
    """Checks that targets stay inside the folder and makes their folders, resolving and making
    each directory once (a site has thousands of files in a few folders). The file itself is
    replaced by a rename, which never follows a symbolic link of that name: only the folders on
    the way could lead outside."""

    def __init__(self, folder: Path) -> None:
        self.root = folder.resolve()
        self.checked: set[Path] = set()

    def check(self, target: Path) -> None:
        directory = target.parent
        if directory in self.checked:
            return
        if not directory.resolve().is_relative_to(self.root):
            raise PrcliError(f"refusing to write {target}: it leads outside {self.root}")
        directory.mkdir(parents=True, exist_ok=True)
        self.checked.add(directory)


def _prune_empty(folder: Path, directory: Path) -> None:
    """Remove folders left empty by a removal, up to (not including) the export folder."""
    root = folder.resolve()
    current = directory.resolve()
    while current != root and current.is_relative_to(root):
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
