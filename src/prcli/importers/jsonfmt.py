"""json and jsonl: prcli's own export records (docs/formats.md), read back into identical releases."""

from __future__ import annotations

from typing import Any

from prcli import codec
from prcli.importers.base import Candidate, ImportContext, ImportError_, load_json

# Keys of a record that are not front-matter fields.
_RECORD_ONLY = ("translations", "path", "body", "unknown")


def record_to_candidate(record: Any) -> Candidate:
    if not isinstance(record, dict):
        raise ImportError_("each record must be a JSON object")
    if "headlines" in record or ("uri" in record and "id" not in record):
        raise ImportError_("this looks like ninjs, not a prcli record", hint="use --from ninjs")
    if "body" not in record and "path" in record:
        # `prcli list --format json` lists releases without their bodies (and with their path):
        # importing that would make releases with no text.
        raise ImportError_(
            "this record has no body: it looks like `prcli list --format json` output",
            hint="export the releases whole with `prcli export --format json` and import that",
        )
    metadata = {key: value for key, value in record.items() if key not in _RECORD_ONLY}
    for key in ("history", "contacts", "attachments", "silence"):
        # records spell every part in full; the front matter leaves empty parts out
        if isinstance(metadata.get(key), list):
            metadata[key] = [
                {k: v for k, v in item.items() if v not in ("", None)}
                if isinstance(item, dict)
                else item
                for item in metadata[key]
            ]
    unknown = record.get("unknown") or {}
    if not isinstance(unknown, dict):
        raise ImportError_(f"record {str(record.get('id', '?'))[:80]}: 'unknown' must be an object")
    metadata.update(unknown)
    body = record.get("body", "")
    if not isinstance(body, str):
        raise ImportError_("'body' must be text")
    from prcli.fileformat import normalize_body

    try:
        release = codec.decode(metadata, normalize_body(body))
    except codec.FieldError as error:
        raise ImportError_(
            f"record {str(record.get('id', '?'))[:80]!r}: {error.message}", hint=error.hint
        ) from None
    return Candidate(release, source_id=release.id, keep_id=True)


class _Json:
    name = "json"

    def read(self, text: str, context: ImportContext) -> list[Candidate | ImportError_]:
        data = load_json(text)
        records = data if isinstance(data, list) else [data]
        return [_candidate_or_error(record) for record in records]


class _JsonLines:
    name = "jsonl"

    def read(self, text: str, context: ImportContext) -> list[Candidate | ImportError_]:
        candidates: list[Candidate | ImportError_] = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = load_json(line)
            except ImportError_ as error:
                candidates.append(ImportError_(f"line {number}: {error.message}", hint=error.hint))
                continue
            candidates.append(_candidate_or_error(record, f"line {number}: "))
        return candidates


def _candidate_or_error(record: Any, where: str = "") -> Candidate | ImportError_:
    try:
        return record_to_candidate(record)
    except ImportError_ as error:
        return ImportError_(where + error.message, hint=error.hint)


JSON = _Json()
JSONL = _JsonLines()
