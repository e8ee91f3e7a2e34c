"""The public notices of a release in its own language: the retraction notice and the "Updated
<date>: <note>" lines of its corrections. Dates come from CLDR through babel.

English, Azerbaijani and Russian are shipped; another language gets the English words with its own
CLDR date (or English dates when babel does not know it). Every public output (pages, feeds, ninjs,
`show`) takes its wording from here, and its facts from prcli.publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prcli.publication import PublicState

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "retracted_heading": "This release has been retracted",
        "retracted_on": "Retracted on {date}: {reason}",
        "retracted": "Retracted",
        "retracted_mark": "[Retracted]",
        "updated_on": "Updated {date}: {note}",
        "original_follows": "The original text follows for the record.",
    },
    "az": {
        "retracted_heading": "Bu press-reliz geri götürülüb",
        "retracted_on": "{date} tarixində geri götürülüb: {reason}",
        "retracted": "Geri götürülüb",
        "retracted_mark": "[Geri götürülüb]",
        "updated_on": "{date} tarixində yenilənib: {note}",
        "original_follows": "İlkin mətn qeyd üçün aşağıda saxlanılır.",
    },
    "ru": {
        "retracted_heading": "Этот пресс-релиз отозван",
        "retracted_on": "Отозван {date}: {reason}",
        "retracted": "Отозван",
        "retracted_mark": "[Отозван]",
        "updated_on": "Обновлено {date}: {note}",
        "original_follows": "Первоначальный текст сохранён ниже для справки.",
    },
}


def words(language: str) -> dict[str, str]:
    return WORDS.get(language.split("-", 1)[0].lower(), WORDS["en"])


def long_date(day: dt.date, language: str) -> str:
    """'28 November 2026', '28 noyabr 2026', '28 ноября 2026 г.' from CLDR (day first)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    tag = language.replace("-", "_")
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        tag = "en"
    return str(format_date(day, "d MMMM y", locale=tag))


@dataclass(frozen=True, slots=True)
class Notices:
    """What a reader is told above the text of a release, already in its language."""

    retracted_heading: str = ""  # "" when not retracted
    retracted_line: str = ""  # "Retracted on 28 November 2026: <reason>"
    original_follows: str = ""
    updates: tuple[str, ...] = ()  # "Updated 27 November 2026: <note>", oldest first
    mark: str = ""  # "[Retracted]" for listings


def notices(state: PublicState, language: str) -> Notices:
    said = words(language)
    updates = tuple(
        said["updated_on"].format(date=long_date(n.at.date(), language), note=n.note)
        for n in state.notes
    )
    notice = state.retraction
    if notice is None:
        return Notices(updates=updates)
    when = long_date(notice.at.date(), language) if notice.at else ""
    line = (
        said["retracted_on"].format(date=when, reason=notice.reason)
        if when
        else f"{said['retracted']}: {notice.reason}"
    )
    return Notices(
        retracted_heading=said["retracted_heading"],
        retracted_line=line,
        original_follows=said["original_follows"],
        updates=updates,
        mark=said["retracted_mark"],
    )
