"""A bounded, native parser of the ASF Header Object and the top-level objects around it.

Follows the ASF specification (rev. 01.20.03): Header Object with File Properties, Stream
Properties, Stream Bitrate Properties, Header Extension (Extended Stream Properties, Advanced
Content Encryption), Content Encryption, Extended Content Encryption and Digital Signature objects;
then the Data Object and the index objects after it.  Every length is checked against the bytes
actually present; a malformed or cut-off file yields :class:`Problem` values, never an exception,
and no size read from the file decides how much memory is allocated beyond fixed bounds.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, Mapping


def _guid(text: str) -> bytes:
    """A GUID as ASF stores it: the first three fields little-endian (uuid.UUID(text).bytes_le, without
    importing uuid, which imports platform: a few ms of every command's start-up)."""
    b = bytes.fromhex(text.replace("-", ""))
    return b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:]


HEADER = _guid("75B22630-668E-11CF-A6D9-00AA0062CE6C")
FILE_PROPERTIES = _guid("8CABDCA1-A947-11CF-8EE4-00C00C205365")
STREAM_PROPERTIES = _guid("B7DC0791-A9B7-11CF-8EE6-00C00C205365")
STREAM_BITRATE_PROPERTIES = _guid("7BF875CE-468D-11D1-8D82-006097C9A2B2")
HEADER_EXTENSION = _guid("5FBF03B5-A92E-11CF-8EE3-00C00C205365")
EXTENDED_STREAM_PROPERTIES = _guid("14E6A5CB-C672-4332-8399-A96952065B5A")
CONTENT_ENCRYPTION = _guid("2211B3FB-BD23-11D2-B4B7-00A0C955FC6E")
EXTENDED_CONTENT_ENCRYPTION = _guid("298AE614-2622-4C17-B935-DAE07EE9289C")
ADVANCED_CONTENT_ENCRYPTION = _guid("43058533-6981-49E6-9B74-AD12CB86D58C")  # PlayReady
DIGITAL_SIGNATURE = _guid("2211B3FC-BD23-11D2-B4B7-00A0C955FC6E")
DATA = _guid("75B22636-668E-11CF-A6D9-00AA0062CE6C")
SIMPLE_INDEX = _guid("33000890-E5B1-11CF-89F4-00A0C90349CB")
INDEX = _guid("D6E229D3-35DA-11D1-9034-00A0C90349BE")
MEDIA_OBJECT_INDEX = _guid("FEB103F8-12AD-4C64-840F-2A1D2F7AD48C")
TIMECODE_INDEX = _guid("3CB73FD0-0C4A-4803-953D-EDF7B6228F0C")

VIDEO_MEDIA = _guid("BC19EFC0-5B4D-11CF-A8FD-00805F5C442B")
AUDIO_MEDIA = _guid("F8699E40-5B4D-11CF-A8FD-00805F5C442B")

# Objects that protect the content: any of them means the file plays only with a licence.
ENCRYPTION_OBJECTS = {
    CONTENT_ENCRYPTION: "Content Encryption",
    EXTENDED_CONTENT_ENCRYPTION: "Extended Content Encryption",
    ADVANCED_CONTENT_ENCRYPTION: "Advanced Content Encryption",
}
INDEX_OBJECTS = {
    SIMPLE_INDEX: "Simple Index",
    INDEX: "Index",
    MEDIA_OBJECT_INDEX: "Media Object Index",
    TIMECODE_INDEX: "Timecode Index",
}

# Bounds: no input may make the parser read or allocate more than this, or loop longer.
MAX_HEADER_BYTES = 16 * 1024 * 1024
MAX_OBJECTS_PER_LEVEL = 4096
MAX_TRAILING_OBJECTS = 64  # top-level objects after the Data Object (indexes)
OBJECT_HEAD = 24  # GUID + QWORD size
HEADER_HEAD = 30  # Header Object: GUID, size, object count, two reserved bytes
DATA_HEAD = 50  # Data Object: GUID, size, file ID, total packets, reserved


