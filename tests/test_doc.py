"""The Word 97–2003 .doc validator: text through the piece table, FIB-based findings, and files
whose FIB, piece table or character pages were damaged on purpose (in a copy, with olefile)."""

from __future__ import annotations

import random
import shutil
import struct
from pathlib import Path

import olefile
import pytest

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.rules.findings import Location
from hnsubmit.checks.formats import wordbin
from hnsubmit.checks.formats.identify import identify_path
from hnsubmit.policy.model import load_policy
from hnsubmit.checks.context import FileContext
from hnsubmit.checks.validators.doc import check, paragraphs


def codes(path: Path) -> list[str]:
    pol = load_policy()
    return sorted(f.code for f in run_check([path], CheckOptions(pol, selection_from(pol))).findings)


def extract(path: Path):
    ctx = FileContext(path, path.name, identify_path(path), load_policy())
    return ctx, list(check(ctx))


def test_plain_doc_text_comes_out_paragraph_by_paragraph(corpus):
    ctx, findings = extract(corpus / "doc/poi_SampleDoc.doc")
    assert [(f.code, f.args["fields"]["en"]) for f in findings] == [
        ("DOC011", "creator “Nick Burch”; lastModifiedBy “Nick Burch”")
    ]
    assert [(t.location.part, t.location.paragraph, t.text) for t in ctx.texts] == [
        ("body", 1, "I am a test document"),
        ("body", 2, "This is page 1"),
        ("body", 3, "I am Calibri (Body) in font size 11"),
        ("body", 6, "This is page two"),
        ("body", 7, "It’s Arial Black in 16 point"),  # 0x92 of an 8-bit piece is cp1252’s ’
        ("body", 8, "It’s also in blue"),
    ]


def test_unicode_pieces_are_read_as_utf16(corpus):
    ctx, _ = extract(corpus / "doc/oletools_harmless-clean.doc")
    assert any("ünicöde-ßtringß" in t.text for t in ctx.texts)


def test_revisions_are_real_inserted_and_deleted_runs(corpus):
    path = corpus / "doc/poi_MarkAuthorsTable.doc"
    ctx, findings = extract(path)
    revision = next(f for f in findings if f.code == "DOC008")
    assert revision.location == Location(part="body", paragraph=2)
    # the inserted sentences are in the text the scan reads
    assert any(t.text == "Adding something here for tracked changes" for t in ctx.texts)
    ole = olefile.OleFileIO(str(path))
    wd, table = ole.openstream("WordDocument").read(), ole.openstream("1Table").read()
    ole.close()
    fib = wordbin.parse_fib(wd)
    pieces = wordbin.pieces(fib, table, len(wd))
    marked = {
        (kind, wordbin.text(wd, pieces, a, b))
        for fs, fe, kinds in wordbin.run_marks(fib, wd, table)
        for a, b in wordbin.fc_to_cp(pieces, fs, fe)
        for kind in kinds
    }
    assert ("ins", " my insert") in marked
    assert ("del", "inserted from the Project Workflow Overview document.") in marked
    assert revision.args["count"] == len([m for m in wordbin.run_marks(fib, wd, table) if m[2] & {"ins", "del", "prop"}])


def test_clean_docs_carry_no_revision_marks(corpus):
    for rel in ("doc/poi_SampleDoc.doc", "doc/oletools_harmless-clean.doc", "doc/poi_two_images.doc"):
        ole = olefile.OleFileIO(str(corpus / rel))
        wd, table = ole.openstream("WordDocument").read(), ole.openstream("1Table").read()
        ole.close()
        assert wordbin.run_marks(wordbin.parse_fib(wd), wd, table) == []


def test_encrypted_doc_says_how_and_hands_no_ciphertext_to_the_scan(corpus):
    ctx, findings = extract(corpus / "doc/poi_password_tika_binaryrc4.doc")
    assert [(f.code, f.args.get("method", {}).get("zh")) for f in findings] == [("DOC011", None), ("DOC004", "RC4")]
    assert ctx.texts == []


def test_macros_and_objects_are_found_from_the_storages(corpus):
    _, findings = extract(corpus / "doc/poi_SimpleMacro.doc")
    assert [(f.code, f.args.get("where")) for f in findings] == [("DOC005", "Macros/VBA"), ("DOC011", None)]
    _, findings = extract(corpus / "doc/oletools_embedded-simple-2007.doc")
    assert [(f.code, f.args.get("count"), f.args.get("where")) for f in findings] == [
        ("DOC006", 1, "ObjectPool/_1577691201"), ("DOC011", None, None)
    ]


