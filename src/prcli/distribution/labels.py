"""Words of wire copy and e-mail in each language, and dates through CLDR (babel).

English, Azerbaijani and Russian are shipped; another language falls back to English words with its
own CLDR date format.
"""

from __future__ import annotations

import datetime as dt

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "immediate": "FOR IMMEDIATE RELEASE",
        "embargoed": "EMBARGOED UNTIL {time}",
        "embargo_notice": "Embargoed until {time}. Not for publication or broadcast before then.",
        "embargo_subject": "EMBARGOED until {time}",
        "updated": "Updated",
        "links": "Links",
        "online": "Read online",
        "unsubscribe": "Unsubscribe",
        "test": "TEST",
    },
    "az": {
        "immediate": "DƏRHAL YAYIMLANMAQ ÜÇÜN",
        "embargoed": "EMBARQO: {time} QƏDƏR YAYIMLAMAYIN",
        "embargo_notice": "Embarqo {time} qədər. Bu vaxtadək dərc edilməməli və yayımlanmamalıdır.",
        "embargo_subject": "EMBARQO {time} qədər",
        "updated": "Yeniləndi",
        "links": "Keçidlər",
        "online": "Saytda oxuyun",
        "unsubscribe": "Abunəlikdən çıxmaq",
        "test": "SINAQ",
    },
    "ru": {
        "immediate": "ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ",
        "embargoed": "ЭМБАРГО: НЕ ПУБЛИКОВАТЬ ДО {time}",
        "embargo_notice": "Эмбарго до {time}. Не для публикации и эфира до этого времени.",
        "embargo_subject": "ЭМБАРГО до {time}",
        "updated": "Обновлено",
        "links": "Ссылки",
        "online": "Читать на сайте",
        "unsubscribe": "Отписаться",
        "test": "ТЕСТ",
    },
}


def label(language: str, key: str, **values: str) -> str:
    base = language.split("-", 1)[0].lower()
    words = LABELS.get(base, LABELS["en"])
    return words.get(key, LABELS["en"][key]).format(**values)


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
