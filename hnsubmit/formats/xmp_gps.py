"""GPS properties in an XMP packet: find them, and write the packet again without them.

Cameras and editors copy the EXIF position into XMP (exif:GPSLatitude / exif:GPSLongitude), and
drones write their own (drone-dji:GpsLatitude, even misspelt GpsLongtitude), so stripping only the
EXIF GPS IFD would leave the place where a photo was taken in the file.  Properties are matched by
local name in any namespace, written as attributes or as elements.  XMP never needs a DTD, so a
packet that declares one is not parsed (no entity expansion); its GPS is then found by a byte search.
"""

from __future__ import annotations

import re

from lxml import etree

# Local names that place something on a map (lower-cased): latitude and longitude, own or destination.
_POSITION = re.compile(r"^gps(dest)?(latitude|longitude|longtitude)(ref)?$")
_ANY_GPS = re.compile(r"^gps")
_BYTES_POSITION = re.compile(rb"gps(?:dest)?(?:latitude|longitude|longtitude)", re.IGNORECASE)
MAX_PACKET = 16 * 1024 * 1024  # an XMP packet in JPEG is at most 64 KB, extended XMP a few MB


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(packet: bytes):
    if len(packet) > MAX_PACKET or b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return None
    try:
        return etree.fromstring(packet.rstrip(b"\x00"), _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(name: str) -> str:
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
        return sorted({m.group(0).decode("ascii", "replace") for m in _BYTES_POSITION.finditer(packet)})
    names = set()
    for el, attr in _gps_nodes(root, _POSITION):
        names.add(etree.QName(attr if attr else el.tag).localname)
    return sorted(names)


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
    return etree.tostring(root.getroottree(), encoding="utf-8")
