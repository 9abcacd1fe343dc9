"""Test isolation: a private HOME and platform directories, no HNSUBMIT_* from the developer's shell,
and paths to the examples and the shared third-party corpus."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
CORPUS = Path(os.environ.get("HNSUBMIT_CORPUS", REPO.parent / "shared" / "corpus"))
# The corpus is third-party sample files (Apache POI, oletools, exiftool…, listed in its SOURCES.md)
# kept outside the repository; CI places shared/ beside the clone.  Without it, the tests that read
# it skip, all under this one reason (pytest -ra groups them into one line).
CORPUS_ABSENT = (f"third-party corpus absent at {CORPUS} (set HNSUBMIT_CORPUS or place shared/corpus beside "
                 "the clone, as CI does)")


@contextlib.contextmanager
def ctrl_c_as_at_a_terminal():
    """Children started inside this block get Ctrl-C as at a terminal: SIGINT handled, neither ignored nor
    blocked, whatever this test process was left with. A process started with SIGINT ignored keeps it
    ignored (POSIX; hnsubmit respects it, cli/interrupt.py), and during the full suite the xdist workers
    were seen with SIGINT ignored, so the tests that send Ctrl-C to a real hnsubmit set it here."""
    import signal

    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if signal.SIGINT in blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGINT])


def corpus_present() -> bool:
    return (CORPUS / "SOURCES.md").exists()


def require_corpus() -> Path:
    """The corpus folder, or skip the calling test with the one reason line."""
    if not corpus_present():
        pytest.skip(CORPUS_ABSENT)
    return CORPUS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every corpus skip at one place, so `-ra` folds them into one line."""
    outcome = yield
    report = outcome.get_result()
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and str(longrepr[2]).endswith(CORPUS_ABSENT):
        report.longrepr = ("tests/conftest.py", 1, longrepr[2])

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/factories.py


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for var in list(os.environ):
        if var.startswith("HNSUBMIT_") and var != "HNSUBMIT_CORPUS":
            monkeypatch.delenv(var, raising=False)
    # CI runs the suite with CI=true; tests that exercise CI behaviour set it themselves.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    # a test backend, never the developer's own keyring
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring_memory.MemoryKeyring")
    from hnsubmit.i18n import set_lang

    set_lang("zh")
    yield home


@pytest.fixture(scope="session")
def corpus() -> Path:
    return require_corpus()


@pytest.fixture
def cli():
    """Run the real command line in-process; returns (exit_code, stdout, stderr)."""
    from click.testing import CliRunner

    from hnsubmit.cli.app import app
    def run(*args: str, input: str | None = None, env: dict | None = None):
        runner = CliRunner()
        result = runner.invoke(_Wrapped(app), [str(a) for a in args], input=input, env=env, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


class _Wrapped:
    """Lets CliRunner drive the app through the real error boundary."""

    name = "hnsubmit"

    def __init__(self, app):
        self.app = app

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        from hnsubmit.cli.boundary import run

        raise SystemExit(run(self.app, list(args or [])))


@pytest.fixture(scope="session")
def exchange_server(tmp_path_factory):
    """The real exchange server (`hnsubmit serve`) on 127.0.0.1:0 in a subprocess, seeded, with
    tokens in `.tokens` for admin, reviewer, unit (632521) and unit_b (632522); see tests/exchange/harness.py."""
    from exchange.harness import start_server

    server = start_server(tmp_path_factory.mktemp("exchange") / "data")
    yield server
    server.stop()
    assert "Traceback" not in server.log(), "the exchange server crashed on a request: see its log"


# -- the province engines (issue 17): PostgreSQL and an S3 server, started once per test process ----------
@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL cluster on 127.0.0.1 (tests/exchange/engines.py), or a skip with the one reason."""
    from exchange.engines import skip_reason, start_postgres

    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    pg = start_postgres()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1, or a skip with the one reason."""
    from exchange.engines import skip_reason, start_s3

    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    s3 = start_s3()
    yield s3
    s3.stop()
