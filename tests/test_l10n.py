"""prcli.l10n: month headings of the archive pages in every shipped language."""

from __future__ import annotations

import datetime as dt

import pytest

from prcli import l10n
from prcli.repository import Repository


@pytest.mark.parametrize(
    ("language", "day", "heading"),
    [
        ("en", dt.date(2026, 11, 1), "November 2026"),
        ("ru", dt.date(2026, 11, 1), "Ноябрь 2026"),  # CLDR's standalone name is lowercase
        ("az", dt.date(2026, 11, 1), "Noyabr 2026"),
        ("az", dt.date(2026, 6, 1), "İyun 2026"),  # Azerbaijani i has a dot as a capital too
    ],
)
def test_month_headings_start_with_a_capital(
    repository: Repository, language: str, day: dt.date, heading: str
) -> None:
    localiser = l10n.load(repository.config)[language]
    assert localiser.month(day) == heading
    assert localiser.date(day).split()[1].islower() or language == "en"  # '1 noyabr 2026' stays


def test_counts_take_the_plural_form_of_their_language(repository: Repository) -> None:
    """'1 releases' and '1 results for ...' read wrong: a label with {count} may have variants by
    CLDR plural form (count_one, count_few ...); a language that words the label itself without
    them does not get English variants, and no language is warned about lacking them."""
    config = repository.root / "prcli.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[l10n.ru.labels]\ncount = "{count} релизов"\ncount_one = "{count} релиз"\n'
        'count_few = "{count} релиза"\n'
        '[l10n.az.labels]\ncount = "{count} press-reliz"\n',
        encoding="utf-8",
    )
    found = l10n.load(Repository.open(repository.root).config, ("en", "ru", "az"))
    english = found["en"]
    assert [english.label("count", count=n) for n in (0, 1, 2)] == [
        "0 releases",
        "1 release",
        "2 releases",
    ]
    assert english.label("search_results", count=1, query="susa") == "1 result for “susa”"
    assert english.plurals("search_results") == {"one": "{count} result for “{query}”"}
    russian = found["ru"]
    assert [russian.label("count", count=n) for n in (1, 3, 5, 21, 22)] == [
        "1 релиз",
        "3 релиза",
        "5 релизов",
        "21 релиз",
        "22 релиза",
    ]
    assert found["az"].label("count", count=1) == "1 press-reliz"  # not English "1 release"
    assert not [w for w in found.warnings if "lack" in w]
