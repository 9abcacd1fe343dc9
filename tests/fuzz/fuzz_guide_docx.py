"""Fuzz target: an office guide in the Word template, through the guide reader (`hnsubmit guide check`'s path; zip-aware)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_guide_yaml import analyse_bytes  # noqa: E402
from harness import Target, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    name = "指南.docx"
    (folder / name).write_bytes(data)
    analyse_bytes(folder, name, "docx")


def template(into: Path) -> None:
    from hnsubmit.guide.api import blank_template

    blank_template("docx", into / "template.docx")


TARGET = Target(
    "guide_docx", run, seeds=("examples:office-guides/*.docx",), max_len=256 * 1024, zip_aware=True,
    generated=template,
)

if __name__ == "__main__":
    main(TARGET)
