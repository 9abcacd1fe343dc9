"""A bounded walk over a JPEG's marker segments: frame type and size, APP payloads, scan start, EOI.

The walk reads nothing but markers and segment lengths, so the frame's width and height are known
before any decoder allocates pixels (the decompression-bomb guard), and the validator can name the
coding process (arithmetic, 12-bit, lossless) that browsers cannot show instead of a generic
"cannot decode".  The fixer reuses the segment offsets to splice metadata out without touching the
entropy-coded data.  Never raises on bad input: structural damage is reported in `problem`.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from hnsubmit.checks.formats import jpeg_huffman
from hnsubmit.checks.formats import jpeg_scan

MAX_SEGMENTS = 4096  # real files have a few dozen; a hostile one must not keep us walking
MAX_SCANS = 1024  # progressive files have ~10 scans; libjpeg-turbo warns from 1000 on

# SOFn markers; C4 (DHT), C8 (JPG) and CC (DAC) sit in the same range but are not frames.
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
ARITHMETIC = frozenset({0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
LOSSLESS = frozenset({0xC3, 0xC7, 0xCB, 0xCF})
HIERARCHICAL = frozenset({0xC5, 0xC6, 0xC7, 0xCD, 0xCE, 0xCF})
STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0–7: no length field

SOF_NAMES = {
    0xC0: "baseline DCT (SOF0)",
    0xC1: "extended sequential DCT (SOF1)",
    0xC2: "progressive DCT (SOF2)",
    0xC3: "lossless (SOF3)",
    0xC5: "differential sequential DCT (SOF5)",
    0xC6: "differential progressive DCT (SOF6)",
    0xC7: "differential lossless (SOF7)",
    0xC9: "arithmetic-coded sequential DCT (SOF9)",
    0xCA: "arithmetic-coded progressive DCT (SOF10)",
    0xCB: "arithmetic-coded lossless (SOF11)",
    0xCD: "arithmetic-coded differential sequential DCT (SOF13)",
    0xCE: "arithmetic-coded differential progressive DCT (SOF14)",
    0xCF: "arithmetic-coded differential lossless (SOF15)",
}

EXIF_PREFIXES = (b"Exif\x00\x00", b"Exif\x00\xff")  # the second is a known camera quirk
XMP_PREFIX = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_PREFIX = b"http://ns.adobe.com/xmp/extension/\x00"
ICC_PREFIX = b"ICC_PROFILE\x00"
MPF_PREFIX = b"MPF\x00"
PHOTOSHOP_PREFIX = b"Photoshop 3.0\x00"
ADOBE_PREFIX = b"Adobe"

# In entropy-coded data every 0xFF is followed by 0x00 (stuffing) or RSTn; a marker that ends the scan
# has a code from 0xC0 up (RSTs excepted); 0x01–0xBF after 0xFF is damage, judged by jpeg_scan.
# A run of 0xFF is fill, so the match lands on the last 0xFF of the run.
_NEXT_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")


@dataclass(frozen=True)
class Segment:
    marker: int  # the byte after 0xFF, e.g. 0xE1 for APP1
    offset: int  # where its 0xFF stands
    end: int  # first byte after it

    @property
    def payload_start(self) -> int:
        return self.offset + 4

    def is_app(self, n: int) -> bool:
        return self.marker == 0xE0 + n


@dataclass(frozen=True)
class Frame:
    marker: int
    precision: int
    width: int
    height: int
    components: tuple[int, ...]  # component ids
    sampling: tuple[tuple[int, int], ...] = ()  # (H, V) sampling factors, one per component

    @property
    def name(self) -> str:
        return SOF_NAMES.get(self.marker, f"SOF 0x{self.marker:02X}")

    @property
    def arithmetic(self) -> bool:
        return self.marker in ARITHMETIC

    @property
    def lossless_or_hierarchical(self) -> bool:
        return self.marker in LOSSLESS or self.marker in HIERARCHICAL


@dataclass
class Layout:
    """What the walk found.  Offsets are into the file."""

    size: int
    segments: list[Segment] = field(default_factory=list)  # header segments up to and including the first SOS
    stray: list[tuple[int, int]] = field(default_factory=list)  # (offset, length) of bytes between segments
    frame: Frame | None = None
    sos: Segment | None = None
    eoi_end: int | None = None  # first byte after EOI
    scans: int = 0
    damage: jpeg_scan.ScanDamage = field(default_factory=jpeg_scan.ScanDamage)  # in entropy-coded data
    truncated: bool = False
    problem: str = ""  # structural damage other than truncation

    @property
    def trailing(self) -> int:
        return self.size - self.eoi_end if self.eoi_end is not None else 0


class JpegFile:
    """A read-only view of a JPEG on disk (memory-mapped, so a huge file is not read into memory)."""

    def __init__(self, path: Path):
        self._fh = open(path, "rb")
        try:
            self.data = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # an empty file cannot be mapped
            self.data = b""
        self.layout = walk(self.data)

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            self.data.close()
        self._fh.close()

    def __enter__(self) -> "JpegFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def payload(self, seg: Segment) -> bytes:
        return bytes(self.data[seg.payload_start : seg.end])

    def apps(self, n: int, prefix: bytes | tuple[bytes, ...]) -> list[Segment]:
        """The APPn segments whose payload starts with `prefix`."""
        prefixes = prefix if isinstance(prefix, tuple) else (prefix,)
        out = []
        for seg in self.layout.segments:
            if seg.is_app(n):
                head = bytes(self.data[seg.payload_start : seg.payload_start + 40])
                if head.startswith(prefixes):
                    out.append(seg)
        return out

    def comments(self) -> list[bytes]:
        return [self.payload(s) for s in self.layout.segments if s.marker == 0xFE]

    def adobe_transform(self) -> int | None:
        """The colour transform flag of Adobe's APP14 (0 none/CMYK, 1 YCbCr, 2 YCCK)."""
        for seg in self.apps(14, ADOBE_PREFIX):
            body = self.payload(seg)
            if len(body) >= 12:
                return body[11]
        return None


