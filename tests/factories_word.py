"""Real Word files for the DOC tests and examples: python-docx documents with the markup Word writes.

python-docx makes the package; what it has no API for (text boxes, tracked changes, an attached
template, editing restrictions, custom properties) is added as the same WordprocessingML that Word
itself saves, so the files open in Word and WPS.  Every package is rewritten with fixed timestamps
so regenerating an example gives the same bytes.  Legacy .doc files cannot be written in Python:
those factories hand out the shared corpus's files (read in place, never copied into the repo).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Callable

from conftest import require_corpus
from factories import _picture

FIXED_TIME = (2026, 11, 20, 9, 0, 0)
NEWS = [
    "共和县召开2026年冬春农牧业生产工作会议",
    "11月20日,共和县召开冬春农牧业生产工作会议,总结今年农牧业生产情况,安排部署冬春季饲草料储备工作。",
    "会议要求,各乡镇要压实责任,做好饲草料调运和储备,确保牲畜安全越冬。",
]
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


# -- building blocks -------------------------------------------------------------------------------


def new_document(paragraphs: list[str] | None = None):
    """A python-docx document with the personal properties cleared (as tests/factories.make_docx)."""
    import docx

    paragraphs = NEWS if paragraphs is None else paragraphs
    d = docx.Document()
    if paragraphs:
        d.add_heading(paragraphs[0], level=1)
        for p in paragraphs[1:]:
            d.add_paragraph(p)
    props = d.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.title = paragraphs[0] if paragraphs else ""
    props.created = dt.datetime(2026, 11, 20, 9, 0, 0)
    props.modified = dt.datetime(2026, 11, 20, 9, 0, 0)
    props.revision = 1
    return d


Edit = bytes | None | Callable[[bytes], bytes]


def rewrite_zip(data: bytes, path: Path, edits: dict[str, Edit] | None = None) -> Path:
    """Write the package `data` to `path` with fixed timestamps; `edits` replace (bytes), change
    (a function of the old bytes) or drop (None) entries, and add new ones at the end."""
    edits = dict(edits or {})
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename in edits:
                edit = edits.pop(info.filename)
                if edit is None:
                    continue
                blob = edit(blob) if callable(edit) else edit
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), blob, zipfile.ZIP_DEFLATED)
        for name, blob in edits.items():
            if isinstance(blob, bytes):
                dst.writestr(zipfile.ZipInfo(name, FIXED_TIME), blob, zipfile.ZIP_DEFLATED)
    return path


def save(doc, path: Path, edits: dict[str, Edit] | None = None) -> Path:
    buf = io.BytesIO()
    doc.save(buf)
    return rewrite_zip(buf.getvalue(), path, edits)


def _xml(snippet: str):
    from docx.oxml import parse_xml

    return parse_xml(snippet)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_text_box(paragraph, text: str, shape_id: int = 10) -> None:
    """A floating text box as Word 2010+ saves it: DrawingML in mc:Choice, the VML copy in mc:Fallback."""
    body = f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:p></w:txbxContent>'
    paragraph._p.append(_xml(f"""<w:r {DECLS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="2743200" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>
<wp:docPr id="{shape_id}" name="文本框 {shape_id}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="457200"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{body}</wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t"/>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape id="TextBox{shape_id}" o:spid="_x0000_s10{shape_id}" type="#_x0000_t202"
 style="position:absolute;width:216pt;height:36pt"><v:textbox>{body}</v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""))


def add_tracked_change(doc, author: str = "王科员") -> None:
    """A sentence edited with Track Changes on: one deletion and one insertion, as Word records them."""
    date = "2026-11-19T10:00:00Z"
    doc.element.body.insert(len(doc.element.body) - 1, _xml(f"""<w:p {DECLS}>
<w:r><w:t xml:space="preserve">会议定于</w:t></w:r>
<w:del w:id="101" w:author="{author}" w:date="{date}"><w:r><w:delText>11月19日</w:delText></w:r></w:del>
<w:ins w:id="102" w:author="{author}" w:date="{date}"><w:r><w:t>11月20日</w:t></w:r></w:ins>
<w:r><w:t>上午召开。</w:t></w:r></w:p>"""))


def add_hidden(paragraph, text: str):
    run = paragraph.add_run(text)
    run.font.hidden = True
    return run


def _settings_insert(doc, element) -> None:
    """Insert into w:settings before w:defaultTabStop, where the schema's sequence wants it."""
    settings = doc.settings.element
    anchor = settings.find(f"{{{NS['w']}}}defaultTabStop")
    if anchor is None:
        settings.append(element)
    else:
        anchor.addprevious(element)


