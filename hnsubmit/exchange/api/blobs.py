"""Blob endpoints: which digests are missing, resumable upload sessions, and downloads (protocol §3)."""

from __future__ import annotations

import logging

import anyio.to_thread
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from hnsubmit.exchange import integrity, uploads
from hnsubmit.exchange.auth import Principal
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.api.deps import ERRORS, NOT_FOUND, exchange, principal, unit_role
from hnsubmit.exchange.models import BlobOut, ErrorOut, MissingIn, MissingOut, UploadIn, UploadOut
from hnsubmit.exchange.problems import ExchangeError, not_found

log = logging.getLogger("hnsubmit.exchange")
router = APIRouter(prefix="/api/v1", tags=["blobs"])
UploadId = Path(max_length=64)
_CONFLICT = {409: {"model": ErrorOut, "description": "offset_mismatch, upload_busy or upload_incomplete"}}
_TOO_LARGE = {413: {"model": ErrorOut, "description": "Larger than the declared size or the policy's limit"}}


@router.post("/blobs/missing", response_model=MissingOut, responses=ERRORS)
def blobs_missing(body: MissingIn, ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role)) -> dict:
    return {"missing": uploads.missing(ex, who, body.digests)}


@router.get(
    "/blobs/{digest}", responses={**ERRORS, **NOT_FOUND, 200: {
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
    response_class=StreamingResponse,
)
def blob_download(digest: str = Path(max_length=80), ex: Exchange = Depends(exchange), who: Principal = Depends(principal)):
    uploads.check_digest(digest)
    if who.unit is not None:  # a unit's or its approver's token: that unit's blobs only
        size = ex.storage.blob_size_for(who.unit.code, digest)
    else:
        size = ex.storage.known_size(digest)
    if size is None:
        raise not_found("文件", "blob")
    on_disk = ex.blobs.size(digest)
    if on_disk != size:  # truncated, grown or deleted since it was verified: never served short
        if on_disk is not None:
            integrity.quarantine(ex, digest, f"{on_disk} bytes on disk, {size} verified")
        raise not_found("文件", "blob")
    try:
        f = ex.blobs.open(digest)
    except FileNotFoundError:
        raise not_found("文件", "blob") from None
    return VerifiedBlob(ex, digest, f, size)


class VerifiedBlob(Response):
    """A blob streamed through SHA-256: on a mismatch the response is cut before its last chunk (the
    connection closes, the client sees a short body), the file is quarantined and the log says so."""

    media_type = "application/octet-stream"

    def __init__(self, ex: Exchange, digest: str, f, size: int) -> None:
        super().__init__(status_code=200, media_type=self.media_type,
                         headers={"Content-Length": str(size), "ETag": f'"{digest}"'})
        self.chunks = integrity.verified_chunks(ex, digest, f, size)

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        try:
            while True:
                try:
                    chunk = await anyio.to_thread.run_sync(next, self.chunks, None)
                except integrity.Damaged:
                    return  # an unfinished response: uvicorn closes the connection
                if chunk is None:
                    break
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            self.chunks.close()
        await send({"type": "http.response.body", "body": b"", "more_body": False})


@router.post(
    "/uploads", status_code=201, response_model=UploadOut,
    responses={**ERRORS, **_TOO_LARGE, 200: {"model": UploadOut, "description": "Held already, or an open session"},
               429: {"model": ErrorOut, "description": "Too many open upload sessions"}},
)
def upload_create(body: UploadIn, ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role)):
    status, out = uploads.create(ex, who, body.digest, body.size, utcnow())
    payload = UploadOut(**out).model_dump(mode="json")
    headers = {"Upload-Offset": str(out["offset"])}
    if out["upload_id"]:
        headers["Location"] = f"/api/v1/uploads/{out['upload_id']}"
    return JSONResponse(payload, status_code=status, headers=headers)


@router.get("/uploads/{upload_id}", response_model=UploadOut, responses={**ERRORS, **NOT_FOUND})
def upload_get(upload_id: str = UploadId, ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role)) -> dict:
    return uploads.session_out(uploads.own_session(ex, who, upload_id, utcnow()))


