"""Submission endpoints: submit with an idempotency key, read, list, review, withdraw; the weekly report."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from hnsubmit.exchange import reports
from hnsubmit.exchange import submissions
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, exchange, office_role, principal, unit_role
from hnsubmit.exchange.models import (
    QUARTER_PATTERN, WEEK_PATTERN, ErrorOut, QuarterReportOut, ReceiptOut, ReviewIn, ReviewViewOut, State, SubmissionList,
    SubmissionOut, WeeklyReportOut, WithdrawIn,
)
from hnsubmit.exchange.problems import ExchangeError

router = APIRouter(prefix="/api/v1", tags=["submissions"])
SubmissionId = Path(max_length=64)
_TRANSITION = {409: {"model": ErrorOut, "description": "invalid_transition"}}


@router.post(
    "/submissions", status_code=201, response_model=ReceiptOut,
    responses={**ERRORS, 200: {"model": ReceiptOut, "description": "The same key and body again: the same receipt"},
               400: {"model": ErrorOut, "description": "Idempotency-Key missing or malformed"},
               409: {"model": ErrorOut, "description": "The key was used with another body"},
               413: {"model": ErrorOut, "description": "The manifest is larger than 1 MiB"}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Manifest"}}}}},
)
async def submit(
    request: Request,
    idempotency_key: Optional[str] = Header(None, alias="Idempotency-Key", max_length=200,
                                            description="1–128 printable ASCII characters, one per submission"),
    ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role),
):
    body = await request.body()  # bounded to 1 MiB by the body-limit middleware
    # the database and the blob checks in a worker thread: never on the event loop (issue 19)
    # the receipt's transaction records its check on arrival (issue 14) as pending: one commit, not two
    status, out, replayed = await run_in_threadpool(submissions.submit, ex, who, idempotency_key, body, utcnow(), True)
    headers = {"Location": f"/api/v1/submissions/{out['submission_id']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    # the server's own check (issue 14) is queued once the receipt has been sent: it never delays it; queueing
    # makes no storage call, so it runs on the loop (a plain function would cost a worker thread's hand-off)
    arrival = request.app.state.arrival

    async def queue() -> None:
        arrival.queue(out["submission_id"])

    background = None if replayed else BackgroundTask(queue)
    return JSONResponse(ReceiptOut(**out).model_dump(mode="json"), status_code=status, headers=headers,
                        background=background)


@router.get("/submissions", response_model=SubmissionList, responses={**ERRORS, **NOT_FOUND})
def submission_list(
    week: Optional[str] = Query(None, pattern=WEEK_PATTERN, description="ISO week, Asia/Shanghai, e.g. 2026-W47"),
    state: Optional[State] = None,
    unit: Optional[str] = Query(None, max_length=40),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    ex: Exchange = Depends(exchange), who: Principal = Depends(principal),
) -> dict:
    return submissions.listing(ex, who, week, state, unit, limit, offset)


@router.get("/submissions/{submission_id}", response_model=SubmissionOut, response_model_by_alias=True,
            responses={**ERRORS, **NOT_FOUND})
def submission_get(submission_id: str = SubmissionId, ex: Exchange = Depends(exchange),
                   who: Principal = Depends(principal)) -> dict:
    return submissions.detail(ex, submissions.visible(ex, who, submission_id))


@router.post("/submissions/{submission_id}/review", response_model=SubmissionOut, response_model_by_alias=True,
             responses={**ERRORS, **NOT_FOUND, **_TRANSITION})
def submission_review(body: ReviewIn, submission_id: str = SubmissionId, ex: Exchange = Depends(exchange),
                      who: Principal = Depends(office_role)) -> dict:
    return submissions.review(ex, who, submission_id, body.action, body.reason, utcnow())


@router.get("/submissions/{submission_id}/review", response_model=ReviewViewOut, response_model_by_alias=True,
            responses={**ERRORS, **NOT_FOUND})
def submission_review_view(request: Request, submission_id: str = SubmissionId,
                           proofing: bool = Query(True, description="Proofread its texts and Word files (PRF) with the office's lists"),
                           ex: Exchange = Depends(exchange), who: Principal = Depends(office_role)) -> dict:
    """The reviewer's view (`hnsubmit review show`): the submission, its last reviewer's label, its PRF findings."""
    from hnsubmit.exchange.office import review_view

    return review_view(ex, who, submission_id, proofing=proofing, worker=request.app.state.arrival)


@router.post("/submissions/{submission_id}/withdraw", response_model=SubmissionOut, response_model_by_alias=True,
             responses={**ERRORS, **NOT_FOUND, **_TRANSITION})
def submission_withdraw(body: WithdrawIn, submission_id: str = SubmissionId, ex: Exchange = Depends(exchange),
                        who: Principal = Depends(unit_role)) -> dict:
    return submissions.withdraw(ex, who, submission_id, body.reason, utcnow())


@router.get("/reports/weekly", response_model=WeeklyReportOut, responses=ERRORS, tags=["reports"])
def report_weekly(
    week: Optional[str] = Query(None, pattern=WEEK_PATTERN, description="ISO week, Asia/Shanghai; default: this week"),
    ex: Exchange = Depends(exchange), who: Principal = Depends(principal),
) -> dict:
    try:
        return reports.weekly_for(ex, who, week)
    except ValueError:
        raise ExchangeError(422, "invalid_request", f"不是有效的 ISO 周:{week}", f"Not a valid ISO week: {week}") from None


@router.get("/reports/quarter", response_model=QuarterReportOut, responses=ERRORS, tags=["reports"])
def report_quarter(
    quarter: Optional[str] = Query(None, pattern=QUARTER_PATTERN, description="2026-Q4: the ISO weeks whose Thursday falls in "
                                   "the quarter, Asia/Shanghai; default: this quarter"),
    ex: Exchange = Depends(exchange), who: Principal = Depends(principal),
) -> dict:
    try:
        return reports.quarter_for(ex, who, quarter)
    except ValueError:  # 0000-Q1, 9999-Q4: no calendar holds their weeks
        raise ExchangeError(422, "invalid_request", f"不是有效的季度:{quarter}", f"Not a valid quarter: {quarter}") from None
