"""What `check` of one file loads before it answers (issue 19 P1): only what that file needs.

Start-up is most of `hnsubmit check one.jpg` in a CI hook, so these guard the lazy parts by what
a fresh process has imported or read, not by time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from factories import make_jpeg
from hnsubmit.checks.formats import asf_header
from hnsubmit.policy.model import BUILTIN_TERM_LISTS, default_policy


def _run_check(tmp_path: Path, probe: str, *args: str) -> subprocess.CompletedProcess:
    """`hnsubmit check` in a fresh process; `probe` runs after it and prints what to assert on."""
    script = textwrap.dedent(f"""
        import sys
        from hnsubmit.cli.app import main
        try:
            main({list(args)!r})
        except SystemExit as exc:
            code = exc.code
        {probe}
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HNSUBMIT_LANG": "en"})


def test_checking_a_jpeg_reads_only_the_jpeg_rule_catalog(tmp_path):
    make_jpeg(tmp_path / "small.jpg", (64, 48))
    probe = ("from hnsubmit.rules.registry import family_rules, all_rules\n"
             "        print(all_rules.cache_info().currsize, family_rules.cache_info().currsize)")
    out = _run_check(tmp_path, probe, "check", "small.jpg", "-q", "--format", "json", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    all_cached, families_read = map(int, out.stdout.strip().splitlines()[-1].split())
    assert all_cached == 0, "every catalog was parsed for one JPEG finding"
    assert families_read == 1, f"{families_read} family catalogs read for one JPEG finding"


def test_checking_a_jpeg_does_not_build_the_proofreader(tmp_path):
    make_jpeg(tmp_path / "small.jpg", (64, 48))
    probe = "print('hnsubmit.checks.proofing.engine' in sys.modules)"
    out = _run_check(tmp_path, probe, "check", "small.jpg", "-q", "--format", "json", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_a_bad_term_list_still_fails_before_any_file_is_checked(tmp_path):
    make_jpeg(tmp_path / "small.jpg", (64, 48))
    (tmp_path / "policy.toml").write_text('[proofing]\nterms = ["builtin:words", "nowhere.csv"]\n', encoding="utf-8")
    out = _run_check(tmp_path, "print('exit', code)", "check", "small.jpg", "-q", "--policy", "policy.toml")
    assert "exit 3" in out.stdout, out.stdout + out.stderr
    assert "nowhere.csv" in out.stdout + out.stderr


@pytest.mark.parametrize("terms,leaders,reads", [
    (list(BUILTIN_TERM_LISTS), "", False),
    (["builtin:words"], "", False),
    (["builtin:nope"], "", True),  # an unknown built-in name is reported at once, as a file would be
    (["builtin:words", "mine.csv"], "", True),
    (list(BUILTIN_TERM_LISTS), "leaders.csv", True),
])
def test_which_lists_are_read_before_checking(terms, leaders, reads):
    section = default_policy().proofing.model_copy(update={"terms": terms, "leaders": leaders})
    assert section.reads_files is reads


def test_the_built_in_list_names_are_the_packaged_lists():
    from hnsubmit.checks.proofing.lists import BUILTIN_LISTS, BUILTIN_PREFIX

    assert BUILTIN_TERM_LISTS == tuple(BUILTIN_PREFIX + name for name in BUILTIN_LISTS)


@pytest.mark.parametrize("text", ["75B22630-668E-11CF-A6D9-00AA0062CE6C", "43058533-6981-49E6-9B74-AD12CB86D58C",
                                  "00000000-0000-0000-0000-000000000001", "FFEEDDCC-BBAA-9988-7766-554433221100"])
def test_asf_guids_are_the_little_endian_uuids(text):
    assert asf_header._guid(text) == uuid.UUID(text).bytes_le
    assert asf_header.HEADER == uuid.UUID("75B22630-668E-11CF-A6D9-00AA0062CE6C").bytes_le


def _run_entry(tmp_path: Path, probe: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The console script's own entry (hnsubmit.cli.entry.main) in a fresh process, then `probe`."""
    script = textwrap.dedent(f"""
        import sys
        sys.argv = ["hnsubmit", *{list(args)!r}]
        from hnsubmit.cli.entry import main
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        {probe}
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HNSUBMIT_LANG": "en", **(env or {})})


def test_the_command_line_does_not_scan_every_distribution_for_pydantic_plugins(tmp_path):
    make_jpeg(tmp_path / "small.jpg", (64, 48))
    probe = "import pydantic.plugin._loader as loader; print(code, loader._plugins is None)"
    out = _run_entry(tmp_path, probe, "check", "small.jpg", "-q", "--format", "json", "--jobs", "1")
    assert out.stdout.strip().splitlines()[-1] == "0 True", out.stdout + out.stderr
    # a user's explicit setting is kept: plugins looked for, none found
    out = _run_entry(tmp_path, probe, "check", "small.jpg", "-q", "--format", "json", "--jobs", "1",
                     env={"PYDANTIC_DISABLE_PLUGINS": "someone"})
    assert out.stdout.strip().splitlines()[-1] == "0 False", out.stdout + out.stderr
