"""The .docx validator on generated documents: each rule on its own, where the text comes from,
hostile packages (zip bombs, lying directories, DTDs, garbage), and the personal-properties fixer."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import factories_word as fw
from factories_text import fictitious_id
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.rules.findings import Location
from hnsubmit.checks.formats.identify import identify_path
from hnsubmit.policy.model import load_policy, policy_from_dict
from hnsubmit.rules.registry import get_rule
from hnsubmit.checks.context import FileContext
from hnsubmit.checks.validators.docx import check


def run(path: Path, policy=None):
    pol = policy or load_policy()
    return run_check([path], CheckOptions(pol, selection_from(pol))).findings


def codes(path: Path, policy=None) -> list[str]:
    return sorted(f.code for f in run(path, policy))


def extract(path: Path, policy=None):
    ctx = FileContext(path, path.name, identify_path(path), policy or load_policy())
    return ctx, list(check(ctx))


def one(path: Path, code: str):
    (f,) = [f for f in run(path) if f.code == code]
    return f


def small_policy(**docx) -> object:
    data = load_policy().to_dict()
    data["docx"].update(docx)
    return policy_from_dict(data, "test")


# -- a clean document and where its text comes from ---------------------------------------------


def test_clean_illustrated_item_has_no_findings_and_every_story_is_read(tmp_path):
    path = fw.clean_docx(tmp_path / "图文报道.docx")
    assert codes(path) == []
    ctx, findings = extract(path)
    assert findings == []
    by_text = {t.text: t.location for t in ctx.texts}
    assert by_text[fw.NEWS[0]] == Location(part="body", paragraph=1)
    assert by_text["共和县人民政府办公室"] == Location(part="header1", paragraph=1)
    assert by_text["第 1 页"] == Location(part="footer1", paragraph=1)
    assert by_text["恰卜恰镇"] == Location(part="table", paragraph=8, table_cell="table 1, row 2, column 1")
    assert by_text["会议要点:储备饲草料,做好防疫。"] == Location(part="text box", paragraph=2)
    assert "详情见县政府网站:共和县人民政府" in by_text


def test_text_box_is_read_once_not_again_from_its_vml_fallback(tmp_path):
    path = fw.clean_docx(tmp_path / "a.docx")
    ctx, _ = extract(path)
    assert [t.text for t in ctx.texts].count("会议要点:储备饲草料,做好防疫。") == 1


def test_id_number_in_a_text_box_and_in_the_header_reaches_the_text_scan(tmp_path):
    number = fictitious_id()
    path = fw.id_in_textbox_and_header(tmp_path / "名单.docx", number)
    ctx, findings = extract(path)
    assert findings == []
    places = {t.location for t in ctx.texts if number in t.text}
    assert places == {Location(part="header1", paragraph=1), Location(part="text box", paragraph=3)}
    scanned = [f for f in run(path) if f.code == "TXT002"]
    assert sorted(f.location.part for f in scanned) == ["header1", "text box"]
    assert codes(path) == ["TXT002", "TXT002"]


def test_the_existing_news_example_stays_clean():
    from conftest import EXAMPLES

    assert codes(EXAMPLES / "positive/news-2026-11-20/正文.docx") == []


# -- one rule each ------------------------------------------------------------------------------


def test_hidden_text_is_found_with_where_and_what(tmp_path):
    d = fw.new_document()
    fw.add_hidden(d.paragraphs[2], "(此段待领导审定后删除)")
    path = fw.save(d, tmp_path / "h.docx")
    f = one(path, "DOC010")
    assert (f.args["count"], f.args["sample"]) == (1, "(此段待领导审定后删除)")
    assert f.location == Location(part="body", paragraph=3)
    assert codes(path) == ["DOC010"]


def test_hidden_by_style_counts_and_unhidden_run_does_not(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    d = fw.new_document()
    style = d.styles.add_style("内部备注", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    d.paragraphs[1].add_run("(内部备注:经费另行下达)", style="内部备注")
    path = fw.save(d, tmp_path / "style.docx")
    assert one(path, "DOC010").args["sample"] == "(内部备注:经费另行下达)"
    # the same style, overridden on the run with w:vanish w:val="0": visible, so no finding
    d = fw.new_document()
    style = d.styles.add_style("内部备注", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    run_ = d.paragraphs[1].add_run("可以公开的内容", style="内部备注")
    run_.font.hidden = False
    assert codes(fw.save(d, tmp_path / "shown.docx")) == []


def test_external_template_is_an_error_web_links_are_fine(tmp_path):
    d = fw.new_document()
    fw.attach_template(d)
    f = one(fw.save(d, tmp_path / "t.docx"), "DOC007")
    assert f.args["count"] == 1
    assert f.args["links"]["en"] == "attached template → file:///C:/公文模板/通知.dotm"
    assert f.location.part == "word/_rels/settings.xml.rels"
    d = fw.new_document()
    fw.add_web_link(d.paragraphs[2], "政府网站", "https://www.qhhn.gov.cn/")
    fw.add_web_link(d.paragraphs[2], "来信", "mailto:office@example.gov.cn")
    assert "DOC007" not in codes(fw.save(d, tmp_path / "web.docx"))
    d = fw.new_document()
    fw.add_web_link(d.paragraphs[2], "附件", "file:///D:/内部/名单.xls")
    fw.add_web_link(d.paragraphs[2], "共享", r"\\fileserver\共享\附件.doc")
    f = one(fw.save(d, tmp_path / "local.docx"), "DOC007")
    assert f.args["count"] == 2 and "hyperlink to a local file → file:///D:/内部/名单.xls" in f.args["links"]["en"]


def test_tracked_changes_count_place_and_the_deleted_text_is_scanned(tmp_path):
    d = fw.new_document()
    fw.add_tracked_change(d)
    path = fw.save(d, tmp_path / "rev.docx")
    f = one(path, "DOC008")
    assert f.args["count"] == 2 and f.location == Location(part="body", paragraph=4)
    assert f.args["where"] == {"zh": "正文第 4 段", "en": "body, paragraph 4"}
    ctx, _ = extract(path)
    assert ("会议定于11月20日上午召开。", Location(part="body", paragraph=4)) in [(t.text, t.location) for t in ctx.texts]
    assert ("11月19日", Location(part="body (deleted text)", paragraph=4)) in [(t.text, t.location) for t in ctx.texts]


def test_comments_are_counted_and_their_text_is_scanned(tmp_path):
    d = fw.new_document()
    d.add_comment(d.paragraphs[1].runs, text="请核实会议日期。", author="王科员", initials="王")
    d.add_comment(d.paragraphs[2].runs, text="数据请再核对。", author="王科员", initials="王")
    path = fw.save(d, tmp_path / "c.docx")
    assert one(path, "DOC009").args["count"] == 2
    ctx, _ = extract(path)
    assert [t.text for t in ctx.texts if t.location.part == "comment"] == ["请核实会议日期。", "数据请再核对。"]


@pytest.mark.parametrize("code,words", [
    ("DOC008", ("接受所有修订", "WPS", "接受对文档所做的所有修订")),
    ("DOC009", ("删除文档中的所有批注", "WPS")),
])
def test_hints_say_how_to_settle_it_in_word_and_wps(code, words):
    hint = get_rule(code).hint["zh"]
    assert all(w in hint for w in words)
    assert "Accept All Changes" in get_rule("DOC008").hint["en"]


def test_personal_properties_listed_and_wps_build_number_is_not_personal(tmp_path):
    f = one(fw.personal_docx(tmp_path / "p.docx"), "DOC011")
    assert f.args["fields"]["en"] == (
        "creator “张明”; lastModifiedBy “张明”; Company “某某信息技术有限公司”; Manager “李主任”; custom:起草人 “张明”"
    )
    assert f.severity.value == "warning"
    only_wps = fw.personal_docx(tmp_path / "wps.docx", author="", company="", manager="",
                                custom={"KSOProductBuildVer": "2052-12.1.0.16120"})
    assert codes(only_wps) == []


def test_editing_restriction_is_information_only(tmp_path):
    d = fw.new_document()
    fw.restrict_editing(d, "forms")
    f = one(fw.save(d, tmp_path / "r.docx"), "DOC012")
    assert f.args["mode"] == "forms" and f.severity.value == "info"


def test_empty_body_but_a_lone_picture_is_content(tmp_path):
    assert codes(fw.save(fw.new_document([]), tmp_path / "empty.docx")) == ["DOC013"]
    d = fw.new_document([])
    fw.add_picture(d, "共和县城全景")
    assert codes(fw.save(d, tmp_path / "photo.docx")) == []


def test_alt_text_missing_file_name_decorative_and_given(tmp_path):
    d = fw.new_document()
    fw.add_picture(d, None)
    fw.add_picture(d, "DSC_0042.JPG", seed=2)
    fw.add_picture(d, "会议现场", seed=3)
    f = one(fw.save(d, tmp_path / "alt.docx"), "DOC014")
    assert (f.args["count"], f.args["total"]) == (2, 3)
    assert f.location == Location(part="body", paragraph=4)
    d = fw.new_document()
    shape = fw.add_picture(d, None)
    docpr = shape._inline.docPr
    docpr.append(fw._xml(
        '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
        '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
        "</a:ext></a:extLst>"
    ))
    assert codes(fw.save(d, tmp_path / "decorative.docx")) == []


def test_embedded_workbook_is_an_ole_object_and_its_preview_needs_no_alt_text(tmp_path):
    d = fw.new_document()
    fw.embed_workbook(d)
    f = one(fw.save(d, tmp_path / "ole.docx"), "DOC006")
    assert f.args["count"] == 1 and f.args["where"] == "word/embeddings/Microsoft_Excel_Worksheet1.xlsx"
    assert codes(tmp_path / "ole.docx") == ["DOC006"]


def test_macro_enabled_docm_from_the_corpus(corpus):
    f = one(corpus / "docx/oletools_oleform-PR314.docm", "DOC005")
    assert f.args["where"] == "word/vbaProject.bin, [Content_Types].xml: macroEnabled"


def test_encrypted_docx_made_with_msoffcrypto(tmp_path):
    plain = fw.save(fw.new_document(), tmp_path / "plain.docx")
    path = fw.encrypt_docx(plain, tmp_path / "locked.docx")
    assert identify_path(path).kind == "docx-encrypted"
    f = one(path, "DOC004")
    assert f.args["method"]["en"] == "Agile encryption (AES)"
    assert codes(path) == ["DOC004"]


def test_encrypted_workbook_is_an_encrypted_office_document_not_a_word_one(tmp_path):
    """Issue 13.6: without the password the package is ciphertext; nobody can say it is Word."""
    import msoffcrypto
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "报送统计"
    wb.save(tmp_path / "plain.xlsx")
    path = tmp_path / "统计表.xlsx"
    with open(tmp_path / "plain.xlsx", "rb") as fh, open(path, "wb") as out:
        msoffcrypto.OfficeFile(fh).encrypt("Gonghe2026", out)
    info = identify_path(path)
    assert (info.kind, info.detail, info.detail_zh) == (
        "docx-encrypted", "an encrypted Office document (OOXML inside an OLE container)", "加密的 Office 文档(OLE 容器中的 OOXML)"
    )
    assert [(f.code, f.args["method"]["en"]) for f in run(path)] == [("DOC004", "Agile encryption (AES)")]  # no FMT002


# -- hostile and broken packages ----------------------------------------------------------------


def test_zip_bomb_is_refused_from_the_directory_before_inflating(tmp_path):
    path = fw.zip_bomb_docx(tmp_path / "bomb.docx", inflated=60_000_000)
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    found = run(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.code for f in found] == ["DOC002"]
    assert "word/document.xml" in found[0].args["what"]["en"]
    assert peak < 10_000_000  # 60 MB were never inflated


def test_total_size_and_part_count_limits_come_from_the_policy(tmp_path):
    path = fw.clean_docx(tmp_path / "ok.docx")
    f = [f for f in run(path, small_policy(max_uncompressed_bytes=100_000)) if f.code == "DOC002"]
    assert len(f) == 1 and "limit of 0 MB" in f[0].args["what"]["en"]
    f = [f for f in run(path, small_policy(max_parts=5)) if f.code == "DOC002"]
    assert len(f) == 1 and "over the limit of 5" in f[0].args["what"]["en"]


def test_a_directory_that_understates_sizes_is_not_believed(tmp_path):
    """The central directory says document.xml is 500 bytes; its data inflates to 30 MB."""
    path = fw.zip_bomb_docx(tmp_path / "liar.docx", inflated=30_000_000)
    data = bytearray(path.read_bytes())
    cd = data.rfind(b"PK\x01\x02", 0)
    name = b"word/document.xml"
    while cd != -1:
        n = struct.unpack_from("<H", data, cd + 28)[0]
        if data[cd + 46 : cd + 46 + n] == name:
            struct.pack_into("<I", data, cd + 24, 500)  # uncompressed size
            break
        cd = data.rfind(b"PK\x01\x02", 0, cd)
    assert cd != -1
    path.write_bytes(bytes(data))
    tracemalloc.start()
    found = run(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.code for f in found] == ["DOC001"]
    assert "damaged" in found[0].args["reason"] and peak < 10_000_000


def test_generated_dtd_is_refused_and_its_entity_never_resolved(tmp_path):
    path = fw.save(fw.new_document(), tmp_path / "xxe.docx", {"word/document.xml": fw.with_doctype})
    ctx, findings = extract(path)
    assert [f.code for f in findings] == ["DOC003"]
    assert ctx.texts == []


def _package(tmp_path: Path, edits) -> Path:
    buf = io.BytesIO()
    fw.new_document().save(buf)
    return fw.rewrite_zip(buf.getvalue(), tmp_path / "broken.docx", edits)


@pytest.mark.parametrize("edits,reason", [
    ({"[Content_Types].xml": None}, "[Content_Types].xml is missing"),
    ({"word/document.xml": None}, "main document part"),
    ({"word/document.xml": lambda x: x[: len(x) // 2]}, "not well-formed XML"),
    ({"_rels/.rels": b"<Relationships"}, "not well-formed XML"),
])
def test_broken_packages_are_invalid_structure_not_crashes(tmp_path, edits, reason):
    found = run(_package(tmp_path, edits))
    assert [f.code for f in found] == ["DOC001"]
    assert reason in found[0].args["reason"]


def test_random_damage_never_crashes_the_check(tmp_path):
    """Flip bytes all over a real .docx: every result is findings, never FMT006 or an exception."""
    import random

    original = fw.clean_docx(tmp_path / "orig.docx").read_bytes()
    rnd = random.Random(2026)
    seen = set()
    for i in range(60):
        data = bytearray(original)
        for _ in range(rnd.randint(1, 40)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        path = tmp_path / f"m{i}.docx"
        path.write_bytes(bytes(data))
        got = codes(path)
        assert "FMT006" not in got
        seen.update(got)
    assert seen & {"DOC001", "FMT008"}  # the damage was noticed, not silently passed


# -- the fixer ----------------------------------------------------------------------------------


def _fix(path: Path, tmp_path: Path):
    from hnsubmit.checks.fix import FixOptions, run_fix

    pol = load_policy()
    (action,) = run_fix([path], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=tmp_path / "fixed"))
    return action


def _paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_fixer_clears_properties_and_leaves_everything_else(tmp_path):
    src = fw.personal_docx(tmp_path / "作者信息.docx")
    action = _fix(src, tmp_path)
    assert action.fixed and action.left == ()
    out = Path(action.output)
    assert "作者、最后修改人、经理、单位、自定义属性 起草人" in action.changes[0].zh
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        for ia, ib in zip(a.infolist(), b.infolist()):
            assert (ia.date_time, ia.compress_type) == (ib.date_time, ib.compress_type)
            if ia.filename.startswith("docProps/"):
                continue
            assert a.read(ia) == b.read(ib), ia.filename
        core = b.read("docProps/core.xml")
        assert b"<dc:creator></dc:creator>" in core and "张明".encode() not in core
        assert a.read("docProps/core.xml").replace("张明".encode(), b"") == core  # only the values went
        custom = b.read("docProps/custom.xml")
        assert b"KSOProductBuildVer" in custom and "起草人".encode() not in custom
    assert _paragraphs(out) == _paragraphs(src)


def test_fixer_drops_an_emptied_custom_part_with_its_relationship_and_override(tmp_path):
    src = fw.personal_docx(tmp_path / "c.docx", author="", company="", manager="", custom={"经办人": "李四"})
    assert [f.args["fields"]["en"] for f in run(src)] == ["custom:经办人 “李四”"]
    action = _fix(src, tmp_path)
    out = Path(action.output)
    with zipfile.ZipFile(out) as z:
        assert "docProps/custom.xml" not in z.namelist()
        assert b"custom-properties" not in z.read("_rels/.rels")
        assert b"/docProps/custom.xml" not in z.read("[Content_Types].xml")
    assert codes(out) == [] and _paragraphs(out) == _paragraphs(src)


def test_fixer_leaves_tracked_changes_and_the_text_alone(tmp_path, corpus):
    src = corpus / "docx/poi_delins.docx"
    action = _fix(src, tmp_path)
    assert action.left == ("DOC008",)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(action.output) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
        assert b"<Company></Company>" in b.read("docProps/app.xml")


def test_fixer_does_nothing_without_personal_properties_or_on_an_unsafe_package(tmp_path, corpus):
    from hnsubmit.checks.fixers.base import FixContext
    from hnsubmit.checks.fixers.docx_properties import fix

    pol = load_policy()
    clean = fw.clean_docx(tmp_path / "clean.docx")
    ctx = FixContext(identify_path(clean), tuple(run(clean)), pol)
    assert fix(clean, tmp_path / "out1.docx", ctx) is None
    xxe = corpus / "docx/poi_ExternalEntityInText.docx"
    ctx = FixContext(identify_path(xxe), tuple(run(xxe)), pol)
    assert ctx.has("DOC011") and fix(xxe, tmp_path / "out2.docx", ctx) is None
    assert not (tmp_path / "out2.docx").exists()


def test_deep_nesting_is_refused_not_recursed(tmp_path):
    nest = b"<w:sdt><w:sdtContent>" * 600 + b"</w:sdtContent></w:sdt>" * 600
    path = _package(tmp_path, {"word/document.xml": lambda x: x.replace(b"<w:body>", b"<w:body>" + nest, 1)})
    found = run(path)
    assert [f.code for f in found] == ["DOC001"]
    assert "deeper than 1000 levels" in found[0].args["reason"]


def test_a_flood_of_small_elements_streams_without_a_tree(tmp_path):
    """15,000 bookmarks with random names (so the ratio limit does not catch them) are walked with
    less memory than a parsed tree of the same part alone would take."""
    import random
    import xml.etree.ElementTree as ET

    rnd = random.Random(7)
    flood = b"".join(
        b'<w:bookmarkStart w:id="%d" w:name="_%08x"/>' % (i, rnd.getrandbits(32)) for i in range(15_000)
    )
    path = _package(tmp_path, {"word/document.xml": lambda x: x.replace(b"<w:body>", b"<w:body>" + flood, 1)})
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    tracemalloc.start()
    tree = ET.fromstring(xml)
    tree_peak = tracemalloc.get_traced_memory()[1]
    del tree
    tracemalloc.reset_peak()
    found = run(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.code for f in found] == []
    assert peak < tree_peak / 2


DTD = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'


@pytest.mark.parametrize("part", ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                                  "docProps/core.xml", "word/styles.xml", "word/settings.xml"])
def test_a_dtd_in_any_part_is_doc003_never_a_crash(tmp_path, part):
    path = _package(tmp_path, {part: lambda x: DTD + x.split(b"?>", 1)[1]})
    found = run(path)
    assert "FMT006" not in [f.code for f in found]
    (dtd,) = [f for f in found if f.code == "DOC003"]
    assert dtd.args["parts"] == part


PAYLOADS = {
    "empty": b"",
    "unclosed": b"<a><a><a>",
    "foreign-root": b"<?xml version='1.0'?><x:y xmlns:x='urn:z' a='1'/>",
    "binary": bytes(range(256)) * 4,
}


def test_any_part_replaced_by_anything_gives_findings_not_crashes(tmp_path):
    """Every XML part of a real document, replaced in turn by each hostile payload."""
    fw.clean_docx(tmp_path / "base.docx")
    base = (tmp_path / "base.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        names = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    assert len(names) > 15
    for i, name in enumerate(names):
        for label, payload in PAYLOADS.items():
            path = fw.rewrite_zip(base, tmp_path / f"{i}-{label}.docx", {name: payload})
            got = codes(path)
            assert "FMT006" not in got, (name, label)


def _to_strict(data: bytes) -> bytes:
    """The same package as Word's "Strict Open XML Document" writes it: Strict namespace and
    relationship-type URIs in every XML part."""
    from hnsubmit.checks.formats import strict

    out = data.replace(b"/relationships/extended-properties", b"/relationships/extendedProperties")
    out = out.replace(b"/relationships/custom-properties", b"/relationships/customProperties")
    for s_uri, t_uri in sorted(strict.NAMESPACES.items(), key=lambda kv: -len(kv[1])):
        out = out.replace(t_uri.encode(), s_uri.encode())
    return out


@pytest.mark.parametrize("make,expected", [
    (lambda p: fw.clean_docx(p), []),
    (lambda p: fw.personal_docx(p), ["DOC011"]),
    (lambda p: fw.id_in_textbox_and_header(p, fictitious_id()), ["TXT002", "TXT002"]),
])
def test_strict_ooxml_reads_like_transitional(tmp_path, make, expected):
    src = make(tmp_path / "t.docx")
    data = src.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        edits = {n: _to_strict for n in z.namelist() if n.endswith((".xml", ".rels"))}
    path = fw.rewrite_zip(data, tmp_path / "strict.docx", edits)
    with zipfile.ZipFile(path) as z:
        assert b"purl.oclc.org/ooxml/wordprocessingml/main" in z.read("word/document.xml")
    assert codes(path) == expected
    assert [(t.text, t.location) for t in extract(path)[0].texts] == [(t.text, t.location) for t in extract(src)[0].texts]
    if expected == ["DOC011"]:
        action = _fix(path, tmp_path)
        assert action.fixed and action.left == ()


def test_encrypted_container_with_a_damaged_encryption_info_is_still_doc004(tmp_path):
    """msoffcrypto cannot read this EncryptionInfo; the EncryptedPackage still cannot be opened."""
    import olefile

    plain = fw.save(fw.new_document(), tmp_path / "plain.docx")
    path = fw.encrypt_docx(plain, tmp_path / "locked.docx")
    ole = olefile.OleFileIO(str(path), write_mode=True)
    size = len(ole.openstream("EncryptionInfo").read())
    ole.write_stream("EncryptionInfo", b"\xff" * size)
    ole.close()
    assert identify_path(path).kind == "docx-encrypted"
    f = one(path, "DOC004")
    assert f.args["method"]["en"] == "unknown method"


@pytest.mark.parametrize("encoding", ["UTF-1", "gbk", "idna", "utf-32"])
@pytest.mark.parametrize("part", ["_rels/.rels", "word/document.xml"])
def test_an_xml_declaration_naming_an_unusable_encoding_is_invalid_structure(tmp_path, part, encoding):
    """Found by fuzzing (tests/fuzz/regressions/docx/rels-encoding-UTF-1.docx): expat asks Python's
    codecs for the declared encoding, and LookupError/ValueError reached the FMT006 safety net."""
    declare = lambda x: re.sub(rb"""encoding=["'][^"']*["']""", f'encoding="{encoding}"'.encode(), x, count=1)  # noqa: E731
    found = run(_package(tmp_path, {part: declare}))
    assert [f.code for f in found] == ["DOC001"]
    assert "encoding" in found[0].args["reason"]


# -- a macro-enabled type without macros (issue 13.5) ----------------------------------------------


@pytest.mark.parametrize("name, template, content_type", [
    ("通知.docm", False, "application/vnd.ms-word.document.macroEnabled.main+xml"),
    ("模板.dotm", True, "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
])
def test_macro_enabled_type_without_macros_is_not_macro_code(tmp_path, name, template, content_type):
    path = fw.docm_without_macros(tmp_path / name, template=template)
    assert [(f.code, f.location, dict(f.args)) for f in run(path)] == [
        ("DOC015", Location(part="[Content_Types].xml"), {"content_type": content_type}),
    ]


def test_fix_makes_a_macro_free_docm_an_ordinary_docx(tmp_path):
    src = fw.docm_without_macros(tmp_path / "通知.docm")
    action = _fix(src, tmp_path)
    assert action.fixed and action.after.findings == ()
    out = Path(action.output)
    assert out.name == "通知.docx"
    assert [c.en for c in action.changes] == [
        "changed the macro-enabled document type to an ordinary Word document (it held no macro)",
        "extension changed to .docx",
    ]
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        changed = [i.filename for i in a.infolist() if a.read(i) != b.read(i.filename)]
        assert changed == ["[Content_Types].xml"]
        assert a.read(changed[0]).replace(b"application/vnd.ms-word.document.macroEnabled.main+xml",
                                          b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") == b.read(changed[0])
    assert _paragraphs(out) == ["关于开展冬春农牧业生产工作的通知", "各乡镇:现将有关事项通知如下。"]


def test_real_macros_still_are_doc005_and_the_type_is_left_alone(corpus, tmp_path):
    from hnsubmit.checks.fixers.base import FixContext
    from hnsubmit.checks.fixers.docx_macro_type import fix

    path = corpus / "docx/poi_SimpleMacro.docm"
    findings = run(path)
    assert sorted(f.code for f in findings) == ["DOC005", "DOC011"]
    ctx = FixContext(identify_path(path), tuple(findings), load_policy())
    assert fix(path, tmp_path / "out.docm", ctx) is None


def test_a_plain_docx_named_docm_is_an_extension_mismatch(tmp_path):
    """Word refuses a .docm whose main part is not macro-enabled ("problems with the contents")."""
    path = fw.save(fw.new_document(["正文"]), tmp_path / "正文.docm")
    assert [(f.code, f.args["expected"]) for f in run(path)] == [("FMT002", ".docx/.dotx")]
