"""Safe parsing of the flat `<xml>` documents WeCom and WeChat send.

The standard library's expat-based parser expands internal entities, so an entity bomb
("billion laughs") inside a DOCTYPE can eat memory. `defusedxml` is not available, so we refuse
any markup declaration (`<!DOCTYPE`, `<!ENTITY`, ...) before the parser sees the document, parse
only UTF-8 text that we decoded ourselves (no encoding tricks), and cap the size.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MAX_XML_BYTES = 64 * 1024

_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)


class UnsafeXml(ValueError):
    """Refused: too large, not UTF-8, carries a DOCTYPE/ENTITY, or is not well-formed."""


def parse_flat_xml(data: bytes | str, max_bytes: int = MAX_XML_BYTES) -> dict[str, str]:
    """The text of each direct child of the `<xml>` root, by tag name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise UnsafeXml("document too large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeXml("not UTF-8") from exc
    text = _DECLARATION.sub("", text, count=1)
    # Outside CDATA sections (where a user may type anything), "<!" can only open a declaration or comment.
    if "<!" in _CDATA.sub("", text):
        raise UnsafeXml("markup declarations (DOCTYPE/ENTITY) are not accepted")
    try:
        parser = ET.XMLParser()
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        raise UnsafeXml("malformed XML") from exc
    if root.tag != "xml":
        raise UnsafeXml("root element must be <xml>")
    return {child.tag: (child.text or "") for child in root}
