"""GPS properties in an XMP packet: find them, and write the packet again without them.

Cameras and editors copy the EXIF position into XMP (exif:GPSLatitude / exif:GPSLongitude), and
drones write their own (drone-dji:GpsLatitude, even misspelt GpsLongtitude), so stripping only the
EXIF GPS IFD would leave the place where a photo was taken in the file.  Properties are matched by
local name in any namespace, written as attributes or as elements.  XMP never needs a DTD, so a
packet that declares one is not parsed (no entity expansion); its GPS is then found by a byte search.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree
# lxml (~50 ms to import) is loaded by the functions that parse a packet: a photo without XMP, the
# common case of `hnsubmit check one.jpg`, never needs it (issue 19, P1)

# Local names that place something on a map (lower-cased): latitude and longitude, own or destination.
_POSITION = re.compile(r"^gps(dest)?(latitude|longitude|longtitude)(ref)?$")
_ANY_GPS = re.compile(r"^gps")
_BYTES_POSITION = re.compile(rb"gps(?:dest)?(?:latitude|longitude|longtitude)", re.IGNORECASE)
MAX_PACKET = 16 * 1024 * 1024  # an XMP packet in JPEG is at most 64 KB, extended XMP a few MB
# A DTD in a UTF-8 or UTF-16 packet (XMP may be either; lxml reads both).
_DTD_MARKS = tuple(m.encode(e) for m in ("<!DOCTYPE", "<!ENTITY") for e in ("utf-8", "utf-16-le", "utf-16-be"))


def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(packet: bytes):
    if len(packet) > MAX_PACKET or any(mark in packet for mark in _DTD_MARKS):
        return None
    packet = _without_padding(packet)
    from lxml import etree

    try:
        return etree.fromstring(packet, _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _without_padding(packet: bytes) -> bytes:
    """The packet without the NULs that pad its segment.  A UTF-16 packet (BOM, or a NUL in its first
    two bytes) keeps whole 16-bit units: in UTF-16LE its closing ">" is itself followed by a NUL."""
    trimmed = packet.rstrip(b"\x00")
    if packet[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in packet[:2]:
        return packet[: len(trimmed) + len(trimmed) % 2]  # whole 16-bit units
    return trimmed


def _local(name: str) -> str:
    from lxml import etree

    return etree.QName(name).localname.lower() if name.startswith("{") else name.split(":")[-1].lower()


def _gps_nodes(root, pattern: re.Pattern):
    """(element, attribute-or-None) for every property whose local name matches `pattern`."""
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        for attr in el.attrib:
            if pattern.match(_local(attr)):
                yield el, attr
        if pattern.match(_local(el.tag)):
            yield el, None


def position_properties(packet: bytes) -> list[str]:
    """Names of the properties that hold a position; a byte search when the packet does not parse."""
    root = _parse(packet)
    if root is None:
        narrow = packet.replace(b"\x00", b"")  # UTF-16 text is ASCII once its NULs are gone
        return sorted({m.group(0).decode("ascii", "replace") for m in _BYTES_POSITION.finditer(narrow)})
    from lxml import etree

    names = set()
    for el, attr in _gps_nodes(root, _POSITION):
        names.add(etree.QName(attr if attr else el.tag).localname)
    return sorted(names)


# An XMP GPS coordinate: "DDD,MM.mmk", "DDD,MM,SSk" (the XMP form of EXIF's) or a decimal (drones).
_COORDINATE = re.compile(r"^\s*[+-]?\d+(\.\d+)?(,\d+(\.\d+)?){0,2}\s*[NSEWnsew]?\s*$")
_LATITUDE = re.compile(r"^gps(dest)?latitude$")
_LONGITUDE = re.compile(r"^gps(dest)?(longitude|longtitude)$")


def has_position(packet: bytes) -> bool:
    """Whether a position can be computed, as exiftool's GPSPosition needs: a latitude and a longitude
    (own or destination) with coordinate values.  Empty or unreadable values are no position.  A packet
    that does not parse keeps the byte search: a position may be in it, and nothing can tell."""
    root = _parse(packet)
    if root is None:
        return bool(position_properties(packet))
    found = {"lat": False, "lon": False}
    for el, attr in _gps_nodes(root, _POSITION):
        name = _local(attr if attr else el.tag)
        value = el.get(attr) if attr else "".join(el.itertext())
        if not _COORDINATE.match(value or ""):
            continue
        if _LATITUDE.match(name):
            found["lat"] = True
        elif _LONGITUDE.match(name):
            found["lon"] = True
    return found["lat"] and found["lon"]


def without_gps(packet: bytes) -> bytes | None:
    """The packet with every GPS* property removed; the same object when there is none; None when
    it cannot be parsed (the caller drops it)."""
    root = _parse(packet)
    if root is None:
        return None
    found = list(_gps_nodes(root, _ANY_GPS))
    if not found:
        return packet
    for el, attr in found:
        if attr is not None:
            del el.attrib[attr]
    for el, attr in found:
        if attr is None and el.getparent() is not None:
            el.getparent().remove(el)
    from lxml import etree

    return etree.tostring(root.getroottree(), encoding="utf-8")
