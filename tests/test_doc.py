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
    assert findings == []
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
    assert [(f.code, f.args["method"]["zh"]) for f in findings] == [("DOC004", "RC4")]
    assert ctx.texts == []


def test_macros_and_objects_are_found_from_the_storages(corpus):
    _, findings = extract(corpus / "doc/poi_SimpleMacro.doc")
    assert [(f.code, f.args["where"]) for f in findings] == [("DOC005", "Macros/VBA")]
    _, findings = extract(corpus / "doc/oletools_embedded-simple-2007.doc")
    assert [(f.code, f.args["count"], f.args["where"]) for f in findings] == [("DOC006", 1, "ObjectPool/_1577691201")]


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
    assert [f.code for f in findings] == ["DOC001"]
    assert reason in findings[0].args["reason"]
    assert codes(path) == ["DOC001"]


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
    assert [(f.code, f.args["reason"]) for f in findings] == [
        ("DOC001", "a text piece points past the end of the WordDocument stream")
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
    assert [(f.code, f.args["count"], f.args["sample"]) for f in findings] == [("DOC010", 1, "colors")]
    assert findings[0].location.part == "body"
    assert any("colors" in t.text for t in ctx.texts)  # hidden text is still scanned
