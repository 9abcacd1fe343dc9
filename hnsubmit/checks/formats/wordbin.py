"""Read a Word 97–2003 binary document ([MS-DOC]) in pure Python: FIB, piece table, text, run marks.

No external converter: the File Information Block gives the story lengths and where the piece
table (Clx) lives in the table stream; the pieces map character positions (CPs) to bytes of the
WordDocument stream; the character-property pages (CHPX FKPs) carry revision and hidden-text
marks.  Every offset read from the file is checked against the stream it points into, so a
hostile file ends in WordBinError, never in an IndexError or a huge allocation.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# FibRgFcLcb97 indices ([MS-DOC] 2.5.6)
PLCF_AND_REF = 4  # comment (annotation) reference marks
PLCF_BTE_CHPX = 12  # character property pages
CLX = 33  # the piece table
# FibRgLw97 indices of the story lengths, in CP order ([MS-DOC] 2.5.5 and 2.4.1)
STORIES = (
    (3, "body"), (4, "footnote"), (5, "header/footer"), (6, "macro"),
    (7, "comment"), (8, "endnote"), (9, "text box"), (10, "header text box"),
)
ATRD_SIZE = 30  # ATRDPre10, one per comment
FKP = 512
# sprms that mark a run ([MS-DOC] 2.6.1)
SPRM_DEL, SPRM_INS, SPRM_VANISH, SPRM_PROP_RMARK = 0x0800, 0x0801, 0x083C, 0xCA57
_FIXED = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


class WordBinError(Exception):
    """The binary structure is inconsistent (DOC001)."""


@dataclass(frozen=True)
class Fib:
    ident: int
    nfib: int
    encrypted: bool
    obfuscated: bool
    table_stream: str  # "0Table" or "1Table"
    ccp: tuple[int, ...]  # FibRgLw97, signed
    fclcb: tuple[tuple[int, int], ...]

    def pair(self, index: int) -> tuple[int, int]:
        return self.fclcb[index] if index < len(self.fclcb) else (0, 0)


def parse_fib(wd: bytes) -> Fib:
    if len(wd) < 34:
        raise WordBinError("the WordDocument stream is too short for a FIB")
    ident, nfib = struct.unpack_from("<HH", wd, 0)
    (flags,) = struct.unpack_from("<H", wd, 10)
    encrypted, obfuscated = bool(flags & 0x0100), bool(flags & 0x8000)
    table = "1Table" if flags & 0x0200 else "0Table"
    if encrypted:  # beyond FibBase the FIB itself is encrypted: nothing more can be read
        return Fib(ident, nfib, True, obfuscated, table, (), ())
    (csw,) = struct.unpack_from("<H", wd, 32)
    pos = 34 + 2 * csw
    if pos + 2 > len(wd):
        raise WordBinError("the FIB is cut short (FibRgW)")
    (cslw,) = struct.unpack_from("<H", wd, pos)
    lw_at = pos + 2
    if cslw < 11 or lw_at + 4 * cslw + 2 > len(wd):
        raise WordBinError(f"the FIB's FibRgLw is too short ({cslw} fields)")
    ccp = struct.unpack_from(f"<{cslw}i", wd, lw_at)
    pos = lw_at + 4 * cslw
    (cb,) = struct.unpack_from("<H", wd, pos)
    if cb <= CLX or pos + 2 + 8 * cb > len(wd):
        raise WordBinError(f"the FIB's FibRgFcLcb is too short ({cb} pairs)")
    raw = struct.unpack_from(f"<{2 * cb}I", wd, pos + 2)
    fclcb = tuple(zip(raw[0::2], raw[1::2]))
    return Fib(ident, nfib, False, obfuscated, table, ccp, fclcb)


@dataclass(frozen=True)
class Piece:
    cp_start: int
    cp_end: int
    fc: int  # byte offset in the WordDocument stream
    compressed: bool  # 8-bit (cp1252) instead of UTF-16LE

    @property
    def width(self) -> int:
        return 1 if self.compressed else 2


def pieces(fib: Fib, table: bytes, wd_len: int) -> list[Piece]:
    fc, lcb = fib.pair(CLX)
    if lcb == 0 or fc + lcb > len(table):
        raise WordBinError("the piece table (Clx) lies outside the table stream")
    clx = table[fc : fc + lcb]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers for pieces; skip them
        if pos + 3 > len(clx):
            raise WordBinError("the piece table's Prc is cut short")
        (cb,) = struct.unpack_from("<h", clx, pos + 1)
        if cb < 0:
            raise WordBinError("the piece table's Prc has a negative size")
        pos += 3 + cb
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise WordBinError("the piece table (Pcdt) is missing")
    (size,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + size]
    if size != len(plc) or size < 16 or (size - 4) % 12:
        raise WordBinError("the piece table (PlcPcd) has an impossible size")
    n = (size - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        (fc_raw,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc_raw & 0x40000000)
        start = (fc_raw & 0x3FFFFFFF) // 2 if compressed else fc_raw & 0x3FFFFFFF
        piece = Piece(cps[i], cps[i + 1], start, compressed)
        if piece.cp_end < piece.cp_start or (out and piece.cp_start != out[-1].cp_end):
            raise WordBinError("the piece table's character positions are out of order")
        if start + (piece.cp_end - piece.cp_start) * piece.width > wd_len:
            raise WordBinError("a text piece points past the end of the WordDocument stream")
        out.append(piece)
    return out


def text(wd: bytes, table: list[Piece], cp_start: int, cp_end: int) -> str:
    """The raw characters from cp_start to cp_end (control characters included)."""
    parts = []
    for p in table:
        lo, hi = max(cp_start, p.cp_start), min(cp_end, p.cp_end)
        if lo >= hi:
            continue
        a = p.fc + (lo - p.cp_start) * p.width
        b = p.fc + (hi - p.cp_start) * p.width
        # the 8-bit pieces are Windows-1252 ([MS-DOC] 2.4.1, the table of 0x82–0x9F)
        parts.append(wd[a:b].decode("cp1252", "replace") if p.compressed else wd[a:b].decode("utf-16-le", "replace"))
    return "".join(parts)


def stories(fib: Fib, table: list[Piece]) -> list[tuple[str, int, int]]:
    """(label, first CP, end CP) of every non-empty story, in CP order."""
    last = table[-1].cp_end if table else 0
    out, cp = [], 0
    for index, label in STORIES:
        n = fib.ccp[index] if index < len(fib.ccp) else 0
        if n < 0 or cp + n > last:
            raise WordBinError(f"the FIB's {label} length ({n}) runs past the text ({last})")
        if n:
            out.append((label, cp, cp + n))
        cp += n
    return out


def comment_count(fib: Fib) -> int:
    _, lcb = fib.pair(PLCF_AND_REF)
    return max(0, (lcb - 4) // (4 + ATRD_SIZE)) if lcb >= 4 + 4 + ATRD_SIZE else 0


def _sprms(grpprl: bytes):
    pos = 0
    while pos + 2 <= len(grpprl):
        (sprm,) = struct.unpack_from("<H", grpprl, pos)
        pos += 2
        spra = sprm >> 13
        if spra == 6:
            if pos >= len(grpprl):
                return
            size = grpprl[pos] + 1  # the length byte and what follows
        else:
            size = _FIXED[spra]
        yield sprm, grpprl[pos : pos + size]
        pos += size


def run_marks(fib: Fib, wd: bytes, table: bytes) -> list[tuple[int, int, frozenset[str]]]:
    """(fc start, fc end, {"ins", "del", "prop", "hidden"}) for every marked character run."""
    fc, lcb = fib.pair(PLCF_BTE_CHPX)
    if lcb < 12 or fc + lcb > len(table) or (lcb - 4) % 8:
        return []
    n = (lcb - 4) // 8
    out = []
    for i in range(n):
        (pn,) = struct.unpack_from("<I", table, fc + 4 * (n + 1) + 4 * i)
        page = wd[(pn & 0x3FFFFF) * FKP : (pn & 0x3FFFFF) * FKP + FKP]
        if len(page) < FKP:
            raise WordBinError("a character property page lies outside the WordDocument stream")
        crun = page[FKP - 1]
        if crun == 0 or 5 * crun + 4 > FKP - 1:
            continue
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for r in range(crun):
            off = page[4 * (crun + 1) + r] * 2
            if not off:
                continue
            grpprl = page[off + 1 : off + 1 + page[off]]
            marks = set()
            for sprm, operand in _sprms(grpprl):
                on = operand[:1] not in (b"", b"\x00", b"\x80")
                if sprm == SPRM_DEL and on:
                    marks.add("del")
                elif sprm == SPRM_INS and on:
                    marks.add("ins")
                elif sprm == SPRM_VANISH and on:
                    marks.add("hidden")
                elif sprm == SPRM_PROP_RMARK and len(operand) > 1 and operand[1]:
                    marks.add("prop")
            if marks:
                out.append((fcs[r], fcs[r + 1], frozenset(marks)))
    return out


def fc_to_cp(table: list[Piece], fc_start: int, fc_end: int) -> list[tuple[int, int]]:
    """The CP ranges a byte range of the WordDocument stream holds (a run may span pieces)."""
    out = []
    for p in table:
        p_end = p.fc + (p.cp_end - p.cp_start) * p.width
        lo, hi = max(fc_start, p.fc), min(fc_end, p_end)
        if lo < hi:
            out.append((p.cp_start + (lo - p.fc) // p.width, p.cp_start + (hi - p.fc + p.width - 1) // p.width))
    return out


def encryption_method(fib: Fib, table: bytes) -> tuple[str, str]:
    """(zh, en) name of how an encrypted .doc is protected ([MS-OFFCRYPTO] 2.3.6)."""
    if fib.obfuscated:
        return "XOR 混淆", "XOR obfuscation"
    if len(table) >= 4:
        major, minor = struct.unpack_from("<HH", table, 0)
        if (major, minor) == (1, 1):
            return "RC4", "RC4"
        if major in (2, 3, 4) and minor == 2:
            return "RC4 CryptoAPI", "RC4 CryptoAPI"
    return "未知方式", "unknown method"
