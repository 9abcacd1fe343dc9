"""Empty or cut XML elements in place, leaving every other byte of the part exactly as it was.

Re-serialising a parsed tree would rename namespace prefixes, drop declarations and requote
attributes; Word tolerates little of that in package parts.  Instead expat finds where each
element's tags start and end, and the edit splices bytes.  Callers have already parsed the part
with defusedxml (no DTD), so expat here only meets plain, entity-free XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping
from xml.parsers import expat

from hnsubmit.checks.formats import strict


@dataclass(frozen=True)
class Span:
    name: str  # "namespace-uri local-name"
    attrs: Mapping[str, str]
    start: int  # the "<" of the start tag
    inner_start: int  # just after the start tag
    inner_end: int  # the "<" of the end tag (== inner_start for <x/>)
    end: int  # just after the end tag


def _tag_end(xml: bytes, i: int) -> int:
    """Index just after the tag starting at `i`; a ">" inside a quoted attribute value is skipped."""
    quote = 0
    while i < len(xml):
        c = xml[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x3E:
            return i + 1
        i += 1
    raise ValueError("unterminated tag")


def spans(xml: bytes, want: Callable[[str, Mapping[str, str]], bool]) -> list[Span]:
    """Where every element for which want(name, attrs) is true starts and ends (UTF-8 parts only)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    open_: list[tuple[str, dict, int, int, bool] | None] = []
    found: list[Span] = []

    def start(name, attrs):
        uri, sep, local = name.rpartition(" ")
        name = f"{strict.NAMESPACES.get(uri, uri)} {local}" if sep else name  # Strict read as Transitional
        if not want(name, attrs):
            open_.append(None)
            return
        at = parser.CurrentByteIndex
        end = _tag_end(xml, at)
        open_.append((name, attrs, at, end, xml[end - 2] == 0x2F))

    def stop(name):
        item = open_.pop()
        if item is None:
            return
        name, attrs, at, inner, empty = item
        if empty:
            found.append(Span(name, attrs, at, inner, inner, inner))
        else:
            close = parser.CurrentByteIndex
            found.append(Span(name, attrs, at, inner, close, _tag_end(xml, close)))

    parser.StartElementHandler = start
    parser.EndElementHandler = stop
    parser.Parse(xml, True)
    return found


def edit(xml: bytes, empty: list[Span] = (), cut: list[Span] = ()) -> bytes:
    """`xml` with the content of `empty` elements removed and the `cut` elements removed whole."""
    ops = [(s.inner_start, s.inner_end) for s in empty] + [(s.start, s.end) for s in cut]
    out = xml
    for a, b in sorted(ops, reverse=True):
        out = out[:a] + out[b:]
    return out


def is_utf8(xml: bytes) -> bool:
    return not xml.startswith((b"\xff\xfe", b"\xfe\xff")) and b"UTF-16" not in xml[:100].upper()
