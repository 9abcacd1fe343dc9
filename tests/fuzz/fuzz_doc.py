"""Fuzz target: a Word 97–2003 .doc through `hnsubmit check` (OLE container, FIB, piece table, text)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    check_bytes(data, folder, "稿件.doc")


TARGET = Target(
    "doc", run, seeds=("corpus:doc/*",), max_len=128 * 1024, instrument=("hnsubmit", "olefile"),
)

if __name__ == "__main__":
    main(TARGET)
