"""How a merge conflict is kept inside a release file, so nothing is lost and the file still reads.

A field both copies changed differently keeps our value and gets an entry under `merge_conflicts`:

    merge_conflicts:
      - field: "title"
        ours: "CIS security chiefs meet in Moscow"
        theirs: "Security chiefs of the CIS meet in Moscow"
        note: "both copies changed this field differently; ..."

`prcli validate` reports each entry (PR601) and `publish` refuses the release until a person sets
the value they want and deletes the entry (`prcli edit`). Text conflicts in the body are git's
usual <<<<<<< ======= >>>>>>> blocks (PR602).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from prcli.model import Release

CONFLICTS_KEY = "merge_conflicts"
# The three marker lines of a text conflict, in order (git's default marker size).
MARKERS = re.compile(r"^<{7}(?: .*)?$.*?^={7}$.*?^>{7}(?: .*)?$", re.MULTILINE | re.DOTALL)


def conflicts_of(release: Release) -> list[Mapping[str, Any]]:
    value = release.unknown.get(CONFLICTS_KEY)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item if isinstance(item, Mapping) else {"field": str(item)} for item in items]


def marker_offsets(text: str) -> list[int]:
    """Where each <<<<<<< ... >>>>>>> block starts in `text`."""
    return [match.start() for match in MARKERS.finditer(text)]


def describe(value: Any) -> str:
    """A conflict value in one short line."""
    if value is None:
        return "(not set)"
    text = str(value) if not isinstance(value, list) else ", ".join(str(v) for v in value)
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
