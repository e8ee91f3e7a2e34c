"""Release files: split front matter from body, parse it strictly, and write it back canonically.

A release file is UTF-8 text with LF line endings:

    ---                      (or +++ for TOML front matter)
    id: "2021-10-15-..."
    ...
    ---
    <blank line>
    Markdown body

python-frontmatter is not used on this path: it drops metadata after a BOM, turns an unclosed front
matter into body text, sorts keys and trims the body. Reading is ours so every one of those cases is
either handled or reported with its line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

FrontMatterFormat = Literal["yaml", "toml"]

DELIMITERS: dict[FrontMatterFormat, str] = {"yaml": "---", "toml": "+++"}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# A top-level `key =` line, or a `[table]` / `[[array]]` header naming its first key.
_TOML_KEY = re.compile(
    r'^[ \t]*(?:"([^"]+)"|([A-Za-z0-9_-]+))[ \t]*=|^[ \t]*\[\[?[ \t]*(?:"([^"]+)"|([A-Za-z0-9_-]+))',
    re.MULTILINE,
)


class FormatError(Exception):
    """A file that is not a readable release document; `line` is 1-based in the file."""

    def __init__(self, message: str, line: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Document:
    """The parts of a release file before their values are checked against the release fields."""

    format: FrontMatterFormat
    metadata: dict[str, Any]
    key_lines: dict[str, int]  # 1-based line in the file of each top-level key
    body: str
    body_line: int  # 1-based line in the file where the body starts


def decode_bytes(data: bytes) -> str:
    """UTF-8 text with a BOM removed and every line ending turned into LF."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FormatError(
            "binary content (a NUL byte), not a text release",
            data.count(b"\n", 0, nul) + 1,
            "release files are UTF-8 Markdown; move other files out of releases/",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x})",
            data.count(b"\n", 0, error.start) + 1,
            "re-save the file as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def normalize_body(body: str) -> str:
    """The body as stored in a Release: LF line endings, no trailing newlines."""
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body.rstrip("\n")


def split(text: str) -> tuple[FrontMatterFormat, str, str, int]:
    """Split normalised text into (format, front matter, body, body line)."""
    for fmt, delimiter in DELIMITERS.items():  # noqa: B007 - both are used after the loop
        if text.startswith(delimiter + "\n") or text == delimiter:
            break
    else:
        first = text.split("\n", 1)[0].strip()
        if first in DELIMITERS.values() or first.startswith(("---", "+++")):
            raise FormatError(
                f"front matter opens with '{first}'", 1, "the first line must be exactly --- or +++"
            )
        raise FormatError(
            "no front matter", 1, "a release starts with a line '---', its fields, and '---'"
        )
    closing = re.compile(rf"^{re.escape(delimiter)}[ \t]*$", re.MULTILINE)
    match = closing.search(text, len(delimiter) + 1)
    if match is None:
        raise FormatError(
            "front matter opened on line 1 is never closed",
            1,
            f"add a line '{delimiter}' after the last field",
        )
    front = text[len(delimiter) + 1 : match.start()]
    rest = text[match.end() + 1 :]
    closing_line = text.count("\n", 0, match.start()) + 1
    body_line = closing_line + 1
    if rest.startswith("\n"):
        rest = rest[1:]
        body_line += 1
    return fmt, front, normalize_body(rest), body_line


def parse(text: str, exact_text_keys: frozenset[str] = frozenset()) -> Document:
    fmt, front, body, body_line = split(text)
    if fmt == "yaml":
        from prcli import safeyaml  # PyYAML is needed only when a file is actually parsed

        try:
            metadata, key_lines = safeyaml.load_mapping(front, exact_text_keys, first_line=2)
        except safeyaml.YamlError as error:
            raise FormatError(error.message, error.line) from None
    else:
        metadata, key_lines = _parse_toml(front)
    return Document(fmt, metadata, key_lines, body, body_line)


def parse_toml(front: str) -> dict[str, Any]:
    """TOML front matter; every problem (syntax, a number too long to read, nesting too deep for
    the parser) is a FormatError with the line where known. `front` starts on file line 2."""
    try:
        return tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) + 1 if found else None
        raise FormatError(
            f"TOML syntax error: {_TOML_LINE.sub('', message).strip()}", line
        ) from None
    except RecursionError:
        raise FormatError(
            "TOML is nested too deeply", None, "flatten the table or list (at most 32 levels)"
        ) from None
    except ValueError as error:  # int() refuses more than 4,300 digits
        raise FormatError(
            f"TOML value cannot be read: {str(error).split('; ')[0]}",
            None,
            "write very long numbers as text (quoted)",
        ) from None


def _parse_toml(front: str) -> tuple[dict[str, Any], dict[str, int]]:
    metadata = parse_toml(front)
    key_lines: dict[str, int] = {}
    for found in _TOML_KEY.finditer(front):
        key = found.group(1) or found.group(2) or found.group(3) or found.group(4)
        key_lines.setdefault(key, front.count("\n", 0, found.start()) + 2)
    return metadata, key_lines


def render(metadata: Mapping[str, Any], body: str, fmt: FrontMatterFormat = "yaml") -> str:
    """The canonical text of a release file. `metadata` is written in its own key order."""
    delimiter = DELIMITERS[fmt]
    if fmt == "yaml":
        from prcli import safeyaml

        front = safeyaml.dump_mapping(metadata)
    else:
        import tomli_w

        front = tomli_w.dumps(toml_ready(metadata))
    text = f"{delimiter}\n{front}{delimiter}\n"
    if body:
        text += f"\n{body}\n"
    return text


def toml_ready(value: Any) -> Any:
    """TOML has no null: drop None values (prcli never writes them for its own fields)."""
    if isinstance(value, Mapping):
        return {key: toml_ready(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [toml_ready(item) for item in value if item is not None]
    return value
