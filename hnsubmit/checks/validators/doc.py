"""Deep checks of a Word 97–2003 .doc (the DOC rules), and its text read through the FIB's piece table."""

from __future__ import annotations

from typing import Iterator

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.checks.formats import docprops
from hnsubmit.checks.formats import olepropset
from hnsubmit.checks.formats import wordbin
from hnsubmit.checks.formats.wordbin import WordBinError
from hnsubmit.checks.textscan.place import describe as where
from hnsubmit.checks.context import FileContext

BREAKS = "\r\x07\x0c"  # paragraph, table cell/row end, page or section break
MAX_FIELD_DEPTH = 64


def check(ctx: FileContext) -> Iterator[Finding]:
    import olefile

    try:
        ole = olefile.OleFileIO(str(ctx.path))
    except Exception as exc:  # olefile raises many kinds on garbage
        yield finding("DOC001", ctx.display, reason=f"OLE container cannot be parsed ({type(exc).__name__})")
        return
    try:
        yield from _check(ctx, ole)
    finally:
        ole.close()


def _stream(ole, name: str, limit: int) -> bytes | None:
    if not ole.exists(name):
        return None
    if ole.get_size(name) > limit:  # a directory entry may claim any size; the file bounds the truth
        raise WordBinError(f"the {name} stream claims more bytes than the file has")
    return ole.openstream(name).read()


def _check(ctx: FileContext, ole) -> list[Finding]:
    out: list[Finding] = []
    path = ctx.display
    entries = ["/".join(e) for e in ole.listdir(streams=True, storages=True)]
    lowered = [e.lower() for e in entries]
    if any(e.startswith("macros/vba") for e in lowered):
        out.append(finding("DOC005", path, Location(part="Macros/VBA"), where="Macros/VBA"))
    objects = sorted({e.split("/")[1] for e in entries if e.lower().startswith("objectpool/")})
    if objects:
        out.append(finding("DOC006", path, Location(part="ObjectPool"), count=len(objects),
                           where=", ".join(f"ObjectPool/{o}" for o in objects[:3])))
    out.extend(_personal(ctx, ole))
    try:
        out.extend(_content(ctx, ole))
    except WordBinError as exc:
        out.append(finding("DOC001", path, Location(part="WordDocument"), reason=str(exc)))
    except (OSError, ValueError, EOFError) as exc:  # olefile on a broken sector chain
        out.append(finding("DOC001", path, Location(part="WordDocument"), reason=f"{type(exc).__name__}: {exc}"))
    return out


def _personal(ctx: FileContext, ole) -> list[Finding]:
    """DOC011 as for .docx: author, last saved by, company and manager in the property sets."""
    streams = {}
    for name in (olepropset.SUMMARY, olepropset.DOC_SUMMARY):
        try:
            if ole.exists(name) and ole.get_size(name) <= olepropset.MAX_STREAM:
                streams[name] = ole.openstream(name).read()
        except (OSError, ValueError, EOFError):  # a broken sector chain: DOC001 comes from the content
            continue
    found = olepropset.personal(streams)
    if not found:
        return []
    shown = [(v.label, docprops.short(v.text)) for v in found]
    fields = {
        "zh": ";".join(f"{docprops.label_zh(label)}“{value}”" for label, value in shown),
        "en": "; ".join(f"{label} “{value}”" for label, value in shown),
    }
    return [finding("DOC011", ctx.display, Location(part=found[0].stream.lstrip("\x05")), fields=fields)]


def _content(ctx: FileContext, ole) -> list[Finding]:
    path = ctx.display
    limit = ctx.path.stat().st_size
    wd = _stream(ole, "WordDocument", limit) or b""
    fib = wordbin.parse_fib(wd)
    table = _stream(ole, fib.table_stream, limit)
    if fib.encrypted:
        zh, en = wordbin.encryption_method(fib, table or b"")
        return [finding("DOC004", path, Location(part="WordDocument FIB"), method={"zh": zh, "en": en})]
    if table is None:
        raise WordBinError(f"the {fib.table_stream} stream the FIB names is missing")
    pieces = wordbin.pieces(fib, table, len(wd))
    stories = [(label, a, b, wordbin.text(wd, pieces, a, b)) for label, a, b in wordbin.stories(fib, pieces)]
    for label, _, _, raw in stories:
        if label == "macro":
            continue
        for n, para in paragraphs(raw):
            ctx.add_text(para, Location(part=label, paragraph=n))
    out = []
    marks = _marks(fib, wd, table, pieces, stories)
    revisions = [loc for kinds, loc, _ in marks if kinds & {"ins", "del", "prop"}]
    if revisions:
        out.append(finding("DOC008", path, revisions[0], count=len(revisions), where=where(revisions[0])))
    comments = wordbin.comment_count(fib) or (1 if _ccp(fib, 7) > 0 else 0)
    if comments:
        out.append(finding("DOC009", path, Location(part="comment"), count=comments))
    hidden = [(loc, txt) for kinds, loc, txt in marks if "hidden" in kinds and txt.strip()]
    if hidden:
        loc, txt = hidden[0]
        sample = txt.strip()[:30] + ("…" if len(txt.strip()) > 30 else "")
        out.append(finding("DOC010", path, loc, count=len(hidden), where=where(loc), sample=sample))
    body = next((raw for label, _, _, raw in stories if label == "body"), "")
    if not "".join(p for _, p in paragraphs(body)).strip() and not any(c in body for c in "\x01\x08"):
        out.append(finding("DOC013", path, Location(part="body")))
    return out


def _ccp(fib: wordbin.Fib, index: int) -> int:
    return fib.ccp[index] if index < len(fib.ccp) else 0


def _marks(fib, wd, table, pieces, stories) -> list[tuple[frozenset[str], Location, str]]:
    """Each marked run as (kinds, where it starts, its visible text)."""
    out = []
    for fc_start, fc_end, kinds in wordbin.run_marks(fib, wd, table):
        for cp_start, cp_end in wordbin.fc_to_cp(pieces, fc_start, fc_end):
            for label, a, b, raw in stories:
                if a <= cp_start < b:
                    before = raw[: cp_start - a]
                    n = sum(before.count(c) for c in BREAKS) + 1
                    txt = "".join(p for _, p in paragraphs(raw[cp_start - a : min(cp_end, b) - a]))
                    out.append((kinds, Location(part=label, paragraph=n), txt))
                    break
    out.sort(key=lambda m: (m[1].part != "body", m[1].paragraph or 0))
    return out


def paragraphs(raw: str) -> list[tuple[int, str]]:
    """(number, visible text) per paragraph: field instructions dropped, their results kept."""
    out, buf, n = [], [], 1
    fields: list[bool] = []  # True while inside a field's instruction part
    for ch in raw:
        if ch == "\x13":
            if len(fields) < MAX_FIELD_DEPTH:
                fields.append(True)
        elif ch == "\x14":
            if fields:
                fields[-1] = False
        elif ch == "\x15":
            if fields:
                fields.pop()
        elif True in fields:
            continue
        elif ch in BREAKS:
            out.append((n, "".join(buf)))
            buf, n = [], n + 1
        elif ch == "\x0b":
            buf.append("\n")
        elif ch == "\x1e":
            buf.append("-")
        elif ch == "\t" or ord(ch) >= 0x20:
            buf.append(ch)
    if buf:
        out.append((n, "".join(buf)))
    return [(i, p) for i, p in out if p.strip()]
