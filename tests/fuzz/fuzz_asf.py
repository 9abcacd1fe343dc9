"""Fuzz target: an ASF/WMV file through `hnsubmit check` (header objects, stream properties, data and index objects)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    check_bytes(data, folder, "视频.wmv")


TARGET = Target(
    "asf", run, seeds=("corpus:wmv/*", "examples:**/*.wmv", "examples:**/*.wma"), max_len=160 * 1024,
    max_seed_bytes=160 * 1024,
)

if __name__ == "__main__":
    main(TARGET)
