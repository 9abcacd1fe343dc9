"""WMV (ASF) checks from the native header parse — structure, streams, codecs, DRM, limits — and `--deep` decoding.

The header checks start no process: the bounded parser in :mod:`hnsubmit.checks.formats.asf_header`
reads only the Header Object, the Data Object's head and the index objects.  Only `check --deep`
runs ffmpeg, to decode the whole file.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from hnsubmit.checks.context import FileContext
from hnsubmit.checks.formats.asf_header import AsfHeader, Problem, parse_path
from hnsubmit.rules.findings import Finding, Location, finding

# Windows Media Audio, in all its versions: the audio a WMV player is sure to play.
WMA_TAGS = {0x0160: "WMA v1", 0x0161: "WMA v2", 0x0162: "WMA Pro", 0x0163: "WMA Lossless", 0x000A: "WMA Voice"}
OTHER_AUDIO = {0x0001: "PCM", 0x0002: "MS ADPCM", 0x0050: "MPEG audio", 0x0055: "MP3", 0x00FF: "AAC", 0x1610: "AAC", 0x2000: "AC-3"}
VIDEO_NAMES = {
    "WMV1": "Windows Media Video 7",
    "WMV2": "Windows Media Video 8",
    "WMV3": "Windows Media Video 9",
    "WVC1": "VC-1",
    "WMVA": "VC-1 (WMVA)",
    "WVP2": "Windows Media Video 9 Image v2",
    "WMVP": "Windows Media Video 9 Image",
    "MSS1": "Windows Media Screen 7",
    "MSS2": "Windows Media Screen 9",
    "MP43": "MS-MPEG4 v3",
    "MP42": "MS-MPEG4 v2",
    "MPG4": "MS-MPEG4 v1",
    "MP4S": "MPEG-4 Part 2",
    "M4S2": "MPEG-4 Part 2",
    "H264": "H.264",
}

# zh and en texts for the parser's problem keys (values fill the {placeholders}).
PROBLEMS = {
    "not-asf": ("文件不以 ASF 文件头对象开头", "the file does not start with an ASF Header Object"),
    "header-too-large": ("文件头声明 {size} 字节,超过 {limit} 字节的合理上限", "the header declares {size} bytes, over the sane limit of {limit}"),
    "object-too-small": ("偏移 {offset} 处的对象声明大小为 {size} 字节,小于对象头本身", "the object at offset {offset} declares {size} bytes, less than its own head"),
    "object-overruns": ("偏移 {offset} 处的对象声明 {size} 字节,超出所在范围({room} 字节)", "the object at offset {offset} declares {size} bytes but only {room} are left in its parent"),
    "stream-data-overruns": ("偏移 {offset} 处流属性对象的格式数据({size} 字节)超出对象范围({room} 字节)", "the format data of the Stream Properties object at offset {offset} ({size} bytes) overruns the object ({room} bytes)"),
    "video-format-short": ("偏移 {offset} 处视频流的格式数据不完整({size} 字节)", "the video format data at offset {offset} is incomplete ({size} bytes)"),
    "audio-format-short": ("偏移 {offset} 处音频流的格式数据不完整({size} 字节)", "the audio format data at offset {offset} is incomplete ({size} bytes)"),
    "nested-extension": ("偏移 {offset} 处的文件头扩展对象嵌套在另一个扩展对象中", "the Header Extension at offset {offset} is nested inside another"),
    "too-many-objects": ("偏移 {offset} 附近的对象超过 {limit} 个", "more than {limit} objects near offset {offset}"),
    "no-file-properties": ("文件头中没有文件属性对象(File Properties)", "the header has no File Properties object"),
    "header-cut-off": ("文件头声明 {size} 字节,但整个文件只有 {present} 字节", "the header declares {size} bytes but the whole file has {present}"),
    "data-cut-off": ("数据对象声明 {size} 字节,文件中只有 {present} 字节", "the Data Object declares {size} bytes but the file holds {present}"),
    "index-cut-off": ("偏移 {offset} 处的索引对象声明 {size} 字节,文件中只有 {present} 字节", "the index object at offset {offset} declares {size} bytes but the file holds {present}"),
}


def bilingual(zh: str, en: str, **values) -> dict[str, str]:
    return {"zh": zh.format(**values), "en": en.format(**values)}


def describe(problem: Problem) -> dict[str, str]:
    zh, en = PROBLEMS.get(problem.key, (problem.key, problem.key))
    values = {"offset": problem.offset, **problem.values}
    try:
        return bilingual(zh, en, **values)
    except (KeyError, IndexError):
        return {"zh": zh, "en": en}


def check(ctx: FileContext) -> Iterator[Finding]:
    path = ctx.display
    try:
        header = parse_path(ctx.path)
    except OSError as exc:
        yield finding("WMV001", path, reason={"zh": f"无法读取({exc.strerror or exc})", "en": f"cannot be read ({exc.strerror or exc})"})
        return
    findings = list(structure(header, path))
    yield from findings
    usable = header.file_properties is not None and not any(p.key in ("not-asf", "header-too-large") for p in header.problems)
    if usable:
        if _kind_allowed(ctx):  # a refused format (FMT001) is not judged on its content as well
            yield from content(header, ctx)
        elif header.encrypted:
            yield _drm(header, path)
    if ctx.deep:
        from hnsubmit.checks.validators.wmv_deep import deep

        yield from deep(ctx)


def _kind_allowed(ctx: FileContext) -> bool:
    from hnsubmit.policy.kinds import allowed_kinds

    return ctx.kind in allowed_kinds(ctx.policy)


def structure(header: AsfHeader, path: str) -> Iterable[Finding]:
    """WMV001 malformed, WMV006 truncated, WMV007 sizes that disagree, WMV008 no Data Object."""
    malformed = [p for p in header.problems if not p.truncated]
    cut = [p for p in header.problems if p.truncated]
    if malformed:
        yield finding("WMV001", path, Location(part="ASF", offset=malformed[0].offset), reason=_joined(malformed))
    fp = header.file_properties
    if fp is None:
        if cut:
            yield finding("WMV006", path, Location(part="ASF", offset=cut[0].offset), reason=_joined(cut))
        return
    trusted = not fp.broadcast  # the spec makes size and packet count invalid in a broadcast file
    if not cut and trusted and fp.file_size > header.file_size:
        cut.append(Problem("file-cut-off", 0, True))
        reason = bilingual(
            "文件属性声明文件大小 {declared} 字节,实际只有 {actual} 字节",
            "the File Properties declare {declared} bytes but the file has {actual}",
            declared=fp.file_size, actual=header.file_size,
        )
        yield finding("WMV006", path, Location(part="File Properties"), reason=reason)
    elif cut:
        yield finding("WMV006", path, Location(part="ASF", offset=cut[0].offset), reason=_joined(cut))
    if header.data is None and not any(p.key == "header-cut-off" for p in cut) and not malformed:
        yield finding("WMV008", path, Location(part="ASF", offset=header.header_size))
    if not cut and not malformed and trusted:
        reasons = list(_mismatches(header))
        if reasons:
            yield finding(
                "WMV007", path, Location(part="File Properties"),
                reason={"zh": ";".join(r["zh"] for r in reasons), "en": "; ".join(r["en"] for r in reasons)},
            )


def _mismatches(header: AsfHeader) -> Iterator[dict[str, str]]:
    fp = header.file_properties
    assert fp is not None
    if fp.file_size and fp.file_size != header.file_size:
        yield bilingual(
            "文件属性记录文件大小 {declared} 字节,实际为 {actual} 字节(文件可能被其他软件改写过)",
            "the File Properties record {declared} bytes but the file has {actual} (another program may have rewritten it)",
            declared=fp.file_size, actual=header.file_size,
        )
    data = header.data
    if data is None or not data.size:
        return
    if data.packet_count != fp.packet_count:
        yield bilingual(
            "数据对象记录 {data} 个数据包,文件属性记录 {declared} 个",
            "the Data Object records {data} packets, the File Properties {declared}",
            data=data.packet_count, declared=fp.packet_count,
        )
    elif fp.min_packet_size == fp.max_packet_size and fp.max_packet_size:
        # ASF packets have one fixed size when min == max, so the Data Object's size is determined.
        expected = 50 + data.packet_count * fp.max_packet_size
        if expected != data.size:
            yield bilingual(
                "{packets} 个 {size} 字节的数据包应占 {expected} 字节,数据对象声明 {declared} 字节",
                "{packets} packets of {size} bytes take {expected} bytes, the Data Object declares {declared}",
                packets=data.packet_count, size=fp.max_packet_size, expected=expected, declared=data.size,
            )


def _joined(problems: list[Problem]) -> dict[str, str]:
    texts = [describe(p) for p in problems[:3]]
    more_zh = f"(另有 {len(problems) - 3} 处)" if len(problems) > 3 else ""
    more_en = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return {"zh": ";".join(t["zh"] for t in texts) + more_zh, "en": "; ".join(t["en"] for t in texts) + more_en}


def _drm(header: AsfHeader, path: str) -> Finding:
    names = [p for p in header.protection if p != "Digital Signature"]
    names += [f"stream {s.number} encrypted" for s in header.streams if s.encrypted]
    return finding("WMV005", path, Location(part="ASF"), objects=", ".join(names))


def content(header: AsfHeader, ctx: FileContext) -> Iterator[Finding]:
    """WMV002–WMV005 streams and protection, WMV009–WMV012 the policy's limits."""
    path = ctx.display
    limits = ctx.policy.wmv
    if not header.video and not (limits.allow_audio_only and header.audio):
        streams = bilingual("仅音频", "audio only") if header.audio else bilingual("没有音视频流", "no audio or video stream")
        yield finding("WMV002", path, Location(part="ASF"), streams=streams)
    allowed = [c.upper() for c in limits.video_codecs]
    for s in header.video:
        if s.fourcc.upper() not in allowed:
            yield finding(
                "WMV003", path, Location(part=f"stream {s.number}", offset=s.offset),
                codec=s.fourcc or "?", name=VIDEO_NAMES.get(s.fourcc.upper(), "?"), allowed="/".join(limits.video_codecs),
            )
    for s in header.audio:
        if s.format_tag not in WMA_TAGS:
            name = OTHER_AUDIO.get(s.format_tag or 0, "?")
            yield finding("WMV004", path, Location(part=f"stream {s.number}", offset=s.offset), codec=f"{s.codec} ({name})")
    if header.encrypted:
        yield _drm(header, path)
    yield from _limits(header, ctx)


