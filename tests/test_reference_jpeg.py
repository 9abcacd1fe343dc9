"""hnsubmit and libjpeg's djpeg agree on which tool-made JPEGs have damaged data (issue 13.2, 13.3).

djpeg is the reference decoder (Debian libjpeg-turbo-progs): it prints "Corrupt JPEG data: …" for what
Pillow decodes in silence.  Skipped, with the reason, where djpeg is not installed; scripts/differential.py
makes the same comparison over whole folders.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import factories_jpeg as fj
from hnsubmit.checks.run import CheckOptions, check_entry, selection_from
from hnsubmit.checks.walk import Entry
from hnsubmit.policy.model import load_policy

DJPEG = shutil.which("djpeg")
pytestmark = pytest.mark.skipif(DJPEG is None, reason="djpeg not installed (apt-get install libjpeg-turbo-progs)")


def _djpeg(path: Path) -> str:
    return subprocess.run([DJPEG, "-outfile", "/dev/null", str(path)], capture_output=True, text=True, timeout=60).stderr


def test_djpeg_and_hnsubmit_name_the_same_damaged_files(tmp_path):
    made = {
        "clean": fj.clean_photo(tmp_path / "clean.jpg"),
        "restart rows": fj.write(tmp_path / "rows.jpg", fj.jpeg_bytes(fj.scene((640, 427), 2), restart_marker_rows=1)),
        "restart blocks": fj.write(tmp_path / "blocks.jpg", fj.jpeg_bytes(fj.scene((333, 251), 4), restart_marker_blocks=7)),
        "lost restart marker": fj.damaged_scan_photo(tmp_path / "lost.jpg"),
        "0xFF 0x41 in the scan": fj.damaged_scan_photo(tmp_path / "ff41.jpg", marker_byte=0x41),
        "overwritten interval": fj.damaged_interval_photo(tmp_path / "interval.jpg"),
        "junk with FF 00": fj.stray_bytes_photo(tmp_path / "junk.jpg", junk=b"ab\xff\x00"),
    }
    pol = load_policy()
    ours, theirs = {}, {}
    for name, path in made.items():
        result = check_entry(Entry(path, str(path)), CheckOptions(pol, selection_from(pol)))
        ours[name] = sorted(f.code for f in result.findings if f.code in ("JPG013", "JPG016"))
        theirs[name] = "Corrupt JPEG data" in _djpeg(path)
    assert theirs == {name: name not in ("clean", "restart rows", "restart blocks") for name in made}
    assert ours == {
        "clean": [], "restart rows": [], "restart blocks": [],
        "lost restart marker": ["JPG016"], "0xFF 0x41 in the scan": ["JPG016"], "overwritten interval": ["JPG016"],
        "junk with FF 00": ["JPG013"],
    }
    assert "4 extraneous bytes before marker 0xdb" in _djpeg(made["junk with FF 00"])
