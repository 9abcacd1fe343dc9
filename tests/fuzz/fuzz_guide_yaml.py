"""Fuzz target: an office guide in YAML/JSON, through `hnsubmit check` and the guide reader itself
(a mutation that loses the guide markers is no longer identified as a guide, but still reaches the reader)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Target, check_bytes, main, options, render_all  # noqa: E402


def analyse_bytes(folder: Path, name: str, kind: str) -> None:
    from hnsubmit.checks.run import file_checker
    from hnsubmit.guide.api import analyse
    from hnsubmit.rules.findings import FileResult

    opts = options()
    analysis = analyse(folder / name, name, None, opts.policy, kind=kind, check_file=file_checker(opts))
    render_all([FileResult(name, "office-guide", 1, tuple(analysis.all_findings()))])


def run(data: bytes, folder: Path) -> None:
    with_forms(folder)
    name = "指南.yaml"
    if check_bytes(data, folder, name).kind != "office-guide":
        analyse_bytes(folder, name, "yaml")


def with_forms(folder: Path) -> None:
    """The blank forms the example guides name (a link to examples/office-guides/表格), so the form
    checks open real Word and PDF files instead of stopping at "missing"."""
    from harness import EXAMPLES

    (folder / "表格").symlink_to(EXAMPLES / "office-guides" / "表格", target_is_directory=True)


TARGET = Target(
    "guide_yaml", run,
    seeds=("examples:office-guides/**/*.yaml", "examples:office-guides/**/*.json", "examples:submissions/**/*.yaml"),
    max_len=64 * 1024, instrument=("hnsubmit", "yaml"),
)

if __name__ == "__main__":
    main(TARGET)
