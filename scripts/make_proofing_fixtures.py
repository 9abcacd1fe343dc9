"""Make the Word 97–2003 (.doc) proofreading fixture under tests/data/proofing/ with LibreOffice.

Python cannot write .doc, so the fixture is committed and this script records how it was made: the
draft of tests/factories_proofing.py (a mistake of every PRF kind, in the body, a table, the header
and a text box), saved by python-docx and converted by LibreOffice Writer headless:

    apt-get install -y libreoffice-writer-nogui
    python scripts/make_proofing_fixtures.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "proofing"
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    import factories_proofing as fp

    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice is needed: apt-get install -y libreoffice-writer-nogui")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = fp.draft_docx(Path(tmp) / "校对样稿.docx")
        env = dict(os.environ, HOME=tmp)  # a throw-away LibreOffice profile
        subprocess.run(
            [soffice, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180, env=env,
        )
        shutil.copyfile(Path(tmp) / "校对样稿.doc", OUT / "校对样稿.doc")
    print(OUT / "校对样稿.doc")


if __name__ == "__main__":
    main()
