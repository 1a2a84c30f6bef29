"""People: users of an agency with a role, how they sign in, and their API tokens.

Every account signs in with a password (Argon2id-hashed) and a TOTP code. An account
created by an administrator gets a generated one-time password, to be changed at first
sign-in, and a TOTP secret shown once. Failed sign-ins are counted; after
``LOCK_AFTER`` in a row the account is locked for ``LOCK_MINUTES``, and while it is locked
even the right password and code fail. The reason a sign-in failed is recorded in the
audit log, never told to the person signing in.

API tokens read ``rasid_<id>_<secret>``: the id is public and finds the token, only the
SHA-256 of the secret is stored, and a token carries scopes that narrow what its user may
do through it. Tokens expire or are revoked; a disabled user's tokens stop working.
"""

import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from rasid.access import audit
from rasid.access.errors import AccessError
from rasid.access.passwords import (
    burn_time,
    check_policy,
    generate_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from rasid.access.registry import get_agency
from rasid.access.sealing import Keys, is_sealed, seal, unseal
from rasid.access.totp import matching_step, new_secret
from rasid.model.keys import sha256_hex
from rasid.store.statements import utcnow
from rasid.store.tables import api_token, app_user, web_session
from rasid.store.uow import at_commit

LOCK_AFTER = 5  # failed sign-ins in a row that lock an account
LOCK_MINUTES = 15
TOKEN_PREFIX = "rasid"
_USER_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class Role(StrEnum):
    """What a user does in the cell (DESIGN.md, "Who uses it")."""

    ANALYST = "analyst"
    FOCAL_POINT = "focal_point"
    PIU_OFFICER = "piu_officer"
    SUPERVISOR = "supervisor"
    DPO = "dpo"  # data-protection officer
    ADMIN = "admin"
    COORDINATOR = "coordinator"  # coordination officer: technical assistance


class Scope(StrEnum):
    """What an API token may be used for (within what its user may do)."""

    READ = "read"  # search, read entities and datasets
    SCREEN = "screen"  # screen names against watchlists
    REVIEW = "review"  # decide on hits
    INGEST = "ingest"  # import data
    EXCHANGE = "exchange"  # messages, requests and reports
    AUDIT = "audit"  # read the audit log
    RULES = "rules"  # write targeting rules for traveller screening
    RETENTION = "retention"  # run retention, decide on requests to see masked data again
    RESOLVE = "resolve"  # run entity resolution, judge whether two records are one entity
    MONITOR = "monitor"  # assess, review and revise nexus monitoring assessments
    ASSIST = "assist"  # technical-assistance coordination: needs, roadmaps, projects, matches


@dataclass(frozen=True)
class User:
    """An account (never its password hash or TOTP secret)."""

    name: str
    agency: str
    role: Role
    display_name: str = ""
    must_change_password: bool = False
    locked_until: datetime | None = None
    disabled_at: datetime | None = None
    created_at: datetime | None = None
    last_sign_in: datetime | None = None

    @property
    def active(self) -> bool:
        """Not disabled."""
        return self.disabled_at is None


@dataclass(frozen=True)
class Enrolment:
    """What a new or reset account is given, to be shown once: the one-time password and
    the TOTP secret."""

    user: User
    password: str
    totp_secret: str


def _user(row: Any) -> User:
    return User(
        name=row.name,
        agency=row.agency,
        role=Role(row.role),
        display_name=row.display_name,
        must_change_password=row.must_change_password,
        locked_until=row.locked_until,
        disabled_at=row.disabled_at,
        created_at=row.created_at,
        last_sign_in=row.last_sign_in,
    )


def check_user_name(name: str) -> str:
    """Return ``name`` if it can name a user, else raise AccessError."""
    if not _USER_NAME.match(name):
        raise AccessError(  # english-only: the administrator's command line
            f"invalid user name {name!r}: 2 to 64 lower-case letters, digits, dots, dashes "
            "or underscores, starting with a letter or digit"
        )
    return name


def parse_role(value: str) -> Role:
    """The role named ``value``, else AccessError listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise AccessError(  # english-only: the administrator's command line
            f"unknown role {value!r}: one of {', '.join(r.value for r in Role)}"
        ) from None


def add_user(
    conn: Connection,
    name: str,
    agency: str,
    role: Role,
    actor: str,
    display_name: str = "",
    password: str | None = None,
) -> Enrolment:
    """Create an account. Without ``password`` a one-time password is generated, to be
    changed at first sign-in. Returns what to give the user, once."""
    check_user_name(name)
    if get_agency(conn, agency) is None:
        raise AccessError(
            f"unknown agency {agency!r}: add it first (rasid agencies add)"
        )  # english-only: the administrator's command line
    if get_user(conn, name) is not None:
        raise AccessError(
            f"user {name!r} exists already"
        )  # english-only: the administrator's command line
    if password is not None:
        check_policy(password, name)
    chosen = password or generate_password()
    secret = new_secret()
    now = utcnow()
    conn.execute(
        app_user.insert().values(
            name=name,
            agency=agency,
            role=role.value,
            display_name=display_name,
            password_hash=hash_password(chosen),
            must_change_password=password is None,
            totp_secret=seal(secret, name),
            last_totp_step=0,
            failed_sign_ins=0,
            created_at=now,
        )
    )
    audit.append(conn, actor, "user.add", name, detail={"agency": agency, "role": role.value})
    user = get_user(conn, name)
    assert user is not None
    return Enrolment(user, chosen, secret)


def get_user(conn: Connection, name: str) -> User | None:
    """The account with this name, or None."""
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    return None if row is None else _user(row)


def list_users(conn: Connection, agency: str | None = None) -> list[User]:
    """Every account (of one agency, if given), by name."""
    query = select(app_user).order_by(app_user.c.name)
    if agency:
        query = query.where(app_user.c.agency == agency)
    return [_user(row) for row in conn.execute(query)]


def _require(conn: Connection, name: str) -> User:
    user = get_user(conn, name)
    if user is None:
        raise AccessError(
            f"unknown user {name!r}"
        )  # english-only: the administrator's command line
    return user


def reset_user(conn: Connection, name: str, actor: str) -> Enrolment:
    """A new one-time password and TOTP secret (a lost phone, a forgotten password); the
    lock and the failure count are cleared, the user's tokens revoked."""
    _require(conn, name)
    password, secret = generate_password(), new_secret()
    conn.execute(
        update(app_user)
        .where(app_user.c.name == name)
        .values(
            password_hash=hash_password(password),
            must_change_password=True,
            totp_secret=seal(secret, name),
            last_totp_step=0,
            failed_sign_ins=0,
            locked_until=None,
        )
    )
    revoked = _revoke_all(conn, name)
    ended = end_sessions(conn, name)
    audit.append(
        conn,
        actor,
        "user.reset",
        name,
        detail={"tokens_revoked": revoked, "sessions_ended": ended},
    )
    return Enrolment(_require(conn, name), password, secret)


def set_disabled(conn: Connection, name: str, disabled: bool, actor: str) -> User:
    """Disable an account (it can no longer sign in or use its tokens) or enable it again."""
    _require(conn, name)
    conn.execute(
        update(app_user)
        .where(app_user.c.name == name)
        .values(disabled_at=utcnow() if disabled else None)
    )
    ended = end_sessions(conn, name) if disabled else 0
    audit.append(
        conn,
        actor,
        "user.disable" if disabled else "user.enable",
        name,
        detail={"sessions_ended": ended} if disabled else {},
    )
    return _require(conn, name)


def end_sessions(conn: Connection, name: str) -> int:
    """End every open browser session of a user; returns how many."""
    result = conn.execute(
        update(web_session)
        .where(web_session.c.user_name == name, web_session.c.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(result.rowcount)


def unlock(conn: Connection, name: str, actor: str) -> User:
    """Lift a lock-out before it ends."""
    _require(conn, name)
    conn.execute(
        update(app_user).where(app_user.c.name == name).values(failed_sign_ins=0, locked_until=None)
    )
    audit.append(conn, actor, "user.unlock", name)
    return _require(conn, name)


def set_role(conn: Connection, name: str, role: Role, actor: str) -> User:
    """Give a user another role."""
    before = _require(conn, name)
    conn.execute(update(app_user).where(app_user.c.name == name).values(role=role.value))
    audit.append(
        conn, actor, "user.role", name, detail={"from": before.role.value, "to": role.value}
    )
    return _require(conn, name)


def totp_secret(conn: Connection, name: str) -> str:
    """The user's TOTP secret (for enrolment screens and tests)."""
    row = conn.execute(select(app_user.c.totp_secret).where(app_user.c.name == name)).first()
    if row is None:
        raise AccessError(
            f"unknown user {name!r}"
        )  # english-only: the administrator's command line
    return unseal(str(row.totp_secret), name)


def reseal_secrets(conn: Connection, actor: str, keys: Keys | None = None) -> int:
    """Seal every TOTP secret again with the current key (after a key rotation; secrets
    stored before sealing existed are sealed too). Returns how many were sealed."""
    rows = list(conn.execute(select(app_user.c.name, app_user.c.totp_secret)))
    for row in rows:
        secret = unseal(str(row.totp_secret), row.name, keys)
        conn.execute(
            update(app_user)
            .where(app_user.c.name == row.name)
            .values(totp_secret=seal(secret, row.name, keys))
        )
    audit.append(conn, actor, "keys.reseal", "app_user", detail={"secrets": len(rows)})
    return len(rows)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user when it succeeded, else why not (for the audit
    log; the person signing in is told only that it failed)."""

    user: User | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        """The sign-in succeeded."""
        return self.user is not None


def sign_in(
    conn: Connection,
    name: str,
    password: str,
    code: str,
    source: str = "",
    now: datetime | None = None,
    when: float | None = None,
) -> SignIn:
    """Check a user's password and TOTP code, count failures, lock after too many, and
    record the attempt in the audit log. The caller commits: a failed attempt must count.
    ``now`` (the store's time) and ``when`` (Unix time for the TOTP step) are for tests."""
    at = now or utcnow()
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    detail = {"source": source} if source else {}
    if row is None:
        burn_time(password)
        return _failed(conn, name, None, "no such user", detail)
    if row.disabled_at is not None:
        burn_time(password)
        return _failed(conn, name, row.agency, "account disabled", detail)
    if row.locked_until is not None and row.locked_until > at:
        burn_time(password)
        return _failed(conn, name, row.agency, f"locked until {row.locked_until}", detail)
    if not verify_password(row.password_hash, password):
        return _count_failure(conn, row, at, "wrong password", detail)
    try:
        secret = unseal(row.totp_secret, name)
    except AccessError as exc:  # the key file is missing a key, or the row was tampered with
        return _failed(conn, name, row.agency, str(exc), detail)
    step = matching_step(secret, code, row.last_totp_step, when)
    if step is None:
        return _count_failure(conn, row, at, "wrong or reused TOTP code", detail)
    values: dict[str, Any] = {
        "failed_sign_ins": 0,
        "locked_until": None,
        "last_totp_step": step,
        "last_sign_in": at,
    }
    if needs_rehash(row.password_hash):
        values["password_hash"] = hash_password(password)
    if not is_sealed(row.totp_secret):
        values["totp_secret"] = seal(secret, name)  # stored before sealing existed
    conn.execute(update(app_user).where(app_user.c.name == name).values(**values))
    audit.append(conn, name, "sign_in", name, agency=row.agency, detail=detail)
    return SignIn(_require(conn, name))


def _failed(
    conn: Connection, name: str, agency: str | None, reason: str, detail: dict[str, Any]
) -> SignIn:
    audit.append(
        conn,
        name,
        "sign_in",
        name,
        agency=agency,
        outcome="failed",
        detail={**detail, "reason": reason},
    )
    return SignIn(None, reason)


def _count_failure(
    conn: Connection, row: Any, at: datetime, reason: str, detail: dict[str, Any]
) -> SignIn:
    failures = row.failed_sign_ins + 1
    values: dict[str, Any] = {"failed_sign_ins": failures}
    if failures >= LOCK_AFTER:
        values = {"failed_sign_ins": 0, "locked_until": at + timedelta(minutes=LOCK_MINUTES)}
        reason = f"{reason}; locked for {LOCK_MINUTES} minutes after {failures} failures"
    conn.execute(update(app_user).where(app_user.c.name == row.name).values(**values))
    return _failed(conn, row.name, row.agency, reason, detail)


def change_password(conn: Connection, name: str, current: str, new: str, source: str = "") -> User:
    """Replace a password, knowing the current one; the new one must meet the policy."""
    row = conn.execute(select(app_user).where(app_user.c.name == name)).first()
    if row is None or not verify_password(row.password_hash, current):
        raise AccessError("the current password is wrong", arabic="كلمة المرور الحالية خاطئة")
    if new == current:
        raise AccessError(
            "the new password must differ from the current one",
            arabic="يجب أن تختلف كلمة المرور الجديدة عن الحالية",
        )
    check_policy(new, name)
    conn.execute(
        update(app_user)
        .where(app_user.c.name == name)
        .values(password_hash=hash_password(new), must_change_password=False)
    )
    audit.append(
        conn,
        name,
        "user.password",
        name,
        agency=row.agency,
        detail={"source": source} if source else {},
    )
    return _require(conn, name)


# API tokens


@dataclass(frozen=True)
class Token:
    """An API token's public record (never its secret)."""

    id: str
    user_name: str
    scopes: frozenset[Scope]
    label: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def _token(row: Any) -> Token:
    return Token(
        id=row.id,
        user_name=row.user_name,
        scopes=frozenset(Scope(s) for s in row.scopes.split()),
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def parse_scopes(values: list[str]) -> frozenset[Scope]:
    """Scopes by name (comma- or space-separated allowed), else AccessError."""
    found: set[Scope] = set()
    for value in values:
        for name in re.split(r"[,\s]+", value.strip()):
            if not name:
                continue
            try:
                found.add(Scope(name))
            except ValueError:
                raise AccessError(  # english-only: the administrator's command line
                    f"unknown scope {name!r}: one of {', '.join(s.value for s in Scope)}"
                ) from None
    return frozenset(found)


def create_token(
    conn: Connection,
    user_name: str,
    scopes: frozenset[Scope],
    actor: str,
    label: str = "",
    expires_at: datetime | None = None,
) -> tuple[Token, str]:
    """A new token for a user; returns its record and the token text, to be shown once."""
    user = _require(conn, user_name)
    if not user.active:
        raise AccessError(
            f"user {user_name!r} is disabled"
        )  # english-only: the administrator's command line
    if not scopes:
        raise AccessError(
            "a token needs at least one scope"
        )  # english-only: the administrator's command line
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    conn.execute(
        api_token.insert().values(
            id=token_id,
            user_name=user_name,
            secret_hash=sha256_hex(secret),
            scopes=" ".join(sorted(s.value for s in scopes)),
            label=label,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    audit.append(
        conn,
        actor,
        "token.create",
        user_name,
        detail={"token": token_id, "scopes": sorted(s.value for s in scopes), "label": label},
    )
    record = get_token(conn, token_id)
    assert record is not None
    return record, f"{TOKEN_PREFIX}_{token_id}_{secret}"


def get_token(conn: Connection, token_id: str) -> Token | None:
    """A token's record by its id, or None."""
    row = conn.execute(select(api_token).where(api_token.c.id == token_id)).first()
    return None if row is None else _token(row)


def list_tokens(conn: Connection, user_name: str | None = None) -> list[Token]:
    """Tokens (of one user, if given), newest first."""
    query = select(api_token).order_by(api_token.c.created_at.desc(), api_token.c.id)
    if user_name:
        query = query.where(api_token.c.user_name == user_name)
    return [_token(row) for row in conn.execute(query)]


def revoke_token(conn: Connection, token_id: str, actor: str) -> Token:
    """Revoke a token (for good)."""
    token = get_token(conn, token_id)
    if token is None:
        raise AccessError(
            f"unknown token {token_id!r}"
        )  # english-only: the administrator's command line
    if token.revoked_at is None:
        conn.execute(
            update(api_token).where(api_token.c.id == token_id).values(revoked_at=utcnow())
        )
        audit.append(conn, actor, "token.revoke", token.user_name, detail={"token": token_id})
    revoked = get_token(conn, token_id)
    assert revoked is not None
    return revoked


def _revoke_all(conn: Connection, user_name: str) -> int:
    result = conn.execute(
        update(api_token)
        .where(api_token.c.user_name == user_name, api_token.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)


# A token and its user in one query (every API request asks it).
_TOKEN_WITH_USER = select(
    app_user,
    *(c for c in api_token.c if c.name != "created_at"),
    api_token.c.created_at.label("token_created_at"),
).join(app_user, app_user.c.name == api_token.c.user_name)


@dataclass(frozen=True)
class Bearer:
    """Who a valid token speaks for, and within which scopes."""

    user: User
    token: Token


def authenticate_token(conn: Connection, text: str, now: datetime | None = None) -> Bearer | None:
    """The user and token behind an ``Authorization: Bearer`` value, or None when the
    token is malformed, unknown, wrong, revoked, expired, or its user is disabled."""
    at = now or utcnow()
    prefix, _, rest = text.strip().partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret:
        return None
    row = conn.execute(_TOKEN_WITH_USER.where(api_token.c.id == token_id)).first()
    if row is None or not hmac.compare_digest(row.secret_hash, sha256_hex(secret)):
        return None
    token = replace(_token(row), created_at=row.token_created_at)
    user = _user(row)
    if not user.active or not token.usable(at):
        return None
    if token.last_used_at is None or at - token.last_used_at >= timedelta(minutes=1):
        touch = update(api_token).where(api_token.c.id == token_id).values(last_used_at=at)
        at_commit(conn, lambda c: c.execute(touch), f"token:{token_id}")
    return Bearer(user, token)
