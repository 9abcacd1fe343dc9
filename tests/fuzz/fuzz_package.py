"""Fuzz target: a BagIt submission package (ZIP) through `hnsubmit check` — names, sizes, extraction,
bag validation, submission.toml and the payload checks.  Zip-aware, and the mutator recomputes the
manifest and Payload-Oxum most of the time, so mutated payloads get past the checksums."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import EXAMPLES, Target, check_bytes, main  # noqa: E402


def run(data: bytes, folder: Path) -> None:
    check_bytes(data, folder, "报送包.zip")


def good_package(into: Path) -> None:
    import tempfile

    from hnsubmit.checks.pack import build_package
    from hnsubmit.policy.model import default_policy

    with tempfile.TemporaryDirectory() as tmp:
        build_package(EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议", Path(tmp) / "p.zip", default_policy())
        (into / "good.zip").write_bytes((Path(tmp) / "p.zip").read_bytes())


TARGET = Target(
    "package", run, seeds=("examples:negative/package/*.zip",), max_len=512 * 1024, zip_aware=True,
    generated=good_package, instrument=("hnsubmit", "bagit"),
)

if __name__ == "__main__":
    main(TARGET)
