"""The JPEG validator and its parsers: exact finding lists for generated pictures, and no traceback
for any malformed, truncated or hostile input."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories_jpeg as fj
from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
from hnsubmit.checks.formats import exif_ifd
from hnsubmit.checks.formats import photoshop_irb
from hnsubmit.checks.formats import xmp_gps
from hnsubmit.checks.formats.jpeg_markers import JpegFile, walk
from hnsubmit.checks.formats.pillow_limits import PixelLimitExceeded, pixel_limit
from hnsubmit.policy.model import load_policy, policy_from_dict
from hnsubmit.checks.walk import Entry


def codes(path: Path, policy=None, deep: bool = False) -> list[str]:
    pol = policy or load_policy()
    result = check_entry(Entry(path, str(path)), CheckOptions(pol, selection_from(pol), deep=deep))
    return sorted(f.code for f in result.findings)


def findings(path: Path):
    pol = load_policy()
    return check_entry(Entry(path, str(path)), CheckOptions(pol, selection_from(pol))).findings


# --- exact finding lists --------------------------------------------------------------------------


def test_clean_photos_have_no_findings(tmp_path):
    assert codes(fj.standard_photo(tmp_path / "a.jpg")) == []
    assert codes(fj.progressive_photo(tmp_path / "b.jpg")) == []
    assert codes(fj.clean_photo(tmp_path / "c.jpg"), deep=True) == []


def test_gps_only_in_xmp_is_found(tmp_path):
    path = fj.xmp_gps_photo(tmp_path / "x.jpg")
    assert codes(path) == ["JPG007"]
    (f,) = findings(path)
    assert f.args["where"] == {"zh": "XMP 元数据", "en": "the XMP metadata"}


def test_gps_in_exif_and_xmp_is_one_finding_naming_both(tmp_path):
    (f,) = findings(fj.gps_everywhere_photo(tmp_path / "g.jpg"))
    assert f.code == "JPG007"
    assert f.args["where"]["en"] == "the EXIF GPS data and the XMP metadata"


def test_gps_block_without_coordinates_is_not_a_position(tmp_path):
    assert codes(fj.gps_photo(tmp_path / "v.jpg", position=False)) == []


def test_gps_block_of_zero_rationals_is_info_not_a_position(tmp_path):
    """Issue 13.1: 0/0 latitude and longitude with empty reference letters locate nothing."""
    path = fj.gps_zero_photo(tmp_path / "z.jpg")
    assert [(f.code, f.severity.value) for f in findings(path)] == [("JPG015", "info")]


def _rst_offsets(path: Path) -> list[tuple[int, int]]:
    data = path.read_bytes()
    return [(i, data[i + 1] - 0xD0) for i in range(len(data) - 1) if data[i] == 0xFF and 0xD0 <= data[i + 1] <= 0xD7]


def test_overwritten_scan_data_is_damage_at_the_lost_restart_marker(tmp_path):
    """Issue 13.2: 64 bytes around RST4 overwritten; Pillow decodes the file without complaint."""
    path = fj.damaged_scan_photo(tmp_path / "d.jpg")
    rst = _rst_offsets(path)
    assert [n for _, n in rst[:6]] == [0, 1, 2, 3, 5, 6]  # RST4 is gone
    got = [(f.code, f.location.offset, dict(f.args)) for f in findings(path)]
    reason = {"zh": "应为重启标记 RST4,实为 RST5", "en": "restart marker RST5 stands where RST4 is due"}
    assert got == [("JPG016", rst[4][0], {"offset": rst[4][0], "reason": reason, "count": 2})]


def test_a_non_marker_after_0xff_inside_the_scan_is_damage(tmp_path):
    path = fj.damaged_scan_photo(tmp_path / "m.jpg", marker_byte=0x41)
    at = path.read_bytes().index(b"\xff\x41")
    (f,) = findings(path)
    assert (f.code, f.location.offset, f.args["count"]) == ("JPG016", at, 3)
    assert f.args["reason"]["en"] == "0xFF is followed by 0x41, which is no marker"


def test_restart_interval_with_overwritten_huffman_data_is_damage(tmp_path):
    """Issue 13.2: markers all fine, so the interval is Huffman-decoded and does not end where it should."""
    path = fj.damaged_interval_photo(tmp_path / "h.jpg")
    rst = _rst_offsets(path)
    assert [n for _, n in rst] == [i % 8 for i in range(len(rst))]  # no marker is missing
    (f,) = findings(path)
    start, end = rst[2][0] + 2, rst[3][0]
    assert (f.code, f.args["count"]) == ("JPG016", 1)
    assert start <= f.location.offset <= end
    assert f.args["reason"]["en"] in (
        "a restart interval holds a code its Huffman table does not have",
        "a restart interval ends before its blocks are decoded",
    ) or f.args["reason"]["en"].startswith("a restart interval holds ")


def test_huffman_sample_spreads_over_the_intervals_within_the_budget():
    from hnsubmit.checks.formats.jpeg_huffman import sample

    assert sample(10, 50, budget=1000) == list(range(10))
    assert sample(100, 64, budget=320) == [0, 25, 50, 74, 99]
    assert sample(100, 5000, budget=1024) == [0]


@pytest.mark.parametrize(
    "size, mode, save",
    [
        ((640, 427), "RGB", {"restart_marker_rows": 1}),
        ((333, 251), "RGB", {"restart_marker_blocks": 7, "subsampling": 0}),
        ((333, 251), "RGB", {"restart_marker_blocks": 5, "subsampling": 1}),
        ((301, 199), "L", {"restart_marker_blocks": 3}),
        ((640, 427), "RGB", {"restart_marker_blocks": 11, "progressive": True}),
        ((250, 170), "CMYK", {"restart_marker_rows": 2}),
    ],
)
def test_restart_markers_of_undamaged_scans_agree_with_the_mcu_count(tmp_path, size, mode, save):
    path = fj.write(tmp_path / "r.jpg", fj.jpeg_bytes(fj.scene(size, 16, mode), **save))
    assert len(_rst_offsets(path)) > 3
    with JpegFile(path) as jf:
        assert (jf.layout.damage.total, jf.layout.eoi_end) == (0, jf.layout.size)
    assert [f.code for f in findings(path)] == (["JPG006"] if mode == "CMYK" else [])


def test_ff00_among_junk_between_header_segments_is_stray(tmp_path):
    """Issue 13.3: libjpeg counts 0xFF 0x00 as junk too ("4 extraneous bytes before marker 0xdb")."""
    path = fj.stray_bytes_photo(tmp_path / "j.jpg", junk=b"ab\xff\x00")
    got = [(f.code, f.location.offset, dict(f.args)) for f in findings(path)]
    assert got == [("JPG013", 20, {"count": 4, "offset": 20})]


def test_fix_removes_the_gps_block_without_calling_it_a_position(tmp_path):
    from hnsubmit.checks.fix import FixOptions, run_fix

    pol = load_policy()
    fj.gps_zero_photo(tmp_path / "in" / "z.jpg")
    (action,) = run_fix([tmp_path / "in"], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=tmp_path / "out"))
    assert [c.en for c in action.changes] == ["removed the EXIF GPS block (no position could be computed from it)"]
    assert action.after.findings == ()


def _gps_tiff(gps: dict) -> exif_ifd.Tiff:
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = gps
    return exif_ifd.parse(exif.tobytes()[6:])


def test_gps_position_needs_computable_latitude_and_longitude():
    from PIL.TiffImagePlugin import IFDRational as R

    dms = (R(36, 1), R(16, 1), R(4550, 100))
    assert _gps_tiff({2: dms, 4: dms}).gps_position()  # no reference letters: still a position
    assert _gps_tiff({1: "N", 2: dms, 3: "E", 4: dms}).gps_position()
    assert not _gps_tiff({1: "N", 2: dms}).gps_position()  # a latitude alone
    assert not _gps_tiff({2: (R(0, 0), R(0, 0), R(0, 0)), 4: dms}).gps_position()
    assert not _gps_tiff({2: (R(4294967295, 1),), 4: dms}).gps_position()  # off the globe
    assert _gps_tiff({0x14: dms, 0x16: dms}).gps_position()  # the destination counts too
    assert _gps_tiff({0x1C: b"ASCII\x00\x00\x00Gonghe"}).gps_position()
    assert not _gps_tiff({0x1C: b"ASCII\x00\x00\x00"}).gps_position()


@pytest.mark.parametrize("orientation", [2, 3, 4, 5, 6, 7, 8])
def test_orientation_other_than_1_warns(tmp_path, orientation):
    (f,) = findings(fj.orientation_photo(tmp_path / "o.jpg", orientation))
    assert (f.code, f.args["orientation"], f.severity.value) == ("JPG008", orientation, "warning")


@pytest.mark.parametrize("orientation", [0, 1, 9, 65535])
def test_normal_or_meaningless_orientation_is_silent(tmp_path, orientation):
    assert codes(fj.orientation_photo(tmp_path / "o.jpg", orientation)) == []


def test_minimum_size_is_judged_as_shown_after_turning(tmp_path):
    """Stored 300×160 with orientation 6 shows as 160×300: under the minimum width of 200."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    path = fj.write(tmp_path / "s.jpg", fj.jpeg_bytes(fj.scene((300, 160)), exif=exif.tobytes()))
    too_small = next(f for f in findings(path) if f.code == "JPG010")
    assert (too_small.args["width"], too_small.args["height"]) == (160, 300)


