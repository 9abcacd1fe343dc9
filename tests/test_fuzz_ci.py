"""The bounded fuzz run of CI (issue 7 item 4): every target for a few seconds, every kept crash
input replayed, and the structured inputs (guides, submission.toml, packages) through hypothesis.

A target runs as its own process (tests/fuzz/fuzz_<target>.py) under the harness's limits: no
exception, no FMT006, nothing left in the temporary folder, every report format writable, under
5 s an input, RSS bounded.  Where atheris cannot be installed the same harness runs on hypothesis
and this test says so in a warning; it never passes without fuzzing.  The long run is
`make fuzz` (docs/fuzzing.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, corpus_present, require_corpus

FUZZ = REPO / "tests" / "fuzz"
sys.path.insert(0, str(FUZZ))

import harness  # noqa: E402
import strategies  # noqa: E402

TARGETS = ["jpeg", "docx", "doc", "asf", "guide_yaml", "guide_xlsx", "guide_docx", "package", "submission"]
SECONDS = int(os.environ.get("HNSUBMIT_FUZZ_SECONDS", "4"))  # per target; about a minute in all with start-up


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, errors="replace",
                          timeout=timeout, env=env, cwd=REPO)


def _tail(text: str, lines: int = 60) -> str:
    kept = [ln for ln in text.splitlines() if not ln.startswith("INFO: Instrumenting")]
    return "\n".join(kept[-lines:])


def test_every_target_has_a_harness_and_every_family_is_covered():
    assert sorted(p.stem[5:] for p in FUZZ.glob("fuzz_*.py")) == sorted(TARGETS)
    for target in TARGETS:
        t = _target(target).TARGET
        assert harness.seed_files(t) or t.generated or (_corpus_only(t) and not corpus_present()), target


def _corpus_only(target) -> bool:
    """Seeded from the third-party corpus alone, so it has no seeds on a clone without it."""
    return all(seed.startswith("corpus:") for seed in target.seeds)


def _target(name: str):
    import importlib

    return importlib.import_module(f"fuzz_{name}")


@pytest.mark.parametrize("target", TARGETS)
def test_bounded_fuzz_run_finds_nothing(target, tmp_path):
    if _corpus_only(_target(target).TARGET) and not _target(target).TARGET.generated:
        require_corpus()
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    t0 = time.monotonic()
    proc = _run([str(FUZZ / f"fuzz_{target}.py"), f"-max_total_time={SECONDS}", "-seed=20261120",
                 f"-artifact_prefix={artifacts}/", "-print_final_stats=1"], timeout=SECONDS + 90)
    elapsed = time.monotonic() - t0
    kept = sorted(artifacts.iterdir())
    assert proc.returncode == 0 and not kept, (
        f"fuzz_{target} found a bug (exit {proc.returncode}); input kept at {kept}: copy it to "
        f"tests/fuzz/regressions/{target}/ and fix the parser.\n{_tail(proc.stderr)}"
    )
    engine = re.search(r"^ENGINE: (\w+)", proc.stderr, re.M)
    runs = re.search(r"^Done (\d+) runs in (\d+) second", proc.stderr, re.M)
    assert engine and runs, _tail(proc.stderr)
    if engine.group(1) != "atheris":
        warnings.warn(f"fuzz_{target}: atheris is not installed here, ran the hypothesis engine instead "
                      f"({runs.group(1)} inputs)", stacklevel=1)
    assert int(runs.group(1)) >= 10, f"fuzz_{target} ran only {runs.group(1)} inputs:\n{_tail(proc.stderr)}"
    assert elapsed < SECONDS + 60


def test_the_hypothesis_engine_runs_the_same_harness(tmp_path):
    """The fallback for machines without atheris is exercised here too, so it cannot rot."""
    proc = _run([str(FUZZ / "fuzz_submission.py"), "--engine=hypothesis", "-max_total_time=2", "-seed=7",
                 f"-artifact_prefix={tmp_path}/"], timeout=90)
    assert proc.returncode == 0 and not list(tmp_path.glob("crash-*")), _tail(proc.stderr)
    runs = re.search(r"^Done (\d+) runs", proc.stderr, re.M)
    assert runs and int(runs.group(1)) >= 10, _tail(proc.stderr)


REGRESSIONS = sorted(p for p in harness.REGRESSIONS.glob("*/*") if p.is_file())


def test_regression_inputs_are_small_and_filed_under_a_target():
    for p in REGRESSIONS:
        assert p.parent.name in TARGETS, p
        assert p.stat().st_size <= 64 * 1024, f"{p} is {p.stat().st_size} bytes: minimise it (-minimize_crash=1)"


@pytest.mark.parametrize("target", sorted({p.parent.name for p in REGRESSIONS}))
def test_regression_inputs_replay_clean(target):
    files = [p for p in REGRESSIONS if p.parent.name == target]
    proc = _run([str(FUZZ / f"fuzz_{target}.py"), "--replay", *map(str, files)], timeout=30 + 10 * len(files))
    assert proc.returncode == 0, _tail(proc.stderr)
    assert f"replayed {len(files)} input(s), 0 failed" in proc.stderr


# -- structured inputs through hypothesis -------------------------------------------------------


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    import tempfile

    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _checked(tmp_path: Path, private_tmp: Path, name: str, data: bytes, companions: dict | None = None):
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    for n, src in (companions or {}).items():
        shutil.copyfile(src, folder / n)
    t0 = time.perf_counter()
    result = harness.check_bytes(data, folder, name)
    elapsed = time.perf_counter() - t0
    shutil.rmtree(folder)
    assert elapsed < harness.TIME_LIMIT, f"{name} took {elapsed:.1f} s"
    assert list(private_tmp.iterdir()) == []
    return result


EXAMPLES = int(os.environ.get("HNSUBMIT_FUZZ_EXAMPLES", "25"))  # `make fuzz` raises it
STRUCTURED = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@STRUCTURED
@given(guide=strategies.guide_files())
def test_structured_office_guides(tmp_path, private_tmp, guide):
    name, data = guide
    result = _checked(tmp_path, private_tmp, name, data)
    assert result.kind in ("office-guide", "text")


@STRUCTURED
@given(data=strategies.submission_files())
def test_structured_submissions(tmp_path, private_tmp, data):
    import fuzz_submission

    result = _checked(tmp_path, private_tmp, "submission.toml", data, fuzz_submission.COMPANIONS)
    assert result.kind in ("submission", "empty")


@pytest.fixture(scope="module")
def good_package(tmp_path_factory) -> bytes:
    return strategies.good_package_bytes(tmp_path_factory.mktemp("good"))


@STRUCTURED
@given(data=st.data())
def test_structured_packages(tmp_path, private_tmp, good_package, data):
    package = data.draw(strategies.package_files(good_package))
    result = _checked(tmp_path, private_tmp, "报送包.zip", package)
    assert result.kind == "zip"
