"""Column freshness and expiry endpoints (issue 15 §3, §4): the column report, the expired list, a column's
type and threshold. The work is in exchange/columns.py; these only resolve who may see what."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query

from hnsubmit.exchange import columns
from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, admin_role, exchange, principal
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.models import ColumnReportOut, ColumnSetIn, ColumnSetOut, ExpiredReportOut
from hnsubmit.exchange.problems import ExchangeError

router = APIRouter(prefix="/api/v1")


def _scope(who: Principal) -> str | None:
    # a unit (or its approver) sees its own columns and items; the office sees everyone's
    return who.unit.code if who.role not in ("reviewer", "admin") and who.unit is not None else None


@router.get("/reports/columns", response_model=ColumnReportOut, responses=ERRORS, tags=["reports"])
def report_columns(
    quarter: Optional[str] = Query(None, pattern=r"^[0-9]{4}-?Q[1-4]$",
                                   description="2026-Q4 (or 2026Q4): the quarter counted, as `report quarter` counts it; "
                                               "default: this quarter"),
    ex: Exchange = Depends(exchange), who: Principal = Depends(principal),
) -> dict:
    """Each column's freshness (栏目更新): its units, last published item, days since, state, the quarter's count."""
    try:
        return columns.column_report(ex.storage, quarter, utcnow(), _scope(who))
    except ValueError:
        raise ExchangeError(422, "invalid_request", f"不是有效的季度:{quarter}", f"Not a valid quarter: {quarter}") from None


@router.get("/reports/expired", response_model=ExpiredReportOut, responses=ERRORS, tags=["reports"])
def report_expired(ex: Exchange = Depends(exchange), who: Principal = Depends(principal)) -> dict:
    """Published items past their 失效日期 (`expires`): to withdraw (seed 003: 已经失效的文件要及时注销)."""
    return columns.expired_report(ex.storage, utcnow(), _scope(who))


@router.patch("/columns/{column_id}", response_model=ColumnSetOut, responses={**ERRORS, **NOT_FOUND}, tags=["admin"])
def column_set(body: ColumnSetIn, column_id: str = Path(max_length=64), ex: Exchange = Depends(exchange),
               who: Principal = Depends(admin_role)) -> dict:
    """The office sets a column's type and the most days it may go without a published item."""
    return columns.set_column(ex.storage, column_id, body.kind, body.max_days)
