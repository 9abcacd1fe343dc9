"""The WMV validator: full code lists for generated files, each rule's edge, the policy's knobs and --deep."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from factories_wmv import (
    asf_object,
    audio_stream_object,
    content_encryption_object,
    file_properties_object,
    grown_header_wmv,
    header_extension_object,
    header_only_wmv,
    insert_header_object,
    make_wmv,
    patch_fourcc,
    synthetic_asf,
    truncated_wmv,
    video_stream_object,
    wmv_with_codec,
)
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.checks.formats import asf_header
from hnsubmit.policy.model import default_policy, policy_from_dict
from hnsubmit.rules.registry import get_rule


def policy(**wmv):
    data = default_policy().to_dict()
    data["wmv"].update(wmv)
    return policy_from_dict(data, "test")


def findings(path: Path, pol=None, deep: bool = False):
    pol = pol or default_policy()
    return run_check([path], CheckOptions(pol, selection_from(pol), deep=deep)).findings


def codes(path: Path, pol=None, deep: bool = False) -> list[str]:
    return sorted(f.code for f in findings(path, pol, deep))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- codecs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("vcodec", ["wmv1", "wmv2"])
def test_ffmpeg_wmv1_and_wmv2_are_clean(tmp_path, vcodec):
    assert codes(make_wmv(tmp_path / f"{vcodec}.wmv", vcodec=vcodec)) == []


@pytest.mark.parametrize("fourcc", ["WMV3", "WVC1", "WMVA"])
def test_wmv3_and_vc1_fourccs_pass_the_header_check(tmp_path, fourcc):
    """ffmpeg has no WMV3 or VC-1 encoder.  These files are WMV2 files whose BITMAPINFOHEADER FourCC
    was patched to WMV3/WVC1/WMVA: they prove the header check accepts those codecs, and they are
    NOT decodable as what they claim (a --deep check would rightly complain)."""
    assert codes(wmv_with_codec(tmp_path, fourcc)) == []


@pytest.mark.parametrize("vcodec,fourcc,name", [("msmpeg4", "MP43", "MS-MPEG4 v3"), ("msmpeg4v2", "MP42", "MS-MPEG4 v2"), ("mpeg4", "M4S2", "MPEG-4 Part 2")])
def test_other_codecs_in_asf_are_refused(tmp_path, vcodec, fourcc, name):
    found = findings(make_wmv(tmp_path / "v.wmv", vcodec=vcodec))
    assert [f.code for f in found] == ["WMV003"]
    assert dict(found[0].args) == {"codec": fourcc, "name": name, "allowed": "WMV1/WMV2/WMV3/WVC1/WMVA"}
    assert found[0].location.part == "stream 1"
    assert get_rule("WMV003").fixable


def test_codec_list_comes_from_the_policy(tmp_path):
    wmv1 = make_wmv(tmp_path / "v.wmv", vcodec="wmv1")
    assert codes(wmv1, policy(video_codecs=["WMV2", "WMV3"])) == ["WMV003"]


def test_mp3_audio_is_a_warning(tmp_path):
    found = findings(make_wmv(tmp_path / "v.wmv", acodec="libmp3lame", abitrate="32k"))
    assert [(f.code, f.severity.value, dict(f.args)) for f in found] == [("WMV004", "warning", {"codec": "0x0055 (MP3)"})]


def test_silent_video_is_fine(tmp_path):
    assert codes(make_wmv(tmp_path / "v.wmv", acodec=None)) == []


# -- audio only ---------------------------------------------------------------------------------

WMA_FORMAT = {"formats": {"allowed": ["docx", "doc", "jpeg", "wmv", "wma"]}}


def _with(extra: dict, **wmv):
    data = default_policy().to_dict()
    data.update(extra)
    data["wmv"].update(wmv)
    return policy_from_dict(data, "test")


def test_audio_only_is_refused_once(tmp_path):
    """FMT001 refuses the WMA format by default; the validator does not add a second error for it."""
    wma = make_wmv(tmp_path / "a.wma", vcodec=None)
    assert codes(wma) == ["FMT001"]
    assert codes(wma, _with(WMA_FORMAT)) == ["WMV002"]
    assert codes(wma, _with(WMA_FORMAT, allow_audio_only=True)) == []
    # allowing audio without listing the format: the format list decides (FMT001)
    assert codes(wma, _with({}, allow_audio_only=True)) == ["FMT001"]


def test_asf_without_any_media_stream(tmp_path):
    path = write(tmp_path / "empty.asf", synthetic_asf([]))
    assert codes(path) == ["FMT001"]
    found = findings(path, _with({"formats": {"allowed": ["wmv", "asf"]}}, allow_audio_only=True))
    assert [(f.code, f.args["streams"]["en"]) for f in found] == [("WMV002", "no audio or video stream")]


def test_refused_wma_still_reports_damage(tmp_path):
    wma = truncated_wmv(tmp_path / "a.wma", vcodec=None, seconds=2)
    assert codes(wma) == ["FMT001", "WMV006"]


# -- protection ---------------------------------------------------------------------------------


def test_content_encryption_object(tmp_path):
    data = insert_header_object(make_wmv(tmp_path / "v.wmv").read_bytes(), content_encryption_object())
    found = findings(write(tmp_path / "drm.wmv", data))
    assert [(f.code, dict(f.args)) for f in found] == [("WMV005", {"objects": "Content Encryption"})]


def test_playready_object_in_the_header_extension(tmp_path):
    obj = header_extension_object(asf_object(asf_header.ADVANCED_CONTENT_ENCRYPTION, bytes(2)))
    data = insert_header_object(make_wmv(tmp_path / "v.wmv").read_bytes(), obj)
    assert codes(write(tmp_path / "pr.wmv", data)) == ["WMV005"]


def test_encrypted_stream_flag_and_signature(tmp_path):
    flagged = synthetic_asf([video_stream_object(1, flags=0x8000), audio_stream_object(2)])
    assert [dict(f.args) for f in findings(write(tmp_path / "f.wmv", flagged))] == [{"objects": "stream 1 encrypted"}]
    signed = synthetic_asf([video_stream_object(1), audio_stream_object(2), asf_object(asf_header.DIGITAL_SIGNATURE, bytes(8))])
    assert codes(write(tmp_path / "s.wmv", signed)) == []


def test_drm_on_a_refused_format_is_still_reported(tmp_path):
    data = insert_header_object(make_wmv(tmp_path / "a.wma", vcodec=None).read_bytes(), content_encryption_object())
    assert codes(write(tmp_path / "drm.wma", data)) == ["FMT001", "WMV005"]


# -- structure ----------------------------------------------------------------------------------


def test_truncated_and_header_only(tmp_path):
    assert codes(truncated_wmv(tmp_path / "t.wmv")) == ["WMV006"]
    found = findings(header_only_wmv(tmp_path / "h.wmv"))
    assert [f.code for f in found] == ["WMV006", "WMV008"]
    assert "48801" in found[0].args["reason"]["en"] and "48801" in found[0].args["reason"]["zh"]


def test_cut_inside_the_header(tmp_path):
    data = make_wmv(tmp_path / "v.wmv").read_bytes()
    found = findings(write(tmp_path / "cut.wmv", data[:600]))  # both streams are whole, the header is not
    assert [f.code for f in found] == ["WMV006"]
    assert "header" in found[0].args["reason"]["en"]
    # cut inside the video stream's object: identification no longer sees a video stream either
    assert codes(write(tmp_path / "cut2.wmv", data[:400])) == ["FMT001", "FMT002", "WMV006"]


def test_grown_header(tmp_path):
    found = findings(grown_header_wmv(tmp_path / "g.wmv"))
    assert [f.code for f in found] == ["WMV007"]
    assert found[0].args["reason"]["zh"].startswith("文件属性记录文件大小")


def test_packet_count_disagreement(tmp_path):
    data = bytearray(make_wmv(tmp_path / "v.wmv").read_bytes())
    pos = data.find(asf_header.DATA)
    struct.pack_into("<Q", data, pos + 40, 99)
    found = findings(write(tmp_path / "p.wmv", bytes(data)))
    assert [f.code for f in found] == ["WMV007"]
    assert "99 packets" in found[0].args["reason"]["en"]


def test_data_size_disagreeing_with_fixed_packets(tmp_path):
    raw = synthetic_asf([video_stream_object()], packets=2)
    data = bytearray(raw)
    pos = data.find(asf_header.DATA)
    struct.pack_into("<Q", data, pos + 16, 50 + 2 * 3200 - 100)  # data shorter than its packets
    data = data[:-100]
    struct.pack_into("<Q", data, 30 + 24 + 16, len(data))  # File Properties agree with the file
    found = findings(write(tmp_path / "d.wmv", bytes(data)))
    assert [f.code for f in found] == ["WMV007"]
    assert found[0].args["reason"]["en"] == "2 packets of 3200 bytes take 6450 bytes, the Data Object declares 6350"


def test_broadcast_file_sizes_are_not_judged(tmp_path):
    """The spec declares file size and packet count invalid when the Broadcast flag is set."""
    fp = file_properties_object(12345678, 777, flags=0x1)
    path = write(tmp_path / "live.wmv", synthetic_asf([video_stream_object(), audio_stream_object()], fp=fp))
    assert codes(path) == []


def test_damaged_header_and_hostile_sizes(tmp_path):
    data = make_wmv(tmp_path / "v.wmv").read_bytes()
    hostile = data[:16] + struct.pack("<Q", 1 << 63) + data[24:]
    assert codes(write(tmp_path / "h.wmv", hostile)) == ["WMV001"]
    tiny = data[:16] + struct.pack("<Q", 10) + data[24:]  # identification finds no streams: "asf"
    assert codes(write(tmp_path / "t.wmv", tiny)) == ["FMT001", "FMT002", "WMV001"]


def test_validator_on_a_file_that_is_not_asf(tmp_path):
    """Called directly (as a library) on a non-ASF file, the validator says so; it never raises."""
    from hnsubmit.checks.formats.identify import info
    from hnsubmit.checks.context import FileContext
    from hnsubmit.checks.validators.wmv import check

    path = write(tmp_path / "x.wmv", b"RIFF" + bytes(100))
    found = list(check(FileContext(path, str(path), info("wmv"), default_policy())))
    assert [(f.code, f.args["reason"]["en"]) for f in found] == [("WMV001", "the file does not start with an ASF Header Object")]


# -- policy limits ------------------------------------------------------------------------------


def test_limits_each_alone(tmp_path):
    clip = make_wmv(tmp_path / "v.wmv", seconds=2, size="480x360", vbitrate="900k")
    assert codes(clip) == []
    assert codes(clip, policy(max_duration_seconds=1.5)) == ["WMV009"]
    assert codes(clip, policy(max_width=400)) == ["WMV010"]
    assert codes(clip, policy(max_height=300)) == ["WMV010"]
    assert codes(clip, policy(min_width=640)) == ["WMV011"]
    assert codes(clip, policy(max_bitrate_kbps=200)) == ["WMV012"]
    found = findings(clip, policy(max_duration_seconds=1.5, max_width=400, max_bitrate_kbps=200))
    args = {f.code: dict(f.args) for f in found}
    assert args["WMV009"] == {"duration": {"zh": "2.0 秒", "en": "2.0 s"}, "limit": {"zh": "1.5 秒", "en": "1.5 s"}}
    assert args["WMV010"] == {"width": 480, "height": 360, "max_width": 400, "max_height": 1080}
    assert args["WMV012"]["limit"] == 200 and args["WMV012"]["bitrate"] > 200
    assert all(f.severity.value == "warning" for f in found)


def test_long_duration_in_clock_form(tmp_path):
    fp = file_properties_object(0, 2, play_ms=3_700_000 + 3100)
    data = bytearray(synthetic_asf([video_stream_object(), audio_stream_object()], fp=fp))
    struct.pack_into("<Q", data, 30 + 24 + 16, len(data))
    found = findings(write(tmp_path / "long.wmv", bytes(data)))
    assert [(f.code, f.args["duration"]["en"], f.args["limit"]["en"]) for f in found] == [("WMV009", "1:01:40", "30:00")]


def test_short_clip_uses_declared_bitrate(tmp_path):
    """Under a second, ASF packet padding would inflate a measured bitrate: the declared one is used."""
    fp = file_properties_object(0, 2, play_ms=3100 + 500, max_bitrate=20_000_000)
    data = bytearray(synthetic_asf([video_stream_object()], fp=fp))
    struct.pack_into("<Q", data, 30 + 24 + 16, len(data))
    found = findings(write(tmp_path / "short.wmv", bytes(data)))
    assert [(f.code, f.args["bitrate"]) for f in found] == [("WMV012", 20000)]


# -- --deep -------------------------------------------------------------------------------------


def test_deep_finds_decode_errors_in_a_truncated_wmv(tmp_path):
    path = truncated_wmv(tmp_path / "t.wmv", keep=0.5, seconds=2)
    assert codes(path) == ["WMV006"]
    found = findings(path, deep=True)
    assert [f.code for f in found] == ["WMV006", "WMV013"]
    deep = found[1]
    assert deep.args["count"] >= 1 and deep.args["first"] and str(tmp_path) not in deep.args["first"]


def test_deep_on_clean_files(tmp_path):
    assert codes(make_wmv(tmp_path / "v.wmv", vcodec="wmv1"), deep=True) == []
    assert codes(make_wmv(tmp_path / "s.wmv", acodec=None), deep=True) == []


def test_deep_on_truncated_corpus_wma(corpus):
    found = findings(corpus / "wmv" / "mutagen_issue_29.wma", deep=True)
    assert [f.code for f in found] == ["FMT001", "WMV006", "WMV013"]
    assert "Input packet size too small" in found[2].args["first"]


def test_deep_without_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_FFMPEG", str(tmp_path / "missing-ffmpeg"))
    found = findings(make_wmv(tmp_path / "v.wmv"), deep=True)
    assert [(f.code, f.severity.value) for f in found] == [("WMV014", "warning")]
    assert "HNSUBMIT_FFMPEG" in found[0].args["reason"]["en"]


def test_deep_timeout(tmp_path):
    found = findings(make_wmv(tmp_path / "v.wmv", seconds=2), policy(deep_timeout_seconds=0.001), deep=True)
    assert [(f.code, f.args["reason"]["en"]) for f in found] == [("WMV014", "decoding did not finish within 0.001 s")]


def test_check_deep_through_the_cli(cli, tmp_path):
    bad = truncated_wmv(tmp_path / "坏.wmv", keep=0.5, seconds=2)
    code, out, _ = cli("check", bad, "--deep", "--format", "json")
    assert code == 1
    assert sorted(f["code"] for f in json.loads(out)["files"][0]["findings"]) == ["WMV006", "WMV013"]
    code, out, _ = cli("check", bad, "--format", "json")
    assert sorted(f["code"] for f in json.loads(out)["files"][0]["findings"]) == ["WMV006"]


# -- messages -----------------------------------------------------------------------------------


def test_messages_render_in_both_languages(tmp_path):
    paths = [
        header_only_wmv(tmp_path / "h.wmv"),
        grown_header_wmv(tmp_path / "g.wmv"),
        make_wmv(tmp_path / "m.wmv", vcodec="msmpeg4", acodec="libmp3lame", size="160x120"),
        write(tmp_path / "d.wmv", insert_header_object(make_wmv(tmp_path / "b.wmv").read_bytes(), content_encryption_object())),
    ]
    seen = set()
    for path in paths:
        for f in findings(path, policy(max_duration_seconds=0.5, max_bitrate_kbps=1)):
            rule = get_rule(f.code)
            for lang in ("zh", "en"):
                text = rule.render("message", lang, f.args)
                assert "{" not in text and text.strip(), (f.code, lang, text)
            seen.add(f.code)
    assert seen == {"WMV003", "WMV004", "WMV005", "WMV006", "WMV007", "WMV008", "WMV009", "WMV011", "WMV012"}


def test_patch_fourcc_refuses_a_file_without_video(tmp_path):
    with pytest.raises(AssertionError):
        patch_fourcc(make_wmv(tmp_path / "a.wma", vcodec=None).read_bytes(), "WMV3")
