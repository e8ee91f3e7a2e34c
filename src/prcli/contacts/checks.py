"""Checks of a media list: addresses one can send to, no one listed twice, consent recorded."""

from __future__ import annotations

from dataclasses import dataclass

from prcli.config import LANGUAGE_TAG
from prcli.contacts.model import LIST_NAME, MediaContact, address_problem
from prcli.contacts.store import ContactBook


@dataclass(frozen=True, slots=True)
class ContactProblem:
    email: str
    code: str
    severity: str  # "error": never sent to; "warning": sent to, but look at it
    message: str


def check(book: ContactBook) -> list[ContactProblem]:
    problems: list[ContactProblem] = []
    seen: dict[str, str] = {}
    for contact in book.contacts:
        problems.extend(check_contact(contact))
        if contact.key in seen:
            problems.append(
                ContactProblem(
                    contact.email,
                    "CT02",
                    "error",
                    f"listed twice (also as {seen[contact.key]}): merge the two entries",
                )
            )
        else:
            seen[contact.key] = contact.email
        if book.is_suppressed(contact.email):
            problems.append(
                ContactProblem(
                    contact.email, "CT05", "error", "unsubscribed, yet on the list: remove it"
                )
            )
    return problems


def check_contact(contact: MediaContact) -> list[ContactProblem]:
    problems = []
    problem = address_problem(contact.email)
    if problem:
        problems.append(ContactProblem(contact.email, "CT01", "error", problem))
    if not contact.has_consent:
        missing = "date" if contact.consent_source.strip() else "source"
        if contact.consent_date is None and not contact.consent_source.strip():
            missing = "date and source"
        problems.append(
            ContactProblem(
                contact.email,
                "CT03",
                "error",
                f"no consent recorded (missing {missing}): skipped by prcli send",
            )
        )
    for language in contact.languages:
        if not LANGUAGE_TAG.fullmatch(language):
            problems.append(
                ContactProblem(
                    contact.email, "CT04", "warning", f"'{language}' is not a language tag (en, az)"
                )
            )
    for name in contact.lists:
        if not LIST_NAME.fullmatch(name):
            problems.append(
                ContactProblem(
                    contact.email,
                    "CT06",
                    "warning",
                    f"list name '{name}' has spaces or symbols; `--list` cannot name it easily",
                )
            )
    return problems
