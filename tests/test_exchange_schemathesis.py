"""schemathesis against the OpenAPI document the real server serves: no input may cause a 5xx.

A bounded run (a few examples per operation, positive and negative) in the default suite; raise
HNSUBMIT_FUZZ_EXAMPLES for a longer one. Each operation is called with the role that may use it,
so generated bodies reach the code behind the role gate. The server is this module's own, so
generated admin calls (disable a unit, revoke a token) cannot disturb other tests.
"""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from exchange.harness import start_server

EXAMPLES = int(os.environ.get("HNSUBMIT_FUZZ_EXAMPLES", "8"))
STATEFUL = int(os.environ.get("HNSUBMIT_STATEFUL_SCENARIOS", "25"))
OFFICE = ("/api/v1/units", "/api/v1/tokens", "/api/v1/reports", "/api/v1/submissions/{submission_id}/review")


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("fuzz") / "data")
    server.upload("unit", b"a blob the fuzzer may refer to")
    with server.client("admin") as c:  # the unit's approver (issue 15 §2) calls the approval operation
        r = c.post("/api/v1/tokens", json={"role": "approver", "unit": "632521", "name": "王五"})
        assert r.status_code == 201, r.text
        server.tokens["approver"] = r.json()["token"]
    yield server
    server.stop()
    # the server logged every refused request; none of them may have been a crash
    assert "internal error" not in server.log() and "Traceback" not in server.log()


def _role(path: str) -> str:
    if path.endswith("/approval"):
        return "approver"
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


def _mode(case, location):
    """How schemathesis generated one part of a case (positive or negative), None if it did not say."""
    meta = getattr(case, "meta", None)
    info = meta.components.get(location) if meta is not None else None
    return info.mode if info is not None else None