def _limits(header: AsfHeader, ctx: FileContext) -> Iterator[Finding]:
    path = ctx.display
    limits = ctx.policy.wmv
    fp = header.file_properties
    assert fp is not None
    duration = None if fp.broadcast else fp.duration_seconds
    if duration is not None and duration > limits.max_duration_seconds:
        yield finding("WMV009", path, Location(part="File Properties"), duration=_clock(duration), limit=_clock(limits.max_duration_seconds))
    for s in header.video:
        loc = Location(part=f"stream {s.number}", offset=s.offset)
        if s.width > limits.max_width or s.height > limits.max_height:
            yield finding("WMV010", path, loc, width=s.width, height=s.height, max_width=limits.max_width, max_height=limits.max_height)
        elif 0 < s.width < limits.min_width:
            yield finding("WMV011", path, loc, width=s.width, min_width=limits.min_width)
    kbps = bitrate_kbps(header)
    if kbps and kbps > limits.max_bitrate_kbps:
        yield finding("WMV012", path, Location(part="ASF"), bitrate=round(kbps), limit=limits.max_bitrate_kbps)


def bitrate_kbps(header: AsfHeader) -> float:
    """The average bitrate: the Data Object's bytes over the duration (what a reader downloads),
    or, for files shorter than a second or without a usable duration, what the header declares."""
    fp = header.file_properties
    if fp and not fp.broadcast and fp.duration_seconds >= 1 and header.data and header.data.size:
        return header.data.size * 8 / fp.duration_seconds / 1000
    declared = header.declared_bitrate
    return declared / 1000 if declared < 0xFFFFFFFF else 0.0  # all ones: "unknown" in some writers


def _clock(seconds: float) -> dict[str, str]:
    if seconds < 60:
        return {"zh": f"{seconds:.1f} 秒", "en": f"{seconds:.1f} s"}
    s = int(round(seconds))
    text = f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    return {"zh": text, "en": text}
