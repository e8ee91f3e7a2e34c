"""Strict, safe YAML for front matter.

PyYAML's SafeLoader guesses YAML 1.1 types (`NO` -> False, `12:30` -> 750, `1.10` -> 1.1), expands
aliases (a 450-byte file becomes 800 MB) and keeps the last of duplicate keys without a word. So we only
*compose* with libyaml (fast, line numbers on every node) and build the values ourselves: aliases and
duplicate keys are errors, known fields stay exact text, and other values follow YAML 1.2's core schema.
Writing is our own small emitter: every string double-quoted, so no reader can guess it into another type.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import yaml

# libyaml is 6-7 x faster; without it PyYAML silently falls back to pure Python.
_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HAS_LIBYAML: bool = (
    bool(getattr(yaml, "__with_libyaml__", False)) and _BaseLoader is not yaml.SafeLoader
)
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Composes only. Implicit tags are decided in `_scalar` from the text and its style, so
    PyYAML's regex resolver (YAML 1.1 guessing, run in Python for every scalar) is skipped:
    that halves the cost of composing."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"0|-?[1-9][0-9]*")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_MAX_DEPTH = 32


class YamlError(Exception):
    """A problem in the YAML text; `line` is 1-based within that text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_mapping(
    text: str, exact_text_keys: frozenset[str] = frozenset(), first_line: int = 1
) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse `text` as one YAML mapping. Returns the values and the line of each top-level key.

    Lines count from `first_line` (the file line where `text` starts), in values and in errors.

    Values under `exact_text_keys` keep every scalar as written (strings; null-like plain scalars
    become None); other values follow YAML 1.2's core schema.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise YamlError(*_syntax_error(error, text, first_line)) from None
    except yaml.YAMLError as error:
        raise YamlError(f"YAML syntax error: {error}", None) from None
    except RecursionError:
        raise YamlError("YAML is nested too deeply", None) from None
    if root is None:
        return {}, {}
    if not isinstance(root, yaml.MappingNode):
        raise YamlError(
            "front matter must be 'key: value' lines", root.start_mark.line + first_line
        )
    # An alias needs an anchor (&name); without any '&' in the text there is nothing to track.
    builder = _Builder(first_line, track_aliases="&" in text)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        key = builder.key(key_node)
        if key in values:
            raise YamlError(
                f"duplicate key '{key}' (first on line {lines[key]})", builder.line(key_node)
            )
        lines[key] = builder.line(key_node)
        values[key] = builder.value(value_node, key in exact_text_keys, 1)
    return values, lines


def _syntax_error(
    error: yaml.MarkedYAMLError, text: str, first_line: int
) -> tuple[str, int | None]:
    """PyYAML's error as a message and a line: where the mistake is. For a construct left open
    that is where it opens (PyYAML's `context_mark`), not where the parser gave up (its
    `problem_mark`, often lines later or at the end of the text)."""
    problem = error.problem or error.context or "invalid YAML"
    context = error.context or ""
    opened = error.context_mark
    if opened is not None and "quoted scalar" in context and "unexpected" in problem:
        # `title: "abc` with no closing quote: the value runs on over every line after it, up
        # to the end of the text, where the parser stops; the quote is the mistake.
        quote = text[opened.index : opened.index + 1] or '"'
        return (
            f"YAML syntax error: the quote {quote} opened on this line is never closed",
            opened.line + first_line,
        )
    mark = error.problem_mark or opened
    if mark is None:
        return f"YAML syntax error: {problem}", None
    line = mark.line
    runaway = _quote_ending_on(text, line) if mark is error.problem_mark else None
    if runaway is not None:
        # `title: "abc` followed by `status: "published"`: the quote left open on line 2 closes
        # at the first quote of line 3, and the parser breaks there; line 2 is the mistake.
        quote = text[runaway.index : runaway.index + 1]
        return (
            f"YAML syntax error: the quote {quote} opened on this line runs on to line "
            f"{line + first_line} ({problem}); close it on this line",
            runaway.line + first_line,
        )
    if not text[mark.index :].strip():
        # Noticed only at the end of the text (an unclosed bracket): point at the last line with
        # text, where the unclosed construct usually is.
        filled = [n for n, content in enumerate(text.split("\n")) if content.strip()]
        line = filled[-1] if filled else 0
    message = f"YAML syntax error: {problem}"
    if opened is not None and "flow" in context and opened.line != line:
        # a [list] or {mapping} over several lines: where it opens helps find the missing bracket
        bracket = text[opened.index : opened.index + 1]
        message += f" (in the {bracket} opened on line {opened.line + first_line})"
    return message, line + first_line


