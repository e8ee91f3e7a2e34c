"""text: the plain-text form agencies publish news pages in (as in shared/examples/seed-release.txt).

    Information of the Public Relations Department of the State Security Service   (header)
    Events 15 October 2021                                                         (category, date)
    [headline, before or after the date line; a time of day such as 14:35]
    body paragraphs, possibly hard-wrapped
    Other news                                                                     (cut here)

Month names come from the CLDR locale data (babel) of English, Azerbaijani, Russian and the
repository's languages, in every grammatical form CLDR lists, so "15 октября 2021",
"15 oktyabr 2021" and "15 October 2021" all read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from prcli.importers.base import Candidate, ImportContext, ImportError_
from prcli.model import HistoryEntry, Release, Status

TRAILERS = (
    "other news",
    "digər xəbərlər",
    "diger xeberler",
    "другие новости",
    "related news",
    "see also",
)
HEADER_WORDS = (
    "information",
    "department",
    "service",
    "press",
    "məlumat",
    "xidmət",
    "şöbə",
    "mətbuat",
    "информация",
    "служб",
    "управлени",
    "пресс",
)
# Category words of the sample categories in Azerbaijani and Russian; prcli.toml can add more under
# [import.categories] ("Tədbirlər" = "Events").
CATEGORY_ALIASES = {
    "tədbirlər": "Events",
    "события": "Events",
    "мероприятия": "Events",
    "rəsmi": "Official",
    "rəsmi xronika": "Official",
    "официально": "Official",
    "официальная хроника": "Official",
    "bəyanatlar": "Statements",
    "bəyanat": "Statements",
    "заявления": "Statements",
    "заявление": "Statements",
    "müsahibələr": "Interviews",
    "müsahibə": "Interviews",
    "интервью": "Interviews",
    "news": "Events",
    "xəbərlər": "Events",
    "новости": "Events",
}
_AZ_LETTERS = set("əğışöüçƏĞIŞÖÜÇ")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZА-ЯЁƏÇĞIİÖŞÜ0-9«\"“])")
MAX_TITLE = 120


@lru_cache(maxsize=8)
def month_names(locales: tuple[str, ...]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Every CLDR spelling of every month -> (month number, locales that spell it so)."""
    from babel.dates import get_month_names

    found: dict[str, tuple[int, set[str]]] = {}
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                try:
                    names = get_month_names(width, context, locale=locale)
                except (ValueError, LookupError):
                    continue
                for number, name in names.items():
                    key = name.casefold().rstrip(".")
                    found.setdefault(key, (number, set()))[1].add(locale)
    return {key: (month, tuple(sorted(where))) for key, (month, where) in found.items()}


