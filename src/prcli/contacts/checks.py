"""Checks of a media list: addresses one can send to, no one listed twice, consent recorded."""

from __future__ import annotations

from dataclasses import dataclass

from prcli.config import LANGUAGE_TAG
from prcli.contacts.model import LIST_NAME, MediaContact, address_problem
from prcli.contacts.store import ContactBook

# Each rule's one severity, wherever it is reported (`contacts add`, `import`, `check`): "error",
# an entry to fix (`check` exits 1; prcli send skips an address without consent or unsubscribed);
# "warning", worth a look.
SEVERITY = {
    "CT01": "error",  # not an address one can send to
    "CT02": "error",  # listed twice
    "CT03": "error",  # no consent recorded: prcli send skips it
    "CT04": "warning",  # a language that is not a tag
    "CT05": "error",  # unsubscribed, yet on the list
    "CT06": "warning",  # a list name `--list` cannot name easily
}


@dataclass(frozen=True, slots=True)
class ContactProblem:
    email: str
    code: str
    message: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.code]

    def __str__(self) -> str:
        return self.described()

    def described(self, where: str = "") -> str:
        """How every command reports it: 'error: a@example.org: ... [CT03]', with `where` (a
        file and line) before the address."""
        place = f"{where}: " if where else ""
        return f"{self.severity}: {place}{self.email}: {self.message} [{self.code}]"


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
                    f"listed twice (also as {seen[contact.key]}): merge the two entries",
                )
            )
        else:
            seen[contact.key] = contact.email
        if book.is_suppressed(contact.email):
            problems.append(
                ContactProblem(contact.email, "CT05", "unsubscribed, yet on the list: remove it")
            )
    return problems


def check_contact(contact: MediaContact) -> list[ContactProblem]:
    problems = []
    problem = address_problem(contact.email)
    if problem:
        problems.append(ContactProblem(contact.email, "CT01", problem))
    if not contact.has_consent:
        missing = "date" if contact.consent_source.strip() else "source"
        if contact.consent_date is None and not contact.consent_source.strip():
            missing = "date and source"
        problems.append(
            ContactProblem(
                contact.email,
                "CT03",
                f"no consent recorded (missing {missing}): skipped by prcli send",
            )
        )
    for language in contact.languages:
        if not LANGUAGE_TAG.fullmatch(language):
            problems.append(
                ContactProblem(
                    contact.email, "CT04", f"'{language}' is not a language tag (en, az)"
                )
            )
    for name in contact.lists:
        if not LIST_NAME.fullmatch(name):
            problems.append(
                ContactProblem(
                    contact.email,
                    "CT06",
                    f"list name '{name}' has spaces or symbols; `--list` cannot name it easily",
                )
            )
    return problems
