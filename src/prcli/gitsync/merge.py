"""Three-way merge of two versions of a release file, as git's merge driver for release files.

Front matter is merged field by field with prcli's own reader and writer; the history is the union
of both sides ordered by time; `updated` is the later of the two; lists of words (tags, people,
places, related ...) merge as sets; the body is merged by `git merge-file`. The status is then
recomputed from the merged history under the workflow rules:

- both sides moved the release: their steps are replayed in time order from the common state; a
  step the workflow does not allow from where the release then stood is kept in the history, but
  the status becomes a conflict for a person to settle;
- one side approved while the other changed the text: the approval does not cover the merged text,
  so the release goes back to review with a history step saying why;
- one side published while the other changed the text: the published text is kept and the other
  change is kept as a conflict, so nothing unapproved goes public and nothing is lost.

A field both sides changed differently keeps our value and records both under `merge_conflicts`,
which `prcli validate` reports (PR601) and `prcli edit` removes once settled. A file that does not
read as a release is merged as plain text by git's own merge, so no text is ever lost.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prcli import codec, fileformat
from prcli.fileformat import FrontMatterFormat
from prcli.gitsync.conflicts import CONFLICTS_KEY
from prcli.model import Release, Status
from prcli.workflow import TRANSITIONS

MERGE_AUTHOR = "prcli merge"
MARKER_SIZE = 7
# Fields that make up the text a reviewer approves (plus the body).
CONTENT_FIELDS = (
    "title",
    "subtitle",
    "summary",
    "category",
    "language",
    "date",
    "embargo_until",
    "expires",
    "event_date",
    "dateline",
    "issuer",
    "people",
    "organisations",
    "places",
    "contacts",
    "attachments",
)
# Fields merged by their own rule rather than by "one side changed it".
_SPECIAL = frozenset({"history", "updated", "status", CONFLICTS_KEY})
_ABSENT: Any = object()


class Unreadable(Exception):
    """One of the three versions does not read as a release: merge the file as text instead."""


@dataclass(frozen=True, slots=True)
class Version:
    metadata: dict[str, Any]  # canonical front matter (codec.encode of the release)
    body: str
    release: Release
    format: FrontMatterFormat


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    conflicts: tuple[dict[str, Any], ...]  # new conflicts of this merge (field, ours, theirs, note)
    status_note: str = ""  # what the status recomputation did, when it did anything


def read_version(data: bytes) -> Version:
    try:
        document = fileformat.parse(fileformat.decode_bytes(data), codec.EXACT_TEXT_KEYS)
        release = codec.decode(document.metadata, document.body)
    except (fileformat.FormatError, codec.FieldError) as error:
        raise Unreadable(str(error)) from None
    return Version(codec.encode(release), release.body, release, document.format)


def merge_texts(base: bytes, ours: bytes, theirs: bytes, name: str = "release") -> Outcome:
    """The merged text of a release file; raises Unreadable when a side is not a release.

    An empty `base` (both sides added the file) merges against nothing: every field the two sides
    set differently is a conflict."""
    ours_v = read_version(ours)
    theirs_v = read_version(theirs)
    base_v = read_version(base) if base.strip() else None
    return merge_versions(base_v, ours_v, theirs_v, name)


def merge_versions(
    base: Version | None, ours: Version, theirs: Version, name: str = "release"
) -> Outcome:
    b = base.metadata if base else {}
    o, t = ours.metadata, theirs.metadata
    merged: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for key in _keys(o, t, b):
        if key in _SPECIAL:
            continue
        value = _merge_field(key, b.get(key, _ABSENT), o.get(key, _ABSENT), t.get(key, _ABSENT))
        if isinstance(value, _Conflict):
            conflicts.append(_conflict(key, value.ours, value.theirs))
            value = value.ours
        if value is not _ABSENT:
            merged[key] = value
    merged["history"] = merge_history(
        b.get("history", []), o.get("history", []), t.get("history", [])
    )
    updates = [v for v in (o.get("updated"), t.get("updated")) if isinstance(v, datetime)]
    if updates:
        merged["updated"] = max(updates)
    body, body_conflicts = merge_body(base.body if base else "", ours.body, theirs.body, name)
    if body_conflicts:
        conflicts.append(
            {
                "field": "body",
                "note": f"both copies changed the text in {body_conflicts} place(s); the body "
                "holds both versions between <<<<<<< and >>>>>>> lines",
            }
        )
    note, body = _settle(merged, body, b, ours, theirs, base, conflicts)
    if not merged["history"]:
        del merged["history"]
    # Conflicts carried by either side stay until someone settles them.
    carried = _union(_as_list(o.get(CONFLICTS_KEY)), _as_list(t.get(CONFLICTS_KEY)))
    all_conflicts = _union(carried, conflicts)
    ordered = _canonical(merged, body)
    if all_conflicts:
        ordered[CONFLICTS_KEY] = all_conflicts
    text = fileformat.render(ordered, body, ours.format)
    return Outcome(text, tuple(conflicts), note)


# -- fields ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Conflict:
    ours: Any
    theirs: Any


def _keys(*mappings: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(key for mapping in mappings for key in mapping))


def _merge_field(key: str, base: Any, ours: Any, theirs: Any) -> Any:
    if ours == theirs:
        return ours
    if base == ours:
        return theirs
    if base == theirs:
        return ours
    if codec.FIELDS.get(key) is codec.Kind.TEXT_LIST and all(
        isinstance(v, list) or v is _ABSENT for v in (base, ours, theirs)
    ):
        return merge_words(_or_empty(base), _or_empty(ours), _or_empty(theirs))
    return _Conflict(ours, theirs)


def _or_empty(value: Any) -> list[Any]:
    return [] if value is _ABSENT else list(value)


def merge_words(base: Sequence[Any], ours: Sequence[Any], theirs: Sequence[Any]) -> list[Any]:
    """Lists merged as sets: what either side removed is gone, what either side added is in."""
    removed = [item for item in base if item not in ours or item not in theirs]
    result: list[Any] = []
    for item in [*ours, *theirs]:
        if item not in removed and item not in result:
            result.append(item)
    return result


def _conflict(key: str, ours: Any, theirs: Any, note: str = "") -> dict[str, Any]:
    entry: dict[str, Any] = {"field": key}
    if ours is not _ABSENT and ours is not None:
        entry["ours"] = ours
    if theirs is not _ABSENT and theirs is not None:
        entry["theirs"] = theirs
    entry["note"] = note or (
        "both copies changed this field differently; ours is kept in the field. Set the value "
        "you want and delete this entry (prcli edit)"
    )
    return entry


def _identity(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else ([] if value is None else [value])


def _union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    seen: set[str] = set()
    result = []
    for item in [*first, *second]:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


# -- history -----------------------------------------------------------------------------------------


def merge_history(
    base: Sequence[Mapping[str, Any]],
    ours: Sequence[Mapping[str, Any]],
    theirs: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Every entry of either side, once: the common entries first, then the steps each side added,
    interleaved by time (each side's own order kept; equal times ordered the same way on every
    machine, whichever side is ours)."""
    ours_keys = {_identity(e) for e in ours}
    theirs_keys = {_identity(e) for e in theirs}
    base_keys = {_identity(e) for e in base}
    kept = [dict(e) for e in base if _identity(e) in ours_keys or _identity(e) in theirs_keys]
    new_ours = [dict(e) for e in ours if _identity(e) not in base_keys]
    ours_new_keys = {_identity(e) for e in new_ours}
    new_theirs = [
        dict(e)
        for e in theirs
        if _identity(e) not in base_keys and _identity(e) not in ours_new_keys
    ]
    return _dedupe(kept + _interleave(new_ours, new_theirs))


