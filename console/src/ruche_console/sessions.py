"""Server-side sessions: the browser holds only an opaque id in an HTTP-only, SameSite cookie (Secure over https);
tokens, the CSRF secret and the language stay here, in the console's own database (stored under the SHA-256 of
the id, so a database reader cannot replay a cookie).

Every visitor gets a session at the first page, anonymous until signing in, so public forms have a CSRF secret
too. A session ends after `idle` without a request or `max_age` in all, and at sign-out.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

COOKIE = "ruche_session"
SESSIONS = "sessions"


@dataclass
class Signed:
    """Who signed in, as the access token says, and the tokens (never sent to the browser)."""

    subject: str
    tenant: str
    kind: str
    permissions: list[str]
    login: str
    access_token: str
    access_expires_at: datetime
    refresh_token: str | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass
class Session:
    id: str  # the cookie value (never stored)
    csrf: str
    created_at: datetime
    seen_at: datetime
    language: str | None = None
    signed: Signed | None = None
    flashes: list[tuple[str, str]] = field(default_factory=list)  # (kind, message) shown once
    new: bool = False
    changed: bool = False
    ended: bool = False

    def flash(self, message: str, kind: str = "success") -> None:
        self.flashes.append((kind, message))
        self.changed = True

    def take_flashes(self) -> list[tuple[str, str]]:
        taken, self.flashes = self.flashes, []
        if taken:
            self.changed = True
        return taken


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    def __init__(self, db: AsyncDatabase[Any], *, idle: timedelta, max_age: timedelta) -> None:
        self._collection = db[SESSIONS]
        self.idle, self.max_age = idle, max_age

    @classmethod
    def connect(cls, url: str, database: str, *, idle: timedelta, max_age: timedelta) -> tuple[SessionStore, Any]:
        client: AsyncMongoClient[Any] = AsyncMongoClient(url, serverSelectionTimeoutMS=3000, tz_aware=True)
        return cls(client[database], idle=idle, max_age=max_age), client

    def fresh(self, now: datetime) -> Session:
        return Session(
            id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), created_at=now, seen_at=now, new=True
        )

    async def load(self, session_id: str | None, now: datetime) -> Session:
        """The session the cookie names, or a fresh anonymous one when it names none that is still alive."""
        if session_id:
            doc = await self._collection.find_one({"_id": _key(session_id)})
            if doc is not None and now - doc["seen_at"] < self.idle and now - doc["created_at"] < self.max_age:
                session = _from_doc(session_id, doc)
                session.seen_at = now
                return session
            if doc is not None:
                await self._collection.delete_one({"_id": _key(session_id)})
        return self.fresh(now)

    async def save(self, session: Session) -> None:
        if session.ended:
            await self._collection.delete_one({"_id": _key(session.id)})
            return
        await self._collection.replace_one({"_id": _key(session.id)}, _to_doc(session), upsert=True)

    async def remove_expired(self, now: datetime) -> int:
        result = await self._collection.delete_many(
            {"$or": [{"seen_at": {"$lt": now - self.idle}}, {"created_at": {"$lt": now - self.max_age}}]}
        )
        return result.deleted_count

    async def ping(self) -> bool:
        try:
            await self._collection.database.command("ping")
        except Exception:
            return False
        return True


def _to_doc(session: Session) -> dict[str, Any]:
    signed = session.signed
    return {
        "csrf": session.csrf,
        "created_at": session.created_at,
        "seen_at": session.seen_at,
        "language": session.language,
        # Documents, not pairs: FerretDB stores no nested arrays.
        "flashes": [{"kind": kind, "message": message} for kind, message in session.flashes],
        "signed": None if signed is None else signed.__dict__,
    }


def _from_doc(session_id: str, doc: dict[str, Any]) -> Session:
    signed = doc.get("signed")
    return Session(
        id=session_id,
        csrf=doc["csrf"],
        created_at=doc["created_at"],
        seen_at=doc["seen_at"],
        language=doc.get("language"),
        signed=Signed(**signed) if signed else None,
        flashes=[(f["kind"], f["message"]) for f in doc.get("flashes", [])],
    )


def utcnow() -> datetime:
    return datetime.now(UTC)
