"""Pure-ASGI guards wrapped around the app: body size, access log, crash shield, headers.

They are plain ASGI (no ``BaseHTTPMiddleware``) to keep the per-request cost in microseconds.
None of them ever logs a request body, a query string or an exception message, because any
of those can carry note text.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("facetcode.access")
error_log = logging.getLogger("facetcode.error")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def error_body(error_type: str, message: str, **extra: Any) -> bytes:
    return json.dumps({"error": {"type": error_type, "message": message, **extra}}).encode()


async def send_json_error(send: Send, status: int, error_type: str, message: str) -> None:
    body = error_body(error_type, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def describe_exception(exc: BaseException) -> str:
    """The exception type and its frames, without its message (which may quote the note)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}" for frame in frames[::-1]
    )
    return f"{type(exc).__module__}.{type(exc).__qualname__} at {where or 'unknown'}"


class BodyLimit:
    """Answers 413 for a body over ``max_bytes`` before the app (and any NLP) sees it.

    Content-Length is checked first; a chunked body is counted as it arrives and replayed to
    the app only if it stays under the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, max_chars: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_chars = max_chars

    def _too_large(self) -> str:
        return f"The request body is too large: notes are limited to {self.max_chars:,} characters."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await send_json_error(send, 400, "BAD_REQUEST", "The Content-Length header is not a number.")
                return
            if int(length) > self.max_bytes:
                await send_json_error(send, 413, "NOTE_TOO_LARGE", self._too_large())
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_json_error(send, 413, "NOTE_TOO_LARGE", self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class AccessLogAndShield:
    """Logs ``METHOD /path STATUS ms`` (never the query or body) and turns a crash into a 500 JSON.

    It catches what the app did not, logs the exception type and frames only, and does not
    re-raise: the server's own error log would print the exception message.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(header for header in _SECURITY_HEADERS if header[0] not in names)
                if scope["path"].startswith("/v1/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # noqa: BLE001 - the shield: log safely, answer 500, never re-raise
            error_log.error(
                "unhandled error on %s %s: %s", scope["method"], scope["path"][:120], describe_exception(exc)
            )
            if not response_started:
                await send_json_error(
                    send_with_headers, 500, "INTERNAL_ERROR", "The service failed to process the request."
                )
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"][:120], status, elapsed_ms)
