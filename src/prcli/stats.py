"""Figures about the press office's output over a period: pure functions over releases.

Output means releases that went out: published ones, and archived or retracted ones that were
published. Every output figure, by_status included, counts those (by_status adds up to total).
Drafts, releases in review and approved ones are counted apart, as the pipeline.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from prcli.model import Release, Status


@dataclass(frozen=True, slots=True)
class Stats:
    since: date
    until: date
    total: int  # releases that went out (see went_out)
    per_month: list[tuple[str, int]]  # ("2026-01", n) for every month of the period
    by_category: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_status: list[tuple[str, int]]  # the output by status now (OUT_STATUSES): adds up to total
    pipeline: list[tuple[str, int]]  # draft, review, approved: not (yet) output
    by_author: list[tuple[str, int]]
    stories: int  # releases counted once per translation group
    complete_stories: int  # stories available in every configured language
    coverage: float | None  # complete_stories / stories
    language_availability: list[tuple[str, float]]  # share of stories available in each language
    approval_samples: int
    median_hours_to_publish: float | None


def months(since: date, until: date) -> list[str]:
    result, year, month = [], since.year, since.month
    while (year, month) <= (until.year, until.month):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def default_period(today: date) -> tuple[date, date]:
    """The last twelve calendar months, this one included."""
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def period(today: date, since: date | None, until: date | None) -> tuple[date, date]:
    """The period a report covers: as asked, else the twelve calendar months up to `until`
    (default today), so `--until` alone means the year before it, not an empty period."""
    end = until or today
    return since or default_period(end)[0], end


PIPELINE = (Status.DRAFT, Status.REVIEW, Status.APPROVED)
OUT_STATUSES = (Status.PUBLISHED, Status.ARCHIVED, Status.RETRACTED)  # in workflow order


def went_out(release: Release) -> bool:
    """Published, or archived/retracted after publication (a file without history is believed)."""
    if release.status is Status.PUBLISHED:
        return True
    if release.status in (Status.ARCHIVED, Status.RETRACTED):
        return not release.history or any(
            step.status is Status.PUBLISHED for step in release.history
        )
    return False


def _ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def author(release: Release) -> str:
    """Who created it: the first step of the history, else 'unknown'."""
    return release.history[0].by if release.history and release.history[0].by else "unknown"


def hours_to_publish(release: Release) -> float | None:
    """From the first submission to review to the first publication after it."""
    submitted = next((step.at for step in release.history if step.status is Status.REVIEW), None)
    if submitted is None:
        return None
    published = next(
        (
            step.at
            for step in release.history
            if step.status is Status.PUBLISHED and step.at >= submitted
        ),
        None,
    )
    if published is None:
        return None
    return (published - submitted).total_seconds() / 3600


def compute(
    releases: Sequence[Release], since: date, until: date, languages: Sequence[str]
) -> Stats:
    dated = [r for r in releases if since <= r.date <= until]
    period = [r for r in dated if went_out(r)]
    waiting = Counter(r.status for r in dated)
    out = Counter(r.status for r in period)
    per_month = Counter(f"{r.date.year:04d}-{r.date.month:02d}" for r in period)
    stories: dict[str, set[str]] = {}
    for release in period:
        stories.setdefault(release.translation_key or f"id:{release.id}", set()).add(
            release.language
        )
    wanted = set(languages)
    complete = sum(1 for langs in stories.values() if wanted <= langs)
    durations = [h for h in (hours_to_publish(r) for r in period) if h is not None]
    return Stats(
        since=since,
        until=until,
        total=len(period),
        per_month=[(month, per_month.get(month, 0)) for month in months(since, until)],
        by_category=_ranked(Counter(r.category or "(none)" for r in period)),
        by_language=_ranked(Counter(r.language for r in period)),
        by_status=[(str(status), out.get(status, 0)) for status in OUT_STATUSES],
        pipeline=[(str(status), waiting.get(status, 0)) for status in PIPELINE],
        by_author=_ranked(Counter(author(r) for r in period)),
        stories=len(stories),
        complete_stories=complete,
        coverage=complete / len(stories) if stories else None,
        language_availability=[
            (language, sum(1 for langs in stories.values() if language in langs) / len(stories))
            for language in languages
        ]
        if stories
        else [],
        approval_samples=len(durations),
        median_hours_to_publish=statistics.median(durations) if durations else None,
    )
