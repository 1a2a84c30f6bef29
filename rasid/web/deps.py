"""Dependencies every route uses: the store, a unit of work, the signed-in caller, and what
the policy lets the caller read.

Routes declare them with the ``Annotated`` aliases below::

    def get_entity(entity_id: str, uow: Uow, caller: Caller, readable: Readable) -> ...

A caller is identified by an ``Authorization: Bearer`` token (API clients) or by the session
cookie (the browser). Every decision about what the caller may read or do is
``rasid.access.policy``'s; this module only asks it.
"""

import hmac
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Annotated, cast

from fastapi import Depends, Form, Header, Path, Query, Request, params

from rasid.access import sessions
from rasid.access.accounts import Scope, authenticate_token
from rasid.access.policy import Principal, check_purpose, require, visibility
from rasid.settings import get_settings
from rasid.store import Store, UnitOfWork
from rasid.store.statements import utcnow
from rasid.store.visibility import Visibility
from rasid.web.models import MAX_ID

SESSION_COOKIE = "rasid_session"
CSRF_HEADER = "X-CSRF-Token"
PURPOSE_HEADER = "X-Rasid-Purpose"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthenticated(Exception):
    """No valid token or session: 401 for the API, the sign-in page for pages."""


class MustChangePassword(Exception):
    """A session whose user still has a one-time password: pages send them to change it."""


class CsrfRejected(Exception):
    """A state-changing request made with the session cookie but without its CSRF token."""


def get_store(request: Request) -> Store:
    """The store the app was created with."""
    return cast(Store, request.app.state.store)


def unit_of_work(store: Annotated[Store, Depends(get_store)]) -> Iterator[UnitOfWork]:
    """One transaction for the request: committed when the route returns, rolled back when it
    raises. Routes never commit themselves."""
    with store.uow() as uow:
        yield uow


StoreDep = Annotated[Store, Depends(get_store)]
# scope="function": the transaction ends (and the connection returns to the pool) before
# the response is sent.
Uow = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]


def idle_timeout() -> timedelta:
    """How long a session may go without a request."""
    return timedelta(minutes=get_settings().session_idle_minutes)


def open_session(request: Request, uow: UnitOfWork) -> sessions.Session | None:
    """The open session of the request's cookie, remembered on the request."""
    if not hasattr(request.state, "session"):
        value = request.cookies.get(SESSION_COOKIE, "")
        request.state.session = sessions.find(uow.conn, value, idle_timeout()) if value else None
    return cast(sessions.Session | None, request.state.session)


def form_session(request: Request, uow: UnitOfWork, token: str) -> sessions.Session | None:
    """The session when ``token`` (a form's ``csrf_token`` field) is its CSRF token, else
    None."""
    session = open_session(request, uow)
    if session is None or not hmac.compare_digest(session.csrf_token, token):
        return None
    return session


def check_form(request: Request, uow: UnitOfWork, token: str) -> sessions.Session:
    """The session when ``token`` is its CSRF token; CsrfRejected otherwise (a forged or
    stale form)."""
    session = form_session(request, uow, token)
    if session is None:
        raise CsrfRejected("the form's CSRF token is missing or wrong: reload the page")
    return session


def current_principal(request: Request, uow: Uow) -> Principal:
    """The signed-in caller, by bearer token or by session cookie; Unauthenticated when
    there is neither (or it is invalid, expired, revoked, or its user disabled)."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        bearer = authenticate_token(uow.conn, value) if scheme.lower() == "bearer" else None
        if bearer is None:
            raise Unauthenticated("invalid, expired or revoked token")
        principal = Principal(bearer.user, bearer.token.scopes)
    else:
        session = open_session(request, uow)
        if session is None:
            raise Unauthenticated("sign in first")
        if session.user.must_change_password and request.url.path.startswith("/api/"):
            raise Unauthenticated("change the one-time password first (sign in in a browser)")
        if session.user.must_change_password:
            raise MustChangePassword(session.user.name)
        principal = Principal(session.user)
        request.state.principal = principal  # a refusal below is recorded under their name
        unsafe = request.method not in SAFE_METHODS and request.url.path.startswith("/api/")
        if unsafe and request.headers.get(CSRF_HEADER) != session.csrf_token:
            raise CsrfRejected(f"the {CSRF_HEADER} header is missing or wrong")
    request.state.principal = principal
    return principal


Caller = Annotated[Principal, Depends(current_principal)]


def clock_now(request: Request) -> datetime:
    """The time by the app's clock (the system's, or a test's): masking goes by it."""
    clock = getattr(request.app.state, "clock", utcnow)
    return cast(datetime, clock())


Now = Annotated[datetime, Depends(clock_now)]
Csrf = Annotated[str, Form(max_length=64)]
"""A page form's CSRF token field (``check_form`` checks it)."""
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record's number in a page's path, within what an id column holds."""


def readable_datasets(caller: Caller, uow: Uow, now: Now) -> Visibility:
    """What the caller may read, as the policy decides: the one need-to-know decision of
    the web layer (with the masking of personal data past its mask date). Every route
    passes it to every store call it makes."""
    return visibility(uow.conn, caller, now)


Readable = Annotated[Visibility, Depends(readable_datasets)]


def scoped(scope: Scope) -> params.Depends:
    """A dependency that lets the route run only for callers allowed ``scope``."""

    def check(caller: Caller) -> Principal:
        require(caller, scope)
        return caller

    return params.Depends(check)


def api_purpose(
    header: Annotated[
        str | None,
        Header(
            alias=PURPOSE_HEADER,
            description="Why the caller searches or reads personal data (a case or file "
            "reference): required, and recorded in the audit log. The `purpose` query "
            "parameter may be used instead.",
        ),
    ] = None,
    purpose: Annotated[
        str | None, Query(description=f"The purpose, when the {PURPOSE_HEADER} header is not set")
    ] = None,
) -> str:
    """The purpose an API call states (header or query), checked."""
    return check_purpose(header or purpose)


ApiPurpose = Annotated[str, Depends(api_purpose)]
