"""FastAPI dependencies: the open exchange, the caller's token resolved to a role, and the role gates."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hnsubmit.exchange.auth import Principal, authenticate, require
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.models import ErrorOut
from hnsubmit.exchange.problems import ExchangeError

# auto_error=False: a missing token must answer in the protocol's error shape, not FastAPI's
bearer = HTTPBearer(auto_error=False, description="A unit, approver, reviewer or admin token (protocol §1).")

ERRORS = {
    401: {"model": ErrorOut, "description": "No token, or an unknown, revoked or expired one"},
    403: {"model": ErrorOut, "description": "The token's role may not do this, or its unit is disabled"},
    422: {"model": ErrorOut, "description": "The request does not match the protocol"},
    429: {"model": ErrorOut, "description": "too_many_failures: repeated failed authentications (Retry-After)"},
}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No such object, or it belongs to another unit"}}


# A dependency that does no I/O is `async def`: FastAPI runs a plain `def` dependency in a worker thread,
# and each such hand-off (a queue, a wake-up, the GIL changing hands) cost about as much CPU as the
# request's own work under load (issue 19, P6). `principal` reads the store, so it stays a plain `def`.
async def exchange(request: Request) -> Exchange:
    return request.app.state.exchange


def principal(
    request: Request,
    ex: Exchange = Depends(exchange),
    _credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Principal:
    header = request.headers.get("authorization")
    try:
        return authenticate(ex.storage, header, utcnow())
    except ExchangeError as exc:
        if exc.status == 401 and header:  # a credential presented and refused (a missing one guesses nothing)
            address = request.client.host if request.client else ""
            wait = request.app.state.auth_throttle.failed(address, header.partition(" ")[2].strip())
            if wait:
                raise ExchangeError(
                    429, "too_many_failures", f"凭据验证失败次数过多,请 {wait:.0f} 秒后再试。",
                    f"Too many failed authentications; retry in {wait:.0f} s.",
                    details={"retry_after": int(wait)}, headers={"Retry-After": str(int(wait))},
                ) from None
        raise


async def unit_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "unit")


async def approver_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "approver")


async def office_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "reviewer", "admin")


async def admin_role(who: Principal = Depends(principal)) -> Principal:
    return require(who, "admin")
