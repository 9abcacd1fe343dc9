"""Huffman-decode restart intervals of a baseline JPEG scan, only to see where each one ends.

libjpeg's "Corrupt JPEG data: N extraneous bytes before marker 0xd0" means an interval holds more (or,
"premature end", fewer) coded bytes than its MCUs need, while every restart marker is present and in
order — the marker checks of jpeg_scan cannot see it, and Pillow does not pass the warning on.  Decoding
in Python is slow (tens of µs per 8×8 block), so only scans with restart markers are decoded, and only
up to BUDGET blocks per file: every interval of a small picture, an even sample of the intervals of a
large one (the first and the last among them).  Coefficients are not kept: only the bit count matters.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

BUDGET = 1024  # blocks decoded per file at most, about 25 ms (a 512×512 picture in 4:2:0 has 6,144)


@dataclass(frozen=True)
class Table:
    """A Huffman table: an 8-bit lookup for short codes and canonical limits for the rest."""

    fast: tuple[tuple[int, int], ...]  # 256 entries: (code length, symbol), length 0 = longer than 8
    maxcode: tuple[int, ...]  # per length 1..16, -1 when no code has that length
    valptr: tuple[int, ...]
    mincode: tuple[int, ...]
    values: bytes


def parse_dht(body: bytes, tables: dict[tuple[int, int], Table]) -> bool:
    """Add the tables of one DHT payload to `tables`, keyed (class, id).  False when it does not add up."""
    pos = 0
    while pos < len(body):
        if pos + 17 > len(body):
            return False
        tc, th = body[pos] >> 4, body[pos] & 15
        counts = body[pos + 1 : pos + 17]
        total = sum(counts)
        values = body[pos + 17 : pos + 17 + total]
        if len(values) < total or tc > 1 or total > 256:
            return False
        tables[(tc, th)] = _table(counts, bytes(values))
        pos += 17 + total
    return True


def _table(counts: bytes, values: bytes) -> Table:
    fast = [(0, 0)] * 256
    maxcode, valptr, mincode = [-1] * 17, [0] * 17, [0] * 17
    code = k = 0
    for length in range(1, 17):
        n = counts[length - 1]
        if n:
            valptr[length], mincode[length] = k, code
            for _ in range(n):
                if length <= 8:
                    shift = 8 - length
                    for low in range(1 << shift):
                        fast[(code << shift) | low] = (length, values[k])
                code, k = code + 1, k + 1
            maxcode[length] = code - 1
        code <<= 1
    return Table(tuple(fast), tuple(maxcode), tuple(valptr), tuple(mincode), values)


class _Bits:
    """MSB-first bits of one interval's unstuffed bytes; past the end it reads zeros and says so."""

    __slots__ = ("data", "pos", "acc", "n", "fake")

    def __init__(self, data: bytes):
        self.data, self.pos, self.acc, self.n, self.fake = data, 0, 0, 0, 0

    def fill(self) -> None:
        while self.n <= 24:
            if self.pos < len(self.data):
                self.acc = ((self.acc << 8) | self.data[self.pos]) & 0xFFFFFFFFFF
                self.pos += 1
            else:
                self.acc = (self.acc << 8) & 0xFFFFFFFFFF
                self.fake += 1
            self.n += 8

    def bits(self, k: int) -> None:
        if self.n < k:
            self.fill()
        self.n -= k

    def decode(self, t: Table) -> int | None:
        if self.n < 16:
            self.fill()
        length, sym = t.fast[(self.acc >> (self.n - 8)) & 0xFF]
        if length:
            self.n -= length
            return sym
        for length in range(9, 17):
            code = (self.acc >> (self.n - length)) & ((1 << length) - 1)
            if code <= t.maxcode[length]:
                self.n -= length
                return t.values[t.valptr[length] + code - t.mincode[length]]
        return None

    @property
    def over(self) -> bool:
        """Whether bits past the end of the data were used."""
        return self.n < 8 * self.fake

    def extra_bytes(self) -> int:
        """Whole bytes left once the bits used are rounded up to a byte (the rest is padding)."""
        return len(self.data) - self.pos + (self.n - 8 * self.fake) // 8


def check_interval(data: bytes, mcus: int, layout: list[tuple[Table, Table]]) -> tuple[str, int] | None:
    """Decode `mcus` MCUs (`layout`: the (DC, AC) tables of each block of an MCU) from one interval's
    entropy-coded bytes.  None when they end where the interval does; else ("extraneous", bytes left)
    or ("premature", 0) or ("bad code", 0)."""
    bits = _Bits(data.replace(b"\xff\x00", b"\xff"))
    for _ in range(mcus):
        for dc, ac in layout:
            s = bits.decode(dc)
            if s is None or s > 16:
                return ("bad code", 0)
            bits.bits(s)
            k = 1
            while k < 64:
                rs = bits.decode(ac)
                if rs is None:
                    return ("bad code", 0)
                r, s = rs >> 4, rs & 15
                if s:
                    k += r
                    bits.bits(s)
                elif r != 15:
                    break
                else:
                    k += 15
                k += 1
            if k > 64:
                return ("bad code", 0)
        if bits.over:
            return ("premature", 0)
    left = bits.extra_bytes()
    return ("extraneous", left) if left > 0 else None


def sample(n: int, per_interval: int, budget: int = BUDGET) -> list[int]:
    """Which of n intervals to decode: all when the budget allows, else an even spread with both ends."""
    m = max(1, min(n, budget // max(1, per_interval)))
    if m >= n:
        return list(range(n))
    if m == 1:
        return [0]
    return sorted({round(j * (n - 1) / (m - 1)) for j in range(m)})


def block_layout(scan: bytes, sampling: dict[int, tuple[int, int]], tables: dict[tuple[int, int], Table]) -> list[tuple[Table, Table]] | None:
    """The (DC, AC) tables of each block of one MCU of a scan, from its SOS payload; None when a table
    or component is missing (the decoder's own error, not ours to judge)."""
    if not scan:
        return None
    n = scan[0]
    if len(scan) < 1 + 2 * n:
        return None
    out = []
    for i in range(n):
        cid, sel = struct.unpack_from("BB", scan, 1 + 2 * i)
        dc, ac = tables.get((0, sel >> 4)), tables.get((1, sel & 15))
        if dc is None or ac is None or cid not in sampling:
            return None
        h, v = sampling[cid] if n > 1 else (1, 1)
        out.extend([(dc, ac)] * (h * v))
    return out
