"""Safe parsing of the flat `<xml>` documents WeCom and WeChat send.

The parse is `defusedxml.ElementTree`'s: a DOCTYPE (and with it every entity declaration, so no
"billion laughs" and no external entity) is refused by the parser itself, as are entity and external
references. On top of that we cap the size, parse only UTF-8 text that we decoded ourselves (no
encoding tricks), refuse comments and processing instructions (Tencent never sends them), and
require the root to be `<xml>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

MAX_XML_BYTES = 64 * 1024


class UnsafeXml(ValueError):
    """Refused: too large, not UTF-8, carries a DOCTYPE/ENTITY, or is not well-formed."""


class _FlatTreeBuilder(ET.TreeBuilder):
    """A tree builder that refuses comments and processing instructions anywhere in the document."""

    def comment(self, text: str | None) -> ET.Element:
        raise UnsafeXml("comments are not accepted")

    def pi(self, target: str, text: str | None = None) -> ET.Element:
        raise UnsafeXml("processing instructions are not accepted")


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
    try:
        parser = DefusedXMLParser(
            target=_FlatTreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as exc:
        raise UnsafeXml(f"refused: {type(exc).__name__}") from exc
    except ET.ParseError as exc:
        raise UnsafeXml("malformed XML") from exc
    if root.tag != "xml":
        raise UnsafeXml("root element must be <xml>")
    return {child.tag: (child.text or "") for child in root}
