"""DTD-free XML from untrusted bytes: a tree for small parts, a tree-less event stream for large ones.

defusedxml refuses any DOCTYPE (so no entity is ever declared, expanded or fetched: no XXE, no
billion laughs).  The event stream hands out childless elements as the parser meets them, so memory
stays flat however many elements a part holds, and nesting is bounded.
"""

from __future__ import annotations

from typing import IO, Iterator
from xml.etree.ElementTree import Element, ParseError

from hnsubmit.checks.formats import strict

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

MAX_DEPTH = 1000  # Word's deepest structures (tables in tables in text boxes) stay far below this
CHUNK = 64 * 1024


class UnsafeXml(Exception):
    """The XML declares a DTD or entities; it was refused unread."""


class MalformedXml(Exception):
    """The XML is not well-formed (or nests beyond MAX_DEPTH)."""


def parse_tree(fh: IO[bytes]) -> Element:
    """The whole tree (small parts only), with Strict OOXML names read as Transitional."""
    try:
        root = SafeET.parse(fh, forbid_dtd=True, forbid_entities=True, forbid_external=True).getroot()
        prefix = strict.STRICT_PREFIX
        for elem in root.iter():  # every element of the part: strict.name only for a Strict tag
            if elem.tag.startswith(prefix):
                elem.tag = strict.name(elem.tag)
            attrib = elem.attrib
            if attrib:
                renamed = strict.attrs(attrib)
                if renamed is not attrib:
                    attrib.clear()
                    attrib.update(renamed)
        return root
    except DefusedXmlException:
        raise UnsafeXml() from None
    except ParseError as exc:
        raise MalformedXml(str(exc)) from None
    except (LookupError, ValueError) as exc:  # encoding="UTF-1" (no such codec), "gbk", "idna": expat asks Python's codecs
        raise MalformedXml(f"unsupported encoding in the XML declaration ({type(exc).__name__})") from None


def iter_events(fh: IO[bytes], text_tags: frozenset[str] = frozenset()) -> Iterator[tuple[str, Element]]:
    """("start"|"end", element) pairs; an element has its attributes and, for `text_tags`, its text.
    Strict OOXML names come out as Transitional ones."""
    target = _Events(text_tags)
    parser = SafeET.DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        while True:
            chunk = fh.read(CHUNK)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            yield from target.events
            target.events.clear()
            if not chunk:
                return
    except DefusedXmlException:
        raise UnsafeXml() from None
    except ParseError as exc:
        raise MalformedXml(str(exc)) from None
    except (LookupError, ValueError) as exc:  # encoding="UTF-1" (no such codec), "gbk", "idna": expat asks Python's codecs
        raise MalformedXml(f"unsupported encoding in the XML declaration ({type(exc).__name__})") from None


class _Events:
    """A parser target that records events instead of building a tree."""

    def __init__(self, text_tags: frozenset[str]) -> None:
        self.text_tags = text_tags
        self.events: list[tuple[str, Element]] = []
        self.stack: list[tuple[Element, list[str] | None]] = []

    def start(self, tag: str, attrib: dict) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise MalformedXml(f"elements nest deeper than {MAX_DEPTH} levels")
        elem = Element(strict.name(tag), strict.attrs(attrib))
        self.stack.append((elem, [] if elem.tag in self.text_tags else None))
        self.events.append(("start", elem))

    def end(self, tag: str) -> None:
        elem, text = self.stack.pop()
        if text is not None:
            elem.text = "".join(text)
        self.events.append(("end", elem))

    def data(self, data: str) -> None:
        if self.stack and self.stack[-1][1] is not None:
            self.stack[-1][1].append(data)

    def close(self) -> None:
        return None
