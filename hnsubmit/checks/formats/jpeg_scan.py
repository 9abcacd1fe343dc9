"""The entropy-coded data of one JPEG scan, judged without decoding it: what libjpeg calls
"Corrupt JPEG data" but Pillow and ffmpeg decode without complaint.

Inside a scan every 0xFF is followed by 0x00 (a stuffed data byte), by a fill 0xFF, or by a restart
marker RST0–7; RSTs come in the order 0, 1, …, 7, 0, … and there is one after every restart interval
but the last, so a scan of M MCUs with interval R holds ceil(M / R) − 1 of them.  Overwritten or
spliced data breaks one of these with high probability; the checks run in C (regex, bytes
comparison), so a clean scan costs a few microseconds per kilobyte.  Garbage that contains none of
these bytes can only be found by Huffman decoding: jpeg_huffman does that for a budgeted sample of
restart intervals once these checks pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DAMAGE = 32  # places recorded per file; the count goes on

_RST = re.compile(rb"\xff([\xd0-\xd7])")
_BAD = re.compile(rb"\xff[\x01-\xbf]")  # no marker has these codes (TEM 0x01 is never inside a scan)
_ANY = re.compile(rb"\xff([\x01-\xbf\xd0-\xd7])")
_NOT_RST = bytes(range(0x01, 0xC0))
_CYCLE = bytes(range(0xD0, 0xD8))


@dataclass(frozen=True)
class Damage:
    """One damaged place: `kind` is "marker" (args: byte), "order" (expected, found) or "count"
    (scan, expected, found)."""

    offset: int
    kind: str
    args: tuple[int, ...] = ()


@dataclass
class ScanDamage:
    places: list[Damage] = field(default_factory=list)
    total: int = 0

    def add(self, damage: Damage) -> None:
        self.total += 1
        if len(self.places) < MAX_DAMAGE:
            self.places.append(damage)


def check(data, start: int, end: int, scan: int, mcus: int | None, interval: int, out: ScanDamage) -> None:
    """Judge the entropy-coded bytes data[start:end] of scan number `scan` (1-based).  `mcus` is
    None when the count cannot be known (unknown components, a DNL-set height)."""
    seen = b"".join(_ANY.findall(data, start, end))  # one pass: what follows each unstuffed 0xFF
    found = seen.translate(None, _NOT_RST)
    if len(found) != len(seen):  # the rare path: where the bad ones are
        for m in _BAD.finditer(data, start, end):
            out.add(Damage(m.start(), "marker", (data[m.start() + 1],)))
    expected_len = -(-mcus // interval) - 1 if (mcus is not None and interval) else None
    cycle = (_CYCLE * (len(found) // 8 + 1))[: len(found)]
    if found != cycle:
        for i, m in enumerate(_RST.finditer(data, start, end)):
            if m.group(1)[0] != cycle[i]:
                out.add(Damage(m.start(), "order", (cycle[i] - 0xD0, m.group(1)[0] - 0xD0)))
                break
    if expected_len is not None and len(found) != expected_len:
        out.add(Damage(end, "count", (scan, max(0, expected_len), len(found))))
    elif not interval and found:
        out.add(Damage(start, "count", (scan, 0, len(found))))


def intervals(data, start: int, end: int) -> list[tuple[int, int]]:
    """The byte ranges of a scan's restart intervals (each up to its RST marker, the last to `end`)."""
    out, pos = [], start
    for m in _RST.finditer(data, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def mcu_count(width: int, height: int, sampling: dict[int, tuple[int, int]], scan_ids: tuple[int, ...]) -> int | None:
    """MCUs in a scan (T.81 A.2): interleaved scans count MCUs of the largest sampling factors,
    a one-component scan counts that component's 8×8 blocks."""
    if not sampling or not scan_ids or height == 0 or any(c not in sampling for c in scan_ids):
        return None
    hmax = max(h for h, _ in sampling.values()) or 1
    vmax = max(v for _, v in sampling.values()) or 1
    if len(scan_ids) == 1:
        h, v = sampling[scan_ids[0]]
        cw, ch = -(-width * h // hmax), -(-height * v // vmax)
        return -(-cw // 8) * -(-ch // 8)
    return -(-width // (8 * hmax)) * -(-height // (8 * vmax))
