"""Hostile inputs as fixed tests (issue 7 item 5): each gets its exact codes, nothing outside its
temporary folder is read into a report or written, and every report format can be written.

Items already covered by the families' own tests are not repeated here:
- docx zip bomb: test_docx.py::test_zip_bomb_is_refused_from_the_directory_before_inflating and
  ::test_a_directory_that_understates_sizes_is_not_believed; package bomb: test_package_read.py::test_bombs_and_limits;
  Excel guide bomb: test_guide_readers.py::test_damaged_and_bomb_workbooks.
- YAML alias bomb: test_guide_readers.py::test_alias_bomb_is_refused_quickly.
- XXE in .docx (refused, never resolved): test_docx.py::test_generated_dtd_is_refused_and_its_entity_never_resolved,
  test_corpus_word.py::test_external_entity_causes_no_file_or_network_access; a DTD in every kind of part:
  test_docx.py (DTD parametrised over parts).
- JPEG decompression bomb: test_jpeg.py::test_decompression_bomb_is_refused_before_pillow_opens_it and
  ::test_pixel_limit_is_scoped_and_refuses (example examples/negative/jpeg/解压炸弹.jpg).
- ASF header claiming more bytes than the file: test_asf.py::test_header_claiming_more_than_the_file_is_a_cut,
  ::test_header_claiming_2_63_bytes_is_refused_without_reading_it, test_wmv.py::test_damaged_header_and_hostile_sizes.
- Package entries with .., absolute paths, drive letters, duplicates, NFC/NFKC/case twins, links and special
  files, before extraction: test_package_read.py::test_hostile_names_are_refused_before_extraction and
  ::test_links_and_special_files_are_refused.
Here: entity expansion and XXE in the other XML readers (Excel and Word guides, XMP in JPEG, docx through
the whole CLI), the hostile example packages through the CLI with a watched folder beside them, file names
in GBK and invalid UTF-8, and a folder with symlink loops.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import EXAMPLES
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.guide.api import read_source
from hnsubmit.policy.model import default_policy

FORMATS = ("text", "json", "junit", "sarif", "github", "gitlab")
CANARY = "CANARY-7731-不应出现"
BATCH = EXAMPLES / "office-guides" / "海南州-办事指南批量报送.xlsx"
WORD_GUIDE = EXAMPLES / "office-guides" / "贵南县-民政局-婚姻登记档案查询.docx"
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi"))
    + "]>"
)  # &i; is 10^9 characters


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and link below `root` (links not followed) with size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            out[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture
def sandbox(tmp_path, monkeypatch, isolated_environment):
    """in/ holds the hostile input; outside/ (with a secret) and HOME must come out unchanged and
    the private temporary folder empty."""
    (tmp_path / "in").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(CANARY, encoding="utf-8")
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    before = snapshot(outside), snapshot(isolated_environment)
    yield tmp_path
    assert (snapshot(outside), snapshot(isolated_environment)) == before, "something outside the input was written"
    assert list(private.iterdir()) == [], "something was left in the temporary folder"


def run_cli(*args, strict_io: bool = True) -> subprocess.CompletedProcess:
    """The real `hnsubmit` in a subprocess whose stdout is strict UTF-8 (as under a UTF-8 locale)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict" if strict_io else "utf-8")
    return subprocess.run([sys.executable, "-m", "hnsubmit", *map(str, args)], capture_output=True, env=env, timeout=120)


def check_all_formats(path: Path, outdir: Path) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """`check` with every format written to a file and text on stdout; each must be valid in its kind."""
    outs = {f: outdir / f"report.{f}" for f in FORMATS}
    proc = run_cli("check", path, "-q", "--format", "text", *[a for f, p in outs.items() for a in ("-o", f"{f}={p}")])
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    texts = {f: p.read_bytes().decode("utf-8") for f, p in outs.items()}  # strict: valid UTF-8
    proc.stdout.decode("utf-8")
    json.loads(texts["json"]), json.loads(texts["sarif"]), json.loads(texts["gitlab"])
    ET.fromstring(texts["junit"].split("?>", 1)[1])  # well-formed XML 1.0 (no raw control characters)
    for p in outs.values():
        p.unlink()
    return proc, texts


def codes(path: Path) -> list[str]:
    pol = default_policy()
    return sorted(f.code for f in run_check([path], CheckOptions(pol, selection_from(pol))).findings)


def rewrite(src: Path, out: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(data) if info.filename == part else data)
    return out


