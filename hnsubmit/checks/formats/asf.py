"""Just enough of the ASF header to tell a WMV (video) from a WMA (audio only) at identification time.

The walk itself lives in :mod:`hnsubmit.checks.formats.asf_header`, the bounded parser the WMV validator
uses too, so identification and validation never disagree about a file's streams.
"""

from __future__ import annotations

from hnsubmit.checks.formats.asf_header import (  # noqa: F401  (re-exported: identification and tests use them)
    AUDIO_MEDIA,
    EXTENDED_STREAM_PROPERTIES,
    HEADER as ASF_HEADER,
    HEADER_EXTENSION,
    STREAM_PROPERTIES,
    VIDEO_MEDIA,
    is_asf,
    parse_bytes,
)


def stream_types(header: bytes) -> list[str]:
    """'video' / 'audio' / 'other' for each stream declared in an ASF header.

    `header` is the start of the file (the whole Header Object when it fits).  Malformed sizes end
    the walk quietly: identification must never raise.
    """
    if len(header) < 30 or not is_asf(header):
        return []
    return [s.kind for s in parse_bytes(header).streams]
