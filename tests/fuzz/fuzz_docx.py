"""Fuzz target: a .docx through `hnsubmit check` (ZIP container, OOXML parts, relationships, text scan).

Zip-aware: half of the mutations change one member and write the archive again, so the XML parts
are reached with valid CRCs instead of stopping at the container check."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    check_bytes(data, folder, "稿件.docx")


TARGET = Target(
    "docx", run, seeds=("corpus:docx/*", "examples:**/*.docx"), max_len=512 * 1024, zip_aware=True,
)

if __name__ == "__main__":
    main(TARGET)
