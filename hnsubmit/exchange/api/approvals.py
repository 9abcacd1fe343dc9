"""Approver endpoints (issue 15 §2): the unit's approver accepts or returns an item; who the approvers are."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from hnsubmit.exchange import approvals, submissions
from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, approver_role, exchange, principal
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.models import ApprovalIn, ApproversOut, ErrorOut, SubmissionOut

router = APIRouter(prefix="/api/v1", tags=["approval"])


@router.post("/submissions/{submission_id}/approval", response_model=SubmissionOut, response_model_by_alias=True,
             responses={**ERRORS, **NOT_FOUND, 409: {"model": ErrorOut, "description": "invalid_transition: not awaiting approval"}})
def submission_approval(body: ApprovalIn, submission_id: str = Path(max_length=64), ex: Exchange = Depends(exchange),
                        who: Principal = Depends(approver_role)) -> dict:
    """accept: to the office's queue (received), the approval recorded; return: back to the liaison (reason required)."""
    return submissions.approve(ex, who, submission_id, body.action, body.reason, utcnow())


@router.get("/approvers", response_model=ApproversOut, responses=ERRORS)
def approver_list(ex: Exchange = Depends(exchange), who: Principal = Depends(principal)) -> dict:
    """The approval mode and the live approvers: a unit's or approver's own unit's; the office sees all."""
    return approvals.approvers_for(ex, who, utcnow())
