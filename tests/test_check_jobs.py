"""`check --jobs N` (issue 19): the files are checked by N processes and the report is the one a single
process gives, byte for byte and in the same order, in every output format."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import hnsubmit.checks.run as run
from hnsubmit.checks.run import CheckOptions, default_jobs, run_check, selection_from
from hnsubmit.policy.model import default_policy

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = pytest.mark.skipif(run._pool_context() is None, reason="no fork here: --jobs checks in one process")


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "gitlab"])
def test_jobs_2_report_is_identical_to_jobs_1_over_the_examples(cli, fmt):
    one = cli("check", EXAMPLES, "--jobs", "1", "-f", fmt, "-q")
    two = cli("check", EXAMPLES, "--jobs", "2", "-f", fmt, "-q")
    assert one[0] == two[0] == 1  # the negative examples fail
    assert one[1].count("FMT") > 10  # a real report, not two empty ones
    assert two[1] == one[1]


def test_jobs_2_text_report_is_identical_too(cli):
    one = cli("check", EXAMPLES, "-j", "1", "-q")
    two = cli("check", EXAMPLES, "-j", "2", "-q")
    assert (two[0], two[1]) == (one[0], one[1])


def test_the_files_are_really_checked_in_other_processes(tmp_path, monkeypatch):
    # the workers are forked, so they run this wrapper too: each checked file leaves its checker's pid
    marks = tmp_path / "pids"
    marks.mkdir()
    real = run.check_entry

    def recording(entry, options):
        (marks / f"{os.getpid()}-{abs(hash(entry.display))}").touch()
        return real(entry, options)

    monkeypatch.setattr(run, "check_entry", recording)
    pol = default_policy()
    options = CheckOptions(pol, selection_from(pol))
    seen: list[tuple[int, int]] = []
    report = run_check([EXAMPLES / "negative"], options, lambda done, total, _: seen.append((done, total)), jobs=2)
    by_pid: dict[int, int] = {}
    for p in marks.iterdir():
        by_pid[int(p.name.split("-")[0])] = by_pid.get(int(p.name.split("-")[0]), 0) + 1
    here = by_pid.pop(os.getpid(), 0)
    assert len(by_pid) == 2 and min(by_pid.values()) > 4, by_pid  # two workers, both really used
    # this process checks only the first file of each extension (≤ 8), so the workers start warm
    suffixes = {p.suffix.lower() for p in (EXAMPLES / "negative").rglob("*") if p.is_file()}
    assert 1 <= here <= min(8, len(suffixes)) + 20  # (+ what those files hold: nested checks)
    total = len(report.files)
    assert len(list(marks.iterdir())) >= total > 4  # nested checks (a package's payload) count too
    # progress still moves forward and ends at total/total
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert all(t == total for _, t in seen)


def test_default_jobs_is_the_cores_at_most_4(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(16)), raising=False)
    assert default_jobs() == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert default_jobs() == 2
