"""Admin endpoints: units and tokens (protocol §5); token rotation is open to every role for its own token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse, Response

from hnsubmit.exchange import admin
from hnsubmit.exchange.api.service import unit_out
from hnsubmit.exchange.auth import Principal, issue_token, revoke_token, rotate_token, token_info, token_infos
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, admin_role, exchange, principal
from hnsubmit.exchange.models import ErrorOut, TokenIn, TokenInfo, TokenIssued, TokensOut, UnitColumnsIn, UnitIn, UnitOut

router = APIRouter(prefix="/api/v1", tags=["admin"])


def _issued(secret: str, token, name: str | None = None) -> JSONResponse:
    body = TokenIssued(token=secret, info=TokenInfo(**token_info(token, name))).model_dump(mode="json")
    # the secret is in this one response only: no cache may keep it
    return JSONResponse(body, status_code=201, headers={"Cache-Control": "no-store"})


@router.post("/units", status_code=201, response_model=UnitOut,
             responses={**ERRORS, 409: {"model": ErrorOut, "description": "The unit exists"}})
def unit_add(body: UnitIn, ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)):
    unit = admin.add_unit(ex, body.code, body.name, body.kind, tuple(body.columns))
    return JSONResponse(unit_out(unit), status_code=201)


@router.post("/units/{code}/disable", response_model=UnitOut, responses={**ERRORS, **NOT_FOUND})
def unit_disable(code: str = Path(max_length=40), ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)) -> dict:
    return unit_out(admin.set_active(ex, code, False))


@router.post("/units/{code}/enable", response_model=UnitOut, responses={**ERRORS, **NOT_FOUND})
def unit_enable(code: str = Path(max_length=40), ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)) -> dict:
    return unit_out(admin.set_active(ex, code, True))


@router.put("/units/{code}/columns", response_model=UnitOut, responses={**ERRORS, **NOT_FOUND})
def unit_columns(body: UnitColumnsIn, code: str = Path(max_length=40), ex: Exchange = Depends(exchange),
                 who: Principal = Depends(admin_role)) -> dict:
    """The columns the unit feeds (its row of the 分工表), replaced as a whole; 422 unknown_column."""
    return unit_out(admin.set_columns(ex, code, tuple(body.columns)))


@router.get("/tokens", response_model=TokensOut, responses=ERRORS)
def token_list(ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)) -> dict:
    return {"tokens": token_infos(ex.storage, ex.storage.list_tokens())}


@router.post("/tokens", status_code=201, response_model=TokenIssued, responses={**ERRORS, **NOT_FOUND})
def token_issue(body: TokenIn, ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)):
    secret, token = issue_token(ex.storage, body.role, body.unit, body.label, utcnow(), name=body.name)
    return _issued(secret, token, body.name and " ".join(body.name.split()))


@router.post("/tokens/rotate", status_code=201, response_model=TokenIssued, responses=ERRORS)
def token_rotate(ex: Exchange = Depends(exchange), who: Principal = Depends(principal)):
    return _issued(*rotate_token(ex.storage, who, utcnow()), who.name)


@router.delete("/tokens/{token_id}", status_code=204, responses={**ERRORS, **NOT_FOUND})
def token_revoke(token_id: str = Path(max_length=40), ex: Exchange = Depends(exchange), who: Principal = Depends(admin_role)):
    revoke_token(ex.storage, token_id, utcnow())
    return Response(status_code=204)
