"""A journalist (or an outlet's desk) on the office's media lists."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

# Dot-atom local part (RFC 5322 without quoted strings or comments) and an internet domain name.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
LIST_NAME = re.compile(r"[\w][\w.-]{0,63}")


def normalise_address(address: str) -> str:
    """The form used to compare addresses: trimmed, domain lower-cased and IDNA-encoded, local
    part case-folded (every mail system in practice treats it so)."""
    local, _, domain = address.strip().rpartition("@")
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local.casefold()}@{domain.lower()}"


def address_problem(address: str) -> str:
    """Why `address` is not an e-mail address one can send to ('' when it is)."""
    text = address.strip()
    if not text:
        return "no address"
    if any(c.isspace() for c in text) or "<" in text or ">" in text or "," in text:
        return f"'{address}' is not one address (spaces, commas or angle brackets)"
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return f"'{address}' has no @"
    if len(local) > 64 or not _LOCAL.fullmatch(local):
        return f"'{address}': the part before @ is not valid"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return f"'{address}': the domain is not valid"
    labels = ascii_domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"'{address}': the domain is not a full internet domain (like example.org)"
    if labels[-1].isdigit() or len(ascii_domain) > 253:
        return f"'{address}': the domain is not valid"
    return ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaContact:
    email: str
    name: str = ""
    outlet: str = ""
    role: str = ""
    languages: tuple[str, ...] = ()  # BCP 47; empty: any language
    beats: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    consent_date: dt.date | None = None
    consent_source: str = ""
    added: dt.date | None = None
    notes: str = ""

    @property
    def key(self) -> str:
        return normalise_address(self.email)

    @property
    def has_consent(self) -> bool:
        return self.consent_date is not None and bool(self.consent_source.strip())

    def reads(self, language: str) -> bool:
        base = language.split("-")[0].lower()
        return not self.languages or any(
            item.split("-")[0].lower() == base for item in self.languages
        )

    def merged(self, other: MediaContact) -> MediaContact:
        """This contact completed by `other`: empty fields filled, lists and beats joined."""
        changes: dict[str, Any] = {}
        for name in ("name", "outlet", "role", "consent_source", "notes"):
            if not getattr(self, name) and getattr(other, name):
                changes[name] = getattr(other, name)
        if self.consent_date is None and other.consent_date is not None:
            changes["consent_date"] = other.consent_date
        for name in ("languages", "beats", "lists"):
            mine = getattr(self, name)
            extra = tuple(item for item in getattr(other, name) if item not in mine)
            if extra:
                changes[name] = (*mine, *extra)
        return replace(self, **changes) if changes else self


@dataclass(frozen=True, slots=True)
class Suppressed:
    """An address that asked to be removed: never added again by an import."""

    email: str
    since: dt.date
    reason: str = ""