def with_dtd(dtd: str, text_tag: bytes, reference: bytes):
    """The part with `dtd` before its root and `reference` inside its first three text elements."""

    def edit(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        body, n = re.subn(rb"(<" + text_tag + rb"(?: [^>]*)?>)", rb"\1" + reference, body, count=3)
        assert n, text_tag
        return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + dtd.encode() + b"\n" + body

    return edit


def xxe(outside: Path) -> str:
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{outside / "secret.txt"}">]>'


# -- entity expansion and XXE in every XML reader -----------------------------------------------


@pytest.mark.parametrize("attack", ["laughs", "xxe"])
def test_docx_with_a_dtd_through_the_cli(sandbox, attack):
    from factories_word import clean_docx

    src = clean_docx(sandbox / "clean.docx")
    dtd, ref = (LAUGHS, b"&i;") if attack == "laughs" else (xxe(sandbox / "outside"), b"&xxe;")
    path = rewrite(src, sandbox / "in" / "稿件.docx", "word/document.xml", with_dtd(dtd, b"w:t", ref))
    src.unlink()
    tracemalloc.start()
    assert codes(path) == ["DOC003"]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # an expanded entity would show in memory (a billion laughs is gigabytes): the bound, not a time
    assert peak < 30_000_000
    proc, texts = check_all_formats(path, sandbox)
    assert proc.returncode == 1
    assert all(CANARY not in t and "aaaaaaaaaa" not in t for t in texts.values())


@pytest.mark.parametrize("src,part,tag,attack,expected", [
    (BATCH, "xl/worksheets/sheet1.xml", b"t", "laughs", ["GDE001"]),
    (BATCH, "xl/worksheets/sheet1.xml", b"t", "xxe", ["GDE001"]),
    (WORD_GUIDE, "word/document.xml", b"w:t", "laughs", ["GDE001"]),
    # python-docx parses without resolving entities: the reference is dropped, the guide still read
    (WORD_GUIDE, "word/document.xml", b"w:t", "xxe", []),
])
def test_guide_readers_never_expand_or_fetch_entities(sandbox, src, part, tag, attack, expected):
    dtd, ref = (LAUGHS, b"&i;") if attack == "laughs" else (xxe(sandbox / "outside"), b"&xxe;")
    path = rewrite(src, sandbox / "in" / f"指南{src.suffix}", part, with_dtd(dtd, tag, ref))
    tracemalloc.start()
    result = read_source(path, path.name)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.code for f in result.findings] == expected
    assert peak < 60_000_000
    dump = repr(result)
    assert CANARY not in dump and "aaaaaaaaaa" not in dump
    if expected:
        assert result.guides == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xmp_with_a_dtd_is_never_parsed_by_check_or_fix(sandbox, encoding):
    """The XMP GPS check and fixer parse packets with lxml; one declaring entities is only byte-searched."""
    from factories_jpeg import XMP_GPS, jpeg_bytes, scene

    packet = XMP_GPS.replace("<x:xmpmeta", xxe(sandbox / "outside") + "<x:xmpmeta", 1)
    packet = packet.replace("县城广场", "&xxe;")
    src = sandbox / "in" / "照片.jpg"
    src.write_bytes(jpeg_bytes(scene((320, 240), 4), xmp=packet.encode(encoding)))
    found = codes(src)
    assert found == ["JPG007"]  # the GPS is found by a byte search, in UTF-16 too
    out = sandbox / "fixed"
    proc = run_cli("fix", src, "-o", out, "-q")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    fixed = sorted(out.iterdir()) if out.exists() else []
    # the packet that cannot be parsed safely is dropped whole, GPS with it
    assert [p.name for p in fixed] == ["照片.jpg"] and codes(fixed[0]) == []
    assert all(CANARY.encode() not in p.read_bytes() for p in fixed)
    assert CANARY not in proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    shutil.rmtree(out, ignore_errors=True)


# -- hostile packages, end to end ---------------------------------------------------------------

PACKAGES = {
    "越界路径.zip": ["PKG002"],
    "绝对路径.zip": ["PKG002"],
    "符号链接.zip": ["PKG005"],
    "重复文件名.zip": ["PKG003"],
    "规范化冲突.zip": ["PKG004"],
    "文件名非UTF8.zip": ["PKG013"],
    "压缩炸弹.zip": ["PKG006"],
}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_hostile_example_packages_touch_nothing_and_render_everywhere(sandbox, name):
    path = sandbox / "in" / name
    shutil.copyfile(EXAMPLES / "negative" / "package" / name, path)
    assert codes(path) == PACKAGES[name]
    proc, texts = check_all_formats(path, sandbox)
    assert proc.returncode == 1
    assert sorted(r["ruleId"] for r in json.loads(texts["sarif"])["runs"][0]["results"]) == PACKAGES[name]
    assert sorted(os.listdir(sandbox / "in")) == [name]  # nothing extracted beside it


# -- file names that are not UTF-8, and symlink loops -------------------------------------------

GBK_NAME = "你好".encode("gbk") + b".jpg"  # b"\xc4\xe3\xba\xc3.jpg": a name from an old Chinese Windows share
BROKEN_NAME = b"\xff\xfe\x01broken.jpg"  # not UTF-8 in any reading, with a control character
PHOTO = EXAMPLES / "positive" / "jpeg" / "标准照片.jpg"


