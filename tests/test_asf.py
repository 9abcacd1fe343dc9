"""The native ASF header parser: what it reads from real files, and that hostile sizes end in problems, never exceptions."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories_wmv import (
    asf_object,
    audio_stream_object,
    content_encryption_object,
    ext_stream_properties_object,
    file_properties_object,
    header_extension_object,
    make_wmv,
    patch_fourcc,
    synthetic_asf,
    video_stream_object,
)
from hnsubmit.checks.formats import asf
from hnsubmit.checks.formats import asf_header
from hnsubmit.checks.formats.asf_header import MAX_HEADER_BYTES, parse_bytes, parse_file, parse_path


def parse(data: bytes) -> asf_header.AsfHeader:
    return parse_file(io.BytesIO(data), len(data))


def keys(header) -> list[tuple[str, bool]]:
    return [(p.key, p.truncated) for p in header.problems]


# -- real files ---------------------------------------------------------------------------------

CORPUS_STREAMS = {
    # file: [(kind, codec, width, height)], packets, indexes
    "filetype_fixture.wmv": ([("video", "WMV2", 640, 356), ("audio", "0x0161", 0, 0)], 15, ("Simple Index",)),
    "filetype_fixture.asf": ([("audio", "0x0161", 0, 0), ("video", "MP43", 160, 120)], 150, ("Simple Index",)),
    "mediautils_engine-start.wmv2.wmav2.wmv": ([("video", "WMV2", 1280, 534), ("audio", "0x0161", 0, 0)], 198, ("Simple Index",)),
    "mediautils_engine-start.wmav2.wma": ([("audio", "0x0161", 0, 0)], 33, ()),
    "mutagen_silence-2.wma": ([("audio", "0x0162", 0, 0)], 2, ("Index", "Simple Index")),
    "mutagen_silence-3.wma": ([("audio", "0x0163", 0, 0)], 2, ("Index", "Simple Index")),
    "tinytag_mp3_audio.asf": ([("audio", "0x0055", 0, 0)], 2, ()),
    "tinytag_multiple_values_images.wma": ([("audio", "0x0161", 0, 0)], 1, ()),
}


@pytest.mark.parametrize("name", sorted(CORPUS_STREAMS))
def test_corpus_streams_packets_and_indexes(corpus, name):
    streams, packets, indexes = CORPUS_STREAMS[name]
    h = parse_path(corpus / "wmv" / name)
    assert [(s.kind, s.codec, s.width, s.height) for s in h.streams] == streams
    assert h.data is not None and h.data.packet_count == packets == h.file_properties.packet_count
    assert h.indexes == indexes
    assert h.problems == () and not h.encrypted


def test_corpus_engine_start_properties(corpus):
    h = parse_path(corpus / "wmv" / "mediautils_engine-start.wmv2.wmav2.wmv")
    fp = h.file_properties
    assert (fp.file_size, fp.min_packet_size, fp.max_packet_size, fp.preroll_ms) == (634874, 3200, 3200, 3100)
    assert fp.seekable and not fp.broadcast
    assert round(fp.duration_seconds, 2) == 6.05
    assert [s.bitrate for s in h.streams] == [200_000, 128_000]  # from Extended Stream Properties
    assert h.data.offset == h.header_size == 1102 and h.data.size == h.data.available == 633650


def test_corpus_truncated_wma_reports_the_cut_data_object(corpus):
    h = parse_path(corpus / "wmv" / "mutagen_issue_29.wma")
    assert keys(h) == [("data-cut-off", True)]
    assert dict(h.problems[0].values) == {"size": 675338, "present": 26650}
    assert h.file_properties.file_size == 680860


def test_corpus_header_only_file(corpus):
    h = parse_path(corpus / "wmv" / "exiftool_ASF.wmv")
    assert h.data is None and h.header_size == h.file_size == 12379
    assert [(s.kind, s.codec) for s in h.streams] == [("audio", "0x0161"), ("video", "WVP2")]
    assert h.problems == ()


@pytest.mark.parametrize("vcodec,fourcc", [("wmv1", "WMV1"), ("wmv2", "WMV2"), ("msmpeg4", "MP43"), ("mpeg4", "M4S2")])
def test_ffmpeg_made_files(tmp_path, vcodec, fourcc):
    h = parse_path(make_wmv(tmp_path / "v.wmv", vcodec=vcodec, size="176x144"))
    assert [(s.kind, s.codec, s.width, s.height) for s in h.streams] == [("video", fourcc, 176, 144), ("audio", "0x0161", 0, 0)]
    assert h.problems == () and h.data is not None and h.indexes == ("Simple Index",)


@pytest.mark.parametrize("fourcc", ["WMV3", "WVC1", "WMVA"])
def test_patched_fourcc_is_read(tmp_path, fourcc):
    """ffmpeg cannot encode WMV3/VC-1: the FourCC of a WMV2 file is patched (header-level only)."""
    data = patch_fourcc(make_wmv(tmp_path / "v.wmv").read_bytes(), fourcc)
    assert [s.codec for s in parse(data).video] == [fourcc]


def test_identification_walk_uses_the_same_parser(tmp_path):
    data = make_wmv(tmp_path / "v.wmv").read_bytes()
    assert asf.stream_types(data[:4096]) == ["video", "audio"]
    assert asf.stream_types(make_wmv(tmp_path / "a.wma", vcodec=None).read_bytes()) == ["audio"]
    assert asf.stream_types(b"not asf at all") == []


# -- synthetic files: every object the parser knows ---------------------------------------------


def test_synthetic_file_with_extension_bitrates_and_embedded_stream():
    embedded = ext_stream_properties_object(3, 96_000, tail=video_stream_object(3, "WVC1", 640, 360))
    data = synthetic_asf(
        [video_stream_object(1), audio_stream_object(2), header_extension_object(ext_stream_properties_object(1, 500_000), embedded)],
        trailing=asf_object(asf_header.SIMPLE_INDEX, bytes(40)) + asf_object(asf_header.INDEX, bytes(30)),
    )
    h = parse(data)
    assert h.problems == ()
    assert [(s.number, s.codec, s.bitrate) for s in h.streams] == [(1, "WMV2", 500_000), (2, "0x0161", 128_000), (3, "WVC1", 96_000)]
    assert h.indexes == ("Simple Index", "Index")
    assert h.declared_bitrate == 724_000


def test_stream_bitrate_properties_object():
    sbp = asf_object(asf_header.STREAM_BITRATE_PROPERTIES, struct.pack("<HHIHI", 2, 1, 700_000, 2, 64_000))
    h = parse(synthetic_asf([video_stream_object(1), audio_stream_object(2), sbp]))
    assert [s.bitrate for s in h.streams] == [700_000, 64_000]


@pytest.mark.parametrize(
    "objects,protection,encrypted",
    [
        ([content_encryption_object()], ("Content Encryption",), True),
        ([asf_object(asf_header.EXTENDED_CONTENT_ENCRYPTION, struct.pack("<I", 4) + b"<x/>")], ("Extended Content Encryption",), True),
        ([header_extension_object(asf_object(asf_header.ADVANCED_CONTENT_ENCRYPTION, bytes(2)))], ("Advanced Content Encryption",), True),
        ([asf_object(asf_header.DIGITAL_SIGNATURE, bytes(8))], ("Digital Signature",), False),
    ],
)
def test_protection_objects(objects, protection, encrypted):
    h = parse(synthetic_asf([video_stream_object()] + objects))
    assert h.protection == protection and h.encrypted is encrypted and h.problems == ()


def test_encrypted_stream_flag():
    h = parse(synthetic_asf([video_stream_object(1, flags=0x8000)]))
    assert h.protection == () and h.encrypted and h.streams[0].encrypted


def test_broadcast_flag_is_read():
    fp = file_properties_object(0, 0, flags=0x1)
    h = parse(synthetic_asf([video_stream_object()], fp=fp))
    assert h.file_properties.broadcast and not h.file_properties.seekable


# -- hostile and broken input -------------------------------------------------------------------


class CountingIO(io.BytesIO):
    largest = 0

    def read(self, n=-1):
        CountingIO.largest = max(CountingIO.largest, n if n >= 0 else len(self.getvalue()))
        return super().read(n)


def _with_header_size(data: bytes, size: int) -> bytes:
    return data[:16] + struct.pack("<Q", size) + data[24:]


def test_header_claiming_2_63_bytes_is_refused_without_reading_it():
    data = _with_header_size(synthetic_asf([video_stream_object()]), 1 << 63)
    CountingIO.largest = 0
    h = parse_file(CountingIO(data), len(data))
    assert keys(h) == [("header-too-large", False)]
    assert CountingIO.largest <= 30


def test_header_claiming_more_than_the_file_is_a_cut():
    data = synthetic_asf([video_stream_object(), audio_stream_object()], data=False)
    h = parse(data[:300])  # File Properties and the video stream are whole (to 263), the audio one is cut
    assert keys(h) == [("header-cut-off", True)]
    assert [s.kind for s in h.streams] == ["video"]


def test_reads_are_bounded_by_the_file_not_the_declared_size():
    data = _with_header_size(synthetic_asf([video_stream_object()], data=False), MAX_HEADER_BYTES)
    CountingIO.largest = 0
    parse_file(CountingIO(data), len(data))
    assert CountingIO.largest <= len(data)


@pytest.mark.parametrize("size", [0, 23])
def test_object_smaller_than_its_head(size):
    obj = b"\x11" * 16 + struct.pack("<Q", size)
    h = parse(synthetic_asf([video_stream_object(), obj]))
    assert ("object-too-small", False) in keys(h)


def test_object_claiming_2_63_bytes_inside_the_header():
    obj = b"\x22" * 16 + struct.pack("<Q", 1 << 63) + bytes(8)
    h = parse(synthetic_asf([video_stream_object(), obj]))
    assert keys(h) == [("object-overruns", False)]
    assert [s.codec for s in h.streams] == ["WMV2"]  # what came before is kept


def test_header_object_smaller_than_30_bytes():
    data = _with_header_size(synthetic_asf([video_stream_object()]), 12)
    assert keys(parse(data)) == [("object-too-small", False)]


def test_nested_header_extension_is_not_descended():
    inner = header_extension_object(header_extension_object(content_encryption_object()))
    h = parse(synthetic_asf([video_stream_object(), inner]))
    assert keys(h) == [("nested-extension", False)]
    assert h.protection == ()


def test_extension_data_size_larger_than_the_object():
    ext = bytearray(header_extension_object(ext_stream_properties_object(1, 1)))
    struct.pack_into("<I", ext, 24 + 18, 1 << 31)
    assert keys(parse(synthetic_asf([video_stream_object(), bytes(ext)]))) == [("object-overruns", False)]


def test_many_tiny_objects_stop_at_the_bound():
    padding = b"\x33" * 16 + struct.pack("<Q", 24)
    h = parse(synthetic_asf([video_stream_object()] + [padding] * (asf_header.MAX_OBJECTS_PER_LEVEL + 10)))
    assert keys(h) == [("too-many-objects", False)]


def test_extended_stream_properties_with_huge_name_and_system_counts():
    for names, systems in ((65535, 0), (0, 65535)):
        esp = ext_stream_properties_object(1, 1000, names=names, systems=systems)
        h = parse(synthetic_asf([video_stream_object(), header_extension_object(esp)]))
        assert keys(h) == [("object-overruns", False)]


def test_stream_properties_with_overrunning_format_data():
    obj = bytearray(video_stream_object())
    struct.pack_into("<I", obj, 24 + 40, 0xFFFFFFFF)
    h = parse(synthetic_asf([bytes(obj)]))
    assert keys(h) == [("stream-data-overruns", False)] and h.streams == ()


def test_stream_properties_with_short_video_format():
    obj = bytearray(video_stream_object())
    struct.pack_into("<H", obj, 24 + 54 + 9, 39)  # format data size below a BITMAPINFOHEADER
    assert keys(parse(synthetic_asf([bytes(obj)]))) == [("video-format-short", False)]


def test_bitrate_properties_count_overrun():
    sbp = asf_object(asf_header.STREAM_BITRATE_PROPERTIES, struct.pack("<HHI", 5000, 1, 1))
    assert keys(parse(synthetic_asf([video_stream_object(), sbp]))) == [("object-overruns", False)]


def test_missing_file_properties():
    data = synthetic_asf([video_stream_object()])
    h = parse(data.replace(asf_header.FILE_PROPERTIES, b"\x44" * 16, 1))
    assert keys(h) == [("no-file-properties", False)] and h.file_properties is None


def test_data_object_claiming_2_63_bytes():
    data = bytearray(synthetic_asf([video_stream_object()]))
    pos = data.find(asf_header.DATA)
    struct.pack_into("<Q", data, pos + 16, 1 << 63)
    h = parse(bytes(data))
    assert keys(h) == [("data-cut-off", True)]
    assert h.data.available == len(data) - pos


def test_index_object_cut_off_and_garbage_after_the_data():
    index = asf_object(asf_header.SIMPLE_INDEX, bytes(400))
    data = synthetic_asf([video_stream_object()], trailing=index)
    assert keys(parse(data[:-100])) == [("index-cut-off", True)]
    garbage = synthetic_asf([video_stream_object()], trailing=b"\x00" * 10)
    assert keys(parse(garbage)) == [("index-cut-off", True)]


def test_not_asf():
    assert keys(parse(b"RIFF" + bytes(60))) == [("not-asf", False)]
    assert keys(parse_bytes(b"")) == [("not-asf", False)]


def test_problems_are_capped():
    h = parse(synthetic_asf([video_stream_object()] + [header_extension_object(header_extension_object())] * 100))
    assert len(h.problems) == 32


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_headers_never_raise(data):
    """Random byte flips and cuts of a realistic header end in values, never an exception."""
    base = bytearray(synthetic_asf(
        [video_stream_object(), audio_stream_object(), header_extension_object(ext_stream_properties_object(1, 9, tail=video_stream_object(3)))],
        trailing=asf_object(asf_header.SIMPLE_INDEX, bytes(40)),
    ))
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(base) - 1))
        base[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(base)))
    blob = bytes(base[:cut])
    h = parse(blob)
    assert isinstance(h, asf_header.AsfHeader)
    assert isinstance(parse_bytes(blob), asf_header.AsfHeader)
    assert isinstance(asf.stream_types(blob), list)
