"""Fuzz target: an Excel batch of office guides, through `hnsubmit check` and the workbook reader itself (zip-aware)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_guide_yaml import analyse_bytes, with_forms  # noqa: E402
from harness import Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    with_forms(folder)
    name = "指南批量报送.xlsx"
    if check_bytes(data, folder, name).kind != "office-guide":
        analyse_bytes(folder, name, "xlsx")


def template(into: Path) -> None:
    from hnsubmit.guide.api import blank_template

    blank_template("xlsx", into / "template.xlsx")


TARGET = Target(
    "guide_xlsx", run, seeds=("examples:office-guides/**/*.xlsx",), max_len=256 * 1024, zip_aware=True,
    generated=template,
)

if __name__ == "__main__":
    main(TARGET)
