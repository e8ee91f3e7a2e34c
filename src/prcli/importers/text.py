"""text: news pages saved from agency websites and web archives, in English, Azerbaijani, Russian.

Such pages come in many layouts (see tests/text_corpus.py for the ones read):

    Information of the Public Relations Department of the State Security Service   (issuer, optional)
    Events 15 October 2021  14:35                                                  (category, date)
    Headline, before or after the date line                                        (optional)
    body paragraphs, with or without blank lines, hard-wrapped, hyphenated
    Other news / Share / © 2021 ...                                                (page furniture)

The reader does not trust positions. It scores every line near the top as a date line (a written
or numeric date, little else), an issuer line, a time of day, a category word, a headline
candidate (short, no final full stop, next to the date) or body text, and decides from the scores;
the body ends at the first line of page furniture. Month names come from CLDR (babel) in every
grammatical form it lists, so "15 октября 2021", "15 oktyabr 2021" and "October 15, 2021" read.

Every step is linear in the size of the input: lines are cut to a bounded length before any
pattern with backtracking sees them, and runs of spaces are collapsed first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from prcli.importers.base import Candidate, ImportContext, ImportError_
from prcli.model import HistoryEntry, Release, Status

# Page furniture: the body ends at the first of these (a line starting with one of them, short).
TRAILERS = (
    "other news",
    "related news",
    "more news",
    "see also",
    "read also",
    "share",
    "print",
    "back to",
    "digər xəbərlər",
    "diger xeberler",
    "oxşar xəbərlər",
    "paylaş",
    "çap et",
    "другие новости",
    "похожие новости",
    "читайте также",
    "поделиться",
    "версия для печати",
    "назад",
    "©",
    "copyright",
    "all rights reserved",
    "bütün hüquqlar qorunur",
    "все права защищены",
)
# Words of an issuer line ("Information of the Press Service of ...", "... Şöbəsinin məlumatı").
ISSUER_STARTS = (
    "information of",
    "information from",
    "press release of",
    "press service of",
    "statement of the press",
    "информация",
    "сообщение пресс",
    "пресс-служба",
    "пресс-релиз",
)
ISSUER_ENDS = (
    "məlumatı",
    "məlumat",
    "xəbər verir",
    "mətbuat xidməti",
    "şöbəsi",
    "press service",
    "press office",
    "сообщает",
    "информирует",
)
ISSUER_WORDS = (
    "department",
    "press service",
    "public relations",
    "şöbəsi",
    "şöbə",
    "mətbuat xidməti",
    "ictimaiyyətlə əlaqələr",
    "управлени",
    "пресс-служб",
    "связям с общественностью",
)
# Category words of the sample categories in Azerbaijani and Russian; prcli.toml can add more under
# [import.categories] ("Tədbirlər" = "Events"). A word mapping to no category of the repository is
# kept as it is and reported by validation (PR102), so the import gate holds the release back.
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
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:.]([0-5]\d)(?!\d)")
_TIME_LINE = re.compile(r"(?:saat|в|at)?\s*([01]?\d|2[0-3]):([0-5]\d)\s*(?:\(?[A-Z]{2,4}\)?)?")
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?:(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})|(?P<Y>\d{4})-(?P<M>\d{2})-(?P<D>\d{2}))(?!\d)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZА-ЯЁƏÇĞIİÖŞÜ0-9«\"“])")
_BROKEN_HYPHEN = re.compile(r"(?<=\w)- (?=[^\W\d_])")
_ENDS_SENTENCE = (".", "!", "?", "…", ":", ";", '"', "»", "”", ")")
MAX_TITLE = 120
MAX_LINE = 4000  # a longer "line" is cut for the pattern checks (D5: never quadratic)
SCAN = 40  # lines from the top where the date line may be


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
def _written_date(months: tuple[str, ...]) -> re.Pattern[str]:
    """'15 October 2021', '15 октября 2021 г.', 'October 15, 2021' anywhere in a (short) line."""
    names = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    return re.compile(
        rf"(?<!\w)(?:(?P<day>\d{{1,2}})\s(?P<month>{names})\.?|(?P<month2>{names})\.?\s(?P<day2>\d{{1,2}}),?)"
        rf"\s(?P<year>\d{{4}})(?:\s?(?:г\.|goda|il|-ci il))?(?!\d)",
        re.IGNORECASE,
    )


@dataclass(frozen=True, slots=True)
class _DateHit:
    day: date
    start: int
    end: int
    locales: tuple[str, ...]


def _find_date(
    line: str, pattern: re.Pattern[str], months: dict[str, tuple[int, tuple[str, ...]]]
) -> _DateHit | None:
    match = pattern.search(line)
    if match:
        month_word = (match["month"] or match["month2"]).casefold().rstrip(".")
        month, locales = months[month_word]
        day_text = match["day"] or match["day2"]
        try:
            return _DateHit(
                date(int(match["year"]), month, int(day_text)), match.start(), match.end(), locales
            )
        except ValueError:
            raise ImportError_(f"the date line '{line}' names an impossible date") from None
    numeric = _NUMERIC_DATE.search(line)
    if numeric:
        if numeric["d"]:
            y, m, d = int(numeric["y"]), int(numeric["m"]), int(numeric["d"])
        else:
            y, m, d = int(numeric["Y"]), int(numeric["M"]), int(numeric["D"])
        try:
            return _DateHit(date(y, m, d), numeric.start(), numeric.end(), ())
        except ValueError:
            raise ImportError_(f"the date line '{line}' names an impossible date") from None
    return None


def clean_lines(text: str) -> list[str]:
    """Lines with invisible characters removed and every run of spaces, tabs and no-break spaces
    made one space: linear, whatever the input holds."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