def test_policy_limits_come_from_the_policy(tmp_path):
    path = fj.standard_photo(tmp_path / "p.jpg")  # 640×427
    strict = policy_from_dict({"jpeg": {"min_width": 1024, "max_height": 400, "max_pixels": 200_000}}, "test")
    assert codes(path, strict) == ["JPG010", "JPG011", "JPG012"]


def test_trailing_zero_padding_is_not_reported(tmp_path):
    path = fj.clean_photo(tmp_path / "z.jpg")
    path.write_bytes(path.read_bytes() + bytes(4096))
    assert codes(path) == []
    path.write_bytes(path.read_bytes() + b"PK\x03\x04 a zip would start here")
    (f,) = findings(path)
    assert f.code == "JPG014" and f.args["what"] == {"zh": "", "en": ""}


def test_thumbnail_and_cropped_original(tmp_path):
    (f,) = findings(fj.thumbnail_photo(tmp_path / "t.jpg"))
    assert f.code == "JPG009" and f.args["where"]["en"] == "EXIF"


def test_comments_and_exif_text_reach_the_text_scan(tmp_path):
    from PIL import Image

    from hnsubmit.checks.formats.identify import identify_path
    from hnsubmit.checks.context import FileContext
    from hnsubmit.checks.validators.jpeg import check

    exif = Image.Exif()
    exif[0x010E] = "县城广场活动".encode()  # as Windows writes it: UTF-8 in an ASCII field
    exif[0x9C9C] = "备注".encode("utf-16-le")
    path = fj.write(tmp_path / "c.jpg", fj.jpeg_bytes(fj.scene((400, 300)), exif=exif.tobytes(), comment="联系人 张三".encode()))
    ctx = FileContext(path, str(path), identify_path(path), load_policy())
    assert list(check(ctx)) == []
    assert {(t.location.part, t.text) for t in ctx.texts} == {
        ("EXIF ImageDescription", "县城广场活动"),
        ("EXIF XPComment", "备注"),
        ("JPEG COM 1", "联系人 张三"),
    }