def attach_template(doc, target: str = "file:///C:/公文模板/通知.dotm") -> None:
    rid = doc.part._settings_part.relate_to(target, RT + "attachedTemplate", is_external=True)
    _settings_insert(doc, _xml(f'<w:attachedTemplate {DECLS} r:id="{rid}"/>'))


def restrict_editing(doc, mode: str = "readOnly") -> None:
    _settings_insert(doc, _xml(
        f'<w:documentProtection {DECLS} w:edit="{mode}" w:enforcement="1" w:cryptProviderType="rsaAES" '
        'w:cryptAlgorithmClass="hash" w:cryptAlgorithmType="typeAny" w:cryptAlgorithmSid="14" '
        'w:cryptSpinCount="100000" w:hash="MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=" w:salt="c2FsdHNhbHRzYWx0c2FsdA=="/>'
    ))


def jpeg_bytes(size=(640, 400), seed: int = 1) -> bytes:
    buf = io.BytesIO()
    _picture(size, seed).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def png_bytes(size=(200, 60), seed: int = 4) -> bytes:
    buf = io.BytesIO()
    _picture(size, seed).save(buf, "PNG")
    return buf.getvalue()


def add_picture(doc, alt: str | None, seed: int = 1, caption: str = ""):
    """An inline photo; `alt` goes where Word's “Edit Alt Text” puts it (wp:docPr/@descr)."""
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(jpeg_bytes(seed=seed)), width=Cm(12))
    shape = doc.inline_shapes[-1]
    if alt is not None:
        shape._inline.docPr.set("descr", alt)
    if caption:
        doc.add_paragraph(caption)
    return shape


def add_web_link(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, RT + "hyperlink", is_external=True)
    paragraph._p.append(_xml(f'<w:hyperlink {DECLS} r:id="{rid}"><w:r><w:t>{_esc(text)}</w:t></w:r></w:hyperlink>'))


def add_table(doc, rows: list[list[str]]):
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    return t


def embed_workbook(doc) -> None:
    """An Excel sheet embedded as Word does it (Insert → Object): the .xlsx as a package part,
    shown through a preview picture inside w:object."""
    import openpyxl
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["乡镇", "饲草料储备(吨)"])
    ws.append(["恰卜恰镇", 1200])
    xbuf = io.BytesIO()
    wb.save(xbuf)
    part = Part(
        PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xbuf.getvalue(),
        doc.part.package,
    )
    pkg_rid = doc.part.relate_to(part, RT + "package")
    img_rid, _ = doc.part.get_or_add_image(io.BytesIO(png_bytes()))
    p = doc.add_paragraph()
    p._p.append(_xml(f"""<w:r {DECLS}><w:object w:dxaOrig="4320" w:dyaOrig="1296">
<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:216pt;height:64.8pt" o:ole="">
<v:imagedata r:id="{img_rid}" o:title=""/></v:shape>
<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content"
 ObjectID="_1790000001" r:id="{pkg_rid}"/></w:object></w:r>"""))


def app_with(company: str = "", manager: str = "") -> Callable[[bytes], bytes]:
    """Fill Company and Manager in python-docx's docProps/app.xml (which holds them empty)."""

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"<Company/>", f"<Company>{company}</Company>".encode() if company else b"<Company/>")
        return xml.replace(b"<Manager/>", f"<Manager>{manager}</Manager>".encode() if manager else b"<Manager/>")

    return edit


