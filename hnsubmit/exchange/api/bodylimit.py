"""ASGI middleware: every request body except an upload chunk is at most 1 MiB, counted as it streams.

Upload chunks (PATCH /api/v1/uploads/…) are exempt because their endpoint enforces the session's
own size while streaming to disk; everything else is small JSON and is buffered here, bounded.
"""

from __future__ import annotations

import json

MAX_BODY = 1 << 20


def _too_large_body() -> bytes:
    return json.dumps({"error": {"code": "too_large", "message": {"zh": "请求体超过 1 MiB。", "en": "The request body is larger than 1 MiB."},
                                 "details": {"limit": MAX_BODY}}}, ensure_ascii=False).encode("utf-8")


class BodyLimit:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or (scope["method"] == "PATCH" and scope["path"].startswith("/api/v1/uploads/")):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.strip().isdigit() and int(value) > MAX_BODY:
                await self._refuse(send)
                return
        chunks, total = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body = message.get("body", b"")
            total += len(body)
            if total > MAX_BODY:
                await self._refuse(send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(send) -> None:
        body = _too_large_body()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
