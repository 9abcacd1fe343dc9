"""schemathesis against the OpenAPI document the real server serves: no input may cause a 5xx.

A bounded run (a few examples per operation, positive and negative) in the default suite; raise
HNSUBMIT_FUZZ_EXAMPLES for a longer one. Each operation is called with the role that may use it,
so generated bodies reach the code behind the role gate. The server is this module's own, so
generated admin calls (disable a unit, revoke a token) cannot disturb other tests.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from exchange.harness import start_server

EXAMPLES = int(os.environ.get("HNSUBMIT_FUZZ_EXAMPLES", "8"))
OFFICE = ("/api/v1/units", "/api/v1/tokens", "/api/v1/reports", "/api/v1/submissions/{submission_id}/review")


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("fuzz") / "data")
    server.upload("unit", b"a blob the fuzzer may refer to")
    yield server
    server.stop()
    # the server logged every refused request; none of them may have been a crash
    assert "internal error" not in server.log() and "Traceback" not in server.log()


def _role(path: str) -> str:
    if path.startswith("/api/v1/units") or path.startswith("/api/v1/tokens"):
        return "admin"
    if path.startswith(OFFICE):
        return "reviewer"
    return "unit"


@pytest.mark.integration
def test_no_server_errors(fuzz_server):
    # driven by hand (not @schema.parametrize): schemathesis' lazy pytest loader breaks on pytest 9
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/api/v1/openapi.json")
    failures, calls = [], 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:
        token = fuzz_server.tokens[_role(operation.path)]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal calls
                calls += 1
                response = case.call(base_url=fuzz_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
                assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"

            try:
                run()
            except Unsatisfiable:  # no invalid input exists (e.g. GET /healthz takes none): nothing to send
                continue
            except Exception as exc:  # collect every operation's failure, not just the first
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}")
    assert failures == []
    assert calls >= len(operations) * 2
