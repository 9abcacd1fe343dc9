"""Every ASF file of the shared corpus gets exactly these codes (FMT and WMV), under each policy and with --deep.

How wma is treated: the default policy refuses the WMA format (FMT001) and the validator then
reports only damage and DRM, not content, so the refusal is not said twice.  A policy that lists
"wma" among the formats but keeps `wmv.allow_audio_only = false` gets WMV002 instead; listing the
format AND allowing audio-only accepts a sound WMA file.
"""

from __future__ import annotations

import pytest

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import default_policy, policy_from_dict

DEFAULT = {
    "exiftool_ASF.wmv": ["WMV003", "WMV006", "WMV008", "WMV011"],  # WVP2, header only, 160 wide
    "filetype_fixture.asf": ["WMV003", "WMV011"],  # MS-MPEG4 v3 (MP43), 160x120
    "filetype_fixture.wmv": [],
    "mediautils_engine-start.wmav2.wma": ["FMT001"],
    "mediautils_engine-start.wmv2.wmav2.wmv": [],
    "mutagen_issue_29.wma": ["FMT001", "WMV006"],  # Data Object cut at 26650 of 675338 bytes
    "mutagen_silence-2.wma": ["FMT001"],
    "mutagen_silence-3.wma": ["FMT001"],
    "tinytag_mp3_audio.asf": ["FMT001"],
    "tinytag_multiple_values_images.wma": ["FMT001", "WMV007"],  # header grew, size says 3744
}
WMA_FORMAT = {  # "wma" listed among the formats, audio-only not allowed
    **DEFAULT,
    "mediautils_engine-start.wmav2.wma": ["WMV002"],
    "mutagen_issue_29.wma": ["WMV002", "WMV006"],
    "mutagen_silence-2.wma": ["WMV002"],
    "mutagen_silence-3.wma": ["WMV002"],
    "tinytag_mp3_audio.asf": ["WMV002", "WMV004"],
    "tinytag_multiple_values_images.wma": ["WMV002", "WMV007"],
}
AUDIO_ALLOWED = {  # "wma" listed and wmv.allow_audio_only = true
    **DEFAULT,
    "mediautils_engine-start.wmav2.wma": [],
    "mutagen_issue_29.wma": ["WMV006"],
    "mutagen_silence-2.wma": [],  # WMA Pro
    "mutagen_silence-3.wma": [],  # WMA Lossless
    "tinytag_mp3_audio.asf": ["WMV004"],  # MP3 in ASF
    "tinytag_multiple_values_images.wma": ["WMV007"],
}
DEEP = {  # default policy with --deep: ffmpeg refuses the header-only file, chokes on the cut WMA
    **DEFAULT,
    "exiftool_ASF.wmv": ["WMV003", "WMV006", "WMV008", "WMV011", "WMV013"],
    "mutagen_issue_29.wma": ["FMT001", "WMV006", "WMV013"],
}


def _policy(allow_audio: bool | None):
    if allow_audio is None:
        return default_policy()
    data = default_policy().to_dict()
    data["formats"]["allowed"] = ["docx", "doc", "jpeg", "wmv", "wma"]
    data["wmv"]["allow_audio_only"] = allow_audio
    return policy_from_dict(data, "test")


def _codes(path, pol, deep=False) -> list[str]:
    report = run_check([path], CheckOptions(pol, selection_from(pol), deep=deep))
    return sorted(f.code for f in report.findings)


def test_table_covers_every_corpus_asf_file(corpus):
    assert sorted(p.name for p in (corpus / "wmv").iterdir()) == sorted(DEFAULT)


@pytest.mark.parametrize(
    "table,allow_audio",
    [(DEFAULT, None), (WMA_FORMAT, False), (AUDIO_ALLOWED, True)],
    ids=["default", "wma-format", "audio-allowed"],
)
def test_corpus_codes(corpus, table, allow_audio):
    pol = _policy(allow_audio)
    got = {name: _codes(corpus / "wmv" / name, pol) for name in table}
    assert got == {name: sorted(codes) for name, codes in table.items()}


def test_corpus_codes_with_deep(corpus):
    pol = default_policy()
    got = {name: _codes(corpus / "wmv" / name, pol, deep=True) for name in DEEP}
    assert got == {name: sorted(codes) for name, codes in DEEP.items()}


def test_corpus_details(corpus):
    """The messages carry the numbers a liaison can act on."""
    pol = default_policy()
    by_code = {}
    for name in DEFAULT:
        for f in run_check([corpus / "wmv" / name], CheckOptions(pol, selection_from(pol))).findings:
            by_code.setdefault(f.code, []).append((name, f))
    codec = {n: dict(f.args) for n, f in by_code["WMV003"]}
    assert codec["filetype_fixture.asf"]["codec"] == "MP43" and codec["exiftool_ASF.wmv"]["codec"] == "WVP2"
    cut = {n: f.args["reason"]["en"] for n, f in by_code["WMV006"]}
    assert cut == {
        "exiftool_ASF.wmv": "the File Properties declare 414891 bytes but the file has 12379",
        "mutagen_issue_29.wma": "the Data Object declares 675338 bytes but the file holds 26650",
    }