@lru_cache(maxsize=8)
def _date_line(months: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    return re.compile(
        rf"^(?P<category>.*?)\s*(?P<day>\d{{1,2}})\s+(?P<month>{alternatives})\.?\s+(?P<year>\d{{4}})"
        r"(?:\s*(?:г\.|il)?\s*,?\s*(?P<time>\d{1,2}:\d{2}))?\s*$",
        re.IGNORECASE,
    )


class _Text:
    name = "text"

    def read(self, text: str, context: ImportContext) -> list[Candidate]:
        settings = context.settings
        locales = tuple(
            dict.fromkeys(("en", "az", "ru", *(tag.split("-")[0] for tag in settings.languages)))
        )
        months = month_names(locales)
        pattern = _date_line(tuple(months))
        lines = [line.strip() for line in text.split("\n")]
        position = None
        for number, line in enumerate(lines[:40]):
            if line and pattern.match(line):
                position = number
                break
        if position is None:
            raise ImportError_(
                "no category and date line (like 'Events 15 October 2021') near the top",
                hint="check that the file is a news page in English, Azerbaijani or Russian",
            )
        match = pattern.match(lines[position])
        assert match is not None
        month, month_locales = months[match["month"].casefold().rstrip(".")]
        try:
            day = date(int(match["year"]), month, int(match["day"]))
        except ValueError:
            raise ImportError_(
                f"the date line '{lines[position]}' names an impossible date"
            ) from None
        category_word = match["category"].strip(" -–—|:,")
        before = [line for line in lines[:position] if line]
        after = lines[position + 1 :]

        moment = _time(match["time"])
        headline = ""
        if before and (
            len(before) > 1 or not _looks_like_header(before[0], settings.default_issuer)
        ):
            headline = before[-1]
        paragraphs = _paragraphs(after)
        if paragraphs and moment is None and _TIME.fullmatch(paragraphs[0]):
            moment = _time(paragraphs.pop(0))
        if not headline and len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
            headline = paragraphs.pop(0)
        paragraphs = _cut_trailer(paragraphs)
        if not paragraphs:
            raise ImportError_("no text after the date line")
        notes: list[str] = []
        derived = not headline
        if derived:
            headline = _first_sentence(paragraphs[0])
            notes.append("no headline: the title was made from the first sentence; check it")
        language = _language(
            month_locales, category_word, headline, settings.languages, settings.default_language
        )
        category = _category(category_word, settings)
        tz = settings.timezone
        at = datetime.combine(day, moment or time(0, 0), tzinfo=tz)
        status = context.status or (Status.REVIEW if derived else Status.PUBLISHED)
        release = Release(
            id="",
            title=headline,
            status=status,
            category=category,
            language=language,
            date=day,
            issuer=settings.default_issuer,
            created=at,
            updated=context.now,
            history=(HistoryEntry(status, context.now, context.actor, "imported from text"),),
            body="\n\n".join(paragraphs),
        )
        return [Candidate(release, notes=tuple(notes))]


def _time(text: str | None) -> time | None:
    if not text:
        return None
    found = _TIME.fullmatch(text.strip())
    if not found or int(found[1]) > 23 or int(found[2]) > 59:
        return None
    return time(int(found[1]), int(found[2]))


def _looks_like_header(line: str, issuer: str) -> bool:
    if re.fullmatch(r"[A-ZА-ЯƏÇĞİÖŞÜ]{2,10}", line.strip()):  # an acronym: DTX, ФСБ, SSS
        return True
    folded = line.casefold()
    if any(word in folded for word in HEADER_WORDS):
        return True
    issuer_words = {w for w in issuer.casefold().split() if len(w) > 3}
    return len(issuer_words & set(folded.split())) >= 2


def _looks_like_headline(paragraph: str) -> bool:
    return (
        len(paragraph) <= 200
        and "\n" not in paragraph
        and not paragraph.rstrip().endswith((".", ":", ";"))
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; hard-wrapped lines inside one are joined."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _cut_trailer(paragraphs: list[str]) -> list[str]:
    for number, paragraph in enumerate(paragraphs):
        folded = paragraph.casefold()
        if any(folded.startswith(trailer) for trailer in TRAILERS) and len(paragraph) < 200:
            return paragraphs[:number]
    return paragraphs


def _first_sentence(paragraph: str) -> str:
    sentence = _SENTENCE_END.split(paragraph, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= MAX_TITLE:
        return sentence
    cut = sentence[: MAX_TITLE - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _language(
    month_locales: tuple[str, ...],
    category_word: str,
    headline: str,
    languages: tuple[str, ...],
    default: str,
) -> str:
    candidates = list(month_locales)
    if len(candidates) > 1:
        sample = category_word + headline
        if any(char in _AZ_LETTERS for char in sample) and "az" in candidates:
            candidates = ["az"]
        elif re.search("[\u0400-\u04ff]", sample) and "ru" in candidates:
            candidates = ["ru"]
        elif "en" in candidates:
            candidates = ["en"]
    base = candidates[0] if candidates else default
    for language in languages:
        if language.split("-")[0] == base:
            return language
    return base


def _category(word: str, settings: object) -> str:
    from prcli.config import Config

    assert isinstance(settings, Config)
    folded = word.casefold()
    for category in settings.categories:
        if category.casefold() == folded:
            return category
    aliases = {k.casefold(): v for k, v in CATEGORY_ALIASES.items()}
    table = (
        settings.raw.get("import", {}).get("categories", {})
        if isinstance(settings.raw.get("import"), dict)
        else {}
    )
    aliases.update({str(k).casefold(): str(v) for k, v in table.items()})
    return aliases.get(folded, word)


TEXT = _Text()