def test_names_in_gbk_and_invalid_utf8_are_checked_and_rendered_in_every_format(sandbox):
    folder = os.fsencode(sandbox / "in")
    for raw in (GBK_NAME, BROKEN_NAME, b"\xb2\xbb\xba\xcf\xb8\xf1.jpg"):
        shutil.copyfile(PHOTO, os.path.join(folder, raw))
    (sandbox / "in" / "假照片.jpg").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a finding that names a file
    os.rename(os.path.join(folder, "假照片.jpg".encode()), os.path.join(folder, b"\xbc\xd9" + b".jpg"))
    pol = default_policy()
    report = run_check([sandbox / "in"], CheckOptions(pol, selection_from(pol)))
    by_name = {os.fsencode(r.path).rsplit(b"/", 1)[-1]: (r.kind, sorted(f.code for f in r.findings)) for r in report.files}
    assert by_name == {
        GBK_NAME: ("jpeg", []),
        BROKEN_NAME: ("jpeg", []),
        b"\xb2\xbb\xba\xcf\xb8\xf1.jpg": ("jpeg", []),
        b"\xbc\xd9.jpg": ("png", ["FMT001", "FMT002"]),
    }
    proc, texts = check_all_formats(sandbox / "in", sandbox)
    assert proc.returncode == 1
    for fmt, text in texts.items():
        text = text.replace("\\\\", "\\")  # JSON doubles the backslash of the escape
        # the file with findings: its bytes shown escaped, or percent-encoded in SARIF's URI
        assert ("/%BC%D9.jpg" if fmt == "sarif" else "\\xbc\\xd9.jpg") in text, fmt
        if fmt in ("text", "json", "junit"):  # the formats that list clean files too
            assert "\\xc4\\xe3\\xba\\xc3.jpg" in text, fmt
        assert "\x01" not in text, fmt
    paths = [f["path"] for f in json.loads(texts["json"])["files"]]
    assert any(p.endswith("\\xff\\xfe\\x01broken.jpg") for p in paths), paths


def test_symlink_loops_are_reported_not_followed(sandbox):
    root = sandbox / "in"
    shutil.copyfile(PHOTO, root / "照片.jpg")
    (root / "子目录").mkdir()
    os.symlink(".", root / "自己")  # a -> .
    os.symlink("..", root / "子目录" / "上一级")  # a loop through the parent
    os.symlink("乙", root / "甲")  # a two-link cycle: the OS cannot resolve either
    os.symlink("甲", root / "乙")
    os.symlink(str(sandbox / "outside" / "secret.txt"), root / "秘密.txt")  # points out of the folder
    pol = default_policy()
    report = run_check([root], CheckOptions(pol, selection_from(pol)))
    got = sorted((os.path.relpath(r.path, root), r.kind, [f.code for f in r.findings]) for r in report.files)
    assert got == [
        ("乙", "symlink", ["FMT007"]),
        ("子目录/上一级", "symlink", ["FMT007"]),
        ("照片.jpg", "jpeg", []),
        ("甲", "symlink", ["FMT007"]),
        ("秘密.txt", "symlink", ["FMT007"]),
        ("自己", "symlink", ["FMT007"]),
    ]
    proc, texts = check_all_formats(root, sandbox)
    assert proc.returncode == 0
    assert all(CANARY not in t for t in texts.values())
    # a link given as the path itself is reported too, not entered
    assert [f.code for f in run_check([root / "自己"], CheckOptions(pol, selection_from(pol))).findings] == ["FMT007"]


def test_the_fix_command_copes_with_names_that_are_not_utf8(sandbox):
    folder = os.fsencode(sandbox / "in")
    shutil.copyfile(EXAMPLES / "negative" / "jpeg" / "带GPS位置.jpg", os.path.join(folder, GBK_NAME))
    out = sandbox / "fixed"
    proc = run_cli("fix", sandbox / "in", "-o", out, "-q")
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    proc.stdout.decode("utf-8")
    assert sorted(os.listdir(os.fsencode(out))) == [GBK_NAME]  # the fixed copy keeps its name's bytes
    assert codes(out) == []
    shutil.rmtree(out)


def test_renderers_escape_what_utf8_and_xml_cannot_hold():
    from hnsubmit.render.view import printable

    assert printable("a\udcc4\udce3.jpg") == "a\\xc4\\xe3.jpg"
    assert printable("x\ud800y") == "x\\ud800y"
    assert printable("a\x01\x1b[31mb\tc\n") == "a\\x01\\x1b[31mb\tc\n"
    assert printable({"k\udcff": ["\udcff", 3]}) == {"k\\xff": ["\\xff", 3]}
    assert printable("照片.jpg") == "照片.jpg"

