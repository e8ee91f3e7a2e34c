"""Dates and times of wire copy and e-mail through CLDR (babel). The words are labels of
prcli.l10n (`src/prcli/l10n/labels/<lang>.toml`), shared with the newsroom site."""

from __future__ import annotations

import datetime as dt


def _locale(language: str) -> str:
    from babel import Locale, UnknownLocaleError

    tag = language.replace("-", "_")
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return "en"
    return tag


def long_date(day: dt.date, language: str) -> str:
    """'15 October 2021', '15 oktyabr 2021', '15 октября 2021' (CLDR month names, day first)."""
    from prcli.notices import long_date as cldr_long_date

    return cldr_long_date(day, language)


def long_moment(moment: dt.datetime, language: str) -> str:
    """A time with its zone: '1 December 2026, 09:00 (UTC+04:00)'."""
    from babel.dates import format_datetime

    text = str(
        format_datetime(moment, "d MMMM y, HH:mm", tzinfo=moment.tzinfo, locale=_locale(language))
    )
    offset = moment.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{text} ({zone})"