@pytest.mark.parametrize("raw,expected", [
    ("see \x13 HYPERLINK \"http://x\" \x14the site\x15 now\r", [(1, "see the site now")]),
    ("a\x13 SET x \x13 REF y \x14inner\x15\x14outer\x15b\r", [(1, "aouterb")]),
    ("cell1\x07cell2\x07\x07next\r", [(1, "cell1"), (2, "cell2"), (4, "next")]),
    ("line\x0bbreak\x1ehyphen\x01\x08\r\r", [(1, "line\nbreak-hyphen")]),
    ("\x13 unterminated field\r", []),
])
def test_field_instructions_dropped_results_kept(raw, expected):
    assert paragraphs(raw) == expected


# -- damaged copies --------------------------------------------------------------------------------


def _copy(corpus, tmp_path: Path, rel: str = "doc/poi_SampleDoc.doc") -> Path:
    dst = tmp_path / Path(rel).name
    shutil.copyfile(corpus / rel, dst)
    dst.chmod(0o644)
    return dst


def _patch(path: Path, stream: str, offset: int, fmt: str, value: int) -> None:
    ole = olefile.OleFileIO(str(path), write_mode=True)
    data = bytearray(ole.openstream(stream).read())
    struct.pack_into(fmt, data, offset, value)
    ole.write_stream(stream, bytes(data))
    ole.close()


FIB_CCP_TEXT = 64 + 4 * 3  # FibRgLw97.ccpText, after FibBase, csw/FibRgW (14 words) and cslw
FIB_CLX = 154 + 8 * wordbin.CLX


@pytest.mark.parametrize("stream,offset,fmt,value,reason", [
    ("WordDocument", FIB_CLX, "<I", 10_000_000, "piece table (Clx) lies outside"),
    ("WordDocument", FIB_CCP_TEXT, "<i", 5_000_000, "body length"),
    ("WordDocument", FIB_CCP_TEXT, "<i", -7, "body length"),
    ("WordDocument", 62, "<H", 3, "FibRgLw is too short"),
    ("WordDocument", 10, "<H", 0x12F0 ^ 0x0200, "0Table stream the FIB names is missing"),
])
def test_inconsistent_fib_is_invalid_structure(corpus, tmp_path, stream, offset, fmt, value, reason):
    path = _copy(corpus, tmp_path)
    _patch(path, stream, offset, fmt, value)
    ctx, findings = extract(path)
    assert [f.code for f in findings] == ["DOC011", "DOC001"]  # the property sets are still readable
    assert reason in findings[1].args["reason"]
    assert codes(path) == ["DOC001", "DOC011"]


def test_piece_pointing_past_the_stream_is_invalid_structure(corpus, tmp_path):
    path = _copy(corpus, tmp_path)
    ole = olefile.OleFileIO(str(path))
    wd, table = ole.openstream("WordDocument").read(), ole.openstream("1Table").read()
    ole.close()
    fc, _ = wordbin.parse_fib(wd).pair(wordbin.CLX)
    assert table[fc] == 0x02  # no Prc: the Pcdt comes first
    n = (struct.unpack_from("<I", table, fc + 1)[0] - 4) // 12
    first_pcd = fc + 5 + 4 * (n + 1)
    _patch(path, "1Table", first_pcd + 2, "<I", 0x40000000 | 2 * 9_000_000)
    _, findings = extract(path)
    assert [(f.code, f.args.get("reason")) for f in findings] == [
        ("DOC011", None), ("DOC001", "a text piece points past the end of the WordDocument stream")
    ]


def test_random_damage_to_fib_and_table_never_crashes(corpus, tmp_path):
    """Overwrite random bytes of the FIB and the table stream: findings every time, never FMT006."""
    rnd = random.Random(86)
    seen = set()
    for i in range(80):
        (tmp_path / str(i)).mkdir()
        path = _copy(corpus, tmp_path / str(i), "doc/poi_MarkAuthorsTable.doc")
        ole = olefile.OleFileIO(str(path), write_mode=True)
        for stream, span in (("WordDocument", 900), ("1Table", None)):
            data = bytearray(ole.openstream(stream).read())
            for _ in range(rnd.randint(1, 12)):
                data[rnd.randrange(span or len(data))] = rnd.randrange(256)
            ole.write_stream(stream, bytes(data))
        ole.close()
        got = codes(path)
        assert "FMT006" not in got
        seen.update(got)
    assert "DOC001" in seen


