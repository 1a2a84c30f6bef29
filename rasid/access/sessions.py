"""Browser sessions: a random value in a cookie, of which only the SHA-256 is stored.

A session ends after ``idle`` without a request, after ``lifetime`` whatever happens, at
sign-out, or when its user is disabled. Each carries a CSRF token that every form and every
state-changing request made with the cookie must echo, and the purpose the user works under
(recorded with each read of personal data).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from rasid.access.accounts import User, get_user
from rasid.model.keys import sha256_hex
from rasid.store.statements import utcnow
from rasid.store.tables import web_session
from rasid.store.uow import at_commit

TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often


@dataclass(frozen=True)
class Session:
    """An open session: its user, CSRF token and current purpose."""

    user: User
    csrf_token: str
    purpose: str
    created_at: datetime
    expires_at: datetime


def start(conn: Connection, user: User, source: str, lifetime: timedelta) -> tuple[str, str]:
    """Open a session for a signed-in user; returns the cookie value and the CSRF token."""
    value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    conn.execute(
        web_session.insert().values(
            id_hash=sha256_hex(value),
            user_name=user.name,
            csrf_token=csrf,
            purpose="",
            source=source[:200],
            created_at=now,
            last_seen=now,
            expires_at=now + lifetime,
        )
    )
    return value, csrf


def find(
    conn: Connection, value: str, idle: timedelta, now: datetime | None = None
) -> Session | None:
    """The open session of a cookie value, or None (unknown, ended, idle too long, past
    its lifetime, or its user disabled). Keeps the session alive."""
    if not value or len(value) > 100:
        return None
    at = now or utcnow()
    key = sha256_hex(value)
    row = conn.execute(select(web_session).where(web_session.c.id_hash == key)).first()
    if row is None or row.ended_at is not None:
        return None
    if row.expires_at <= at or row.last_seen + idle <= at:
        conn.execute(update(web_session).where(web_session.c.id_hash == key).values(ended_at=at))
        return None
    user = get_user(conn, row.user_name)
    if user is None or not user.active:
        return None
    if at - row.last_seen >= TOUCH_EVERY:
        touch = update(web_session).where(web_session.c.id_hash == key).values(last_seen=at)
        at_commit(conn, lambda c: c.execute(touch), f"session:{key}")
    return Session(user, row.csrf_token, row.purpose, row.created_at, row.expires_at)


def end(conn: Connection, value: str) -> None:
    """End a session (sign-out)."""
    conn.execute(
        update(web_session)
        .where(web_session.c.id_hash == sha256_hex(value), web_session.c.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def set_purpose(conn: Connection, value: str, purpose: str) -> None:
    """Record the purpose the session's user now works under."""
    conn.execute(
        update(web_session)
        .where(web_session.c.id_hash == sha256_hex(value))
        .values(purpose=purpose)
    )
