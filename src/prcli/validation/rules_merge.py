"""Teams: what a merge of two copies left for a person to settle."""

from __future__ import annotations

from collections.abc import Iterator

from prcli.gitsync.conflicts import conflicts_of, describe, marker_offsets
from prcli.repository import Entry
from prcli.validation.context import Context
from prcli.validation.registry import release_rule
from prcli.validation.types import Problem, Severity


@release_rule("PR601", "merge-conflict", Severity.ERROR, "No field is left in conflict by a merge.")
def merge_conflict(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Two copies of the repository changed the same field differently (for example both edited the
    title) and `prcli sync` (git's merge driver for releases) could not choose. The file keeps our
    value in the field and both values under `merge_conflicts`, so nothing is lost. The release
    cannot be published until a person decides: `prcli edit ID`, set the value you want, and delete
    the entry from `merge_conflicts`.
    """
    for conflict in conflicts_of(entry.release):
        field = str(conflict.get("field", "?"))
        if "ours" in conflict or "theirs" in conflict:
            detail = f": ours {describe(conflict.get('ours'))}, theirs {describe(conflict.get('theirs'))}"
        else:
            detail = f": {conflict.get('note', '')}" if conflict.get("note") else ""
        yield Problem(
            f"merge conflict in '{field}'{detail}",
            key="merge_conflicts",
            hint=f"prcli edit {entry.release.id}: keep the value you want in '{field}' and delete "
            "its merge_conflicts entry",
        )


@release_rule(
    "PR602",
    "conflict-markers",
    Severity.ERROR,
    "No <<<<<<< ======= >>>>>>> conflict blocks in the text.",
)
def conflict_markers(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Both copies changed the same lines of the text; git kept both versions between `<<<<<<<`,
    `=======` and `>>>>>>>` lines. Such a release must not go out: `prcli edit ID`, keep the wording
    you want and delete the marker lines.
    """
    body = entry.release.body
    if "<<<<<<<" not in body:  # a plain search is a hundred times cheaper than the pattern
        return
    for offset in marker_offsets(body):
        line = entry.body_line + body.count("\n", 0, offset) if entry.body_line else None
        yield Problem(
            "text conflict from a merge (<<<<<<< ... >>>>>>>)",
            line=line,
            hint=f"prcli edit {entry.release.id}: keep the wording you want, delete the marker lines",
        )