def test_hidden_run_in_a_doc_is_found(corpus, tmp_path):
    """Turn one run's colour sprm (sprmCIco) into sprmCFVanish=1 — a run formatted as hidden,
    exactly as Word stores it — and the word "colors " becomes hidden text."""
    path = _copy(corpus, tmp_path, "doc/oletools_harmless-clean.doc")
    ole = olefile.OleFileIO(str(path), write_mode=True)
    wd = bytearray(ole.openstream("WordDocument").read())
    at = wd.index(bytes.fromhex("422a0d"), 5 * 512)  # sprmCIco (0x2A42) with operand 13, in the CHPX page
    struct.pack_into("<HB", wd, at, wordbin.SPRM_VANISH, 1)
    ole.write_stream("WordDocument", bytes(wd))
    ole.close()
    ctx, findings = extract(path)
    assert [(f.code, f.args.get("count"), f.args.get("sample")) for f in findings] == [("DOC011", None, None), ("DOC010", 1, "colors")]
    assert findings[1].location.part == "body"
    assert any("colors" in t.text for t in ctx.texts)  # hidden text is still scanned


# -- personal properties (issue 13.4) ---------------------------------------------------------------

LIBREOFFICE_DOC = Path(__file__).parent / "data" / "word" / "personal-properties.doc"  # scripts/make_doc_fixtures.py


def _fix(path: Path, tmp_path: Path):
    from hnsubmit.checks.fix import FixOptions, run_fix

    pol = load_policy()
    (action,) = run_fix([path], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=tmp_path / "fixed"))
    return action


def _streams(path: Path) -> dict[str, bytes]:
    with olefile.OleFileIO(str(path)) as ole:
        return {"/".join(e): ole.openstream(e).read() for e in ole.listdir()}


def test_personal_properties_of_a_libreoffice_doc():
    """LibreOffice writes author and last saved by into SummaryInformation, and a .docx's company and
    manager as custom (user-defined) properties of DocumentSummaryInformation."""
    _, findings = extract(LIBREOFFICE_DOC)
    assert [(f.code, f.severity.value, f.location, dict(f.args)) for f in findings] == [
        ("DOC011", "warning", Location(part="SummaryInformation"), {"fields": {
            "zh": "作者“张明”;最后修改人“张明”;自定义属性 Company“某某信息技术有限公司”;自定义属性 Manager“李主任”",
            "en": "creator “张明”; lastModifiedBy “张明”; custom:Company “某某信息技术有限公司”; custom:Manager “李主任”"}}),
    ]


def test_fix_blanks_them_in_place_and_the_result_checks_clean(tmp_path):
    src = tmp_path / "稿件.doc"
    shutil.copyfile(LIBREOFFICE_DOC, src)
    action = _fix(src, tmp_path)
    assert action.fixed and action.left == () and action.after.findings == ()
    assert action.changes[0].en == (
        "cleared personal information from the document properties: creator, lastModifiedBy, custom:Company, custom:Manager"
    )
    out = Path(action.output)
    assert out.stat().st_size == src.stat().st_size
    with olefile.OleFileIO(str(out)) as ole:
        meta = ole.get_metadata()
        assert (meta.author, meta.last_saved_by) == (b"", b"")
    before, after = _streams(src), _streams(out)
    assert before.keys() == after.keys()
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ["\x05DocumentSummaryInformation", "\x05SummaryInformation"]
    assert "张明".encode("utf-8") not in after[changed[1]]
    assert "某某信息技术有限公司".encode("utf-8") not in after[changed[0]] and b"Company" in after[changed[0]]  # the name stays, empty


def test_company_of_a_word_doc_is_reported_and_cleared(corpus, tmp_path):
    path = _copy(corpus, tmp_path, "doc/poi_two_images.doc")
    _, findings = extract(path)
    assert [(f.code, f.args["fields"]["en"]) for f in findings] == [
        ("DOC011", "creator “Hogwarts”; lastModifiedBy “Hogwarts”; Company “Torchbox”")
    ]
    action = _fix(path, tmp_path)
    assert action.fixed and action.after.findings == ()
    with olefile.OleFileIO(action.output) as ole:
        assert ole.get_metadata().company == b""


def test_damaged_property_sets_never_raise():
    from hnsubmit.checks.formats import olepropset

    rnd = random.Random(13)
    for stream in (olepropset.SUMMARY, olepropset.DOC_SUMMARY):  # the second holds the custom dictionary
        with olefile.OleFileIO(str(LIBREOFFICE_DOC)) as ole:
            data = ole.openstream(stream).read()
        for cut in range(0, len(data), 7):
            olepropset.personal({stream: data[:cut]})
        for _ in range(300):
            bad = bytearray(data)
            for _ in range(rnd.randint(1, 8)):
                bad[rnd.randrange(len(bad))] = rnd.randrange(256)
            for v in olepropset.personal({stream: bytes(bad)}):
                assert 0 <= v.size_at < v.start <= v.end <= len(bad)
                olepropset.blanked(bytes(bad), [v])
