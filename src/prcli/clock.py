"""The current time, pinned by `--now` or PRCLI_NOW for dry runs and tests."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo

from prcli.errors import InvalidValue

NOW_VARIABLE = "PRCLI_NOW"


def parse_now(text: str, tz: tzinfo) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue(
            f"cannot read the time '{text}'", hint="write it as 2026-05-01T09:00:00+04:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def now(tz: tzinfo, pinned: str | None = None) -> datetime:
    """Now in `tz`, to the second. `pinned` (or PRCLI_NOW) replaces the system clock."""
    text = pinned if pinned is not None else os.environ.get(NOW_VARIABLE)
    if text:
        return parse_now(text, tz).astimezone(tz)
    return datetime.now(tz).replace(microsecond=0)
