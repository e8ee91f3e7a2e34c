"""Values: status, category and language from the lists; dates real and in a sensible order."""

from __future__ import annotations

from collections.abc import Iterator

from prcli.config import LANGUAGE_TAG
from prcli.model import Status
from prcli.releasefile import Entry
from prcli.validation.context import Context
from prcli.validation.registry import load_rule, release_rule
from prcli.validation.types import Problem, Severity

load_rule(
    "PR101",
    "status-value",
    Severity.ERROR,
    "The status is one of draft, review, approved, published, archived, retracted.",
    """
    The workflow knows six states. Any other value (`live`, `final`) cannot be published or listed
    by state. Use one of draft, review, approved, published, archived, retracted.
    """,
)
load_rule(
    "PR104",
    "invalid-date",
    Severity.ERROR,
    "Dates are real dates (YYYY-MM-DD) and datetimes are ISO 8601.",
    """
    A date field holds something that is not a calendar date (`2021-02-30`, `tomorrow`), or a
    datetime field cannot be read. Write dates as YYYY-MM-DD and datetimes as
    YYYY-MM-DDTHH:MM:SS+HH:MM.
    """,
)
load_rule(
    "PR105",
    "timezone-required",
    Severity.ERROR,
    "Datetimes (embargo_until, publish_at, created, ...) carry a timezone offset.",
    """
    An embargo of `2026-05-01T09:00:00` means a different instant in Baku and in London. Every
    datetime must carry its offset, e.g. `2026-05-01T09:00:00+04:00`.
    """,
)


@release_rule("PR102", "category-value", Severity.ERROR, "The category is one of the repository's.")
def category_value(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Categories come from `[releases] categories` in prcli.toml, so listings and feeds group
    releases consistently. A release without a category, or with one not in the list, is reported.
    Fix the spelling or add the category to prcli.toml.
    """
    category = entry.release.category
    allowed = context.settings.categories
    if not category:
        yield Problem("no category", hint=f"add category: one of {', '.join(allowed)}")
    elif category not in allowed:
        same = [c for c in allowed if c.casefold() == category.casefold()]
        hint = f"write it as '{same[0]}'" if same else f"use one of: {', '.join(allowed)}"
        yield Problem(f"unknown category '{category}'", key="category", hint=hint)


@release_rule("PR103", "language-value", Severity.ERROR, "The language is one of the repository's.")
def language_value(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    Languages are BCP 47 tags listed in `[releases] languages` of prcli.toml (`en`, `az`, `ru`).
    A release in another language, or with a tag that is not BCP 47 (`English`), is reported.
    """
    language = entry.release.language
    if not LANGUAGE_TAG.fullmatch(language):
        yield Problem(
            f"'{language}' is not a BCP 47 language tag",
            key="language",
            hint="write en, az, ru ...",
        )
    elif language not in context.settings.languages:
        yield Problem(
            f"language '{language}' is not one of the repository's",
            key="language",
            hint=f"use one of: {', '.join(context.settings.languages)}, or add it to prcli.toml",
        )


@release_rule(
    "PR106", "event-after-date", Severity.ERROR, "The event date is not after the release date."
)
def event_after_date(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    `event_date` is when the reported event happened; a release cannot report an event that comes
    after its own publication date. Usually one of the two dates has a typo.
    """
    release = entry.release
    if release.event_date and release.event_date > release.date:
        yield Problem(
            f"event_date {release.event_date} is after the release date {release.date}",
            key="event_date",
            hint="check both dates",
        )


@release_rule(
    "PR107", "published-under-embargo", Severity.ERROR, "A published release is not under embargo."
)
def published_under_embargo(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    A release marked `published` whose `embargo_until` is still in the future is news out before
    its time. Either the embargo is wrong or the status is: set the status back to approved (and
    let `prcli publish --due` publish it) or correct the embargo.
    """
    release = entry.release
    if (
        release.status is Status.PUBLISHED
        and release.embargo_until
        and release.embargo_until > context.now
    ):
        yield Problem(
            f"published while under embargo until {release.embargo_until.isoformat()}",
            key="embargo_until",
            hint="set status back to approved, or correct embargo_until",
        )


@release_rule(
    "PR108", "expires-before-date", Severity.ERROR, "`expires` comes after the release date."
)
def expires_before_date(entry: Entry, context: Context) -> Iterator[Problem]:
    """
    `expires` ends a release's validity; it must come after the publication `date`, or the
    release is expired before it appears.
    """
    release = entry.release
    if release.expires and release.expires <= release.date:
        yield Problem(
            f"expires {release.expires} is not after the release date {release.date}",
            key="expires",
            hint="move expires after the date, or remove it",
        )
