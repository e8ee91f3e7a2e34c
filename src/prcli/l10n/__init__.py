"""Localisation for public outputs: labels per language, dates, month and language names.

Labels ship with prcli for en, az and ru (``labels/<lang>.toml``); a repository adds or overrides
them with a folder of its own label files (``[site] labels``) or inline (``[l10n.<lang>.labels]``).
A language without a full set falls back to English, key by key, and the missing keys are reported
once. Dates, month and language names come from CLDR through babel; no table is written by hand.
Category names, organisation and issuer are translated through ``[l10n.<lang>]`` in prcli.toml
(the shipped label files translate the default categories).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prcli.config import Config
from prcli.errors import ConfigError

if TYPE_CHECKING:
    from babel import Locale

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
REFERENCE = "en"


@dataclass(frozen=True, slots=True)
class LabelSet:
    """What one label file holds: labels, category names and the CLDR date patterns."""

    labels: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    date_format: str = ""
    month_format: str = ""


def _parse(data: Mapping[str, Any], origin: Path | str) -> LabelSet:
    def table(name: str) -> dict[str, str]:
        value = data.get(name, {})
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(Path(str(origin)), f"[{name}] must be a table of texts")
        return dict(value)

    formats = {}
    for key in ("date_format", "month_format"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(Path(str(origin)), f"{key} must be a CLDR date pattern (text)")
        formats[key] = value
    return LabelSet(table("labels"), table("categories"), **formats)


@cache
def shipped(language: str) -> LabelSet | None:
    """The label file prcli ships for a language, or None."""
    if not re.fullmatch(r"[a-z]{2,3}", language):
        return None
    resource = resources.files("prcli.l10n").joinpath("labels", f"{language}.toml")
    if not resource.is_file():
        return None
    return _parse(tomllib.loads(resource.read_text(encoding="utf-8")), f"prcli:{language}.toml")


def _read_file(path: Path) -> LabelSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"TOML syntax error: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read: {error}") from None
    return _parse(data, path)


def base_language(tag: str) -> str:
    """'pt-BR' -> 'pt': label files and CLDR data are looked up by the primary subtag too."""
    return tag.split("-", 1)[0].lower()


@dataclass(frozen=True, slots=True)
class Localiser:
    """Everything language-specific a page needs, for one language."""

    language: str
    labels: Mapping[str, str]
    categories: Mapping[str, str]
    date_format: str
    month_format: str
    organisation: str
    issuer: str
    boilerplate: str
    direction: str  # "ltr" or "rtl"
    missing: tuple[str, ...] = ()  # label keys shown in English

    def label(self, key: str, **values: object) -> str:
        """A label with its {placeholders} filled (plain substitution, never str.format)."""
        text = self.labels.get(key, key)
        count = values.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            # "1 release", "2 releases": `<key>_<CLDR plural form>` when the language has it
            text = self.labels.get(f"{key}_{_plural_form(self.language, count)}", text)
        if not values:
            return text
        return _PLACEHOLDER.sub(
            lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
        )

    def plurals(self, key: str) -> dict[str, str]:
        """The plural variants of a label by CLDR form ({"one": ...}), for a page script that
        picks one with Intl.PluralRules (the search page's result count)."""
        return {
            form: self.labels[f"{key}_{form}"]
            for form in PLURAL_FORMS
            if f"{key}_{form}" in self.labels
        }

    def category(self, name: str) -> str:
        return self.categories.get(name, name)

    def date(self, day: dt.date) -> str:
        return _format_date(day, self.date_format, _locale_name(self.language))

    def month(self, day: dt.date) -> str:
        """A month as a heading ('Ноябрь 2026'): CLDR's standalone month names are lowercase in
        many languages (ru, az), and a heading starts with a capital."""
        return _capitalise(
            _format_date(day, self.month_format, _locale_name(self.language)), self.language
        )


PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def _is_plural_variant(key: str, labels: Mapping[str, str]) -> bool:
    """`count_one` beside `count`: a plural variant, optional in every language."""
    base, _, form = key.rpartition("_")
    return form in PLURAL_FORMS and base in labels


@lru_cache(maxsize=4096)
def _plural_form(language: str, count: int) -> str:
    """CLDR's plural category of a number in a language: 'one', 'few', 'many', 'other' ..."""
    from babel import Locale

    return str(Locale.parse(_locale_name(language)).plural_form(count))


def _capitalise(text: str, language: str) -> str:
    """The first letter as a capital, by the language's rules: Azerbaijani and Turkish i -> İ."""
    first = text[:1]
    if first == "i" and base_language(language) in ("az", "tr"):
        return "İ" + text[1:]
    return first.upper() + text[1:]


# What babel answered (dates in a pattern and locale, language names, text directions), kept for
# the process and, by the site, from one export to the next (`cldr_memo`, `remember_cldr`): a
# re-export then loads no CLDR locale data at all (tens of milliseconds a language).
_DATES: dict[tuple[dt.date, str, str], str] = {}
_NAMES: dict[str, str] = {}
_DIRECTIONS: dict[str, str] = {}
_GROWN: list[bool] = [False]  # an answer was added since the memo was last taken or given


def _format_date(day: dt.date, pattern: str, locale: str) -> str:
    """A date in a CLDR pattern (a site formats the same few thousand days again and again)."""
    key = (day, pattern, locale)
    found = _DATES.get(key)
    if found is None:
        from babel.dates import format_date

        # A Locale, not its name: babel would look it up again on every call (3 x the time).
        found = _DATES[key] = str(format_date(day, pattern, locale=_locale(locale)))
        _GROWN[0] = True
    return found


def cldr_memo() -> dict[str, Any]:
    """What babel answered so far, as JSON-ready data (see `remember_cldr`)."""
    _GROWN[0] = False
    return {
        "dates": sorted([d.isoformat(), p, loc, text] for (d, p, loc), text in _DATES.items()),
        "names": dict(sorted(_NAMES.items())),
        "directions": dict(sorted(_DIRECTIONS.items())),
    }


def cldr_grown() -> bool:
    """An answer was added since `cldr_memo` or `remember_cldr`."""
    return _GROWN[0]


def remember_cldr(memo: Mapping[str, Any]) -> None:
    """Take answers from `cldr_memo` of an earlier process with the same babel (the caller
    checks the version). Raises ValueError, TypeError or KeyError on data of another shape."""
    dates = {
        (dt.date.fromisoformat(day), pattern, locale): text
        for day, pattern, locale, text in memo["dates"]
    }
    names, directions = dict(memo["names"]), dict(memo["directions"])
    values = [*dates.values(), *names.values(), *directions.values()]
    if not all(isinstance(v, str) for v in [*values, *names, *directions]):
        raise TypeError("a CLDR memo holds text only")
    if not all(isinstance(p, str) and isinstance(loc, str) for _, p, loc in dates):
        raise TypeError("a CLDR memo holds text only")
    if not all(d in ("ltr", "rtl") for d in directions.values()):
        raise ValueError("a text direction is ltr or rtl")
    _DATES.update(dates)
    _NAMES.update(names)
    _DIRECTIONS.update(directions)
    _GROWN[0] = False


@cache
def _locale(name: str) -> Locale:
    from babel import Locale

    return Locale.parse(name)


@cache
def _locale_name(language: str) -> str:
    """The babel locale for a tag: itself when CLDR knows it, its primary subtag, else English."""
    from babel import Locale, UnknownLocaleError

    for candidate in (language.replace("-", "_"), base_language(language)):
        try:
            Locale.parse(candidate)
            return candidate
        except (UnknownLocaleError, ValueError):
            continue
    return REFERENCE


def language_name(language: str) -> str:
    """The name of a language in that language, from CLDR: 'English', 'Azərbaycan', 'Русский'."""
    found = _NAMES.get(language)
    if found is None:
        locale = _locale(_locale_name(language))
        name = locale.get_display_name(locale) or language
        found = _NAMES[language] = name[:1].upper() + name[1:]
        _GROWN[0] = True
    return found


@cache
def _cldr_pattern(language: str, kind: str, english: str) -> str:
    """A language without a date pattern of its own writes dates as CLDR's long form for it
    ("15. Oktober 2021", "2021年10月15日"), not in the English pattern with its month names
    ("15 Oktober 2021"); a language CLDR does not know keeps the English pattern."""
    from babel import Locale

    name = _locale_name(language)
    if base_language(name) == REFERENCE:
        return english
    locale = Locale.parse(name)
    if kind == "date":
        return str(locale.date_formats["long"].pattern)
    return str(locale.datetime_skeletons["yMMMM"].pattern)


def _direction(language: str) -> str:
    found = _DIRECTIONS.get(language)
    if found is None:
        order = _locale(_locale_name(language)).character_order
        found = _DIRECTIONS[language] = "rtl" if order == "right-to-left" else "ltr"
        _GROWN[0] = True
    return found


@dataclass(slots=True)
class Localisation:
    """The localisers of a repository's languages and the warnings met while building them."""

    by_language: dict[str, Localiser]
    warnings: list[str]
    untranslated: set[tuple[str, str]] = field(default_factory=set)

    def __getitem__(self, language: str) -> Localiser:
        return self.by_language[language]

    def category(self, language: str, name: str) -> str:
        """A category in a language; an untranslated one shows its key and is warned about once."""
        localiser = self.by_language[language]
        if name in localiser.categories or not name:
            return localiser.category(name)
        if base_language(language) != REFERENCE and (language, name) not in self.untranslated:
            self.untranslated.add((language, name))
            self.warnings.append(
                f"category '{name}' has no {language} translation; the key is shown. "
                f'Add it to prcli.toml: [l10n.{language}.categories] "{name}" = "..."'
            )
        return name


def load(settings: Config, languages: tuple[str, ...] | None = None) -> Localisation:
    """Build the localisers for the repository's languages (or the ones given)."""
    site = _table(settings, settings.raw.get("site", {}), "site")
    folder_name = site.get("labels", "")
    if not isinstance(folder_name, str):
        raise ConfigError(settings.path, "site.labels must be the name of a folder")
    folder = (settings.path.parent / folder_name) if folder_name else None
    if folder is not None and not folder.is_dir():
        raise ConfigError(
            settings.path,
            f"site.labels: the folder {folder_name} does not exist",
            hint="create it with one <language>.toml per language, or remove the setting",
        )
    inline = _table(settings, settings.raw.get("l10n", {}), "l10n")
    reference = shipped(REFERENCE)
    assert reference is not None, "prcli ships English labels"
    result = Localisation({}, [])
    for language in languages or settings.languages:
        layers: list[LabelSet] = []
        own = shipped(base_language(language))
        if own is not None:
            layers.append(own)
        if folder is not None:
            for name in dict.fromkeys((base_language(language), language)):
                path = folder / f"{name}.toml"
                if path.is_file():
                    layers.append(_read_file(path))
        extra = _table(settings, inline.get(language, {}), f"l10n.{language}")
        if extra:
            layers.append(_parse(extra, settings.path))
        labels: dict[str, str] = {}
        categories: dict[str, str] = {}
        date_format = month_format = ""
        for layer in layers:
            labels.update(layer.labels)
            categories.update(layer.categories)
            date_format = layer.date_format or date_format
            month_format = layer.month_format or month_format
        needed = [key for key in reference.labels if not _is_plural_variant(key, reference.labels)]
        missing = tuple(key for key in needed if key not in labels)
        if missing and base_language(language) != REFERENCE:
            if len(missing) == len(needed):
                result.warnings.append(
                    f"no labels for language '{language}': English is shown. Add "
                    f"{folder_name or '<folder>'}/{language}.toml with the keys of en.toml "
                    "and point [site] labels at its folder"
                )
            else:
                result.warnings.append(
                    f"labels for '{language}' lack {len(missing)} key(s), shown in English: "
                    + ", ".join(missing)
                )
        result.by_language[language] = Localiser(
            language=language,
            labels=_merged(reference.labels, labels),
            categories=categories,
            date_format=date_format or _cldr_pattern(language, "date", reference.date_format),
            month_format=month_format or _cldr_pattern(language, "month", reference.month_format),
            organisation=_text(settings, extra, language, "organisation", settings.organisation),
            issuer=_text(settings, extra, language, "issuer", settings.default_issuer),
            boilerplate=settings.boilerplate.get(language, ""),
            direction=_direction(language),
            missing=missing,
        )
    return result


def localiser(settings: Config, language: str, warnings: list[str] | None = None) -> Localiser:
    """The localiser of one language, as the newsroom site builds it (shipped labels, the
    repository's label folder and [l10n.<lang>], English for what is missing). What fell back to
    English is added to `warnings`, each warning once, for the caller to show."""
    found = load(settings, (language,))
    if warnings is not None:
        warnings.extend(w for w in found.warnings if w not in warnings)
    return found[language]


def _merged(reference: Mapping[str, str], own: Mapping[str, str]) -> dict[str, str]:
    """English under the language's own labels; an English plural variant ("count_one") is
    dropped where the language words the label itself ("count") without that variant."""
    merged = {**reference, **own}
    for key in reference:
        if key not in own and _is_plural_variant(key, reference) and key.rpartition("_")[0] in own:
            del merged[key]
    return merged


def _table(settings: Config, value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(settings.path, f"[{name}] must be a table")
    return value


def _text(settings: Config, table: Mapping[str, Any], language: str, key: str, default: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(settings.path, f"l10n.{language}.{key} must be text")
    return value