# --- structure --------------------------------------------------------------------------------------


def _patched(tmp_path, name, mutate) -> Path:
    data = bytearray(fj.jpeg_bytes(fj.scene((400, 300))))
    mutate(data)
    return fj.write(tmp_path / name, bytes(data))


def _sof(data) -> int:
    return next(a for m, a, _ in fj._segments(bytes(data)) if m == 0xC0)


def test_zero_height_frame_is_undecodable(tmp_path):
    path = _patched(tmp_path, "dnl.jpg", lambda d: struct.pack_into(">H", d, _sof(d) + 5, 0))
    assert codes(path) == ["JPG002"]


def test_second_frame_header_is_undecodable(tmp_path):
    def twice(d):
        a = _sof(d)
        (length,) = struct.unpack_from(">H", d, a + 2)
        d[a:a] = d[a : a + 2 + length]

    assert codes(_patched(tmp_path, "two.jpg", twice)) == ["JPG002"]


def test_no_start_of_image_marker_beyond_the_magic(tmp_path):
    """Identified as JPEG by its first three bytes, then nothing: damaged, not a crash."""
    path = fj.write(tmp_path / "ff.jpg", b"\xff\xd8\xff\xe0\x00")
    assert codes(path) == ["JPG001"]


def test_decompression_bomb_is_refused_before_pillow_opens_it(tmp_path, monkeypatch):
    import PIL.Image

    opened = []
    real_open = PIL.Image.open
    monkeypatch.setattr(PIL.Image, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    path = fj.bomb(tmp_path / "bomb.jpg", declared=(60000, 60000))
    assert codes(path) == ["JPG011", "JPG012"]
    assert opened == []
    (bomb,) = [f for f in findings(path) if f.code == "JPG012"]
    assert bomb.args["megapixels"] == 3600.0


def test_pixel_limit_is_scoped_and_refuses(tmp_path):
    from PIL import Image, ImageFile

    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    path = fj.clean_photo(tmp_path / "p.jpg", size=(640, 427))
    with pytest.raises(PixelLimitExceeded):
        with pixel_limit(100_000):
            Image.open(path)
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


# --- parsers ----------------------------------------------------------------------------------------


def test_marker_walk_of_a_real_file(tmp_path):
    path = fj.progressive_photo(tmp_path / "p.jpg")
    with JpegFile(path) as jf:
        layout = jf.layout
        assert (layout.frame.marker, layout.frame.precision, layout.frame.width, layout.frame.height) == (0xC2, 8, 640, 427)
        assert layout.scans > 1 and layout.eoi_end == layout.size and not layout.truncated and not layout.problem


def test_exif_walk_survives_loops_and_wild_offsets():
    # IFD0 with one entry whose value offset points far away, next-IFD pointing back at IFD0
    tiff = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 2)
    tiff += struct.pack("<HHII", 0x010F, 2, 100, 0xFFFFFF00)
    tiff += struct.pack("<HHII", 0x8825, 4, 1, 8)  # the GPS IFD is IFD0 itself
    tiff += struct.pack("<I", 8)
    parsed = exif_ifd.parse(tiff)
    assert parsed.gps_position_tags() == [] and parsed.thumbnail() is None
    assert any("past the end" in p for p in parsed.problems) and any("loops" in p for p in parsed.problems)
    assert exif_ifd.parse(b"MM\x00*\xff\xff\xff\xff").problems
    assert exif_ifd.parse(b"XX").problems == ["no TIFF header"]


