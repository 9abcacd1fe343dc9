"""Reading a package: every hostile name, link, bomb and broken entry is refused before anything is
extracted; a valid bag is extracted privately, validated, and its payload checked like loose files."""

from __future__ import annotations

import stat
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from factories_submission import VALID_TOML, submission_folder
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.submission.bag.read import open_package
from hnsubmit.policy.model import default_policy

sys.path.insert(0, str(REPO / "scripts"))
import make_package_examples as mk  # noqa: E402


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """Private temporary folders, so a test can see that nothing was left behind."""
    import tempfile

    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def good(tmp_path) -> Path:
    folder = submission_folder(tmp_path / "防火宣传", VALID_TOML)
    return mk.good_package(folder, tmp_path / "good.zip")


def opened(path: Path, policy=None):
    contents, findings = open_package(path, policy)
    result = sorted((f.code, f.location.part or "", f.path.rsplit("/", 1)[-1]) for f in findings)
    if contents is not None:
        contents.close()
    return contents, result


def codes_of(path: Path, policy=None) -> list[tuple[str, str]]:
    pol = policy or default_policy()
    report = run_check([path], CheckOptions(pol, selection_from(pol)))
    return sorted((f.code, f.path) for f in report.findings)


def test_a_good_package_opens_and_cleans_up(good, temp_root):
    contents, findings = open_package(good)
    assert findings == []
    with contents:
        assert (contents.dir / "bagit.txt").is_file() and contents.payload == contents.dir / "data"
        assert contents.submission.title == "共和县开展冬季森林草原防火宣传"
        assert [f.path for f in contents.files] == ["正文.docx", "照片.jpg"]
        assert contents.bag_info["Hnsubmit-Unit"] == "632521"
        assert str(contents.dir).startswith(str(temp_root))
    assert list(temp_root.iterdir()) == []
    assert codes_of(good) == []


@pytest.mark.parametrize(
    "name,code",
    [
        ("../../启动脚本.sh", "PKG002"),
        ("data/../../x.txt", "PKG002"),
        ("/etc/cron.d/evil", "PKG002"),
        ("C:/Windows/evil.dll", "PKG002"),
        ("c:evil.dll", "PKG002"),
        ("data\\..\\..\\evil.sh", "PKG002"),
        ("\\\\server\\share\\x", "PKG002"),
        ("data/a\x01b.jpg", "PKG002"),
        ("data//x.jpg", "PKG002"),
        ("data/./x.jpg", "PKG002"),
        ("data/照片.jpg", "PKG003"),  # the name the good package already has
        (unicodedata.normalize("NFD", "data/Café.jpg"), "PKG004"),  # and the NFC twin below
        ("data/照片\uff081\uff09.jpg", "PKG004"),  # full-width twin of 照片(1).jpg: one name under NFKC
        ("data/ZHAOPIAN.JPG", "PKG004"),  # case twin of zhaopian.jpg (Windows, macOS)
        ("data/\u0f40\u0f71\u0f72.jpg", "PKG004"),  # Tibetan ཱི decomposed: the NFC twin is \u0f73
    ],
)
def test_hostile_names_are_refused_before_extraction(good, tmp_path, temp_root, name, code):
    twins = {
        "PKG004": {
            unicodedata.normalize("NFD", "data/Café.jpg"): "data/Café.jpg",
            "data/照片\uff081\uff09.jpg": "data/照片(1).jpg",
            "data/ZHAOPIAN.JPG": "data/zhaopian.jpg",
            "data/\u0f40\u0f71\u0f72.jpg": "data/\u0f40\u0f73.jpg",
        }
    }
    entries = mk._plain(mk.read_entries(good))
    if code == "PKG004":
        entries.append((twins[code][name], b"first"))
    hostile = mk.write_entries(tmp_path / "hostile.zip", entries + [(name, b"echo owned\n")])
    contents, found = opened(hostile)
    assert contents is None
    assert [c for c, _, _ in found] == [code]
    assert list(temp_root.iterdir()) == []  # nothing was extracted
    assert [c for c, _ in codes_of(hostile)] == [code]