@dataclass
class _Layout:
    date_index: int
    day: date
    locales: tuple[str, ...]
    category: str = ""
    moment: time | None = None
    issuer: str = ""
    headline: str = ""
    used: frozenset[int] = frozenset()


def _score_date_line(line: str, hit: _DateHit) -> float:
    """How much a line looks like the category-and-date line: the date should be most of it."""
    rest = (line[: hit.start] + " " + line[hit.end :]).strip(" -–—|,:/")
    rest = _TIME.sub("", rest).strip(" -–—|,:/")
    score = 10.0 - len(rest) / 8
    if len(line) > 100:
        score -= 8
    if line.rstrip().endswith("."):
        score -= 3
    return score


def _is_time_line(line: str) -> time | None:
    if len(line) > 24:
        return None
    found = _TIME_LINE.fullmatch(line.strip(" |,"))
    return time(int(found[1]), int(found[2])) if found else None


def _issuer_score(line: str, issuer: str) -> float:
    folded = line.casefold()
    if (
        not line
        or len(line) > 200
        or (line.endswith((".", "!", "?")) and not folded.endswith("məlumatı."))
    ):
        return 0.0
    score = 0.0
    if folded.startswith(ISSUER_STARTS):
        score += 3
    if folded.rstrip(" .:").endswith(ISSUER_ENDS):
        score += 3
    score += sum(1.5 for word in ISSUER_WORDS if word in folded)
    if issuer and folded == issuer.casefold():
        score += 4
    if re.fullmatch(r"[A-ZА-ЯƏÇĞİÖŞÜ]{2,10}", line.strip()):  # an acronym: DTX, ФСБ, SSS
        score += 3
    return score


def _issuer_name(line: str) -> str:
    """The issuer as a name: 'Information of the Press Service of X' -> 'Press Service of X'."""
    text = line.strip(" .:")
    text = re.sub(
        r"^(?:information|press release|statement)\s+(?:of|from)\s+(?:the\s+)?",
        "",
        text,
        flags=re.I,
    )
    text = re.sub(r"^(?:информация|сообщение)\s+", "", text, flags=re.I)
    text = re.sub(
        r"\s+(?:məlumatı|məlumat|xəbər verir|сообщает|информирует)$", "", text, flags=re.I
    )
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def _is_furniture(line: str) -> bool:
    folded = line.casefold()
    return len(line) < 200 and any(folded.startswith(word) for word in TRAILERS)


def _headline_score(line: str) -> float:
    if not line or len(line) > 200 or _is_furniture(line):
        return -10.0
    score = 3.0
    if line.endswith((".", ":", ";", ",")):
        score -= 4
    if len(line) < 12:
        score -= 3
    if len(line.split()) < 3:
        score -= 2
    if line[:1].islower():
        score -= 4
    return score


