"""Fuzz target: submission.toml through `hnsubmit check` (TOML, fields, files it lists), beside real files it may name."""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import EXAMPLES, Target, check_bytes, main, options, render_all  # noqa: E402

COMPANIONS = {
    "照片.jpg": EXAMPLES / "positive/jpeg/标准照片.jpg",
    "会场照片1.jpg": EXAMPLES / "positive/jpeg/标准照片.jpg",
    "正文.docx": EXAMPLES / "positive/word/图文报道.docx",
}


def run(data: bytes, folder: Path) -> None:
    for name, src in COMPANIONS.items():
        shutil.copyfile(src, folder / name)
    if check_bytes(data, folder, "submission.toml").kind != "submission":
        from hnsubmit.rules.findings import FileResult
        from hnsubmit.submission.load import load_submission

        _, found = load_submission(folder, display="submission.toml", policy=options().policy)
        render_all([FileResult("submission.toml", "submission", len(data), tuple(found))])


TARGET = Target(
    "submission", run, seeds=("examples:**/submission.toml",), max_len=16 * 1024, instrument=("hnsubmit", "tomllib"),
)

if __name__ == "__main__":
    main(TARGET)
