"""The server's own check of each submission, stored (issue 14), and the service that reads it.

On arrival — after the receipt has been answered, never before — a submission is handed to the one
arrival worker thread (`ArrivalWorker`): its record goes "pending", PRF runs over its texts and files
with the lists of the server's policy (exchange/proofing.py: bounded, a crashing file becomes an
FMT006 finding), and the record becomes "done" with the findings, or "failed" with one line saying
why. A record still pending when the server stopped is queued again when it starts. An item received
before the server checked on arrival has no record: it is checked when it is first opened (origin
"opened") and that is stored, so it is never checked twice.

`findings_for` is the one read: GET /api/v1/submissions/{id}/findings answers it, `review show`
prints it, and the review console (issue 16) calls it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hnsubmit.exchange import submissions
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.store.storage import SubmissionFindings
from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding

if TYPE_CHECKING:
    from hnsubmit.exchange.proofing import CheckProcess, KnownFiles

log = logging.getLogger("hnsubmit.exchange")

STATES = ("pending", "done", "failed")
ORIGINS = ("arrival", "opened")
RESUME_AT_START = 10_000  # pending records queued again at start (more wait for the next start)
# how long after its receipt an item without a record is taken as being queued; later, a queueing that
# failed (the store refused the pending record) is made good by queueing it as opened
QUEUEING = timedelta(minutes=1)


def finding_out(f: Finding) -> dict[str, Any]:
    """A finding as stored and served: code, severity, path, location and the rule's arguments.

    The texts are the rule's template filled with `args` (hnsubmit.rules.registry.get_rule(code)
    .render("message", lang, args)), in the reader's language, at the edge."""
    from pydantic_core import to_jsonable_python

    return {"code": f.code, "severity": f.severity.value, "path": f.path, "location": f.location.as_dict(),
            "args": to_jsonable_python(dict(f.args), fallback=str)}


