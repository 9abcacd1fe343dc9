"""Make the Word 97–2003 (.doc) test fixtures under tests/data/word/ with LibreOffice.

Python cannot write .doc, so the fixtures are committed and this script records exactly how they
were made: a python-docx document from tests/factories_word.py (author and last-saved-by "张明",
company "某某信息技术有限公司", manager "李主任"), converted by LibreOffice Writer headless:

    apt-get install -y libreoffice-writer-nogui
    python scripts/make_doc_fixtures.py

LibreOffice 7.4.7 (Debian 12) writes the author and last saved by into SummaryInformation (codepage
65001, UTF-8) and the .docx's company and manager (and AppVersion) as custom properties, in the
user-defined section of DocumentSummaryInformation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "word"
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    import factories_word as fw

    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice is needed: apt-get install -y libreoffice-writer-nogui")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = fw.personal_docx(Path(tmp) / "personal.docx", custom={})
        env = dict(os.environ, HOME=tmp)  # a throw-away LibreOffice profile
        subprocess.run(
            [soffice, "--headless", "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=120, env=env,
        )
        shutil.copyfile(Path(tmp) / "personal.doc", OUT / "personal-properties.doc")
    print(f"wrote {OUT / 'personal-properties.doc'}")


if __name__ == "__main__":
    main()