def _dedupe(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _union(entries, [])


def _order(entry: Mapping[str, Any]) -> tuple[Any, str]:
    at = entry.get("at")
    return (at.timestamp() if isinstance(at, datetime) else 0.0, _identity(entry))


def _interleave(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    i = j = 0
    while i < len(first) and j < len(second):
        if _order(first[i]) <= _order(second[j]):
            result.append(first[i])
            i += 1
        else:
            result.append(second[j])
            j += 1
    return result + first[i:] + second[j:]


# -- body --------------------------------------------------------------------------------------------


def merge_body(base: str, ours: str, theirs: str, name: str) -> tuple[str, int]:
    """The merged body and the number of conflicting hunks (git merge-file)."""
    if ours == theirs or base == theirs:
        return ours, 0
    if base == ours:
        return theirs, 0
    merged, conflicts = merge_file(
        _lines(ours), _lines(base), _lines(theirs), (f"ours:{name}", "base", f"theirs:{name}")
    )
    return merged.decode("utf-8").rstrip("\n"), conflicts


def _lines(text: str) -> bytes:
    return (text + "\n").encode("utf-8") if text else b""


def merge_file(
    ours: bytes, base: bytes, theirs: bytes, labels: tuple[str, str, str]
) -> tuple[bytes, int]:
    """git merge-file on three texts: (result, number of conflicts)."""
    with tempfile.TemporaryDirectory(prefix="prcli-merge-") as folder:
        paths = []
        for part, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / part
            path.write_bytes(data)
            paths.append(str(path))
        result = subprocess.run(
            [
                "git",
                "merge-file",
                "-p",
                f"--marker-size={MARKER_SIZE}",
                "-L",
                labels[0],
                "-L",
                labels[1],
                "-L",
                labels[2],
                *paths,
            ],
            capture_output=True,
            check=False,
        )
    if result.returncode < 0 or result.returncode > 127:
        raise OSError(f"git merge-file failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout, result.returncode


# -- status ------------------------------------------------------------------------------------------


def _settle(
    merged: dict[str, Any],
    body: str,
    b: Mapping[str, Any],
    ours: Version,
    theirs: Version,
    base: Version | None,
    conflicts: list[dict[str, Any]],
) -> tuple[str, str]:
    """Set `status` (and what depends on it) from the merged history. Returns a note when the
    merge changed the status or kept a side's text for the workflow's sake, and the body."""
    o, t = ours.metadata, theirs.metadata
    history: list[dict[str, Any]] = merged["history"]
    base_keys = {_identity(e) for e in b.get("history", [])}
    new_ours = [e for e in o.get("history", []) if _identity(e) not in base_keys]
    new_theirs = [e for e in t.get("history", []) if _identity(e) not in base_keys]
    note = ""
    if new_ours and new_theirs:
        start = _status(b.get("status")) if b else None
        state, skipped = replay(start, [e for e in history if _identity(e) not in base_keys])
        if skipped:
            moves = ", ".join(f"{e.get('status')} by {e.get('by') or 'someone'}" for e in skipped)
            conflicts.append(
                _conflict(
                    "status",
                    o.get("status"),
                    t.get("status"),
                    f"both copies moved the release; the workflow does not allow {moves} after "
                    f"the other steps, so the status stays {state}. Decide, then move it with "
                    "the workflow commands and delete this entry",
                )
            )
            note = f"status kept at {state}: conflicting workflow steps"
    else:
        value = _merge_field("status", b.get("status", _ABSENT), o["status"], t["status"])
        if isinstance(value, _Conflict):
            conflicts.append(_conflict("status", value.ours, value.theirs))
            value = value.ours
        state = _status(value) or Status.DRAFT
    state, extra, body = _check_approval(state, merged, body, b, ours, theirs, base, conflicts)
    note = note or extra
    last = _status(history[-1].get("status")) if history else None
    if history and last is not state:
        history.append(
            {
                "status": str(state),
                "at": _latest(history),
                "by": MERGE_AUTHOR,
                "note": note or f"status after merging two copies: {state}",
            }
        )
    merged["status"] = str(state)
    if state is not Status.APPROVED:
        merged.pop("publish_at", None)  # only an approved release can be scheduled
    return note, body


def _latest(history: Sequence[Mapping[str, Any]]) -> datetime:
    moments: list[datetime] = [e["at"] for e in history if isinstance(e.get("at"), datetime)]
    return max(moments, key=lambda moment: moment.timestamp())


def _status(value: Any) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


def replay(
    start: Status | None, steps: Sequence[Mapping[str, Any]]
) -> tuple[Status, list[Mapping[str, Any]]]:
    """Walk `steps` from `start` under the workflow's transitions: the status reached, and the
    steps that were not allowed from where the release stood (kept in the history regardless)."""
    state = start
    skipped: list[Mapping[str, Any]] = []
    for step in steps:
        target = _status(step.get("status"))
        if target is None:
            continue
        if state is None:
            state = target
        elif target is state:
            continue  # the same move made on both copies, or a note on the current status
        elif target in TRANSITIONS[state]:
            state = target
        else:
            skipped.append(step)
    return state or Status.DRAFT, skipped


def _content(metadata: Mapping[str, Any], body: str) -> list[Any]:
    return [metadata.get(key) for key in CONTENT_FIELDS] + [body]


def _check_approval(
    state: Status,
    merged: dict[str, Any],
    body: str,
    b: Mapping[str, Any],
    ours: Version,
    theirs: Version,
    base: Version | None,
    conflicts: list[dict[str, Any]],
) -> tuple[Status, str, str]:
    """An approval or publication made on one copy covers only the text that copy had.
    Returns the status, a note, and the body (the published one when publication wins)."""
    if state not in (Status.APPROVED, Status.PUBLISHED) or base is None:
        return state, "", body
    base_keys = {_identity(e) for e in b.get("history", [])}
    merged_content = _content(merged, body)
    for side, other, side_name in ((ours, theirs, "ours"), (theirs, ours, "theirs")):
        steps = [
            e
            for e in side.metadata.get("history", [])
            if _identity(e) not in base_keys and _status(e.get("status")) is state
        ]
        if not steps or _content(side.metadata, side.body) == merged_content:
            continue
        if _content(other.metadata, other.body) == _content(b, base.body):
            continue  # the other copy changed no text: nothing unapproved came in
        who = steps[-1].get("by") or "someone"
        if state is Status.APPROVED:
            return (
                Status.REVIEW,
                f"{who} approved it on one copy while another copy changed the text; "
                "the merged text is not approved: approve it again",
                body,
            )
        # Published: keep the published text, keep the other change as a conflict.
        for key in CONTENT_FIELDS:
            if merged.get(key) != side.metadata.get(key):
                kept, offered = side.metadata.get(key, _ABSENT), merged.get(key, _ABSENT)
                pair = (kept, offered) if side_name == "ours" else (offered, kept)
                conflicts.append(_conflict(key, *pair, _published_note(who)))
                if kept is _ABSENT:
                    merged.pop(key, None)
                else:
                    merged[key] = kept
        if body != side.body:
            pair_body = (side.body, body) if side_name == "ours" else (body, side.body)
            conflicts.append(_conflict("body", *pair_body, _published_note(who)))
            body = side.body
        return state, f"published by {who} on another copy: the published text is kept", body
    return state, "", body


def _published_note(who: str) -> str:
    return (
        f"{who} published the release on another copy while this was changed; the published "
        "text is kept. To publish the change, edit the release (a correction) and delete this entry"
    )


def _canonical(merged: dict[str, Any], body: str) -> dict[str, Any]:
    """Front matter in prcli's order (unknown keys after the known ones)."""
    ordered = {key: merged[key] for key in codec.FIELDS if key in merged}
    for key, value in merged.items():
        if key not in ordered:
            ordered[key] = value
    return ordered
