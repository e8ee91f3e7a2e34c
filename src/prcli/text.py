"""Text helpers shared by the core and the CLI: folding for search, cleaning for display."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition leaves alone but a reader treats as the plain letter.
_FOLD_EXTRA = (("ə", "e"), ("Ə", "e"), ("ı", "i"), ("ø", "o"), ("đ", "d"), ("ł", "l"), ("ß", "ss"))
# ANSI/VT escape sequences (CSI, OSC, single-character escapes) and the remaining C0/C1 controls.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # other controls (keeps \t and \n)
)
_BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# Combining marks left after NFKD decomposition (Latin, Cyrillic and general diacritics).
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form: 'Şuşa' -> 'susa', 'Ёлка' -> 'елка', 'Əli' -> 'eli'."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", _plain_letters(text))
    # A regex, not a per-character loop: this runs over every body for `list --query`.
    return _plain_letters(_COMBINING.sub("", decomposed).casefold())


def _plain_letters(text: str) -> str:
    # str.replace, not str.translate with a table: translate is 5 x slower on long non-Latin text.
    for letter, plain in _FOLD_EXTRA:
        if letter in text:
            text = text.replace(letter, plain)
    return text


def for_terminal(text: str) -> str:
    """User text made safe to print: no escape sequences, no controls, no bidi overrides."""
    return _BIDI_AND_INVISIBLE.sub("", _ESCAPES.sub("", text))


def one_line(text: str) -> str:
    return " ".join(for_terminal(text).split())
