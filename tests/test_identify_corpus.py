"""Every file of the shared corpus is identified as what it really is, whatever its name says."""

from __future__ import annotations

import json

import pytest

from hnsubmit.checks.formats.identify import identify, identify_path

EXPECTED_KIND = {
    "doc/oletools_embedded-simple-2007.doc": "doc",
    "doc/oletools_harmless-clean.doc": "doc",
    "doc/poi_MarkAuthorsTable.doc": "doc",
    "doc/poi_SampleDoc.doc": "doc",
    "doc/poi_SimpleMacro.doc": "doc",
    "doc/poi_Word95.doc": "word95",
    "doc/poi_clusterfuzz-5074346559012864.doc": "doc",
    "doc/poi_password_password_cryptoapi.doc": "doc",
    "doc/poi_password_tika_binaryrc4.doc": "doc",
    "doc/poi_two_images.doc": "doc",
    "doc/poi_word2.doc": "word2",
    "docx/oletools_embedded-simple-2007.docx": "docx",
    "docx/oletools_encrypted.docm": "docx-encrypted",
    "docx/oletools_encrypted.docx": "docx-encrypted",
    "docx/oletools_oleform-PR314.docm": "docx",
    "docx/poi_ExternalEntityInText.docx": "docx",
    "docx/poi_SampleDoc.docx": "docx",
    "docx/poi_SimpleMacro.docm": "docx",
    "docx/poi_VariousPictures.docx": "docx",
    "docx/poi_bug53475-password-is-pass.docx": "docx-encrypted",
    "docx/poi_delins.docx": "docx",
    "docx/poi_hello_world.docm": "doc",
    "docx/poi_protected_sample.docx": "docx",
    "docx/poi_testComment.docx": "docx",
    "docx/poi_truncated62886.docx": "docx",
    "docx/pydocx_comments-rich-para.docx": "docx",
    "jpeg/adobe_png-masquerading-as-jpg.jpg": "png",
    "wmv/exiftool_ASF.wmv": "wmv",
    "wmv/filetype_fixture.asf": "wmv",
    "wmv/filetype_fixture.wmv": "wmv",
    "wmv/mediautils_engine-start.wmv2.wmav2.wmv": "wmv",
    "wmv/mediautils_engine-start.wmav2.wma": "wma",
    "wmv/mutagen_issue_29.wma": "wma",
    "wmv/mutagen_silence-2.wma": "wma",
    "wmv/mutagen_silence-3.wma": "wma",
    "wmv/tinytag_mp3_audio.asf": "wma",
    "wmv/tinytag_multiple_values_images.wma": "wma",
}
DAMAGED = {"docx/poi_truncated62886.docx", "doc/poi_clusterfuzz-5074346559012864.doc"}


def _all_files(corpus):
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file() and p.name != "SOURCES.md")


def test_corpus_has_58_files(corpus):
    assert len(_all_files(corpus)) == 58


def test_every_corpus_file_identified(corpus):
    for rel in _all_files(corpus):
        expected = EXPECTED_KIND.get(rel, "jpeg" if rel.startswith("jpeg/") else None)
        assert expected, f"no expectation for {rel}"
        fi = identify_path(corpus / rel)
        assert fi.kind == expected, f"{rel}: {fi.kind} != {expected}"
        assert bool(fi.damaged) == (rel in DAMAGED), f"{rel}: damaged={fi.damaged!r}"


def test_word95_and_word2_named_plainly(corpus):
    assert "95" in identify_path(corpus / "doc/poi_Word95.doc").detail
    assert "2.0" in identify_path(corpus / "doc/poi_word2.doc").detail_zh


@pytest.mark.parametrize(
    "head,kind",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        (b"GIF89a...", "gif"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\x00\x00\x00\x18ftypmp42", "mp4"),
        (b"\x00\x00\x00\x18ftypheic", "heif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\x1a\x45\xdf\xa3\x00", "mkv"),
        (b"FLV\x01\x05", "flv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ole"),
        ("普通文本".encode("utf-8"), "text"),
        (bytes(range(256)) * 4, "unknown"),
    ],
)
def test_identify_from_bytes(head, kind):
    import io

    assert identify(head, io.BytesIO(head)).kind == kind


def test_check_corpus_json_exits_1_and_names_every_format(cli, corpus):
    code, out, _ = cli("check", str(corpus), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    kinds = {f["path"].split("corpus/", 1)[1]: (f["kind"], f["detail"]) for f in doc["files"]}
    assert kinds["jpeg/adobe_png-masquerading-as-jpg.jpg"][0] == "png"
    assert kinds["docx/poi_hello_world.docm"][0] == "doc"
    assert kinds["docx/oletools_encrypted.docx"][0] == "docx-encrypted"
    assert kinds["docx/oletools_encrypted.docm"][0] == "docx-encrypted"
    assert kinds["doc/poi_word2.doc"][0] == "word2"
    assert kinds["wmv/mutagen_silence-2.wma"][0] == "wma"
    assert "truncated" in kinds["docx/poi_truncated62886.docx"][1]
    assert doc["summary"]["failed"] is True


def test_cut_archive_holding_a_stored_docx_is_damaged_not_word(tmp_path):
    """zipfile finds the inner document's end record in a cut outer archive; identification must not."""
    import zipfile

    from factories import make_docx

    inner = make_docx(tmp_path / "正文.docx", ["标题", "正文。" * 200])
    outer = tmp_path / "package.zip"
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("bagit.txt", "BagIt-Version: 1.0\n")
        zf.write(inner, "data/正文.docx")
    data = outer.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) - 60])  # the outer central directory is gone, the inner one is intact
    fi = identify_path(cut)
    assert fi.damaged and fi.kind != "docx"
    assert identify_path(outer).kind == "zip" and not identify_path(outer).damaged
    assert identify_path(inner).kind == "docx"