def lists_digest(policy: Policy) -> str:
    """Which proofreading lists were used: the digest GET /api/v1/proofing's ETag is made of."""
    from hnsubmit.checks.proofing.engine import for_policy
    from hnsubmit.checks.proofing.lists import as_data

    body = json.dumps(as_data(for_policy(policy).lists), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(body).hexdigest()


def check_now(ex: Exchange, submission_id: str, policy: Policy, origin: str = "arrival",
              lists: str | None = None, known: KnownFiles | None = None,
              process: CheckProcess | None = None) -> SubmissionFindings | None:
    """Check one stored submission now, store and return its record (None: no such submission);
    `known`: the findings of files checked before with `policy`, `process`: the long-lived check process
    (exchange/proofing.py)."""
    from hnsubmit.exchange.proofing import proofread

    s = ex.storage.get_submission(submission_id)
    if s is None:
        return None
    try:
        lists = lists if lists is not None else lists_digest(policy)
        result = proofread(ex, {"manifest": json.loads(s.manifest_json)}, policy, known=known, lists=lists,
                           process=process)
        body = {"findings": [finding_out(f) for f in result.findings], "omitted": result.omitted, "skipped": result.skipped}
        record = SubmissionFindings(submission_id, "done", origin, utcnow(), json.dumps(body, ensure_ascii=False), lists)
    except Exception as exc:  # the lists unreadable, the store gone: the record says so, the server goes on
        # the detail (a path on the server, say) goes to the server's log only: the unit reads `error` too
        log.error("checking %s failed: %s: %s", submission_id, type(exc).__name__, str(exc)[:300])
        record = SubmissionFindings(submission_id, "failed", origin, utcnow(), "{}", lists or "", type(exc).__name__)
    ex.storage.put_findings(record)
    return record


class ArrivalWorker:
    """One thread that checks submissions in the order they arrived, off the event loop and off the
    request threads: a burst of arrivals queues here instead of slowing receipts."""

    def __init__(self, ex: Exchange) -> None:
        self.ex = ex
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hnsubmit-arrival")
        self._closed = threading.Event()
        self._lists: str | None = None
        from hnsubmit.exchange.proofing import CheckProcess, KnownFiles

        self.known = KnownFiles()  # the server's policy is fixed: a form checked once is not checked again
        self.process = CheckProcess(ex.policy)  # files are checked in one long-lived child, not one fork each
        self.started_at = utcnow()  # an item received since then has its check queued by its receipt

    def enqueue(self, submission_id: str, origin: str = "arrival") -> None:
        """Record the submission as pending and queue its check (called after the receipt is sent)."""
        if self._closed.is_set():
            return
        try:
            self.ex.storage.put_findings(SubmissionFindings(submission_id, "pending", origin, utcnow()))
        except Exception as exc:  # a store that cannot record it: no record, so it is checked when first opened
            log.error("the arrival check of %s could not be queued: %s", submission_id, type(exc).__name__)
            return
        self.queue(submission_id, origin)

    def queue(self, submission_id: str, origin: str = "arrival") -> None:
        """Queue the check of a submission already recorded pending (by its receipt's own transaction:
        `submissions.submit(..., check_pending=True)`); no storage call, so the event loop may call it."""
        if not self._closed.is_set():
            self._pool.submit(self._run, submission_id, origin)

    def resume(self) -> int:
        """Queue again what was pending when the server stopped; returns how many."""
        try:
            pending = [(sid, self.ex.storage.get_findings(sid)) for sid in self.ex.storage.pending_findings(RESUME_AT_START)]
        except Exception as exc:  # the server starts anyway; what was pending is checked when opened
            log.error("the pending arrival checks could not be read: %s", type(exc).__name__)
            return 0
        for sid, record in pending:
            self._pool.submit(self._run, sid, record.origin if record else "arrival")
        return len(pending)

    def _run(self, submission_id: str, origin: str) -> None:
        if self._closed.is_set():
            return  # stays pending: checked after the next start
        try:
            if self._lists is None:
                self._lists = lists_digest(self.ex.policy)
            check_now(self.ex, submission_id, self.ex.policy, origin, self._lists, self.known, self.process)
        except Exception as exc:  # the store itself failed: the record stays pending for the next start
            log.error("the arrival check of %s could not be stored: %s", submission_id, type(exc).__name__)

    def close(self) -> None:
        """Stop taking work; the check under way finishes, queued ones stay pending for the next start."""
        self._closed.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.process.close()


def record_out(record: SubmissionFindings) -> dict[str, Any]:
    """A stored record as the API serves it (FindingsOut)."""
    try:
        body = json.loads(record.result_json or "{}")
    except ValueError:
        body = {}
    return {
        "submission_id": record.submission_id, "state": record.state, "origin": record.origin,
        "checked_at": record.updated_at if record.state != "pending" else None, "lists": record.lists,
        "error": record.error, "findings": body.get("findings", []), "omitted": body.get("omitted", {}),
        "skipped": body.get("skipped", []),
    }


def findings_for(ex: Exchange, who: Principal, submission_id: str, worker: ArrivalWorker | None = None,
                 policy: Policy | None = None) -> dict[str, Any]:
    """The server's findings of one submission, for the API, `review show` and the review console.

    Who may read them: the office (reviewer, admin) and the owning unit; another unit's id answers
    404 exactly like a missing one (`submissions.visible`). Answer (FindingsOut, docs/protocol.md §4.6):
    {submission_id, state: "pending"|"done"|"failed", origin: "arrival"|"opened", checked_at, lists,
    error, findings: [{code, severity, path, location, args}], omitted: {path: n}, skipped: [{path, reason}]}.

    A submission received before the server checked on arrival has no record yet: with a `worker`
    (the running server) it is queued and answered "pending"; without one (the office's commands on
    the data folder) it is checked here, with `policy`'s lists (default: the exchange's policy). Either
    way the record is stored with origin "opened".
    """
    s = submissions.visible(ex, who, submission_id)
    record = ex.storage.get_findings(s.submission_id)
    if record is None:
        if worker is not None and s.received_at >= max(worker.started_at, utcnow() - QUEUEING):
            # its receipt has just been sent and its check is being queued (a background task): pending
            record = SubmissionFindings(s.submission_id, "pending", "arrival", utcnow())
        elif worker is not None:
            worker.enqueue(s.submission_id, origin="opened")
            record = ex.storage.get_findings(s.submission_id)
        else:
            record = check_now(ex, s.submission_id, policy or ex.policy, origin="opened")
    return record_out(record)  # type: ignore[arg-type]
