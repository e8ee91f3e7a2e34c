"""The one way prcli writes XML (Atom, RSS, and any later XML output such as sitemaps).

ElementTree escapes `<`, `&` and quotes, but it happily writes characters XML 1.0 cannot carry at all
(C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and U+FFFF): one such character in a
title, an id or a language makes the whole feed unreadable. `serialise` cleans every text, tail,
attribute name and value of the tree first, so no field can break the document.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from prcli.exporters.htmlsafe import clean_text


def clean_tree(root: ET.Element) -> None:
    """Remove what XML cannot carry (and hidden or reordering characters) from the whole tree."""
    for element in root.iter():
        if element.text:
            element.text = clean_text(element.text)
        if element.tail:
            element.tail = clean_text(element.tail)
        if element.attrib:
            element.attrib = {
                clean_text(name): clean_text(value) for name, value in element.attrib.items()
            }


def serialise(root: ET.Element) -> str:
    """The document as text with an XML declaration, indented, safe to parse."""
    clean_tree(root)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
