"""What `fix` makes of Word files opens in a real word processor: LibreOffice Writer, headless.

The .doc personal-properties fix (issue 13.4) rewrites the property-set streams in place and the
macro-type fix (13.5) rewrites [Content_Types].xml; both results are converted by LibreOffice, which
must succeed and, for the .doc, carry no author any more.  Skipped, with the reason, where LibreOffice
is not installed (Debian: libreoffice-writer-nogui).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import factories_word as fw
from hnsubmit.checks.fix import FixOptions, run_fix
from hnsubmit.checks.run import CheckOptions, selection_from
from hnsubmit.policy.model import load_policy

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
LIBREOFFICE_DOC = Path(__file__).parent / "data" / "word" / "personal-properties.doc"


def _convert(path: Path, to: str, tmp_path: Path) -> Path:
    out = tmp_path / "converted"
    subprocess.run([SOFFICE, "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=120, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    return out / (path.stem + "." + to.split(":")[0])


def test_fixed_doc_and_fixed_docm_open_in_libreoffice(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(LIBREOFFICE_DOC, src / "稿件.doc")
    fw.docm_without_macros(src / "通知.docm")
    pol = load_policy()
    actions = run_fix([src], FixOptions(CheckOptions(pol, selection_from(pol)), outdir=tmp_path / "fixed"))
    outputs = sorted(Path(a.output).name for a in actions)
    assert outputs == ["稿件.doc", "通知.docx"]
    doc = _convert(tmp_path / "fixed" / "稿件.doc", "docx", tmp_path)
    with zipfile.ZipFile(doc) as z:
        core = z.read("docProps/core.xml").decode()
    assert "张明" not in core and "<dc:creator>" not in core.replace("<dc:creator></dc:creator>", "")
    assert _convert(tmp_path / "fixed" / "通知.docx", "pdf", tmp_path).stat().st_size > 1000