def test_links_and_special_files_are_refused(good, tmp_path):
    assert opened(mk.with_symlink(good, tmp_path / "l.zip"))[1] == [("PKG005", "data/照片-链接.jpg", "l.zip")]
    entries = mk._plain(mk.read_entries(good))
    fifo = zipfile.ZipInfo("data/管道", mk.STAMP)
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    assert opened(mk.write_entries(tmp_path / "f.zip", entries + [(fifo, b"")]))[1] == [("PKG005", "data/管道", "f.zip")]


def test_bombs_and_limits(good, tmp_path):
    assert opened(mk.with_bomb(good, tmp_path / "b.zip", megabytes=5))[1] == [("PKG006", "data/填充.txt", "b.zip")]
    small = default_policy().model_copy(deep=True)
    small.package.max_entries = 5
    assert opened(good, small)[1] == [("PKG006", "", "good.zip")]
    small = default_policy().model_copy(deep=True)
    small.package.max_uncompressed_bytes = 10_000
    assert opened(good, small)[1] == [("PKG006", "", "good.zip")]


def test_a_header_that_understates_the_size_cannot_inflate_more(good, tmp_path):
    """Central directory and local header both say 100 bytes; the data is far longer."""
    out = tmp_path / "lie.zip"
    mk.write_entries(out, mk._plain(mk.read_entries(good)) + [("data/附件.txt", b"A" * 50_000)])
    raw = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo("data/附件.txt")
    name = info.filename.encode("utf-8")
    # local header: uncompressed size at +22; central directory record: at +24
    raw[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    start = 0
    while True:
        cd = raw.find(b"PK\x01\x02", start)
        if cd < 0:
            break
        n = int.from_bytes(raw[cd + 28:cd + 30], "little")
        if bytes(raw[cd + 46:cd + 46 + n]) == name:
            raw[cd + 24:cd + 28] = (100).to_bytes(4, "little")
        start = cd + 4
    out.write_bytes(bytes(raw))
    contents, found = opened(out)
    assert contents is None and found == [("PKG012", "data/附件.txt", "lie.zip")]


def test_encrypted_and_unsupported_entries(good, tmp_path):
    out = mk.write_entries(tmp_path / "bz.zip", mk._plain(mk.read_entries(good)))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("data/附件.txt", "bzip2")
    assert opened(out)[1] == [("PKG012", "data/附件.txt", "bz.zip")]
    raw = bytearray(mk.write_entries(tmp_path / "enc.zip", mk._plain(mk.read_entries(good)) + [("data/附件.txt", b"x")]).read_bytes())
    cd = raw.rfind(b"PK\x01\x02")  # the last entry's central record: set "encrypted" (bit 0)
    raw[cd + 8] |= 0x01
    (tmp_path / "enc.zip").write_bytes(bytes(raw))
    assert opened(tmp_path / "enc.zip")[1] == [("PKG012", "data/附件.txt", "enc.zip")]


def test_every_failing_payload_file_is_listed_with_its_path_in_the_package(tmp_path):
    folder = submission_folder(
        tmp_path / "s",
        VALID_TOML + '\n[[files]]\npath = "截图.jpg"\nrole = "image"\ncaption = "截图"\n',
        files={"正文.docx": "docx", "照片.jpg": "jpeg", "截图.jpg": "png"},
    )
    (folder / "照片.jpg").write_bytes(b"")  # empty
    payload = {p.name: p.read_bytes() for p in folder.iterdir()}
    from hnsubmit.submission.bag.baginfo import bag_info_for
    from hnsubmit.submission.load import load_submission

    sub, _ = load_submission(folder)
    pkg = mk.bag_zip(tmp_path / "bad.zip", payload, bag_info_for(sub))
    assert codes_of(pkg) == [
        ("FMT001", f"{pkg}!data/截图.jpg"),
        ("FMT002", f"{pkg}!data/截图.jpg"),
        ("FMT003", f"{pkg}!data/照片.jpg"),
    ]


def test_a_bag_in_one_top_level_folder_is_read_too(good, tmp_path):
    """RFC 8493 §4.2 serialisation, as other BagIt tools write it."""
    entries = [(zipfile.ZipInfo("防火宣传/" + i.filename, mk.STAMP), d) for i, d in mk.read_entries(good)]
    nested = mk.write_entries(tmp_path / "rfc.zip", entries)
    contents, findings = open_package(nested)
    with contents:
        assert findings == [] and contents.entry_prefix == "防火宣传/" and contents.submission is not None
    tampered = mk.with_replaced(nested, tmp_path / "t.zip", "防火宣传/data/submission.toml", "防火宣传现场".encode(), "防火宣传活动".encode())
    assert codes_of(tampered) == [("PKG007", f"{tampered}!防火宣传/data/submission.toml")]


def test_edited_bag_info_breaks_its_checksum_and_disagrees(good, tmp_path):
    out = mk.with_replaced(good, tmp_path / "e.zip", "bag-info.txt", "马国栋".encode(), "马国梁".encode())
    assert sorted(c for c, _ in codes_of(out)) == ["PKG007", "PKG010"]


def test_a_package_inside_a_package_is_just_a_zip(good, tmp_path):
    folder = submission_folder(tmp_path / "s", VALID_TOML + '\n[[files]]\npath = "内层.zip"\nrole = "attachment"\n')
    from hnsubmit.submission.bag.baginfo import bag_info_for
    from hnsubmit.submission.load import load_submission

    payload = {p.name: p.read_bytes() for p in folder.iterdir()}
    payload["内层.zip"] = good.read_bytes()
    sub, _ = load_submission(folder)
    outer = mk.bag_zip(tmp_path / "outer.zip", payload, bag_info_for(sub))
    assert codes_of(outer) == [("FMT001", f"{outer}!data/内层.zip")]


def test_a_plain_zip_stays_fmt001(tmp_path):
    plain = mk.write_entries(tmp_path / "p.zip", [("a/bagit.txt", b"x"), ("b/x.txt", b"y")])
    assert codes_of(plain) == [("FMT001", str(plain))]


def test_a_damaged_central_directory_is_fmt008(tmp_path):
    # no stored .docx inside: its own end record would make the cut zip look like a Word file
    toml = VALID_TOML.replace('[[files]]\npath = "正文.docx"\nrole = "body"\n\n', "")
    good = mk.good_package(submission_folder(tmp_path / "s", toml, files={"照片.jpg": "jpeg"}), tmp_path / "g.zip")
    broken = tmp_path / "cut.zip"
    broken.write_bytes(good.read_bytes()[:-30])
    # without its central directory it cannot be told from any other zip: damaged (and a zip)
    assert [c for c, _ in codes_of(broken)] == ["FMT001", "FMT008"]
    contents, findings = open_package(broken)
    assert contents is None and [f.code for f in findings] == ["PKG001"]


def test_eocd_count_is_read_before_the_central_directory(tmp_path, monkeypatch):
    """A zip declaring a million entries is refused without zipfile parsing them."""
    from hnsubmit.submission.bag import eocd

    out = tmp_path / "many.zip"
    mk.write_entries(out, [("bagit.txt", b"BagIt-Version: 1.0\n")])
    raw = bytearray(out.read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 10:end + 12] = (0xFFFF).to_bytes(2, "little")  # total entries (ZIP64 marker, no locator)
    out.write_bytes(bytes(raw))
    assert eocd.declared_entries(out) == 0xFFFF
    monkeypatch.setattr(zipfile, "ZipFile", None)  # opening it would fail loudly
    contents, findings = open_package(out)
    assert contents is None and [f.code for f in findings] == ["PKG006"]


@pytest.mark.parametrize("fetch", [b"\xf5\n", b"\x00\n", b"http://example.invalid/x\n", b"http://example.invalid/x 5 data/x.txt\n"])
def test_a_malformed_fetch_txt_is_refused_not_a_crash(good, tmp_path, temp_root, fetch):
    """Found by fuzzing (tests/fuzz/regressions/package/fetch-txt-*.zip): bagit parses fetch.txt first
    and raised UnicodeDecodeError / ValueError (a line without URL, size and name) out of verify_bag."""
    path = mk.with_extra(good, tmp_path / "fetch.zip", "fetch.txt", fetch)
    contents, found = opened(path)
    assert found == [("PKG001", "fetch.txt", "fetch.zip")]
    assert [c for c, _ in codes_of(path)] == ["PKG001"]
    assert list(temp_root.iterdir()) == []
