"""markdown: front-matter files from prcli and from other tools (Hugo, Jekyll).

Hugo and Jekyll names are mapped (title, date, draft, tags, categories, publishDate, expiryDate,
translationKey, description, summary, lang); every other field is kept under `extra`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from prcli import fileformat, safeyaml
from prcli.errors import InvalidRelease
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
            import tomllib

            try:
                data = tomllib.loads(front)
            except tomllib.TOMLDecodeError as error:
                raise ImportError_(f"TOML: {error}") from None
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
        title = str(fields.get("title") or "").strip()
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
        categories = _texts(fields.get("categories")) or _texts(fields.get("category"))
        extra = {key: value for key, value in data.items() if key.lower() not in _MAPPED}
        extra = {
            key: value.isoformat() if isinstance(value, date | datetime) else value
            for key, value in extra.items()
        }
        release = Release(
            id="",
            title=title,
            subtitle=str(fields.get("subtitle") or ""),
            summary=str(fields.get("summary") or fields.get("description") or ""),
            status=status,
            category=categories[0] if categories else "",
            language=str(
                fields.get("language") or fields.get("lang") or context.settings.default_language
            ),
            date=moment.astimezone(context.settings.timezone).date(),
            publish_at=publish_at
            if status is Status.APPROVED and publish_at and publish_at > context.now
            else None,
            expires=expiry.date() if expiry else None,
            issuer=context.settings.default_issuer,
            tags=_texts(fields.get("tags")) or _texts(fields.get("keywords")),
            translation_key=str(fields.get("translationkey") or ""),
            created=moment,
            updated=_as_datetime(fields.get("lastmod"), context) or moment,
            history=(
                HistoryEntry(status, context.now, context.actor, "imported from front matter"),
            ),
            extra=extra,
            body=body,
        )
        return Candidate(release)


MARKDOWN = _Markdown()
