"""`fix` on pictures: metadata spliced out with identical pixels, everything else re-encoded as JPEG."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat

import factories_jpeg as fj
from hnsubmit.checks.run import CheckOptions, selection_from
from hnsubmit.checks.fix import FixOptions, run_fix
from hnsubmit.checks.formats import exif_ifd
from hnsubmit.checks.formats.identify import identify_path
from hnsubmit.checks.formats.jpeg_markers import EXIF_PREFIXES, ICC_PREFIX, XMP_PREFIX, JpegFile
from hnsubmit.policy.model import load_policy


def fix_one(path: Path, outdir: Path, policy=None):
    pol = policy or load_policy()
    (action,) = run_fix([path], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=outdir))
    return action


def scan_bytes(path: Path) -> bytes:
    """From the first SOS marker to the end of the image: the entropy-coded data."""
    with JpegFile(path) as jf:
        return bytes(jf.data[jf.layout.sos.offset : jf.layout.eoi_end])


def pixels(path: Path) -> bytes:
    with Image.open(path) as im:
        return im.tobytes()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mean_difference(a, b) -> float:
    return ImageStat.Stat(ImageChops.difference(a, b).convert("L")).mean[0]


def no_gps_anywhere(path: Path) -> bool:
    with JpegFile(path) as jf:
        for seg in jf.apps(1, EXIF_PREFIXES):
            tiff = exif_ifd.parse(jf.payload(seg)[6:])
            if "GPS" in tiff.ifds or exif_ifd.GPS_IFD_POINTER in tiff.ifds["IFD0"].entries:
                return False
        return all(b"GPS" not in jf.payload(s) for s in jf.apps(1, XMP_PREFIX))


# --- metadata only: segments removed, nothing recompressed -------------------------------------------


def test_gps_only_fix_keeps_pixels_and_scan_bytes(tmp_path):
    src = fj.gps_photo(tmp_path / "in" / "带位置.jpg")
    before = sha(src)
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert sha(src) == before  # the original is never touched
    assert [c.en for c in action.changes] == ["removed the GPS position from EXIF"]
    assert action.left == ()
    assert no_gps_anywhere(out)
    assert Image.open(out).getexif().get_ifd(0x8825) == {}
    assert pixels(src) == pixels(out)
    assert scan_bytes(src) == scan_bytes(out)
    assert Image.open(out).getexif()[0x010F] == "HNCam"  # the rest of EXIF stays


def test_xmp_only_gps_fix(tmp_path):
    src = fj.xmp_gps_photo(tmp_path / "in" / "x.jpg")
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert [c.en for c in action.changes] == ["removed the GPS position from XMP"]
    assert action.left == () and no_gps_anywhere(out)
    assert pixels(src) == pixels(out) and scan_bytes(src) == scan_bytes(out)
    xmp = Image.open(out).info["xmp"]
    assert b"GPSLongitude" not in xmp and "县城广场".encode() in xmp


def test_everything_stripped_but_icc_kept(tmp_path):
    src = fj.gps_everywhere_photo(tmp_path / "in" / "g.jpg")
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert sorted(c.en for c in action.changes) == [
        "removed the GPS position from EXIF",
        "removed the GPS position from XMP",
        "removed the JPEG comment",
    ]
    assert no_gps_anywhere(out) and action.left == ()
    with JpegFile(out) as jf:
        assert jf.apps(2, ICC_PREFIX) and not jf.comments()
    assert Image.open(out).info["icc_profile"] == Image.open(src).info["icc_profile"]
    assert pixels(src) == pixels(out) and scan_bytes(src) == scan_bytes(out)


def test_thumbnail_removed_and_exif_shrinks(tmp_path):
    src = fj.thumbnail_photo(tmp_path / "in" / "t.jpg")
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert [c.en for c in action.changes] == ["removed the EXIF thumbnail"]
    assert out.stat().st_size < src.stat().st_size - 1000
    with JpegFile(out) as jf:
        tiff = exif_ifd.parse(jf.payload(jf.apps(1, EXIF_PREFIXES)[0])[6:])
    assert "IFD1" not in tiff.ifds and tiff.thumbnail() is None and tiff.problems == []
    assert Image.open(out).getexif()[0x010F] == "HNCam"
    assert pixels(src) == pixels(out)


def test_stray_bytes_and_trailing_image_removed(tmp_path):
    for maker in (fj.stray_bytes_photo, fj.trailing_image_photo):
        src = maker(tmp_path / "in" / f"{maker.__name__}.jpg")
        action = fix_one(src, tmp_path / "out")
        assert action.left == () and action.changes
        assert pixels(src) == pixels(Path(action.output))


def test_multi_picture_file_keeps_only_the_primary_image(tmp_path):
    src = tmp_path / "in" / "stereo.jpg"
    src.parent.mkdir()
    fj.scene((400, 300), 1).save(src, "MPO", save_all=True, append_images=[fj.scene((400, 300), 2)])
    action = fix_one(src, tmp_path / "out")
    assert [f.code for f in action.before.findings] == ["JPG014"] and action.left == ()
    out = Image.open(action.output)
    assert out.format == "JPEG" and pixels(src) == out.tobytes()
    with JpegFile(Path(action.output)) as jf:
        assert not jf.apps(2, b"MPF\x00") and jf.layout.trailing == 0


def test_corpus_gps_files_lose_gps_and_keep_pixels(corpus, tmp_path):
    """Every corpus file whose only pixel-free findings are metadata keeps its exact scan data."""
    for name in ("exifpy_gps_DSCN0010.jpg", "exifpy_nikon_D3100_TypeError.jpg", "exiftool_GPS.jpg",
                 "exifpy_Kodak_CX7530.jpg", "pillow_exif_gps.jpg", "exifpy_corrupted.jpg"):
        src = corpus / "jpeg" / name
        action = fix_one(src, tmp_path / name)
        out = Path(action.output)
        assert not {"JPG007", "JPG009", "JPG014"} & set(action.left), name
        assert no_gps_anywhere(out), name
        assert pixels(src) == pixels(out), name
        assert scan_bytes(src) == scan_bytes(out), name


def test_maker_notes_survive_the_in_place_edit(corpus, tmp_path):
    src = corpus / "jpeg" / "exifpy_nikon_D3100_TypeError.jpg"
    out = Path(fix_one(src, tmp_path / "o").output)
    before, after = Image.open(src).getexif().get_ifd(0x8769), Image.open(out).getexif().get_ifd(0x8769)
    assert after[0x927C] == before[0x927C] and after == before


# --- re-encoding -----------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_orientation_applied(tmp_path, orientation):
    src = fj.orientation_photo(tmp_path / "in" / "o.jpg", orientation)
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert action.left == ()
    assert [c.en for c in action.changes] == [f"turned the picture as EXIF orientation {orientation} says"]
    expected = ImageOps.exif_transpose(Image.open(src)).convert("RGB")
    got = Image.open(out).convert("RGB")
    assert got.size == expected.size
    assert mean_difference(got, expected) < 3  # recompressed, but the same picture
    assert Image.open(out).getexif().get(0x0112) in (None, 1)


def test_cmyk_becomes_rgb(tmp_path):
    src = fj.cmyk_photo(tmp_path / "in" / "c.jpg")
    action = fix_one(src, tmp_path / "out")
    out = Image.open(action.output)
    assert out.mode == "RGB" and action.left == ()
    original = Image.open(src).convert("RGB")
    assert mean_difference(out, original) < 4


def test_cmyk_with_icc_profile_goes_through_imagecms(tmp_path):
    src = tmp_path / "in" / "print.jpg"
    fj.write(src, fj.jpeg_bytes(fj.scene((400, 300), 8, "CMYK"), icc_profile=fj.cmyk_icc_profile()))
    action = fix_one(src, tmp_path / "out")
    assert [c.en for c in action.changes] == ["converted CMYK to sRGB through the embedded colour profile"]
    out = Image.open(action.output)
    assert out.mode == "RGB" and "icc_profile" not in out.info and action.left == ()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(fj.cmyk_icc_profile()))
    expected = ImageCms.profileToProfile(Image.open(src), profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
    assert mean_difference(out, expected) < 3
    assert mean_difference(out, Image.open(src).convert("RGB")) > 5  # not the generic formula


def test_cmyk_without_profile_uses_the_generic_formula(corpus, tmp_path):
    action = fix_one(corpus / "jpeg" / "pillow_pil_sample_cmyk.jpg", tmp_path / "o")
    assert "converted CMYK to RGB (no colour profile: by the generic formula)" in [c.en for c in action.changes]
    assert action.left == ("JPG010",)
    assert Image.open(action.output).mode == "RGB"


def test_arithmetic_coding_reencoded_as_baseline(corpus, tmp_path):
    action = fix_one(corpus / "jpeg" / "libjpegturbo_testimgari.jpg", tmp_path / "o")
    assert action.left == ("JPG010",)
    with JpegFile(Path(action.output)) as jf:
        assert jf.layout.frame.marker == 0xC0


def test_oversize_scaled_down_within_policy(tmp_path):
    src = fj.banner(tmp_path / "in" / "b.jpg")
    action = fix_one(src, tmp_path / "out")
    assert action.left == ()
    assert Image.open(action.output).size == (8000, 156)


def test_over_pixel_limit_decoded_at_reduced_scale(tmp_path):
    """A real 1600×1200 photo under a 0.5 MP policy: decoded at 1/2 or 1/4 scale, then fitted."""
    from hnsubmit.policy.model import policy_from_dict

    pol = policy_from_dict({"jpeg": {"max_pixels": 500_000, "min_width": 10, "min_height": 10}}, "test")
    src = fj.clean_photo(tmp_path / "in" / "big.jpg", size=(1600, 1200))
    action = fix_one(src, tmp_path / "out", pol)
    w, h = Image.open(action.output).size
    assert action.left == () and w * h <= 500_000 and abs(w / h - 4 / 3) < 0.01


def test_bomb_is_not_decoded_even_by_fix(tmp_path):
    action = fix_one(fj.bomb(tmp_path / "in" / "bomb.jpg", declared=(65000, 65000)), tmp_path / "out")
    assert action.output is None and action.error.startswith("PixelLimitExceeded")


# --- other formats to JPEG ---------------------------------------------------------------------------

FORMATS = [("PNG", ".png", {}), ("WEBP", ".webp", {"quality": 90}), ("BMP", ".bmp", {}),
           ("TIFF", ".tif", {}), ("GIF", ".gif", {}), ("HEIF", ".heic", {"quality": 80})]


@pytest.mark.parametrize("fmt,ext,save", FORMATS, ids=[f[0] for f in FORMATS])
def test_other_formats_become_jpeg(tmp_path, fmt, ext, save):
    src = fj.other_format(tmp_path / "in" / f"图片{ext}", fmt, **save)
    action = fix_one(src, tmp_path / "out")
    out = Path(action.output)
    assert out.suffix == ".jpg" and out.stem == "图片"
    assert identify_path(out).kind == "jpeg"
    assert action.after and [f.code for f in action.after.findings] == []
    assert action.changes[0].en.startswith("converted the ") and action.changes[0].en.endswith("to JPEG (quality 90)")
    assert Image.open(out).size == (320, 240)


def test_transparency_flattened_on_white(tmp_path):
    src = fj.other_format(tmp_path / "in" / "logo.png", "PNG", alpha=True)
    action = fix_one(src, tmp_path / "out")
    out = Image.open(action.output).convert("RGB")
    assert "filled transparent areas with white" in [c.en for c in action.changes]
    assert min(out.getpixel((160, 0))) > 245  # the top row was fully transparent


def test_png_masquerading_as_jpg_is_converted(corpus, tmp_path):
    action = fix_one(corpus / "jpeg" / "adobe_png-masquerading-as-jpg.jpg", tmp_path / "o")
    assert [f.code for f in action.before.findings] == ["FMT001", "FMT002"]
    assert action.left == () and identify_path(Path(action.output)).kind == "jpeg"


def test_heif_exif_gps_is_not_carried_over(tmp_path):
    import pillow_heif

    pillow_heif.register_heif_opener()
    src = tmp_path / "in" / "iphone.heic"
    src.parent.mkdir()
    fj.scene((320, 240)).save(src, "HEIF", exif=fj.gps_exif(), quality=80)
    out = Path(fix_one(src, tmp_path / "out").output)
    assert no_gps_anywhere(out)
    assert Image.open(out).getexif()[0x010F] == "HNCam"


def test_16_bit_greyscale_png_is_scaled_not_clipped(tmp_path):
    src = tmp_path / "in" / "scan.png"
    src.parent.mkdir()
    Image.new("I;16", (320, 240), 32768).save(src)
    out = Image.open(fix_one(src, tmp_path / "out").output)
    assert out.mode == "L" and abs(out.getpixel((10, 10)) - 128) <= 2


def test_animated_gif_keeps_first_frame(tmp_path):
    frames = [Image.new("RGB", (320, 240), c) for c in ((255, 0, 0), (0, 0, 255))]
    src = tmp_path / "in" / "anim.gif"
    src.parent.mkdir()
    frames[0].save(src, save_all=True, append_images=frames[1:])
    action = fix_one(src, tmp_path / "out")
    assert "kept only the first of 2 frames" in [c.en for c in action.changes]
    r, g, b = Image.open(action.output).convert("RGB").getpixel((5, 5))
    assert r > 200 and b < 50


def test_fix_in_memory_output_is_a_baseline_jpeg(tmp_path):
    src = fj.other_format(tmp_path / "in" / "a.png", "PNG")
    out = Path(fix_one(src, tmp_path / "out").output)
    with JpegFile(out) as jf:
        assert jf.layout.frame.marker == 0xC0 and jf.layout.frame.precision == 8
    assert Image.open(io.BytesIO(out.read_bytes())).format == "JPEG"