def _walk(server, scenarios: int, steps: int, budget: float) -> tuple[Counter, list[str], int]:
    """schemathesis' state machine over the OpenAPI links: (method, path, status) → calls, failures, scenarios.

    Failures are collected, not raised: against a live server a replayed scenario can find other objects
    (the upload it created is now "complete"), which Hypothesis reports as a flaky strategy; schemathesis'
    own runner counts such a run as done (engine/run/stateful), and so do we, then walks on.
    """
    from hypothesis.errors import FlakyStrategyDefinition
    from schemathesis.checks import positive_data_acceptance
    from schemathesis.core.failures import FailureGroup
    from schemathesis.core.parameters import ParameterLocation

    # token revocation, rotation and unit disabling would take the walker's own credentials away mid-walk;
    # test_no_server_errors and the isolation matrix cover them
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json").exclude(
        path_regex=r"^/api/v1/(tokens|units/\{code\}/disable)")
    machine = schema.as_state_machine()
    calls: Counter = Counter()
    failures: list[str] = []
    done = [0]
    # random manifests never name uploaded blobs, so every other submit posts a valid one: then the walk
    # gets receipts and follows their links (read, review, withdraw)
    # (made before the walk: the walk itself may use up the unit's 32 open upload sessions)
    pool = [server.manifest("unit", f"walk {n} {time.monotonic_ns()}".encode(), title=f"状态机报送 {n}")
            for n in range(min(200, scenarios * 2))]
    valid = iter(range(1_000_000))

    class Walk(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            # a case whose headers were made invalid on purpose (e.g. no Authorization) is sent as made
            if _mode(case, ParameterLocation.HEADER) == GenerationMode.NEGATIVE:
                return {"base_url": server.url, "timeout": 30}
            token = server.tokens[_role(case.path)]
            return {"base_url": server.url, "headers": {"Authorization": f"Bearer {token}"}, "timeout": 30}

        def before_call(self, case):
            super().before_call(case)
            if (case.method.upper() == "POST" and case.path == "/api/v1/submissions" and next(valid) % 2 == 0
                    and all(_mode(case, loc) != GenerationMode.NEGATIVE for loc in ParameterLocation) and pool):
                case.body = pool.pop()
                case.headers = {**(case.headers or {}), "Idempotency-Key": f"walk-{time.monotonic_ns()}-{next(valid)}"}

        def after_call(self, response, case):
            super().after_call(response, case)
            calls[(case.method.upper(), case.path, response.status_code)] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # every built-in check (server errors, status codes, content types, schemas, headers, negative
            # data rejected, use after free, resources available) but "schema-valid data is accepted": a
            # 422 for an unknown column or a blob not uploaded yet is the protocol's business-rule answer
            try:
                case.validate_response(response, excluded_checks=[positive_data_acceptance],
                                       transport_kwargs=kwargs or None, recorder=self.recorder)
            except Exception as exc:  # noqa: BLE001 - every failure is reported at the end
                failures.append(f"{case.method.upper()} {case.formatted_path} -> {response.status_code}: {exc}"[:1500])

        def step(self, input):
            try:
                return super().step(input)
            except FailureGroup as exc:  # a check that schemathesis runs outside validate_response
                failures.append(f"{input.case.method.upper()} {input.case.formatted_path}: {exc}"[:1500])
                return None

        def teardown(self):
            done[0] += 1
            try:  # checks over the whole scenario (use after free, resources still available) report here
                super().teardown()
            except Exception as exc:  # noqa: BLE001
                failures.append(f"scenario: {exc}"[:1500])

    deadline = time.monotonic() + budget
    for _run in range(50):
        if done[0] >= scenarios or time.monotonic() > deadline:
            break
        try:
            Walk.run(settings=settings(max_examples=scenarios - done[0], stateful_step_count=steps, deadline=None,
                                       database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
        except FlakyStrategyDefinition:
            continue
    return calls, failures, done[0]


# calls that only a followed link can make succeed: they need an id an earlier answer handed out
LINKED = {("PATCH", "/api/v1/uploads/{upload_id}", 204), ("HEAD", "/api/v1/uploads/{upload_id}", 200),
          ("GET", "/api/v1/uploads/{upload_id}", 200), ("DELETE", "/api/v1/uploads/{upload_id}", 204),
          ("GET", "/api/v1/submissions/{submission_id}", 200)}


def _stateful(server, scenarios: int, steps: int, budget: float) -> None:
    calls, failures, done = _walk(server, scenarios, steps, budget)
    print(f"stateful walk: {done} scenarios, {sum(calls.values())} calls, linked successes "
          f"{sorted((k, calls[k]) for k in LINKED if calls[k])}")
    assert failures == [], "\n\n".join(failures[:5])
    assert done >= min(scenarios, 10) and sum(calls.values()) >= 2 * done
    assert sum(1 for k in LINKED if calls[k]) >= 2, sorted(calls.items())  # the walk did follow links
    assert not any(status >= 500 for _m, _p, status in calls)


@pytest.mark.integration
def test_stateful_walk_over_the_openapi_links(fuzz_server):
    _stateful(fuzz_server, scenarios=STATEFUL, steps=8, budget=40)


@pytest.mark.integration
@pytest.mark.slow
def test_long_stateful_walk_over_the_openapi_links(fuzz_server):
    _stateful(fuzz_server, scenarios=300, steps=15, budget=600)


@pytest.mark.integration
def test_the_served_document_links_the_protocol_flows(fuzz_server):
    import httpx

    spec = httpx.get(f"{fuzz_server.url}/api/v1/openapi.json").json()
    ops = {op["operationId"]: (m.upper(), p, op) for p, o in spec["paths"].items() for m, op in o.items()}
    links = {(ops_m_p[0], ops_m_p[1], status, name, link["operationId"])
             for ops_m_p in ops.values() for status, r in ops_m_p[2]["responses"].items()
             for name, link in r.get("links", {}).items()}
    by_pair = {(m, p, ops[target][0], ops[target][1]) for m, p, _s, _n, target in links}
    for pair in [("POST", "/api/v1/uploads", "PATCH", "/api/v1/uploads/{upload_id}"),
                 ("POST", "/api/v1/uploads", "HEAD", "/api/v1/uploads/{upload_id}"),
                 ("POST", "/api/v1/uploads", "PUT", "/api/v1/uploads/{upload_id}"),
                 ("PATCH", "/api/v1/uploads/{upload_id}", "PATCH", "/api/v1/uploads/{upload_id}"),
                 ("PUT", "/api/v1/uploads/{upload_id}", "GET", "/api/v1/blobs/{digest}"),
                 ("POST", "/api/v1/submissions", "GET", "/api/v1/submissions/{submission_id}"),
                 ("POST", "/api/v1/submissions", "POST", "/api/v1/submissions/{submission_id}/withdraw")]:
        assert pair in by_pair, pair


@pytest.mark.integration
def test_a_body_that_is_not_utf8_is_invalid_request_not_an_undocumented_400(fuzz_server):
    """Found by the stateful walk: bytes that are not UTF-8 made FastAPI answer 400 "There was an error
    parsing the body" (undocumented, English only); the protocol says 422 invalid_request (§1)."""
    for who, path in (("unit", "/api/v1/uploads"), ("unit", "/api/v1/blobs/missing"), ("admin", "/api/v1/units"),
                      ("admin", "/api/v1/tokens"), ("reviewer", "/api/v1/submissions/HN-20000101-ZZZZZZ/review")):
        with fuzz_server.client(who) as c:
            r = c.post(path, content=b"\xff?", headers={"Content-Type": "application/json"})
        assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_request"), (path, r.text)
        assert r.json()["error"]["message"]["zh"] and r.json()["error"]["message"]["en"]


@pytest.mark.integration
def test_head_of_an_upload_documents_no_body(fuzz_server):
    import httpx

    spec = httpx.get(f"{fuzz_server.url}/api/v1/openapi.json").json()
    assert "content" not in spec["paths"]["/api/v1/uploads/{upload_id}"]["head"]["responses"]["200"]