@dataclass(frozen=True)
class Problem:
    """Something structurally wrong.  `truncated`: bytes are missing; otherwise the file is malformed."""

    key: str
    offset: int
    truncated: bool = False
    values: Mapping[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileProperties:
    file_size: int
    packet_count: int
    play_duration: int  # 100-nanosecond units, includes the preroll
    send_duration: int
    preroll_ms: int
    flags: int
    min_packet_size: int
    max_packet_size: int
    max_bitrate: int  # bits per second

    @property
    def broadcast(self) -> bool:
        # Spec: with the Broadcast flag set, file size, packet count and durations are invalid.
        return bool(self.flags & 0x1)

    @property
    def seekable(self) -> bool:
        return bool(self.flags & 0x2)

    @property
    def duration_seconds(self) -> float:
        return max(0.0, self.play_duration / 1e7 - self.preroll_ms / 1000)


@dataclass(frozen=True)
class Stream:
    number: int
    kind: str  # "video", "audio" or "other"
    offset: int
    encrypted: bool = False
    fourcc: str = ""  # video: BITMAPINFOHEADER biCompression
    format_tag: int | None = None  # audio: WAVEFORMATEX wFormatTag
    width: int = 0
    height: int = 0
    channels: int = 0
    sample_rate: int = 0
    bitrate: int = 0  # bits per second; 0 when the header does not say

    @property
    def codec(self) -> str:
        if self.kind == "video":
            return self.fourcc
        if self.format_tag is not None:
            return f"0x{self.format_tag:04X}"
        return ""


@dataclass(frozen=True)
class DataObject:
    offset: int
    size: int  # as declared
    packet_count: int  # as declared
    available: int  # bytes of the object present in the file


@dataclass(frozen=True)
class AsfHeader:
    file_size: int  # bytes actually present
    header_size: int = 0  # as declared
    file_properties: FileProperties | None = None
    streams: tuple[Stream, ...] = ()
    protection: tuple[str, ...] = ()  # encryption and signature objects found, by name
    data: DataObject | None = None
    indexes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def video(self) -> tuple[Stream, ...]:
        return tuple(s for s in self.streams if s.kind == "video")

    @property
    def audio(self) -> tuple[Stream, ...]:
        return tuple(s for s in self.streams if s.kind == "audio")

    @property
    def encrypted(self) -> bool:
        return any(p in ENCRYPTION_OBJECTS.values() for p in self.protection) or any(s.encrypted for s in self.streams)

    @property
    def declared_bitrate(self) -> int:
        """Sum of the streams' bitrates, or the File Properties' maximum when no stream says."""
        total = sum(s.bitrate for s in self.streams)
        if total:
            return total
        return self.file_properties.max_bitrate if self.file_properties else 0


def is_asf(head: bytes) -> bool:
    return head[:16] == HEADER


def parse_path(path: Path) -> AsfHeader:
    with open(path, "rb") as fh:
        return parse_file(fh, os.fstat(fh.fileno()).st_size)


def parse_file(fh: BinaryIO, file_size: int) -> AsfHeader:
    """The header, the Data Object's head and the index objects of a seekable ASF file."""
    fh.seek(0)
    head = fh.read(HEADER_HEAD)
    if len(head) < HEADER_HEAD or not is_asf(head):
        return AsfHeader(file_size, problems=(Problem("not-asf", 0),))
    (declared,) = struct.unpack_from("<Q", head, 16)
    if declared > MAX_HEADER_BYTES:
        return AsfHeader(
            file_size, declared, problems=(Problem("header-too-large", 0, values={"size": declared, "limit": MAX_HEADER_BYTES}),)
        )
    if declared < HEADER_HEAD:
        return AsfHeader(file_size, declared, problems=(Problem("object-too-small", 0, values={"size": declared}),))
    fh.seek(0)
    buf = fh.read(min(declared, file_size))
    parser = _HeaderParser(buf, file_size)
    parser.run()
    if parser.complete:
        parser.data_and_indexes(fh)
    return parser.result()


def parse_bytes(buf: bytes, file_size: int | None = None) -> AsfHeader:
    """The header only, from the first bytes of a file (identification; no Data Object walk)."""
    if len(buf) < HEADER_HEAD or not is_asf(buf):
        return AsfHeader(len(buf) if file_size is None else file_size, problems=(Problem("not-asf", 0),))
    parser = _HeaderParser(buf[:MAX_HEADER_BYTES], len(buf) if file_size is None else file_size)
    parser.run()
    return parser.result()


class _HeaderParser:
    def __init__(self, buf: bytes, file_size: int) -> None:
        self.buf = buf
        self.file_size = file_size
        self.problems: list[Problem] = []
        self.streams: dict[int, Stream] = {}
        self.ext_bitrates: dict[int, int] = {}
        self.list_bitrates: dict[int, int] = {}
        self.protection: list[str] = []
        self.indexes: list[str] = []
        self.file_properties: FileProperties | None = None
        self.data: DataObject | None = None
        self.header_size = 0
        self.complete = False

    # -- the walk -----------------------------------------------------------------------------

    def run(self) -> None:
        (self.header_size,) = struct.unpack_from("<Q", self.buf, 16)
        if self.header_size < HEADER_HEAD:
            self.problem("object-too-small", 0, size=self.header_size)
            return
        end = min(self.header_size, len(self.buf))
        self.complete = self.header_size <= len(self.buf)
        if not self.complete:
            self.problem("header-cut-off", 0, truncated=True, size=self.header_size, present=self.file_size)
        for guid, pos, size in self.objects(HEADER_HEAD, end, cut_ok=not self.complete):
            self.header_object(guid, pos, size, depth=0)
        if self.file_properties is None and self.complete:
            self.problem("no-file-properties", 0)

    def objects(self, start: int, end: int, cut_ok: bool = False) -> Iterator[tuple[bytes, int, int]]:
        """(guid, offset, size) of each object in buf[start:end]; stops at the first bad size."""
        pos = start
        count = 0
        while pos < end:
            if count >= MAX_OBJECTS_PER_LEVEL:
                self.problem("too-many-objects", pos, limit=MAX_OBJECTS_PER_LEVEL)
                return
            if pos + OBJECT_HEAD > end:
                if not cut_ok:
                    self.problem("object-overruns", pos, size=end - pos, room=end - pos)
                return
            guid = self.buf[pos : pos + 16]
            (size,) = struct.unpack_from("<Q", self.buf, pos + 16)
            if size < OBJECT_HEAD:
                self.problem("object-too-small", pos, size=size)
                return
            if pos + size > end:
                if not cut_ok:
                    self.problem("object-overruns", pos, size=size, room=end - pos)
                return
            yield guid, pos, size
            pos += size
            count += 1

    def header_object(self, guid: bytes, pos: int, size: int, depth: int) -> None:
        if guid == FILE_PROPERTIES:
            self.file_props(pos, size)
        elif guid == STREAM_PROPERTIES:
            self.stream_props(pos, pos + size)
        elif guid == STREAM_BITRATE_PROPERTIES:
            self.bitrate_props(pos, size)
        elif guid == HEADER_EXTENSION:
            if depth:
                # The spec allows no Header Extension inside another; descending would let a
                # crafted file nest without end.
                self.problem("nested-extension", pos)
            else:
                self.extension(pos, size)
        elif guid == EXTENDED_STREAM_PROPERTIES and depth:
            self.ext_stream_props(pos, size)
        elif guid in ENCRYPTION_OBJECTS:
            self.protection.append(ENCRYPTION_OBJECTS[guid])
        elif guid == DIGITAL_SIGNATURE:
            self.protection.append("Digital Signature")

    def file_props(self, pos: int, size: int) -> None:
        if size < OBJECT_HEAD + 80:
            self.problem("object-too-small", pos, size=size)
            return
        b = pos + OBJECT_HEAD + 16  # after the File ID
        file_size, _created, packets, play, send, preroll = struct.unpack_from("<6Q", self.buf, b)
        flags, min_pkt, max_pkt, max_rate = struct.unpack_from("<4I", self.buf, b + 48)
        if self.file_properties is None:
            self.file_properties = FileProperties(file_size, packets, play, send, preroll, flags, min_pkt, max_pkt, max_rate)

    def stream_props(self, pos: int, end: int) -> None:
        body = pos + OBJECT_HEAD
        if body + 54 > end:
            self.problem("object-too-small", pos, size=end - pos)
            return
        media = self.buf[body : body + 16]
        ts_len, ec_len, flags = struct.unpack_from("<IIH", self.buf, body + 40)
        ts = body + 54
        if ts + ts_len + ec_len > end:
            self.problem("stream-data-overruns", pos, size=ts_len + ec_len, room=end - ts)
            return
        number = flags & 0x7F
        encrypted = bool(flags & 0x8000)
        kind = "video" if media == VIDEO_MEDIA else "audio" if media == AUDIO_MEDIA else "other"
        stream = Stream(number, kind, pos, encrypted)
        if kind == "video":
            stream = self.video_format(stream, ts, ts_len)
        elif kind == "audio":
            stream = self.audio_format(stream, ts, ts_len)
        if stream is not None and number not in self.streams:
            self.streams[number] = stream

    def video_format(self, stream: Stream, ts: int, ts_len: int) -> Stream | None:
        # Encoded width and height, a reserved byte, the format data size, then a BITMAPINFOHEADER.
        if ts_len < 11 + 40:
            self.problem("video-format-short", stream.offset, size=ts_len)
            return None
        enc_w, enc_h, _res, fmt_size = struct.unpack_from("<IIBH", self.buf, ts)
        if fmt_size < 40 or 11 + fmt_size > ts_len:
            self.problem("video-format-short", stream.offset, size=fmt_size)
            return None
        bmih = ts + 11
        bi_w, bi_h = struct.unpack_from("<ii", self.buf, bmih + 4)
        fourcc = _fourcc(self.buf[bmih + 16 : bmih + 20])
        return Stream(
            stream.number, "video", stream.offset, stream.encrypted, fourcc=fourcc,
            width=enc_w or abs(bi_w), height=enc_h or abs(bi_h),
        )

    def audio_format(self, stream: Stream, ts: int, ts_len: int) -> Stream | None:
        if ts_len < 16:  # WAVEFORMAT without cbSize is 16 bytes
            self.problem("audio-format-short", stream.offset, size=ts_len)
            return None
        tag, channels, rate, avg = struct.unpack_from("<HHII", self.buf, ts)
        return Stream(
            stream.number, "audio", stream.offset, stream.encrypted, format_tag=tag,
            channels=channels, sample_rate=rate, bitrate=avg * 8,
        )

    def bitrate_props(self, pos: int, size: int) -> None:
        body = pos + OBJECT_HEAD
        if size < OBJECT_HEAD + 2:
            self.problem("object-too-small", pos, size=size)
            return
        (count,) = struct.unpack_from("<H", self.buf, body)
        if 2 + count * 6 > size - OBJECT_HEAD:
            self.problem("object-overruns", pos, size=2 + count * 6, room=size - OBJECT_HEAD)
            return
        for i in range(count):
            flags, rate = struct.unpack_from("<HI", self.buf, body + 2 + i * 6)
            self.list_bitrates.setdefault(flags & 0x7F, rate)

    def extension(self, pos: int, size: int) -> None:
        body = pos + OBJECT_HEAD
        if size < OBJECT_HEAD + 22:
            self.problem("object-too-small", pos, size=size)
            return
        (data_size,) = struct.unpack_from("<I", self.buf, body + 18)
        start = body + 22
        if start + data_size > pos + size:
            self.problem("object-overruns", pos, size=data_size, room=pos + size - start)
            return
        for guid, p, s in self.objects(start, start + data_size):
            self.header_object(guid, p, s, depth=1)

    def ext_stream_props(self, pos: int, size: int) -> None:
        body = pos + OBJECT_HEAD
        end = pos + size
        if body + 64 > end:
            self.problem("object-too-small", pos, size=size)
            return
        (bitrate,) = struct.unpack_from("<I", self.buf, body + 16)
        (number,) = struct.unpack_from("<H", self.buf, body + 48)
        names, systems = struct.unpack_from("<HH", self.buf, body + 60)
        self.ext_bitrates.setdefault(number & 0x7F, bitrate)
        p = body + 64
        for _ in range(names):  # language index, name length, name
            if p + 4 > end:
                self.problem("object-overruns", pos, size=p + 4 - pos, room=size)
                return
            (length,) = struct.unpack_from("<H", self.buf, p + 2)
            p += 4 + length
        for _ in range(systems):  # system GUID, data size, info length, info
            if p + 22 > end:
                self.problem("object-overruns", pos, size=p + 22 - pos, room=size)
                return
            (length,) = struct.unpack_from("<I", self.buf, p + 18)
            p += 22 + length
        if p > end:
            self.problem("object-overruns", pos, size=p - pos, room=size)
            return
        # An embedded Stream Properties object may follow (streams not listed in the header).
        if p + OBJECT_HEAD <= end and self.buf[p : p + 16] == STREAM_PROPERTIES:
            (inner,) = struct.unpack_from("<Q", self.buf, p + 16)
            if inner < OBJECT_HEAD or p + inner > end:
                self.problem("object-overruns", p, size=inner, room=end - p)
                return
            self.stream_props(p, p + inner)

    # -- after the header ---------------------------------------------------------------------

    def data_and_indexes(self, fh: BinaryIO) -> None:
        pos = self.header_size
        if pos >= self.file_size:
            return  # header only: the caller reports the missing Data Object
        fh.seek(pos)
        head = fh.read(DATA_HEAD)
        if len(head) < OBJECT_HEAD or head[:16] != DATA:
            return
        (size,) = struct.unpack_from("<Q", head, 16)
        if len(head) < DATA_HEAD:
            self.problem("data-cut-off", pos, truncated=True, size=size, present=self.file_size - pos)
            self.data = DataObject(pos, size, 0, self.file_size - pos)
            return
        (packets,) = struct.unpack_from("<Q", head, 40)
        available = min(size, self.file_size - pos) if size else self.file_size - pos
        self.data = DataObject(pos, size, packets, available)
        if size == 0:
            return  # a broadcast or still-growing file: its length is unknown, nothing follows
        if size < DATA_HEAD:
            self.problem("object-too-small", pos, size=size)
            return
        if pos + size > self.file_size:
            self.problem("data-cut-off", pos, truncated=True, size=size, present=self.file_size - pos)
            return
        self.trailing(fh, pos + size)

    def trailing(self, fh: BinaryIO, pos: int) -> None:
        for _ in range(MAX_TRAILING_OBJECTS):
            if pos >= self.file_size:
                return
            fh.seek(pos)
            head = fh.read(OBJECT_HEAD)
            if len(head) < OBJECT_HEAD:
                self.problem("index-cut-off", pos, truncated=True, size=OBJECT_HEAD, present=len(head))
                return
            (size,) = struct.unpack_from("<Q", head, 16)
            if size < OBJECT_HEAD:
                self.problem("object-too-small", pos, size=size)
                return
            if pos + size > self.file_size:
                self.problem("index-cut-off", pos, truncated=True, size=size, present=self.file_size - pos)
                return
            self.indexes.append(INDEX_OBJECTS.get(head[:16], "unknown"))
            pos += size
        self.problem("too-many-objects", pos, limit=MAX_TRAILING_OBJECTS)

    # -- result -------------------------------------------------------------------------------

    def problem(self, key: str, offset: int, truncated: bool = False, **values: int | str) -> None:
        if len(self.problems) < 32:  # a hostile file cannot flood the report
            self.problems.append(Problem(key, offset, truncated, values))

    def result(self) -> AsfHeader:
        streams = []
        for number, s in sorted(self.streams.items()):
            rate = self.ext_bitrates.get(number) or self.list_bitrates.get(number) or s.bitrate
            streams.append(Stream(
                s.number, s.kind, s.offset, s.encrypted, s.fourcc, s.format_tag, s.width, s.height,
                s.channels, s.sample_rate, rate,
            ))
        return AsfHeader(
            self.file_size, self.header_size, self.file_properties, tuple(streams), tuple(self.protection),
            self.data, tuple(self.indexes), tuple(self.problems),
        )


def _fourcc(raw: bytes) -> str:
    if len(raw) == 4 and all(0x20 <= b < 0x7F for b in raw):
        return raw.decode("ascii")
    return "0x" + raw[::-1].hex().upper()