def custom_properties(props: dict[str, str]) -> dict[str, Edit]:
    """The edits that add docProps/custom.xml (and its relationship and content type), as Word writes it."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{k}"><vt:lpwstr>{_esc(v)}</vt:lpwstr></property>'
        for i, (k, v) in enumerate(props.items(), start=2)
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{items}</Properties>'
    ).encode()

    def rels(xml: bytes) -> bytes:
        rel = (f'<Relationship Id="rId99" Type="{RT}custom-properties" Target="docProps/custom.xml"/>').encode()
        return xml.replace(b"</Relationships>", rel + b"</Relationships>")

    def types(xml: bytes) -> bytes:
        over = (b'<Override PartName="/docProps/custom.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>')
        return xml.replace(b"</Types>", over + b"</Types>")

    return {"docProps/custom.xml": custom, "_rels/.rels": rels, "[Content_Types].xml": types}


def with_doctype(xml: bytes) -> bytes:
    """document.xml with an internal DTD declaring an external entity (an XXE probe)."""
    head, sep, rest = xml.partition(b"?>")
    dtd = b'\n<!DOCTYPE w:document [<!ENTITY probe SYSTEM "http://xxe.example.invalid/probe">]>'
    rest = rest.replace(b"</w:t>", b"&probe;</w:t>", 1)
    return head + sep + dtd + rest


# -- whole documents (used by the examples script and the tests) -----------------------------------


def clean_docx(path: Path) -> Path:
    """A clean illustrated news item: header, footer, table, a captioned photo with alt text,
    a text box and a web link — every feature the DOC rules look at, all in order."""
    d = new_document()
    d.sections[0].header.paragraphs[0].text = "共和县人民政府办公室"
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    add_picture(d, "共和县冬春农牧业生产工作会议现场", caption="图为会议现场。")
    add_table(d, [["乡镇", "饲草料储备(吨)"], ["恰卜恰镇", "1200"], ["倒淌河镇", "860"]])
    p = d.add_paragraph("详情见县政府网站:")
    add_web_link(p, "共和县人民政府", "http://www.gonghe.gov.cn/")
    add_text_box(d.paragraphs[1], "会议要点:储备饲草料,做好防疫。")
    return save(d, path)


def personal_docx(path: Path, author: str = "张明", company: str = "某某信息技术有限公司",
                  manager: str = "李主任", custom: dict[str, str] | None = None) -> Path:
    d = new_document()
    d.core_properties.author = author
    d.core_properties.last_modified_by = author
    edits = {"docProps/app.xml": app_with(company, manager)}
    if custom is None:
        custom = {"起草人": author, "KSOProductBuildVer": "2052-12.1.0.16120"}
    if custom:
        edits.update(custom_properties(custom))
    return save(d, path, edits)


def docm_without_macros(path: Path, template: bool = False) -> Path:
    """What “Save As → Word Macro-Enabled Document” writes when there is no macro (LibreOffice's
    "MS Word 2007 XML VBA" filter gives the same): the main part's content type says macroEnabled,
    and there is no vbaProject.bin."""
    d = new_document(["关于开展冬春农牧业生产工作的通知", "各乡镇:现将有关事项通知如下。"])
    kind = "template.macroEnabledTemplate" if template else "document.macroEnabled"
    d.part._content_type = f"application/vnd.ms-word.{kind}.main+xml"
    return save(d, path)


def id_in_textbox_and_header(path: Path, number: str) -> Path:
    """An ID-like number typed in a text box and in the header — places a plain text search misses."""
    d = new_document()
    d.sections[0].header.paragraphs[0].text = f"经办人身份证号:{number}"
    add_text_box(d.paragraphs[2], f"联系人身份证号 {number}")
    return save(d, path)


def zip_bomb_docx(path: Path, inflated: int = 60_000_000) -> Path:
    """A .docx whose document.xml is mostly blank space: a few dozen KB that inflate past `inflated`."""
    d = new_document(["通知"])
    buf = io.BytesIO()
    d.save(buf)

    def pad(xml: bytes) -> bytes:
        return xml.replace(b"<w:body>", b"<w:body>" + b" " * inflated, 1)

    return rewrite_zip(buf.getvalue(), path, {"word/document.xml": pad})


def encrypt_docx(src: Path, dst: Path, password: str = "Gonghe2026") -> Path:
    import msoffcrypto

    with open(src, "rb") as fh, open(dst, "wb") as out:
        msoffcrypto.OfficeFile(fh).encrypt(password, out)
    return dst


# -- rule example factories (cases that cannot or should not live in git) ---------------------------


def _corpus(rel: str) -> Callable[[Path, object], Path]:
    def build(workdir: Path, monkeypatch) -> Path:
        return require_corpus() / rel

    return build


FACTORIES = {
    "docm-without-macros": lambda workdir, mp: docm_without_macros(workdir / "通知.docm"),
    "docx-zip-bomb": lambda workdir, mp: zip_bomb_docx(workdir / "压缩炸弹.docx"),
    "docm-macro": _corpus("docx/poi_SimpleMacro.docm"),
    "docx-ole-object": _corpus("docx/oletools_embedded-simple-2007.docx"),
    "doc-clean": _corpus("doc/poi_SampleDoc.doc"),
    "doc-encrypted": _corpus("doc/poi_password_password_cryptoapi.doc"),
    "doc-macro": _corpus("doc/poi_SimpleMacro.doc"),
    "doc-ole-object": _corpus("doc/oletools_embedded-simple-2007.doc"),
    "doc-revisions": _corpus("doc/poi_MarkAuthorsTable.doc"),
}