def _category_word(text: str, settings_categories: tuple[str, ...], table: dict[str, str]) -> str:
    folded = text.casefold().strip(" -–—|:,/")
    for category in settings_categories:
        if category.casefold() == folded:
            return category
    return table.get(folded, "")


def _analyse(
    lines: list[str], context: ImportContext, months: dict[str, tuple[int, tuple[str, ...]]]
) -> _Layout:
    settings = context.settings
    pattern = _written_date(tuple(months))
    table = _category_table(settings)
    best: tuple[float, int, _DateHit] | None = None
    seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > SCAN:
            break
        hit = _find_date(line[:200], pattern, months)
        if hit is None:
            continue
        score = _score_date_line(line, hit) - seen * 0.05
        if best is None or score > best[0]:
            best = (score, index, hit)
    if best is None or best[0] < 0:
        raise ImportError_(
            "no category and date line (like 'Events 15 October 2021') near the top",
            hint="check that the file is a news page in English, Azerbaijani or Russian",
        )
    _, index, hit = best
    line = lines[index]
    layout = _Layout(index, hit.day, hit.locales)
    used = {index}
    rest = (line[: hit.start] + " " + line[hit.end :]).strip()
    found_time = _TIME.search(rest)
    if found_time:
        layout.moment = time(int(found_time[1]), int(found_time[2]))
        rest = (rest[: found_time.start()] + rest[found_time.end() :]).strip()
    rest = re.sub(r"^(?:saat|в|at)\s+|\s+(?:saat|в|at)$", "", rest).strip(" -–—|,:/")
    layout.category = rest
    # Neighbours of the date line: a time of day, a category word on its own line.
    nonblank = [i for i, text in enumerate(lines) if text]
    position = nonblank.index(index)
    around = nonblank[max(0, position - 2) : position + 3]
    for i in around:
        if i in used:
            continue
        moment = _is_time_line(lines[i])
        if moment is not None and layout.moment is None:
            layout.moment = moment
            used.add(i)
            continue
        if not layout.category and abs(nonblank.index(i) - position) == 1:
            word = _category_word(lines[i], settings.categories, table)
            if word or (
                len(lines[i]) <= 30
                and len(lines[i].split()) <= 3
                and not lines[i].endswith(".")
                and _issuer_score(lines[i], settings.default_issuer) == 0
                and i < index
            ):
                layout.category = lines[i]
                used.add(i)
    # Before the date line: the issuer (best issuer score) and a headline candidate.
    before = [i for i in nonblank[:position] if i not in used]
    issuer_index = max(
        before, key=lambda i: _issuer_score(lines[i], settings.default_issuer), default=None
    )
    if (
        issuer_index is not None
        and _issuer_score(lines[issuer_index], settings.default_issuer) >= 3
    ):
        layout.issuer = _issuer_name(lines[issuer_index])
        used.add(issuer_index)
    candidates = [i for i in before if i not in used and _headline_score(lines[i]) > 0]
    if candidates:
        chosen = candidates[-1]  # the one nearest the date line
        layout.headline = lines[chosen]
        used.add(chosen)
    else:
        # After the date line: the first line if it reads as a headline and text follows it.
        after = [i for i in nonblank[position + 1 :] if i not in used]
        if len(after) > 1 and _headline_score(lines[after[0]]) > 0:
            first, second = lines[after[0]], lines[after[1]]
            standalone = after[0] + 1 < len(lines) and not lines[after[0] + 1]
            # A hard-wrapped body line runs on into a next line starting in lower case.
            if standalone or second[:1].isupper() or second[:1].isdigit():
                layout.headline = first
                used.add(after[0])
    layout.used = frozenset(used)
    return layout


def paragraphs_of(lines: list[str]) -> list[str]:
    """Paragraphs from body lines. With blank lines between paragraphs, lines inside one are hard
    wraps and are joined. Without any blank line (a page that lost them), a line that ends a
    sentence ends its paragraph, and one that does not runs on into the next. A line-end hyphen
    between letters joins without a space ('поисково-' + 'спасательным')."""
    filled = [i for i, line in enumerate(lines) if line]
    inner = lines[filled[0] : filled[-1] + 1] if filled else []
    has_blanks = any(not line for line in inner)
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paragraphs.append(_join(current))
            current.clear()

    for line in lines:
        if not line:
            close()
            continue
        current.append(line)
        if not has_blanks and line.endswith(_ENDS_SENTENCE):
            close()
    close()
    return paragraphs


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum() and line[:1].isalpha():
            text += line  # a word hyphenated at the line end keeps its hyphen, loses the break
        else:
            text += " " + line
    return _BROKEN_HYPHEN.sub("-", text)