def walk(data) -> Layout:
    """Walk the header segments, then the scans up to EOI.  `data` is bytes or an mmap."""
    layout = Layout(size=len(data))
    if data[:2] != b"\xff\xd8":
        layout.problem = "no start-of-image marker"
        return layout
    pos = _header(data, 2, layout)
    if pos is not None:
        _scans(data, pos, layout)
    return layout


def _header(data, pos: int, layout: Layout) -> int | None:
    size = len(data)
    while True:
        if len(layout.segments) >= MAX_SEGMENTS:
            layout.problem = f"more than {MAX_SEGMENTS} header segments"
            return None
        if pos >= size:
            layout.truncated = True
            return None
        if data[pos] != 0xFF:
            # libjpeg skips garbage up to the next 0xFF ("extraneous bytes before marker") and goes on
            nxt = data.find(b"\xff", pos)
            if nxt < 0:
                layout.truncated = True
                return None
            _stray(layout, pos, nxt - pos)
            pos = nxt
            continue
        if pos + 1 >= size:
            layout.truncated = True
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x00:  # 0xFF 0x00 is no marker: libjpeg counts both bytes as extraneous
            _stray(layout, pos, 2)
            pos += 2
            continue
        if marker in STANDALONE:
            pos += 2
            continue
        if marker == 0xD8:
            layout.problem = f"a second start-of-image marker at byte {pos}"
            return None
        if marker == 0xD9:
            layout.problem = "the image ends before its first scan"
            return None
        if pos + 4 > size:
            layout.truncated = True
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2:
            layout.problem = f"segment 0xFF{marker:02X} at byte {pos} has an impossible length {length}"
            return None
        end = pos + 2 + length
        if end > size:
            layout.truncated = True
            return None
        seg = Segment(marker, pos, end)
        layout.segments.append(seg)
        if marker in SOF_MARKERS:
            if layout.frame is not None:
                layout.problem = f"a second frame header (0xFF{marker:02X}) at byte {pos}"
                return None
            layout.frame = _frame(data, seg, layout)
            if layout.frame is None:
                return None
        elif marker == 0xDA:
            if layout.frame is None:
                layout.problem = "image data (SOS) comes before the frame header (SOF)"
                return None
            layout.sos = seg
            layout.scans = 1
            return end
        pos = end


def _stray(layout: Layout, pos: int, n: int) -> None:
    """Record junk between segments, joining it to junk that ends where it starts."""
    if layout.stray and sum(layout.stray[-1]) == pos:
        layout.stray[-1] = (layout.stray[-1][0], layout.stray[-1][1] + n)
    else:
        layout.stray.append((pos, n))


def _frame(data, seg: Segment, layout: Layout) -> Frame | None:
    body = data[seg.payload_start : seg.end]
    if len(body) < 6:
        layout.problem = "the frame header is too short"
        return None
    precision, height, width, n = struct.unpack(">BHHB", body[:6])
    if len(body) < 6 + 3 * n or n == 0:
        layout.problem = f"the frame header declares {n} components but does not hold them"
        return None
    ids = tuple(body[6 + 3 * i] for i in range(n))
    sampling = tuple((body[7 + 3 * i] >> 4, body[7 + 3 * i] & 15) for i in range(n))
    return Frame(seg.marker, precision, width, height, ids, sampling)


