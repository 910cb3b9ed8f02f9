"""ASGI middlewares: the session of each page request (loaded before, saved after, its cookie set once), and a
CSRF check on every form post.

Plain ASGI rather than Starlette's BaseHTTPMiddleware, which would copy every body and add a task per request.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .sessions import COOKIE, SessionStore, utcnow

SESSIONLESS = ("/static/", "/healthz", "/readyz")
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Sessions:
    def __init__(self, app: ASGIApp, store: SessionStore, *, secure: bool) -> None:
        self.app, self.store, self.secure = app, store, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SESSIONLESS):
            await self.app(scope, receive, send)
            return
        cookies = SimpleCookie()
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookies.load(value.decode("latin-1"))
        current = cookies[COOKIE].value if COOKIE in cookies else None
        session = await self.store.load(current, utcnow())
        scope.setdefault("state", {})["session"] = session

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if session.ended:
                    headers.append("Set-Cookie", f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
                elif session.new:
                    secure = "; Secure" if self.secure else ""
                    headers.append("Set-Cookie", f"{COOKIE}={session.id}; Path=/; HttpOnly; SameSite=Lax{secure}")
            await send(message)

        try:
            await self.app(scope, receive, with_cookie)
        finally:
            await self.store.save(session)


class CsrfFailed(Exception):
    pass


class Csrf:
    """A form post must carry the session's CSRF token (a hidden field of every form); else 403. The body is read
    here and handed on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE or scope["path"].startswith(SESSIONLESS):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
        token = ""
        if content_type.startswith("application/x-www-form-urlencoded"):
            token = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [""])[0]
        elif content_type.startswith("multipart/form-data"):
            token = _multipart_field(body, content_type, CSRF_FIELD)
        session = scope["state"]["session"]
        if not token or not secrets.compare_digest(token, session.csrf):
            scope["state"]["csrf_failed"] = True
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _multipart_field(body: bytes, content_type: str, name: str) -> str:
    boundary = content_type.split("boundary=", 1)[-1].strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if f'name="{name}"'.encode() in head:
            return value.rstrip(b"\r\n").decode("utf-8", "replace")
    return ""
