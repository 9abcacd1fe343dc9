"""FastAPI dependencies: the open exchange, the caller's token resolved to a role, and the role gates."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hnsubmit.exchange.auth import Principal, authenticate, require
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.models import ErrorOut

# auto_error=False: a missing token must answer in the protocol's error shape, not FastAPI's
bearer = HTTPBearer(auto_error=False, description="A unit, reviewer or admin token (protocol §1).")

ERRORS = {
    401: {"model": ErrorOut, "description": "No token, or an unknown, revoked or expired one"},
    403: {"model": ErrorOut, "description": "The token's role may not do this, or its unit is disabled"},
    422: {"model": ErrorOut, "description": "The request does not match the protocol"},
}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No such object, or it belongs to another unit"}}


def exchange(request: Request) -> Exchange:
    return request.app.state.exchange


def principal(
    request: Request,
    ex: Exchange = Depends(exchange),
    _credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Principal:
    return authenticate(ex.storage, request.headers.get("authorization"), utcnow())


def unit_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "unit")


def office_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "reviewer", "admin")


def admin_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "admin")