class _Text:
    name = "text"

    def read(self, text: str, context: ImportContext) -> list[Candidate]:
        settings = context.settings
        locales = tuple(
            dict.fromkeys(("en", "az", "ru", *(tag.split("-")[0] for tag in settings.languages)))
        )
        months = month_names(locales)
        lines = clean_lines(text)
        layout = _analyse(lines, context, months)
        body_lines = [
            line for i, line in enumerate(lines) if i > layout.date_index and i not in layout.used
        ]
        cut = next((n for n, line in enumerate(body_lines) if line and _is_furniture(line)), None)
        if cut is not None:
            body_lines = body_lines[:cut]
        paragraphs = paragraphs_of(body_lines)
        if paragraphs and layout.moment is None and _is_time_line(paragraphs[0]):
            layout.moment = _is_time_line(paragraphs.pop(0))
        if not paragraphs:
            raise ImportError_("no text after the date line")
        notes: list[str] = []
        headline = layout.headline
        derived = not headline
        if derived:
            headline = _first_sentence(paragraphs[0])
            notes.append("no headline: the title was made from the first sentence; check it")
        language = _language(
            layout.locales,
            layout.category,
            headline + " " + paragraphs[0][:400],
            settings.languages,
            settings.default_language,
        )
        category = _category(layout.category, settings)
        if layout.category and category not in settings.categories:
            notes.append(f"category '{layout.category}' is not one of the repository's categories")
        if layout.issuer:
            notes.append(f"issuer from the source: {layout.issuer}")
        tz = settings.timezone
        at = datetime.combine(layout.day, layout.moment or time(0, 0), tzinfo=tz)
        status = context.status or (Status.REVIEW if derived else Status.PUBLISHED)
        release = Release(
            id="",
            title=headline,
            status=status,
            category=category,
            language=language,
            date=layout.day,
            issuer=layout.issuer or settings.default_issuer,
            created=at,
            updated=context.now,
            history=(HistoryEntry(status, context.now, context.actor, "imported from text"),),
            body="\n\n".join(paragraphs),
        )
        return [Candidate(release, notes=tuple(notes))]


def _first_sentence(paragraph: str) -> str:
    sentence = _SENTENCE_END.split(paragraph[:MAX_LINE], maxsplit=1)[0].rstrip(".")
    if len(sentence) <= MAX_TITLE:
        return sentence
    cut = sentence[: MAX_TITLE - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _language(
    month_locales: tuple[str, ...],
    category_word: str,
    sample: str,
    languages: tuple[str, ...],
    default: str,
) -> str:
    candidates = list(month_locales)
    text = category_word + " " + sample
    if len(candidates) != 1:
        cyrillic = len(re.findall("[\u0400-\u04ff]", text))
        latin = len(re.findall("[A-Za-z]", text))
        if any(char in _AZ_LETTERS for char in text) and (not candidates or "az" in candidates):
            candidates = ["az"]
        elif cyrillic > latin and (not candidates or "ru" in candidates):
            candidates = ["ru"]
        elif not candidates or "en" in candidates:
            candidates = ["en"]
    base = candidates[0] if candidates else default
    for language in languages:
        if language.split("-")[0] == base:
            return language
    return base


def _category_table(settings: object) -> dict[str, str]:
    """Category words of other languages -> the repository's categories: the built-in aliases
    (only those naming a category of the repository) and [import.categories] of prcli.toml."""
    from prcli.config import Config

    assert isinstance(settings, Config)
    own = {c.casefold(): c for c in settings.categories}
    table = {
        k.casefold(): own[v.casefold()] for k, v in CATEGORY_ALIASES.items() if v.casefold() in own
    }
    configured = settings.raw.get("import", {})
    extra = configured.get("categories", {}) if isinstance(configured, dict) else {}
    if isinstance(extra, dict):
        table.update({str(k).casefold(): str(v) for k, v in extra.items()})
    return table


def _category(word: str, settings: object) -> str:
    from prcli.config import Config

    assert isinstance(settings, Config)
    return _category_word(word, settings.categories, _category_table(settings)) or word


TEXT = _Text()