@router.head("/uploads/{upload_id}", response_class=Response,
             responses={**ERRORS, **NOT_FOUND, 200: {"description": "Upload-Offset and Upload-Length headers; no body"}})
def upload_head(upload_id: str = UploadId, ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role)) -> Response:
    upload = uploads.own_session(ex, who, upload_id, utcnow())
    return Response(status_code=200, headers={"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.size),
                                              "Cache-Control": "no-store"})


@router.patch(
    "/uploads/{upload_id}", status_code=204,
    responses={**ERRORS, **NOT_FOUND, **_CONFLICT, **_TOO_LARGE, 204: {"description": "Appended; see Upload-Offset"},
               400: {"model": ErrorOut, "description": "Upload-Offset missing or malformed"},
               408: {"model": ErrorOut, "description": "The chunk stopped arriving; what arrived is kept (Upload-Offset)"}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        "parameters": [{"name": "Upload-Offset", "in": "header", "required": True, "schema": {"type": "integer", "minimum": 0}}]},
)
async def upload_append(request: Request, upload_id: str = UploadId, ex: Exchange = Depends(exchange),
                        who: Principal = Depends(unit_role)) -> Response:
    offset = uploads.parse_offset(request.headers.get("upload-offset"))
    length_header = request.headers.get("content-length")
    content_length = None
    if length_header is not None:
        if not length_header.strip().isdigit():
            raise ExchangeError(400, "bad_request", "Content-Length 无效。", "Content-Length is not valid.")
        content_length = int(length_header)
    upload = await run_in_threadpool(uploads.own_session, ex, who, upload_id, utcnow())
    try:
        with request.app.state.busy(upload.upload_id):
            new = await uploads.append(ex, who, upload, offset, content_length, request.stream(), utcnow(),
                                       request.app.state.body_idle_timeout)
    except uploads.BodyStalled:
        kept = await run_in_threadpool(ex.storage.get_upload, upload.upload_id)
        log.warning("upload %s: no bytes for %s s mid-chunk; kept up to offset %s of %s", upload.upload_id,
                    request.app.state.body_idle_timeout, kept.offset if kept else "?", upload.size)
        raise ExchangeError(408, "request_timeout", "上传数据中断,已收到的部分已保存,请查询偏移量后继续。",
                            "The chunk stopped arriving; what arrived is kept: ask the offset and continue.",
                            headers={"Connection": "close", "Upload-Offset": str(kept.offset if kept else 0)}) from None
    except ClientDisconnect:
        # the client is gone and its bytes are kept; nobody will read this answer, and it is no server
        # error: one line for the operator, no traceback, nothing from the request's headers
        kept = await run_in_threadpool(ex.storage.get_upload, upload.upload_id)
        log.warning("upload %s: the client disconnected mid-chunk; kept up to offset %s of %s",
                    upload.upload_id, kept.offset if kept else "?", upload.size)
        return Response(status_code=400)
    return Response(status_code=204, headers={"Upload-Offset": str(new)})


@router.put(
    "/uploads/{upload_id}", status_code=201, response_model=BlobOut,
    responses={**ERRORS, **NOT_FOUND, **_CONFLICT},
)
async def upload_finish(request: Request, upload_id: str = UploadId, digest: str = Query(max_length=80),
                        ex: Exchange = Depends(exchange), who: Principal = Depends(unit_role)):
    upload = await run_in_threadpool(uploads.own_session, ex, who, upload_id, utcnow())
    with request.app.state.busy(upload.upload_id):
        out = await uploads.finish(ex, who, upload, digest, utcnow())
    return JSONResponse(out, status_code=201, headers={"Location": f"/api/v1/blobs/{out['digest']}"})


@router.delete("/uploads/{upload_id}", status_code=204, responses={**ERRORS, **NOT_FOUND, **_CONFLICT})
async def upload_cancel(request: Request, upload_id: str = UploadId, ex: Exchange = Depends(exchange),
                        who: Principal = Depends(unit_role)) -> Response:
    upload = await run_in_threadpool(uploads.own_session, ex, who, upload_id, utcnow())
    with request.app.state.busy(upload.upload_id):
        await run_in_threadpool(uploads.drop, ex, upload)
    return Response(status_code=204)