def _quote_ending_on(text: str, line: int) -> yaml.Mark | None:
    """Where a quoted value that spans lines and ends on `line` opens, if one does (scanned again
    up to that line: only on this error path)."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line > line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == line
            ):
                found = token.start_mark
    except yaml.YAMLError:
        pass
    return found


class _Builder:
    def __init__(self, first_line: int, track_aliases: bool = True) -> None:
        self.seen: set[int] | None = set() if track_aliases else None
        self.first_line = first_line

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.first_line

    def _check(self, node: yaml.Node, depth: int) -> None:
        # The composer hands back the very same node object for every alias of an anchor.
        if self.seen is not None:
            if id(node) in self.seen:
                raise YamlError(
                    "YAML aliases (*name) are not allowed in front matter; write the value out "
                    "instead of &anchoring it",
                    self.line(node),
                )
            self.seen.add(id(node))
        if depth > _MAX_DEPTH:
            raise YamlError("YAML is nested too deeply", self.line(node))
        if node.tag not in _STANDARD_TAGS:
            raise YamlError(f"unsupported YAML tag '{node.tag}'", self.line(node))

    def key(self, node: yaml.Node) -> str:
        self._check(node, 0)
        if not isinstance(node, yaml.ScalarNode):
            raise YamlError("keys must be plain names", self.line(node))
        return str(node.value)

    def value(self, node: yaml.Node, exact: bool, depth: int) -> Any:
        self._check(node, depth)
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node, exact)
            except ValueError:  # int() refuses more than 4,300 digits
                raise YamlError(
                    f"a number of {len(node.value)} digits cannot be read; quote it as text",
                    self.line(node),
                ) from None
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, exact, depth + 1) for item in node.value]
        assert isinstance(node, yaml.MappingNode)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key in mapping:
                raise YamlError(f"duplicate key '{key}'", self.line(key_node))
            mapping[key] = self.value(value_node, exact, depth + 1)
        return mapping


def _scalar(node: yaml.ScalarNode, exact: bool) -> Any:
    text: str = node.value
    if node.style:  # quoted or block scalar: always text (plain is None in PyYAML, "" in libyaml)
        return text
    if text in _NULLS:
        return None
    if exact:
        return text
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    return text


# ---------------------------------------------------------------------------------------------------
# Writing

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML11_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"])


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == '"':
        return '\\"'
    if char == "\\":
        return "\\\\"
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029, 0xFEFF)
        or (0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF))
    ):
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]')


def quote(text: str) -> str:
    """A YAML double-quoted scalar that every YAML reader reads back as exactly `text`."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + "".join(_escape_char(char) for char in text) + '"'


def _key(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML11_WORDS:
        return key
    return quote(key)


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return quote(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def dump_mapping(data: Mapping[str, Any]) -> str:
    """Block-style YAML for a mapping, in the mapping's own key order, ending in a newline."""
    out: list[str] = []
    _emit_mapping(data, 0, out.append)
    return "".join(out)


def _emit_mapping(data: Mapping[str, Any], indent: int, write: Callable[[str], None]) -> None:
    pad = " " * indent
    for key, value in data.items():
        _emit_entry(f"{pad}{_key(key)}:", value, indent, write)


def _emit_entry(head: str, value: Any, indent: int, write: Callable[[str], None]) -> None:
    if isinstance(value, Mapping):
        if not value:
            write(f"{head} {{}}\n")
            return
        write(head + "\n")
        _emit_mapping(value, indent + 2, write)
    elif isinstance(value, list | tuple):
        if not value:
            write(f"{head} []\n")
            return
        write(head + "\n")
        _emit_sequence(value, indent + 2, write)
    else:
        write(f"{head} {_scalar_text(value)}\n")


def _emit_sequence(items: Any, indent: int, write: Callable[[str], None]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and item:
            # "- key: value" with the following keys lined up under the first
            first = True
            for key, value in item.items():
                prefix = f"{pad}- " if first else f"{pad}  "
                _emit_entry(f"{prefix}{_key(key)}:", value, indent + 2, write)
                first = False
        elif isinstance(item, list | tuple) and item:
            write(f"{pad}-\n")
            _emit_sequence(item, indent + 2, write)
        elif isinstance(item, Mapping | list | tuple):
            write(f"{pad}- {'{}' if isinstance(item, Mapping) else '[]'}\n")
        else:
            write(f"{pad}- {_scalar_text(item)}\n")
