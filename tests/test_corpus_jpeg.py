"""Every file of the shared corpus' jpeg/ folder gets exactly the codes listed here (FMT codes included).

Why each file gets what it gets (see shared/corpus/SOURCES.md for the files themselves):
- JPG010 (too small, a warning) is everywhere: the test suites keep their samples tiny.
- A GPS IFD holding only GPSVersionID (Canon_40D, 32-lens_data) or nothing (empty_gps_ifd), or whose
  pointer names the Exif IFD (45-gps_ifd), locates nothing: no JPG007.
- 12-bit monkey12 and arithmetic testimgari are named by the marker walk (JPG004, JPG003), never
  as "cannot decode"; the truncated file is JPG001 only.
- exifpy_corrupted carries a 640×480 preview after its EOI: JPG014; its scan data is damaged (a 0xFF 0x9F
  and a restart marker out of order; djpeg: "Corrupt JPEG data: premature end of data segment"): JPG016.
"""

from __future__ import annotations

import pytest

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import load_policy

EXPECTED = {
    "adobe_png-masquerading-as-jpg.jpg": ["FMT001", "FMT002"],
    "exifpy_32-lens_data.jpeg": ["JPG009", "JPG010"],
    "exifpy_45-gps_ifd.jpg": ["JPG009"],
    "exifpy_Canon_40D.jpg": ["JPG009", "JPG010"],
    "exifpy_Kodak_CX7530.jpg": ["JPG007", "JPG009", "JPG010"],
    "exifpy_corrupted.jpg": ["JPG009", "JPG014", "JPG016"],  # djpeg: "Corrupt JPEG data: premature end of data segment"
    "exifpy_gps_DSCN0010.jpg": ["JPG007", "JPG009"],
    "exifpy_nikon_D3100_TypeError.jpg": ["JPG007", "JPG009", "JPG010"],
    "exifpy_orientation_landscape_3.jpg": ["JPG008"],
    "exifpy_orientation_landscape_5.jpg": ["JPG008"],
    "exifpy_orientation_landscape_6.jpg": ["JPG008"],
    "exifpy_orientation_portrait_8.jpg": ["JPG008"],
    "exiftool_GPS.jpg": ["JPG007", "JPG009", "JPG010"],
    "libjpegturbo_monkey12.jpg": ["JPG004", "JPG010"],
    "libjpegturbo_testimgari.jpg": ["JPG003", "JPG010"],
    "pillow_app13-multiple.jpg": ["JPG009"],
    "pillow_empty_gps_ifd.jpg": ["JPG008", "JPG010"],
    "pillow_exif_gps.jpg": ["JPG015", "JPG010"],  # one latitude rational of 4294967295°, no longitude
    "pillow_hopper_orientation_2.jpg": ["JPG008", "JPG010"],
    "pillow_junk_jpeg_header.jpg": ["JPG013"],
    "pillow_pil_sample_cmyk.jpg": ["JPG006", "JPG009", "JPG010"],
    "pillow_truncated_jpeg.jpg": ["JPG001", "JPG010"],
}


def _check(path):
    pol = load_policy()
    return run_check([path], CheckOptions(pol, selection_from(pol)))


def test_the_table_covers_the_whole_folder(corpus):
    assert sorted(p.name for p in (corpus / "jpeg").iterdir()) == sorted(EXPECTED)


def test_whole_folder_in_one_run(corpus):
    report = _check(corpus / "jpeg")
    got = {r.path.rsplit("/", 1)[-1]: sorted(f.code for f in r.findings) for r in report.files}
    assert got == {name: sorted(codes) for name, codes in EXPECTED.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_codes(corpus, name):
    report = _check(corpus / "jpeg" / name)
    assert sorted(f.code for f in report.findings) == sorted(EXPECTED[name])


def test_where_the_gps_and_thumbnails_are_said_to_be(corpus):
    cmyk = _check(corpus / "jpeg" / "pillow_pil_sample_cmyk.jpg").findings
    thumb = next(f for f in cmyk if f.code == "JPG009")
    assert thumb.args["where"]["en"] == "EXIF and the Photoshop image resources"
    assert next(f for f in cmyk if f.code == "JPG006").args["colorspace"] == "YCCK"
    gps = next(f for f in _check(corpus / "jpeg" / "exifpy_Kodak_CX7530.jpg").findings if f.code == "JPG007")
    assert gps.args["where"]["en"] == "the EXIF GPS data"
    trailing = next(f for f in _check(corpus / "jpeg" / "exifpy_corrupted.jpg").findings if f.code == "JPG014")
    assert trailing.args["size"] == 59092 and trailing.location.offset == 1901611


def test_the_cli_reports_the_corpus_as_json(corpus, cli):
    import json

    code, out, _ = cli("check", corpus / "jpeg" / "libjpegturbo_monkey12.jpg", "--format", "json")
    assert code == 1
    data = json.loads(out)
    (file,) = data["files"]
    assert sorted(f["code"] for f in file["findings"]) == ["JPG004", "JPG010"]
    assert file["findings"][0]["message"] == "图片采样精度为 12 位,浏览器只能显示 8 位 JPEG"
