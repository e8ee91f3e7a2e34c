"""Bytes of an input file to text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1251."""

from __future__ import annotations

import re

from prcli.importers.base import ImportError_

_CYRILLIC = re.compile("[\u0400-\u04ff]")


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was in; ImportError_ when it is not text."""
    if not data.strip():
        raise ImportError_("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise(data.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError:
            raise ImportError_("starts like UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data:
        raise ImportError_("binary content (NUL bytes), not text")
    try:
        return _normalise(data.decode("utf-8-sig")), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Old Russian and Azerbaijani archives: Windows-1251. Accept it only when it reads as Cyrillic.
    text = data.decode("cp1251", errors="replace")
    letters = sum(char.isalpha() for char in text)
    if "\ufffd" not in text and letters and len(_CYRILLIC.findall(text)) / letters > 0.3:
        return _normalise(text), "Windows-1251"
    raise ImportError_("not UTF-8, UTF-16 or Windows-1251 text", hint="convert the file to UTF-8")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
