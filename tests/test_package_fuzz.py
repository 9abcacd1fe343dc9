"""Fuzz: a package with random bytes changed, cut or inserted never crashes the check (no FMT006,
no exception) and never leaves an extracted folder behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from factories_submission import VALID_TOML, submission_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import default_policy

_BASE: dict[str, bytes] = {}


def base_package() -> bytes:
    if "zip" not in _BASE:
        from hnsubmit.checks.pack import build_package

        with tempfile.TemporaryDirectory() as tmp:
            toml = VALID_TOML.replace('[[files]]\npath = "正文.docx"\nrole = "body"\n\n', "")
            folder = submission_folder(Path(tmp) / "s", toml, files={"照片.jpg": "jpeg"})
            _BASE["zip"] = build_package(folder, Path(tmp) / "p.zip", default_policy()).path.read_bytes()
    return _BASE["zip"]


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.integers(0, 255)),
)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_packages_never_crash(tmp_path, monkeypatch, mutations):
    data = bytearray(base_package())
    for what, pos, value in mutations:
        pos %= len(data)
        if what == "flip":
            data[pos] ^= value
        elif what == "cut":
            del data[pos:]
            if not data:
                data = bytearray(b"PK")
        else:
            data.insert(pos, value)
    root = tmp_path / "t"
    root.mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    path = tmp_path / "m.zip"
    path.write_bytes(bytes(data))
    pol = default_policy()
    report = run_check([path], CheckOptions(pol, selection_from(pol)))
    assert "FMT006" not in [f.code for f in report.findings]
    assert list(root.iterdir()) == []
