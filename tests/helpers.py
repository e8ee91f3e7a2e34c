"""Builders shared by the tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from prcli.model import HistoryEntry, Release, Status
from prcli.repository import Repository, render

BAKU = timezone(timedelta(hours=4))
NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=BAKU)

CONFIG_TEXT = """\
[organisation]
name = "State Security Service"
department = "Public Relations Department"
timezone = "Asia/Baku"

[releases]
languages = ["en", "az", "ru"]
categories = ["Events", "Official", "Statements"]

[[contacts]]
name = "Press office"
email = "press@example.org"

[boilerplate]
en = "About the Service."
"""


def make_release(**fields: Any) -> Release:
    values: dict[str, Any] = {
        "id": "2021-10-15-cis-security-chiefs-meet-in-moscow",
        "title": "CIS security chiefs meet in Moscow",
        "status": Status.PUBLISHED,
        "language": "en",
        "date": date(2021, 10, 15),
        "category": "Events",
        "body": "The regular meeting was held in Moscow on October 13.",
    }
    values.update(fields)
    if "history" not in fields and values["status"] is not Status.DRAFT:
        # A status the workflow recorded (PR503): one step to it, at noon of the release's date.
        when = datetime.combine(values["date"], datetime.min.time(), BAKU) + timedelta(hours=12)
        values["history"] = (HistoryEntry(values["status"], when, "Press office"),)
    if "id" not in fields and "title" in fields:
        from prcli.ids import make_id

        values["id"] = make_id(values["date"], values["title"])
    return Release(**values)


def write_release(repository: Repository, release: Release, fmt: str = "yaml") -> Path:
    path = repository.path_for(release)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(release, fmt))  # type: ignore[arg-type]
    return path


def write_text_release(
    repository: Repository, name: str, text: str | bytes, year: str = "2021"
) -> Path:
    path = repository.releases_dir / year / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path
