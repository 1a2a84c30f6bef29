"""Signing in and out, and changing a password, in the browser.

Sign-in takes the user name, the password and the code of the user's authenticator app.
The form is protected against cross-site submission by a value in a short-lived cookie
that the form must repeat; once signed in, every form carries the session's CSRF token.
Failed sign-ins are counted per account (``rasid.access.accounts`` locks it) and per client
address (``rasid.access.throttle``: after ``RASID_SIGN_IN_THROTTLE`` failures from one
address in 15 minutes, that address must wait), both in the store.
"""

import hmac
import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from rasid.access import sessions, throttle
from rasid.access.accounts import change_password, sign_in
from rasid.access.errors import AccessError
from rasid.model.errors import worded
from rasid.settings import get_settings
from rasid.store.statements import utcnow
from rasid.web.deps import SESSION_COOKIE, Uow, form_session, open_session
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

SIGN_IN_COOKIE = "rasid_sign_in"  # the sign-in form's anti-forgery value
# Messages the account forms show, by catalogue key (chosen at run time).
FAILED, THROTTLED, EXPIRED, MISMATCH = (
    "account.failed",
    "account.throttled",
    "account.form_expired",
    "account.mismatch",
)
MESSAGES = (FAILED, THROTTLED, EXPIRED, MISMATCH)


def source_of(request: Request) -> str:
    """The client's address, as the server sees it."""
    return request.client.host if request.client else ""


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _sign_in_form(
    request: Request, next_url: str, error: str = "", status: int = 200, user: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "sign_in.html",
        {"nav": "", "next": next_url, "error": error, "form_token": token, "user": user},
        status=status,
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=1800,
        httponly=True,
        secure=get_settings().cookie_secure,
        samesite="strict",
        path="/sign-in",
    )
    return response


@router.get("/sign-in", name="sign_in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return _sign_in_form(request, safe_next(next))


@router.post("/sign-in")
def sign_in_submit(
    request: Request,
    uow: Uow,
    user: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
    form_token: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password and the code; on success open a session and go on."""
    target = safe_next(next)
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, form_token):
        return _sign_in_form(request, target, EXPIRED, 400, user)
    source, now = source_of(request), utcnow()
    if throttle.blocked(uow.conn, source, now, get_settings().sign_in_throttle):
        return _sign_in_form(request, target, THROTTLED, 429, user)
    name = user.strip().lower()
    result = sign_in(uow.conn, name, password, code, source)
    if result.user is None:
        throttle.failed(uow.conn, source, now)
        return _sign_in_form(request, target, FAILED, 401, user)
    lifetime = timedelta(hours=get_settings().session_hours)
    value, _ = sessions.start(uow.conn, result.user, source, lifetime)
    goes = "/account/password" if result.user.must_change_password else target
    response = RedirectResponse(goes, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        secure=get_settings().cookie_secure,
        samesite="strict",
        path="/",
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out", name="sign_out")
def sign_out(
    request: Request, uow: Uow, csrf_token: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    """End the session."""
    if form_session(request, uow, csrf_token) is not None:
        sessions.end(uow.conn, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account/password", name="password")
def password_page(request: Request, uow: Uow) -> Response:
    """The form to change one's password (required after a one-time password)."""
    session = open_session(request, uow)
    if session is None:
        return RedirectResponse("/sign-in?next=/account/password", status_code=303)
    return _password_form(request, session)


def _password_form(
    request: Request, session: sessions.Session, error: str = "", status: int = 200
) -> Response:
    context = {
        "nav": "",
        "error": error,
        "forced": session.user.must_change_password,
        "csrf_token": session.csrf_token,
    }
    return render(request, "password.html", context, status=status)


@router.post("/account/password")
def password_submit(
    request: Request,
    uow: Uow,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    repeat: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Change the password: the current one, and the new one twice."""
    session = form_session(request, uow, csrf_token)
    if session is None:
        return RedirectResponse("/sign-in?next=/account/password", status_code=303)
    if new != repeat:
        return _password_form(request, session, MISMATCH, 422)
    try:
        change_password(uow.conn, session.user.name, current, new, source_of(request))
    except AccessError as exc:
        return _password_form(request, session, worded(exc, page_lang(request)), 422)
    return RedirectResponse("/", status_code=303)