def test_xmp_position_properties_in_every_form():
    dji = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" drone-dji:GpsLatitude="36.1" drone-dji:GpsLongtitude="100.6"/></rdf:RDF></x:xmpmeta>'
    assert xmp_gps.position_properties(dji) == ["GpsLatitude", "GpsLongtitude"]
    assert xmp_gps.position_properties(fj.XMP_GPS.encode()) == ["GPSLatitude", "GPSLongitude"]
    hostile = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;<exif:GPSLatitude/></x>'
    assert xmp_gps.position_properties(hostile) == ["GPSLatitude"]  # byte search, no entity expansion
    assert xmp_gps.without_gps(hostile) is None
    cleaned = xmp_gps.without_gps(fj.XMP_GPS.encode())
    assert b"GPS" not in cleaned and "县城广场".encode() in cleaned and b"CreatorTool" in cleaned


def test_xmp_position_needs_a_latitude_and_a_longitude_with_values():
    """Issue 13.1 for XMP: exiftool computes no GPSPosition from empty or lone properties."""
    head = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    def packet(attrs: str) -> bytes:
        return head + attrs.encode() + b"/></rdf:RDF></x:xmpmeta>"
    assert xmp_gps.has_position(fj.XMP_GPS.encode())
    assert xmp_gps.has_position(packet('exif:GPSLatitude="36.28" exif:GPSLongitude="-100.6"'))
    assert not xmp_gps.has_position(packet('exif:GPSLatitude="" exif:GPSLongitude=""'))
    assert not xmp_gps.has_position(packet('exif:GPSLatitude="36,16.758N"'))
    assert not xmp_gps.has_position(packet('exif:GPSLatitudeRef="N" exif:GPSLongitudeRef="E"'))
    assert not xmp_gps.has_position(packet('exif:GPSLatitude="unknown" exif:GPSLongitude="100,37.2E"'))


