"""The server's own check of a submission (issue 14): GET /api/v1/submissions/{id}/findings."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request

from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, exchange, principal
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.findings import findings_for
from hnsubmit.exchange.models import FindingsOut

router = APIRouter(prefix="/api/v1", tags=["submissions"])


@router.get("/submissions/{submission_id}/findings", response_model=FindingsOut, responses={**ERRORS, **NOT_FOUND})
def submission_findings(request: Request, submission_id: str = Path(max_length=64), ex: Exchange = Depends(exchange),
                        who: Principal = Depends(principal)) -> dict:
    """What the server found when it checked the submission on arrival (PRF with the office's lists, and
    any file a checker failed on): the office and the owning unit may read it; "pending" while it runs."""
    return findings_for(ex, who, submission_id, worker=request.app.state.arrival)
