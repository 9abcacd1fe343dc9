"""Walk one WordprocessingML part once: its text with locations, and what the DOC rules look for.

Streaming (start/end events) so a large document needs little memory.  Text boxes are read from
the DrawingML branch of `mc:AlternateContent` only: the VML `mc:Fallback` repeats the same text,
and reading both would report everything twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable
from xml.etree.ElementTree import Element

from hnsubmit.rules.findings import Location

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
V = "{urn:schemas-microsoft-com:vml}"
ADEC = "{http://schemas.microsoft.com/office/drawing/2017/decorative}"

# Every kind of tracked change WordprocessingML records (ECMA-376 Part 1 §17.13.5).
REVISIONS = frozenset(
    W + t
    for t in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
        "trPrChange", "tcPrChange", "tblGridChange", "tblPrExChange", "numberingChange", "cellIns",
        "cellDel", "cellMerge",
    )
)
FALSE = {"0", "false", "off"}
# The only elements whose text the walker reads (Package.events keeps no other text).
TEXT_TAGS = frozenset({W + "t", W + "delText"})
# Every tag Walker._start and Walker._end act on (each branch there begins with a test of the tag): any
# other element (most of a body: w:pPr, w:rPr, w:rFonts, w:sz …) is passed by one set lookup instead
# of ~25 comparisons.  tests/test_docx.py's documents exercise each branch.
START_TAGS = REVISIONS | {
    MC + "Fallback", W + "object", W + "p", W + "pStyle", W + "r", W + "rStyle", W + "vanish", W + "txbxContent",
    W + "tbl", W + "tr", W + "tc", W + "commentReference", W + "comment", WP + "inline", WP + "anchor",
    WP + "docPr", PIC + "cNvPr", ADEC + "decorative", PIC + "pic", V + "shape", V + "rect", V + "imagedata",
}
END_TAGS = frozenset({
    W + "t", W + "delText", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "r", W + "p",
    W + "txbxContent", W + "tbl", WP + "inline", WP + "anchor", V + "shape", V + "rect",
})
# Word 2007–2013 filled the alt text with the picture's file name; a screen reader then reads out
# "IMG_2031.jpg", which describes nothing.
FILE_NAME = re.compile(r"[^\s/\\]+\.(jpe?g|png|gif|bmp|tiff?|emf|wmf|pict|heic|webp|svg)", re.I)


def on(elem: Element) -> bool:
    """A WordprocessingML on/off property: present and not w:val="0"/"false"/"off"."""
    return elem.get(W + "val", "true").lower() not in FALSE


def alt_missing(alt: str) -> bool:
    alt = alt.strip()
    return not alt or bool(FILE_NAME.fullmatch(alt))


@dataclass
class PartScan:
    texts: list[tuple[str, Location]] = field(default_factory=list)
    hidden: list[tuple[str, Location]] = field(default_factory=list)
    revisions: int = 0
    first_revision: Location | None = None
    comment_refs: int = 0
    comments: int = 0  # w:comment elements (in the comments part)
    pictures: int = 0
    missing_alt: list[Location] = field(default_factory=list)
    content: int = 0  # visible characters + pictures, drawings and objects: 0 means empty


@dataclass
class _Para:
    no: int
    loc: Location
    style_hidden: bool = False
    buf: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    run: dict | None = None


@dataclass
class _Frame:
    textbox: bool
    anchor: int = 0
    tables: list[list[int]] = field(default_factory=list)  # [table no, row, column]


def hidden_styles(styles: Element | None) -> set[str]:
    """Ids of styles whose run properties hide text (w:vanish), following w:basedOn."""
    if styles is None:
        return set()
    own: dict[str, bool | None] = {}
    base: dict[str, str] = {}
    for style in styles.iter(W + "style"):
        sid = style.get(W + "styleId", "")
        vanish = style.find(f"{W}rPr/{W}vanish")
        own[sid] = on(vanish) if vanish is not None else None
        based = style.find(W + "basedOn")
        if based is not None:
            base[sid] = based.get(W + "val", "")
    out = set()
    for sid in own:
        cur, seen = sid, 0
        while cur in own and own[cur] is None and cur in base and seen < 32:  # bounded: cycles exist in the wild
            cur, seen = base[cur], seen + 1
        if own.get(cur):
            out.add(sid)
    return out


class Walker:
    """Feed start/end events of one part; read the result from `.scan`."""

    def __init__(self, part: str, hidden: set[str] | None = None) -> None:
        self.part = part
        self.hidden_ids = hidden or set()
        self.scan = PartScan()
        self.tags: list[str] = []
        self.skip = 0
        self.paras: list[_Para] = []
        self.frames = [_Frame(textbox=False)]
        self.para_no = 0
        self.table_no = 0
        self.drawings: list[dict] = []
        self.shapes: list[dict] = []

    # -- where ------------------------------------------------------------------------------
    def _location(self, no: int) -> Location:
        frame = self.frames[-1]
        body = self.part == "body"
        if frame.textbox:
            part = "text box" if body else f"{self.part} text box"
        elif frame.tables and body:
            part = "table"
        else:
            part = self.part
        cell = None
        if frame.tables:
            t, r, c = frame.tables[-1]
            cell = f"table {t}, row {r}, column {c}"
        return Location(part=part, paragraph=no or None, table_cell=cell)

    def _here(self) -> Location:
        return self.paras[-1].loc if self.paras else Location(part=self.part)

    # -- events -----------------------------------------------------------------------------
    def feed(self, events: Iterable[tuple[str, Element]]) -> PartScan:
        for event, elem in events:
            if event == "start":
                self.tags.append(elem.tag)
                if self.skip:
                    self.skip += 1
                else:
                    self._start(elem)
            else:
                if self.skip:
                    self.skip -= 1
                else:
                    self._end(elem)
                self.tags.pop()
        return self.scan

    def _start(self, e: Element) -> None:
        tag = e.tag
        if tag not in START_TAGS:
            return
        if tag == MC + "Fallback":
            self.skip = 1
        elif tag == W + "object":
            self.scan.content += 1  # an embedded object (DOC006 judges it); its preview is no picture
            self.skip = 1
        elif tag == W + "p":
            frame = self.frames[-1]
            if frame.textbox:
                no = frame.anchor
            else:
                self.para_no += 1
                no = self.para_no
            self.paras.append(_Para(no, self._location(no)))
        elif tag == W + "pStyle" and self.paras:
            self.paras[-1].style_hidden = e.get(W + "val", "") in self.hidden_ids
        elif tag == W + "r" and self.paras:
            self.paras[-1].run = {"text": [], "direct": None, "style": False}
        elif tag == W + "rStyle" and self.paras and self.paras[-1].run is not None:
            self.paras[-1].run["style"] = e.get(W + "val", "") in self.hidden_ids
        elif tag == W + "vanish" and self._in_run_properties() and self.paras[-1].run is not None:
            self.paras[-1].run["direct"] = on(e)
        elif tag == W + "txbxContent":
            self.frames.append(_Frame(textbox=True, anchor=self.paras[-1].no if self.paras else self.para_no))
        elif tag == W + "tbl":
            self.table_no += 1
            self.frames[-1].tables.append([self.table_no, 0, 0])
        elif tag == W + "tr" and self.frames[-1].tables:
            row = self.frames[-1].tables[-1]
            row[1], row[2] = row[1] + 1, 0
        elif tag == W + "tc" and self.frames[-1].tables:
            self.frames[-1].tables[-1][2] += 1
        elif tag in REVISIONS:
            self.scan.revisions += 1
            if self.scan.first_revision is None:
                self.scan.first_revision = self._here()
        elif tag == W + "commentReference":
            self.scan.comment_refs += 1
        elif tag == W + "comment":
            self.scan.comments += 1
        elif tag in (WP + "inline", WP + "anchor"):
            self.drawings.append({"alt": "", "decorative": False, "picture": False, "loc": self._here()})
            self.scan.content += 1
        elif tag == WP + "docPr" and self.drawings:
            self.drawings[-1]["alt"] = e.get("descr", "") or e.get("title", "")
        elif tag == PIC + "cNvPr" and self.drawings and not self.drawings[-1]["alt"]:
            self.drawings[-1]["alt"] = e.get("descr", "") or e.get("title", "")
        elif tag == ADEC + "decorative" and self.drawings:
            self.drawings[-1]["decorative"] = e.get("val", "0").lower() in ("1", "true")
        elif tag == PIC + "pic" and self.drawings:
            self.drawings[-1]["picture"] = True
        elif tag in (V + "shape", V + "rect") and not self.drawings:
            self.shapes.append({"alt": e.get("alt", ""), "picture": False, "loc": self._here()})
        elif tag == V + "imagedata" and self.shapes:
            self.shapes[-1]["picture"] = True

    def _in_run_properties(self) -> bool:
        # tags[-1] is w:vanish itself; w:rPr inside w:rPrChange (the old formatting) does not count
        return len(self.tags) >= 3 and self.tags[-2] == W + "rPr" and self.tags[-3] == W + "r" and bool(self.paras)

    def _in_run(self) -> bool:
        return len(self.tags) >= 2 and self.tags[-2] == W + "r" and bool(self.paras)

    def _text(self, s: str) -> None:
        para = self.paras[-1]
        para.buf.append(s)
        if para.run is not None:
            para.run["text"].append(s)

    def _end(self, e: Element) -> None:
        tag = e.tag
        if tag not in END_TAGS:
            return
        if tag == W + "t" and self.paras:
            self._text(e.text or "")
        elif tag == W + "delText" and self.paras:
            self.paras[-1].deleted.append(e.text or "")
        elif tag == W + "tab" and self._in_run():
            self._text("\t")
        elif tag in (W + "br", W + "cr") and self._in_run():
            self._text("\n")
        elif tag == W + "noBreakHyphen" and self._in_run():
            self._text("-")
        elif tag == W + "r" and self.paras and self.paras[-1].run is not None:
            para = self.paras[-1]
            run = para.run
            hidden = run["direct"] if run["direct"] is not None else (run["style"] or para.style_hidden)
            text = "".join(run["text"])
            if hidden and text.strip():
                self.scan.hidden.append((text, para.loc))
            para.run = None
        elif tag == W + "p" and self.paras:
            para = self.paras.pop()
            text = "".join(para.buf)
            if text.strip():
                self.scan.texts.append((text, para.loc))
                self.scan.content += len(text.strip())
            deleted = "".join(para.deleted)
            if deleted.strip():
                self.scan.texts.append((deleted, _deleted(para.loc)))
        elif tag == W + "txbxContent" and len(self.frames) > 1:
            self.frames.pop()
        elif tag == W + "tbl" and self.frames[-1].tables:
            self.frames[-1].tables.pop()
        elif tag in (WP + "inline", WP + "anchor") and self.drawings:
            self._picture(self.drawings.pop())
        elif tag in (V + "shape", V + "rect") and self.shapes and not self.drawings:
            shape = self.shapes.pop()
            if shape["picture"]:
                self.scan.content += 1
                self._picture(shape)

    def _picture(self, d: dict) -> None:
        if not d["picture"]:
            return
        self.scan.pictures += 1
        if not d.get("decorative") and alt_missing(d["alt"]):
            self.scan.missing_alt.append(d["loc"])


def _deleted(loc: Location) -> Location:
    """Deleted tracked text is still in the file, so the text scan reads it, marked as such."""
    return Location(part=f"{loc.part} (deleted text)", paragraph=loc.paragraph, table_cell=loc.table_cell)


def walk(part: str, events: Iterable[tuple[str, Element]], hidden: set[str] | None = None) -> PartScan:
    return Walker(part, hidden).feed(events)