def test_xmp_with_empty_gps_properties_is_no_position(tmp_path):
    from PIL import Image

    xmp = fj.XMP_GPS.replace('exif:GPSLatitude="36,16.758N"', 'exif:GPSLatitude=""').replace(
        "<exif:GPSLongitude>100,37.204E</exif:GPSLongitude>", "<exif:GPSLongitude></exif:GPSLongitude>")
    exif = Image.Exif()
    exif[0x010F] = "HNCam"
    path = fj.write(tmp_path / "x.jpg", fj.jpeg_bytes(fj.scene((640, 427), 4), exif=exif.tobytes(), xmp=xmp.encode()))
    assert list(findings(path)) == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("padding", [0, 3])
@pytest.mark.parametrize("dtd", [False, True])
def test_xmp_in_utf16_with_padding_or_a_dtd_is_found_and_fixed(tmp_path, encoding, padding, dtd):
    """Found writing the hostile-input tests: a UTF-16LE packet lost the NUL of its closing '>' to the
    padding strip and did not parse, a DTD in UTF-16 escaped the byte check, and the fixer's quick
    'gps' test never matched UTF-16: GPS in such a packet passed check and survived fix."""
    text = fj.XMP_GPS
    if dtd:
        text = text.replace("<x:xmpmeta", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><x:xmpmeta', 1)
    packet = text.encode(encoding) + b"\x00" * padding
    assert xmp_gps.position_properties(packet) == ["GPSLatitude", "GPSLongitude"]
    cleaned = xmp_gps.without_gps(packet)
    assert cleaned is None if dtd else (b"GPS" not in cleaned and "县城广场".encode() in cleaned)
    path = fj.write(tmp_path / "照片.jpg", fj.jpeg_bytes(fj.scene((320, 240), 4), xmp=packet))
    assert codes(path) == ["JPG007"]
    from hnsubmit.checks.fix import FixOptions, run_fix

    pol = load_policy()
    (action,) = run_fix([path], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=tmp_path / "out"))
    assert action.left == () and codes(Path(action.output)) == []
    want = "removed XMP metadata that held GPS and could not be parsed" if dtd else "removed the GPS position from XMP"
    assert [c.en for c in action.changes] == [want]

def test_photoshop_block_split_over_segments_round_trips():
    res = [b"8BIM" + struct.pack(">HBBI", rid, 0, 0, len(body)) + body + b"\x00" * (len(body) % 2)
           for rid, body in ((0x0404, b"iptc"), (0x040C, b"T" * 70001), (0x0425, b"x"))]
    block = b"".join(res)
    assert photoshop_irb.has_thumbnail(block)
    segments = photoshop_irb.to_segments(block)
    assert len(segments) == 2 and all(len(s) <= 65537 for s in segments)
    joined = b"".join(s[4 + len(photoshop_irb.HEADER):] for s in segments)
    assert joined == block
    assert photoshop_irb.without_thumbnail(block) == res[0] + res[2]
    assert photoshop_irb.without_thumbnail(b"junk" * 4) is None


# --- no input crashes the validator -------------------------------------------------------------------

SEED = fj.jpeg_bytes(fj.scene((64, 48)), exif=fj.gps_exif(), xmp=fj.XMP_GPS.encode(), comment=b"c")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=3, max_value=len(SEED)),
    flips=st.lists(st.tuples(st.integers(2, len(SEED) - 1), st.integers(0, 255)), max_size=6),
)
def test_mutated_jpegs_never_crash(tmp_path, cut, flips):
    data = bytearray(SEED[:cut])
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    path = tmp_path / "m.jpg"
    path.write_bytes(b"\xff\xd8\xff" + bytes(data[3:]))
    got = codes(path)
    assert "FMT006" not in got
    walk(bytes(data))  # the walk alone, on bytes, too


RST_SEED = fj.jpeg_bytes(fj.scene((96, 64), 3), restart_marker_blocks=2)  # 12 restart intervals, Huffman-decoded


@settings(max_examples=150, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes_in_restart_intervals_never_crash_the_huffman_check(flips):
    """The interval decoder meets garbage tables, codes and lengths: damage or silence, never an exception."""
    data = bytearray(RST_SEED)
    sos = data.index(b"\xff\xda")
    for pos, value in flips:
        data[sos + pos % (len(data) - sos - 2)] = value  # anywhere from the SOS to just before EOI
    layout = walk(bytes(data))
    assert layout.damage.total >= 0 and len(layout.damage.places) <= 32
