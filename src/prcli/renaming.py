"""Give a release a new id: a new file under the new name, references in other releases updated,
then the old file removed. Used by `prcli rename` and by `prcli sync` when two copies of the
repository created the same id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prcli.atomicfile import write_atomic
from prcli.errors import InvalidValue, PrcliError
from prcli.ids import ID_PATTERN, check_id, with_suffix
from prcli.model import Release, Status
from prcli.repository import Entry, Repository

PUBLIC = (Status.PUBLISHED, Status.ARCHIVED, Status.RETRACTED)


@dataclass(frozen=True, slots=True)
class Renamed:
    old_id: str
    new_id: str
    old_path: Path
    new_path: Path
    references: tuple[Path, ...]  # other releases whose `related` or `translation_of` changed


def check_new_id(new_id: str) -> str:
    check_id(new_id, what="the new id")  # the one rule every id obeys
    if not ID_PATTERN.fullmatch(new_id):
        raise InvalidValue(
            f"'{new_id}' is not a release id",
            hint="ids look like 2026-11-27-lower-case-ascii-words",
        )
    return new_id


def rename(
    repository: Repository, path: Path, new_id: str | None = None, *, force: bool = False
) -> Renamed:
    """Rename the release in `path`. Without `new_id`, its id plus a short random suffix.
    The new file is created (never over another) before anything else changes."""
    with repository.locked(path.stem):
        return _rename(repository, path, new_id, force)


def _rename(repository: Repository, path: Path, new_id: str | None, force: bool) -> Renamed:
    entry = repository.read(path)
    release = entry.release
    if release.status in PUBLIC and not force:
        raise PrcliError(
            f"{release.id} is {release.status}: its id is part of its public address",
            hint="rename the other release of the pair, or pass --force if you mean it",
        )
    target = check_new_id(new_id) if new_id else with_suffix(path.stem)
    if new_id and not target.startswith(release.date.isoformat()):
        raise InvalidValue(
            f"'{target}' does not start with the release's date {release.date.isoformat()}",
            hint=f"ids start with the date: {release.date.isoformat()}-words",
        )
    renamed = release.replace(id=target)
    new_path = repository.path_for(renamed)
    if new_path.exists():
        raise PrcliError(
            f"{repository.display(new_path)} exists: the id {target} is taken",
            hint="choose another id",
        )
    new_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomic(
            new_path, repository.serialise(renamed, entry.format, new_path), exclusive=True
        )
    except FileExistsError:
        raise PrcliError(f"the id {target} was taken meanwhile", hint="choose another id") from None
    old_id = path.stem
    references = _update_references(repository, {old_id, release.id}, target, skip=new_path)
    path.unlink()
    repository.written.extend([new_path, path])
    return Renamed(old_id, target, path, new_path, tuple(references))


def _update_references(
    repository: Repository, old_ids: set[str], new_id: str, skip: Path
) -> list[Path]:
    changed: list[Path] = []
    for other in repository.load_all(bodies=False).entries:
        if other.path == skip:
            continue
        release = other.release
        if not (set(release.related) & old_ids or release.translation_of in old_ids):
            continue

        def change(current: Entry) -> Release:
            r = current.release
            return r.replace(
                related=tuple(new_id if item in old_ids else item for item in r.related),
                translation_of=new_id if r.translation_of in old_ids else r.translation_of,
            )

        _, saved = repository.update(other.path, change)
        if saved:
            changed.append(other.path)
    return changed
