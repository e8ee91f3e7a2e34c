"""The current time, pinned by `--now` or PRCLI_NOW for dry runs and tests."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, tzinfo

from prcli.errors import InvalidValue

NOW_VARIABLE = "PRCLI_NOW"


_TIME_ONLY = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


def parse_moment(text: str, tz: tzinfo, today: datetime) -> datetime:
    """Like parse_now, and a bare time of day ('15:00') means that time on `today`'s date."""
    text = text.strip()
    if _TIME_ONLY.fullmatch(text):
        text = f"{today.astimezone(tz).date().isoformat()}T{text.zfill(5)}"
    return parse_now(text, tz)


def has_offset(text: str) -> bool:
    """Whether a time as typed names its own offset (else the repository's timezone applies)."""
    try:
        return datetime.fromisoformat(text.strip()).tzinfo is not None
    except ValueError:
        return False


def parse_now(text: str, tz: tzinfo) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(
            f"cannot read the time '{text}'", hint="write it as 2026-05-01T09:00:00+04:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return in_range(moment, text, tz)


FIRST_YEAR, LAST_YEAR = 1000, 9000


def in_range(moment: datetime, shown: str, tz: tzinfo) -> datetime:
    """`moment`, when it lies where dates can be computed around it (a year either side, in any
    timezone); else InvalidValue. Year 1 at +14:00 or year 9999 at -12:00 would overflow later."""
    try:
        years = {moment.year, moment.astimezone(tz).year, moment.astimezone(UTC).year}
    except OverflowError:
        years = {0}
    if min(years) < FIRST_YEAR or max(years) > LAST_YEAR:
        raise InvalidValue(
            f"the time '{shown.strip()}' is outside the years {FIRST_YEAR}-{LAST_YEAR} "
            "prcli works with",
            hint="give a time in that range, e.g. 2026-05-01T09:00:00+04:00",
        )
    return moment


PINNED = "pinned"


def is_pinned(pinned: str | None = None) -> bool:
    """Whether `now` would come from --now / PRCLI_NOW instead of the system clock."""
    return bool(pinned if pinned is not None else os.environ.get(NOW_VARIABLE))


def now(tz: tzinfo, pinned: str | None = None) -> datetime:
    """Now in `tz`, to the second. `pinned` (or PRCLI_NOW) replaces the system clock."""
    text = pinned if pinned is not None else os.environ.get(NOW_VARIABLE)
    if text:
        return parse_now(text, tz).astimezone(tz)
    return datetime.now(tz).replace(microsecond=0)
