"""One ASGI middleware around the app: a request id on every request and response, the body-size limit
(413) and UTF-8 check (400) before any route sees the body, and the request metrics.

Pure ASGI rather than Starlette's BaseHTTPMiddleware: the body is read here once, bounded, and replayed
to the app, and a too-large body is refused without reading the rest of it."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from service.api.metrics import ServiceMetrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_WITH_BODY = {"POST", "PUT", "PATCH"}


def request_id_of(scope: Scope) -> str:
    """The id given to this request (set by the middleware)."""
    return str(scope.get("state", {}).get("request_id", "-"))


async def _reply(send: Send, status: int, detail: str, request_id: str) -> None:
    body = json.dumps({"detail": detail, "request_id": request_id}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (REQUEST_ID_HEADER.encode(), request_id.encode())]})
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """Request id, body limit, UTF-8 check and request metrics."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, metrics: ServiceMetrics) -> None:
        self.app, self.max_body_bytes, self.metrics = app, max_body_bytes, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                if not any(name.lower() == REQUEST_ID_HEADER.encode() for name, _ in headers):
                    headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if scope["method"] in _WITH_BODY:
                kind = headers.get("content-type", "").split(";")[0].strip().lower()
                if kind != "application/json" and not kind.endswith("+json"):
                    await _reply(send_with_id, 415, f"send the body as JSON with Content-Type: application/json "
                                 f"(got {kind or 'no Content-Type'})", request_id)
                    return
                body = await self._read_body(scope, receive, headers, request_id, send_with_id)
                if body is None:
                    return
                replayed = False

                async def replay() -> Message:
                    nonlocal replayed
                    if not replayed:
                        replayed = True
                        return {"type": "http.request", "body": body, "more_body": False}
                    return await receive()

                await self.app(scope, replay, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], path, str(status["code"])).inc()
            self.metrics.latency.labels(scope["method"], path).observe(time.perf_counter() - started)

    async def _read_body(self, scope: Scope, receive: Receive, headers: dict[str, str], request_id: str,
                         send: Send) -> bytes | None:
        """The whole body, or None after answering 413 (too large) or 400 (not UTF-8)."""
        limit = self.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _reply(send, 413, f"request body of {declared} bytes is over the limit of {limit} bytes",
                         request_id)
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _reply(send, 413, f"request body is over the limit of {limit} bytes", request_id)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            await _reply(send, 400, f"request body is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                         request_id)
            return None
        return body
