"""What an importer produces: candidate releases, before ids and duplicates are settled."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from prcli.config import Config
from prcli.errors import PrcliError
from prcli.model import Release, Status


class ImportError_(PrcliError):
    """One input that cannot become a release; the message says why."""


MAX_DEPTH = 64  # lists and objects inside each other; real records need fewer than 6
MAX_DIGITS = 100  # an integer longer than this is not a value a release has


def _refuse_constant(name: str) -> Any:
    raise ImportError_(
        f"{name} is not a JSON number", hint="write the value as text, or leave it out"
    )


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ImportError_(
            f"a number with {len(text.lstrip('-'))} digits", hint="write it as text (quoted)"
        )
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ImportError_(f"the number {text[:40]} is too large", hint="write it as text (quoted)")
    return value


def load_json(text: str) -> Any:
    """JSON as it must be to become a release: no NaN or Infinity (JSON has neither, and prcli's
    own JSON output must stay JSON), no integers of thousands of digits, no nesting deeper than
    MAX_DEPTH. Every problem is an ImportError_ with the line where json knows it."""
    import json

    try:
        data = json.loads(
            text, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_real
        )
    except json.JSONDecodeError as error:
        raise ImportError_(
            f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise ImportError_(f"JSON nested more than {MAX_DEPTH} levels deep") from None
    check_depth(data)
    return data


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse values nested deeper than `limit` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                raise ImportError_(f"nested more than {limit} levels deep")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


@dataclass(frozen=True, slots=True)
class ImportContext:
    settings: Config
    now: datetime
    status: Status | None = None  # --status: overrides what the source says
    actor: str = ""
    clock: str = ""  # "pinned" when `now` came from --now / PRCLI_NOW: marked in history steps


@dataclass(frozen=True, slots=True)
class Candidate:
    """A release read from a source. `release.id` may be empty: the importer makes one."""

    release: Release
    source_id: str = (
        ""  # the id the source gave it (ninjs uri, a record's id): matched on re-import
    )
    notes: tuple[str, ...] = field(default_factory=tuple)
    keep_id: bool = False  # prcli's own records keep their id


class Importer(Protocol):
    name: str

    def read(self, text: str, context: ImportContext) -> Sequence[Candidate | ImportError_]:
        """The releases in one input. A whole input that cannot be read raises ImportError_; one
        bad record among several is returned as its ImportError_, so the others still count."""
        ...
