"""`guide check` keeps findings, not records (issue 19, P8): each guide of a workbook is built, judged and
text-scanned in turn and let go, so memory does not grow with the rows; the report is the one the
record-keeping path gives (which `guide export` still uses, for the models)."""

from __future__ import annotations

import shutil
import tracemalloc

from conftest import EXAMPLES
from factories_guide import batch, write_xlsx

from hnsubmit.checks.guides import check_guides

GUIDES = EXAMPLES / "office-guides"


def _report_lines(report) -> list:
    guides = [(g.source, g.label, g.name, g.profile, [f.sort_key() for f in g.findings]) for g in report.guides]
    files = [(r.path if hasattr(r, "path") else r, [f.sort_key() for f in r.findings]) for r in report.files]
    return [guides, files, report.failed]


def test_streamed_check_reports_what_the_record_keeping_check_reports():
    paths = [GUIDES]  # every example: YAML lists, JSON, the DOCX template, the 20-row workbook, the negatives
    kept = check_guides(paths)
    streamed = check_guides(paths, keep_guides=False)
    assert len(kept.guides) > 20 and kept.findings  # the negatives do find things
    assert _report_lines(streamed) == _report_lines(kept)
    assert all(g.guide is None for g in streamed.guides) and all(g.guide is not None for g in kept.guides)


def _peak(path) -> int:
    tracemalloc.start(1)
    try:
        report = check_guides([path], keep_guides=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.guides and not report.failed
    return peak


def test_memory_does_not_grow_with_the_rows(tmp_path):
    shutil.copytree(GUIDES / "表格", tmp_path / "表格")
    small = write_xlsx(tmp_path / "40.xlsx", batch(40))
    large = write_xlsx(tmp_path / "160.xlsx", batch(160))
    check_guides([small], keep_guides=False)  # first use: caches, compiled patterns, imports
    few, many = _peak(small), _peak(large)
    # 4× the rows: the record-keeping path peaks ~3.5× higher (every model, its locations and texts held
    # to the end); streaming keeps only the rows' cells as read and one guide at a time
    assert many < 2.0 * few, f"peak {few / 1e6:.1f} MB at 40 rows, {many / 1e6:.1f} MB at 160"
