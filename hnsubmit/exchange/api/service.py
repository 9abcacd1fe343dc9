"""Service endpoints: health, the office's policy and proofreading lists, whoami, the portal's columns and the units."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends, Request, Response

from hnsubmit import __version__
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.api.deps import ERRORS, exchange, office_role, principal
from hnsubmit.exchange.models import ColumnsOut, HealthOut, UnitsOut, WhoamiOut

router = APIRouter()


def unit_out(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "active": unit.active, "columns": list(unit.columns)}


@router.get("/healthz", response_model=HealthOut, tags=["service"])
def healthz() -> dict:
    return {"status": "ok", "api": "v1", "version": __version__}


@router.get(
    "/api/v1/policy", tags=["service"],
    responses={200: {"description": "The office's format policy (hnsubmit.policy.model.Policy as JSON)",
                     "content": {"application/json": {"schema": {"type": "object"}}}},
               304: {"description": "Not modified (If-None-Match)"}},
)
def policy(request: Request, ex: Exchange = Depends(exchange)) -> Response:
    body = json.dumps(ex.policy.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    "/api/v1/proofing", tags=["service"],
    responses={200: {"description": "The office's proofreading lists in effect (PRF): terms and leaders, each with its source",
                     "content": {"application/json": {"schema": {"type": "object"}}}},
               304: {"description": "Not modified (If-None-Match)"}},
)
def proofing(request: Request, ex: Exchange = Depends(exchange)) -> Response:
    """So every unit checks with the office's lists: the lists the server's policy names, merged."""
    from hnsubmit.checks.proofing.engine import for_policy
    from hnsubmit.checks.proofing.lists import as_data

    body = json.dumps(as_data(for_policy(ex.policy).lists), ensure_ascii=False, sort_keys=True).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/api/v1/whoami", response_model=WhoamiOut, responses=ERRORS, tags=["service"])
def whoami(who: Principal = Depends(principal)) -> dict:
    return {"role": who.role, "token_id": who.token_id, "unit": unit_out(who.unit) if who.unit else None,
            "name": who.name, "server": {"api": "v1", "version": __version__}}


@router.get("/api/v1/columns", response_model=ColumnsOut, responses=ERRORS, tags=["service"])
def columns(ex: Exchange = Depends(exchange), who: Principal = Depends(principal)) -> dict:
    return {"columns": [{"id": c.id, "name": {"zh": c.name_zh, "en": c.name_en}, "description": c.description,
                         "kind": c.kind, "max_days": c.max_days} for c in ex.storage.list_columns()]}


@router.get("/api/v1/units", response_model=UnitsOut, responses=ERRORS, tags=["service"])
def units(ex: Exchange = Depends(exchange), who: Principal = Depends(office_role)) -> dict:
    return {"units": [unit_out(u) for u in ex.storage.list_units()]}
