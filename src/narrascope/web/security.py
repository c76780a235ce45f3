"""ASGI middleware guarding the workbench: headers, allowed hosts, request size, request rate.

Each answers a refused request itself with the JSON error shape the API
uses (``{"error": {"code", "message"}}``) and lets every other request through.
"""
from __future__ import annotations

import hmac
import json
import threading
import time

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


async def send_error(send, status: int, code: str, message: str, extra: list[tuple[bytes, bytes]] = ()) -> None:
    body = error_body(code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *HEADERS, *extra]})
    await send({"type": "http.response.body", "body": body})


def token_ok(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class SecurityHeaders:
    """Adds CSP, nosniff, referrer and framing headers to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        return await self.app(scope, receive, with_headers)


class AllowedHosts:
    """Refuses requests whose Host header is not one this server answers to (DNS rebinding)."""

    def __init__(self, app, hosts: set[str]) -> None:
        self.app, self.hosts = app, {h.lower() for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and "*" not in self.hosts:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
            if name not in self.hosts:
                return await send_error(send, 400, "bad_host", f"this server does not answer to host {host!r}")
        return await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` (413), by Content-Length or while reading."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        message = f"request body over the limit of {self.max_bytes} bytes"
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await send_error(send, 413, "too_large", message)
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return msg

        async def tracking(msg):
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            return await self.app(scope, counted, tracking)
        except _TooLarge:
            if not started:
                return await send_error(send, 413, "too_large", message)
            raise


class RateLimit:
    """At most ``rate`` requests a second per client address, with bursts of ``2 * rate`` (429 past that)."""

    def __init__(self, app, rate: float) -> None:
        self.app, self.rate, self.burst = app, rate, max(1.0, 2 * rate)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            ok = tokens >= 1.0
            self.buckets[client] = (tokens - 1.0 if ok else tokens, now)
            if len(self.buckets) > 10000:
                self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 60}
        return ok

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and self.rate > 0:
            client = (scope.get("client") or ("?", 0))[0]
            if not self.allow(client):
                return await send_error(send, 429, "rate_limited", f"more than {self.rate:g} requests a second",
                                        [(b"retry-after", b"1")])
        return await self.app(scope, receive, send)
