"""markdown: front-matter files from prcli and from other tools (Hugo, Jekyll).

Hugo and Jekyll names are mapped (title, date, draft, tags, categories, publishDate, expiryDate,
translationKey, description, summary, lang); every other field is kept under `extra`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from prcli import fileformat, safeyaml
from prcli.clock import in_range
from prcli.errors import InvalidRelease, InvalidValue
from prcli.ids import id_problem
from prcli.importers.base import Candidate, ImportContext, ImportError_
from prcli.model import HistoryEntry, Release, Status

_MAPPED = {
    "title",
    "date",
    "draft",
    "tags",
    "categories",
    "category",
    "publishdate",
    "expirydate",
    "translationkey",
    "description",
    "summary",
    "lang",
    "language",
    "subtitle",
    "lastmod",
    "keywords",
}


def _as_datetime(value: Any, context: ImportContext) -> datetime | None:
    """A front-matter time; without an offset, in the repository's timezone. Refused (not
    dropped) when outside the years prcli can compute with."""
    moment = _parse_datetime(value, context)
    if moment is not None:
        try:
            in_range(moment, moment.isoformat(), context.settings.timezone)
        except InvalidValue as error:
            raise ImportError_(error.message, hint="check the year") from None
    return moment


def _parse_datetime(value: Any, context: ImportContext) -> datetime | None:
    tz = context.settings.timezone
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), tzinfo=tz)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return None


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def free_values(extra: dict[str, Any]) -> dict[str, Any]:
    """Other tools' fields as prcli keeps them under `extra`: dates, date-times and times of day as
    ISO text; anything JSON cannot carry (NaN, infinity, 64-bit overflow, deep nesting) refused."""
    from prcli import codec

    def plain(value: Any) -> Any:
        if isinstance(value, date | datetime | time):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    try:
        converted: dict[str, Any] = plain(extra)
        codec.check_free_value("extra", converted)
    except RecursionError:
        raise ImportError_("the front matter is nested too deeply") from None
    except codec.FieldError as error:
        raise ImportError_(error.message, hint=error.hint) from None
    return converted


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return ()


class _Markdown:
    name = "markdown"

    def read(self, text: str, context: ImportContext) -> list[Candidate]:
        from prcli.releasefile import parse_release

        try:
            entry = parse_release(Path("import.md"), text.encode("utf-8"))
            release = entry.release
            return [Candidate(release, source_id=release.id, keep_id=True)]
        except InvalidRelease:
            pass  # not a prcli release: read it as another tool's front matter
        try:
            fmt, front, body, _ = fileformat.split(text)
        except fileformat.FormatError as error:
            raise ImportError_(error.message, hint=error.hint) from None
        if fmt == "yaml":
            try:
                data, _ = safeyaml.load_mapping(front)
            except safeyaml.YamlError as error:
                raise ImportError_(f"line {error.line}: {error.message}") from None
        else:
            try:
                data = fileformat.parse_toml(front)
            except fileformat.FormatError as error:
                where = f"line {error.line}: " if error.line else ""
                raise ImportError_(where + error.message, hint=error.hint) from None
        return [self._candidate(data, body, context)]

    def _candidate(self, data: dict[str, Any], body: str, context: ImportContext) -> Candidate:
        fields = {key.lower(): value for key, value in data.items()}
        if isinstance(fields.get("id"), str) and id_problem(fields["id"]):
            # A release file from prcli (or a tool like it) whose id could not be a file name or a
            # link: refused, never imported under a new id with the hostile one kept aside.
            raise ImportError_(
                f"unsafe id {str(fields['id'])[:80]!r}: {id_problem(fields['id'])}",
                hint="give the release a plain id (ASCII letters, digits and hyphens)",
            )
        title = _str(fields.get("title")).strip()
        if not title:
            raise ImportError_("the front matter has no title")
        moment = _as_datetime(fields.get("date"), context) or _as_datetime(
            fields.get("publishdate"), context
        )
        if moment is None:
            raise ImportError_("the front matter has no readable date", hint="add date: YYYY-MM-DD")
        publish_at = _as_datetime(fields.get("publishdate"), context)
        expiry = _as_datetime(fields.get("expirydate"), context)
        draft = fields.get("draft") is True
        status = context.status or (Status.DRAFT if draft else Status.PUBLISHED)
        notes: list[str] = []
        # Hugo and Jekyll do not publish a page before its publishDate (or a future date): such a
        # page comes in scheduled, never as published news before its time.
        goes_out = max(m for m in (moment, publish_at) if m is not None)
        scheduled: datetime | None = None
        if status is Status.PUBLISHED and goes_out > context.now:
            status, scheduled = Status.APPROVED, goes_out
            notes.append(
                f"dated {goes_out.isoformat()}, in the future: imported as approved and "
                "scheduled, not public; `prcli publish --due` publishes it then"
            )
        elif status is Status.APPROVED and publish_at and publish_at > context.now:
            scheduled = publish_at
        categories = _texts(fields.get("categories")) or _texts(fields.get("category"))
        extra = free_values(
            {key: value for key, value in data.items() if key.lower() not in _MAPPED}
        )
        release = Release(
            id="",
            title=title,
            subtitle=_str(fields.get("subtitle")),
            summary=_str(fields.get("summary")) or _str(fields.get("description")),
            status=status,
            category=categories[0] if categories else "",
            language=_str(fields.get("language"))
            or _str(fields.get("lang"))
            or context.settings.default_language,
            date=moment.astimezone(context.settings.timezone).date(),
            publish_at=scheduled,
            expires=expiry.date() if expiry else None,
            issuer=context.settings.default_issuer,
            tags=_texts(fields.get("tags")) or _texts(fields.get("keywords")),
            translation_key=_str(fields.get("translationkey")),
            created=moment,
            updated=_as_datetime(fields.get("lastmod"), context) or moment,
            history=(
                HistoryEntry(status, context.now, context.actor, "imported from front matter"),
            ),
            extra=extra,
            body=body,
        )
        return Candidate(release, notes=tuple(notes))


MARKDOWN = _Markdown()
