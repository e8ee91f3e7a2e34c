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
