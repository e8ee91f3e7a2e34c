"""ninjs: IPTC News in JSON 1.x-3.x documents, one per file (or a JSON array / JSON Lines of them)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from prcli import codec
from prcli.clock import in_range
from prcli.errors import InvalidValue
from prcli.importers.base import Candidate, ImportContext, ImportError_, load_json
from prcli.importers.htmltomd import html_to_markdown
from prcli.model import HistoryEntry, Release, Status

_PUBSTATUS = {"usable": Status.PUBLISHED, "withheld": Status.DRAFT, "canceled": Status.RETRACTED}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _lower_keys(value: Any) -> Any:
    """ninjs 3.x camelCase names (versionCreated) to the 2.x ones (versioncreated)."""
    if isinstance(value, dict):
        return {key.lower(): _lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value


def _names(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    names = [
        (_text(item.get("name")) or _text(item.get("literal"))).strip()
        for item in items
        if isinstance(item, dict)
    ]
    return tuple(dict.fromkeys(name for name in names if name))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """Text fields as text; numbers as their digits; anything else (a list, a table) as nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _moment(value: Any, context: ImportContext, name: str, notes: list[str]) -> datetime | None:
    """A ninjs time. One without an offset is read in the repository's timezone (and said so);
    one outside the years prcli can compute with is refused."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        tz = context.settings.timezone
        moment = moment.replace(tzinfo=tz)
        notes.append(
            f"{name} {value.strip()} had no offset: read in {context.settings.timezone_name}"
        )
    try:
        in_range(moment, value, context.settings.timezone)
    except InvalidValue as error:
        raise ImportError_(f"{name}: {error.message}") from None
    return moment


def _body(doc: dict[str, Any]) -> str:
    bodies = [
        b
        for b in _list(doc.get("bodies"))
        if isinstance(b, dict) and isinstance(b.get("value"), str)
    ]
    by_type = {str(b.get("contenttype", "")).lower(): b["value"] for b in bodies}
    if "text/markdown" in by_type:
        return str(by_type["text/markdown"]).strip()
    for kind, value in by_type.items():
        if "html" in kind or "nitf" in kind or value.lstrip().startswith("<"):
            return html_to_markdown(value)
    if bodies:
        return "\n\n".join(p.strip() for p in str(bodies[0]["value"]).split("\n\n") if p.strip())
    if isinstance(doc.get("body_text"), str):  # ninjs 1.x
        return str(doc["body_text"]).strip()
    if isinstance(doc.get("body_html"), str):
        return html_to_markdown(doc["body_html"])
    return ""


def document_to_candidate(raw: dict[str, Any], context: ImportContext) -> Candidate:
    doc = _lower_keys(raw)
    headlines = [
        h
        for h in _list(doc.get("headlines"))
        if isinstance(h, dict) and _text(h.get("value")).strip()
    ]
    main = next(
        (h for h in headlines if h.get("role") in (None, "main")),
        headlines[0] if headlines else None,
    )
    title = _text(main["value"]).strip() if main else _text(doc.get("headline")).strip()
    notes: list[str] = []
    if not title and isinstance(doc.get("title"), str) and doc["title"].strip():
        title = doc["title"].strip()
        notes.append("no headline: the ninjs 'title' was used")
    if not title:
        raise ImportError_(
            "the ninjs document has no headline", hint="add headlines: [{role: main, value: ...}]"
        )
    sub = next((h for h in headlines if h.get("role") == "sub"), None)
    descriptions = [
        d for d in _list(doc.get("descriptions")) if isinstance(d, dict) and _text(d.get("value"))
    ]
    summary = next(
        (_text(d["value"]) for d in descriptions if d.get("role") in ("summary", "text", None)),
        "",
    )
    details = doc.get("eventdetails")
    event = details.get("dates") if isinstance(details, dict) else None
    event = event if isinstance(event, dict) else {}
    quiet: list[str] = []  # offsets of creation times are not worth a note
    created = _moment(doc.get("firstcreated"), context, "firstcreated", quiet) or _moment(
        doc.get("contentcreated"), context, "contentcreated", quiet
    )
    updated = (
        _moment(doc.get("versioncreated"), context, "versioncreated", quiet)
        or created
        or _moment(event.get("startdate"), context, "event start", quiet)
    )
    if updated is None:
        raise ImportError_(
            "the ninjs document has no date (versioncreated, firstcreated or event start)"
        )
    tz = context.settings.timezone
    status = context.status or _PUBSTATUS.get(
        _text(doc.get("pubstatus") or "usable").lower(), Status.PUBLISHED
    )
    embargo = _moment(doc.get("embargoed"), context, "embargoed", notes) or _moment(
        doc.get("embargoeduntil"), context, "embargoedUntil", notes
    )
    publish_at = None
    if embargo is not None and embargo > context.now and status is Status.PUBLISHED:
        # Never public before its embargo: approved and scheduled for the moment it lifts.
        status, publish_at = Status.APPROVED, embargo
        notes.append(
            f"under embargo until {embargo.isoformat()}: imported as approved, not public; "
            "`prcli publish --due` publishes it then"
        )
    category = _names(doc.get("genres"))
    language = _text(doc.get("language")) or context.settings.default_language
    uri = _text(doc.get("uri"))
    extra: dict[str, Any] = {"source_format": "ninjs"}
    for key in (
        "by",
        "copyrightholder",
        "copyrightnotice",
        "usageterms",
        "slugline",
        "ednote",
        "urgency",
    ):
        if doc.get(key) not in (None, ""):
            extra[key] = doc[key]
    try:
        codec.check_free_value("extra", extra)
    except codec.FieldError as error:
        raise ImportError_(error.message, hint=error.hint) from None
    release = Release(
        id="",
        title=title,
        subtitle=_text(sub["value"]).strip() if sub else "",
        summary=summary.strip(),
        status=status,
        category=category[0] if category else "",
        language=language,
        date=updated.astimezone(tz).date(),
        embargo_until=embargo,
        publish_at=publish_at,
        dateline=_text(doc.get("located")),
        issuer=context.settings.default_issuer,
        tags=_names(doc.get("subjects")),
        people=_names(doc.get("people")),
        organisations=_names(doc.get("organisations")),
        places=_names(doc.get("places")),
        created=(created or updated).astimezone(tz),
        updated=updated.astimezone(tz),
        history=(HistoryEntry(status, context.now, context.actor, "imported from ninjs"),),
        retraction="Withdrawn by the source (ninjs pubstatus canceled)."
        if status is Status.RETRACTED
        else "",
        extra=extra,
        body=_body(doc),
    )
    return Candidate(release, source_id=uri, notes=tuple(notes))


class _Ninjs:
    name = "ninjs"

    def read(self, text: str, context: ImportContext) -> list[Candidate | ImportError_]:
        stripped = text.strip()
        documents: list[Any] = []
        if stripped.startswith("["):
            loaded = load_json(stripped)
            documents = loaded if isinstance(loaded, list) else [loaded]
        elif "\n{" in stripped and not stripped.startswith("{\n"):
            for number, line in enumerate(stripped.splitlines(), 1):
                if line.strip():
                    try:
                        documents.append(load_json(line))
                    except ImportError_ as error:
                        documents.append(
                            ImportError_(f"line {number}: {error.message}", hint=error.hint)
                        )
        else:
            documents = [load_json(stripped)]
        return [self._one(doc, context) for doc in documents]

    @staticmethod
    def _one(doc: Any, context: ImportContext) -> Candidate | ImportError_:
        if isinstance(doc, ImportError_):
            return doc
        if not isinstance(doc, dict):
            return ImportError_("a ninjs document must be a JSON object")
        try:
            return document_to_candidate(doc, context)
        except ImportError_ as error:
            return error


NINJS = _Ninjs()