def _scans(data, pos: int, layout: Layout) -> None:
    """From the first scan's data to EOI, stepping over the segments between progressive scans and
    judging each scan's entropy-coded data (jpeg_scan) on the way."""
    size = len(data)
    interval = _restart_interval(data, layout.segments)
    sos = layout.sos
    # DHT payloads so far, parsed into tables only when a scan is Huffman-decoded (building them
    # costs more than the whole marker walk)
    tables = [bytes(data[seg.payload_start : seg.end]) for seg in layout.segments if seg.marker == 0xC4]
    budget = [jpeg_huffman.BUDGET]
    in_scan = True  # pos is at the start of entropy-coded data
    while True:
        m = _NEXT_MARKER.search(data, pos)
        at = m.start() if m is not None else size
        if in_scan and sos is not None:
            _judge_scan(data, pos, at, layout, interval, bytes(data[sos.payload_start : sos.end]), tables, budget)
            in_scan = False
        if m is None:
            layout.truncated = True
            return
        marker = data[at + 1]
        if marker == 0xD9:
            layout.eoi_end = at + 2
            return
        if marker == 0xD8 or marker in SOF_MARKERS:
            # a new image or frame inside the scans: the scan data of this one was cut short
            layout.problem = f"unexpected marker 0xFF{marker:02X} inside the image data at byte {at}"
            return
        if at + 4 > size:
            layout.truncated = True
            return
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            layout.problem = f"segment 0xFF{marker:02X} at byte {at} has an impossible length {length}"
            return
        if at + 2 + length > size:
            layout.truncated = True
            return
        if marker == 0xDA:
            layout.scans += 1
            if layout.scans > MAX_SCANS:
                layout.problem = f"more than {MAX_SCANS} scans"
                return
            sos = Segment(marker, at, at + 2 + length)
            in_scan = True
        elif marker == 0xDD:
            interval = _restart_interval(data, [Segment(marker, at, at + 2 + length)], interval)
        elif marker == 0xC4:
            tables.append(bytes(data[at + 4 : at + 2 + length]))
        pos = at + 2 + length


def _judge_scan(data, start: int, end: int, layout: Layout, interval: int, sos: bytes, tables: list[bytes], budget: list[int]) -> None:
    frame = layout.frame
    if frame is None:
        return
    scan_ids = _scan_components(sos)
    mcus = None
    sampling = dict(zip(frame.components, frame.sampling))
    if not frame.lossless_or_hierarchical:  # their MCUs are not 8×8 blocks
        mcus = jpeg_scan.mcu_count(frame.width, frame.height, sampling, scan_ids)
    before = layout.damage.total
    jpeg_scan.check(data, start, end, layout.scans, mcus, interval, layout.damage)
    if interval and mcus and layout.damage.total == before and frame.marker in (0xC0, 0xC1):
        _decode_intervals(data, start, end, interval, mcus, sos, sampling, tables, budget, layout)


def _decode_intervals(data, start, end, interval, mcus, sos, sampling, tables, budget, layout: Layout) -> None:
    """Where the markers add up, Huffman-decode a sample of the restart intervals (jpeg_huffman)."""
    if budget[0] <= 0:
        return
    parsed: dict = {}
    for payload in tables:  # in file order, so a later DHT replaces an earlier table
        jpeg_huffman.parse_dht(payload, parsed)
    blocks = jpeg_huffman.block_layout(sos, sampling, parsed)
    if blocks is None:
        return
    per_interval = interval * len(blocks)
    if per_interval > budget[0]:  # one interval alone is over the budget: not decoded at all
        return
    spans = jpeg_scan.intervals(data, start, end)
    chosen = jpeg_huffman.sample(len(spans), per_interval, budget[0])
    for i in chosen:
        a, b = spans[i]
        n = interval if i < len(spans) - 1 else mcus - interval * (len(spans) - 1)
        if n * len(blocks) > budget[0]:
            break
        budget[0] -= n * len(blocks)
        bad = jpeg_huffman.check_interval(bytes(data[a:b]), n, blocks)
        if bad is not None:
            what, extra = bad
            layout.damage.add(jpeg_scan.Damage(b if what == "extraneous" else a, what, (extra, data[b + 1] if b + 1 < len(data) else 0)))
            return


def _restart_interval(data, segments: list[Segment], current: int = 0) -> int:
    """The restart interval the last DRI among `segments` sets (0: no restart markers)."""
    for seg in segments:
        if seg.marker == 0xDD and seg.end - seg.payload_start >= 2:
            (current,) = struct.unpack(">H", data[seg.payload_start : seg.payload_start + 2])
    return current


def _scan_components(body: bytes) -> tuple[int, ...]:
    n = body[0] if body else 0
    if len(body) < 1 + 2 * n:
        return ()
    return tuple(body[1 + 2 * i] for i in range(n))
