"""The ASGI app of the reference exchange server: `create_app(data_dir)` wires storage, routes and errors."""

from __future__ import annotations

import errno
import logging
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hnsubmit import __version__
from hnsubmit.exchange.api import admin as api_admin
from hnsubmit.exchange.api import approvals as api_approvals
from hnsubmit.exchange.api import blobs as api_blobs
from hnsubmit.exchange.api import findings as api_findings
from hnsubmit.exchange.api import console as api_console
from hnsubmit.exchange.api import columns as api_columns
from hnsubmit.exchange.api import service as api_service
from hnsubmit.exchange.api import submissions as api_submissions
from hnsubmit.exchange import faults
from hnsubmit.exchange.api.bodylimit import BodyLimit
from hnsubmit.exchange.context import Exchange, open_exchange
from hnsubmit.exchange.models import Manifest
from hnsubmit.exchange.api.openapi_links import add_links
from hnsubmit.exchange.problems import ExchangeError
from hnsubmit.exchange.throttle import AuthThrottle
from hnsubmit.exchange.uploads import BODY_IDLE_TIMEOUT, Busy
from hnsubmit.policy.model import Policy

log = logging.getLogger("hnsubmit.exchange")


def _error(exc: ExchangeError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _exchange_error(request: Request, exc: ExchangeError) -> JSONResponse:
    return _error(exc)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    details = {"errors": [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors[:20]]}
    if any(e.get("type") == "string_pattern_mismatch" and {"digest", "digests"} & {str(p) for p in e.get("loc", ())}
           for e in errors):
        return _error(ExchangeError(422, "invalid_digest", "摘要须为 sha256: 加 64 位小写十六进制。",
                                    "A digest is sha256: followed by 64 lowercase hex digits.", details=details))
    return _error(ExchangeError(422, "invalid_request", "请求不符合协议格式。", "The request does not match the protocol.",
                                details=details))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404:
        err = ExchangeError(404, "not_found", "没有这个地址。", "No such endpoint.")
    elif exc.status_code == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's answer to a JSON body it cannot decode; the protocol says 422 invalid_request (§1)
        err = ExchangeError(422, "invalid_request", "请求体不是 UTF-8 编码的 JSON。", "The body is not UTF-8 JSON.")
    elif exc.status_code == 405:
        err = ExchangeError(405, "method_not_allowed", "该地址不支持此请求方法。", "This method is not allowed here.",
                            headers=dict(exc.headers or {}))
    else:
        err = ExchangeError(exc.status_code, "bad_request" if exc.status_code == 400 else f"http_{exc.status_code}",
                            "请求无法处理。", str(exc.detail)[:200])
    return _error(err)


_FULL = {errno.ENOSPC, errno.EDQUOT}
_UNAVAILABLE = {errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


def _storage_full() -> ExchangeError:
    return ExchangeError(507, "insufficient_storage", "服务器存储空间不足,请稍后再试。",
                         "The server's storage is full; try again later.",
                         headers={"Retry-After": "300"})


def _storage_unavailable() -> ExchangeError:
    return ExchangeError(503, "service_unavailable", "服务器暂时不可用(存储无法写入),请稍后再试。",
                         "The server is unavailable for now (its storage cannot be written); try again later.",
                         headers={"Retry-After": "60"})


async def _os_error(request: Request, exc: OSError) -> JSONResponse:
    # a full or read-only disk is the operator's to fix: one log line, no traceback, and an answer the
    # client understands (keep the item, try later) instead of 500
    if exc.errno in _FULL:
        log.error("storage full on %s %s: %s", request.method, request.url.path, exc.strerror)
        return _error(_storage_full())
    if exc.errno in _UNAVAILABLE:
        log.error("storage cannot be written on %s %s: %s", request.method, request.url.path, exc.strerror)
        return _error(_storage_unavailable())
    return await _internal_error(request, exc)


async def _database_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
    text = str(exc)
    log.error("database error on %s %s: %s", request.method, request.url.path, text)
    return _error(_storage_full() if "full" in text else _storage_unavailable())


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    # the traceback goes to the server's log; the caller learns nothing about the inside
    log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
    return _error(ExchangeError(500, "internal", "服务器内部错误,请联系州政府办公室。", "Internal server error; please tell the office."))


def create_app(data_dir: Path | str, policy: Policy | None = None, seed_file: Path | None = None,
               body_idle_timeout: float = BODY_IDLE_TIMEOUT, auth_throttle: AuthThrottle | None = None,
               locations=None) -> FastAPI:
    """The app over `data_dir` (created and seeded if new); `policy` is what GET /policy publishes;
    `locations` (store.locations.Locations) puts metadata and blobs in PostgreSQL and S3 instead."""
    faults.install()  # a no-op unless a test server's environment asks for it
    ex: Exchange = open_exchange(Path(data_dir), policy, seed_file, locations=locations)

    from hnsubmit.exchange.findings import ArrivalWorker

    arrival = ArrivalWorker(ex)  # checks each submission after its receipt is sent (issue 14)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(arrival.resume)  # what was pending when the server stopped
        yield
        await run_in_threadpool(arrival.close)
        ex.close()

    app = FastAPI(
        title="hnsubmit exchange",
        version=__version__,
        summary="海南州政府门户网站信息报送交换接口 (protocol v1, docs/protocol.md)",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.exchange = ex
    app.state.arrival = arrival
    app.state.busy = Busy()
    app.state.body_idle_timeout = body_idle_timeout
    app.state.auth_throttle = auth_throttle or AuthThrottle()
    app.add_middleware(BodyLimit)
    app.add_exception_handler(ExchangeError, _exchange_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OSError, _os_error)
    app.add_exception_handler(sqlite3.OperationalError, _database_error)
    try:  # PostgreSQL gone or refusing (the province extra): 503 as for SQLite, never a traceback to the client
        import psycopg

        app.add_exception_handler(psycopg.OperationalError, _database_error)
    except ImportError:
        pass
    app.add_exception_handler(Exception, _internal_error)
    for module in (api_service, api_blobs, api_submissions, api_admin, api_columns, api_approvals):
        app.include_router(module.router)
    app.include_router(api_findings.router)  # the server's own check of each submission (issue 14)
    app.include_router(api_console.router)  # the review console in the browser (issue 16)

    def openapi() -> dict:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            # the submission body is read raw (its digest is the idempotency check), so FastAPI does not
            # see the Manifest model: add it to the components the requestBody refers to
            manifest = Manifest.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(manifest.pop("$defs", {}))
            components["Manifest"] = manifest
            app.openapi_schema = add_links(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
