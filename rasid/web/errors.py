"""One table from Rasid's errors to HTTP responses: JSON under /api, an HTML page elsewhere."""

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from rasid.access import audit
from rasid.access.errors import AccessError
from rasid.access.policy import Denied, PurposeMissing
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.exchange.errors import ExchangeError, UnknownMessage
from rasid.model.errors import ModelError, Worded, worded
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.resolve.errors import ResolveError, UnknownPair
from rasid.retention.errors import RetentionError, UnknownUnmaskRequest
from rasid.screen.errors import ScreenError, UnknownHit
from rasid.store.errors import NotInitialised, StoreError
from rasid.web.deps import CsrfRejected, MustChangePassword, Unauthenticated, get_store
from rasid.web.render import page_lang, render_error


class NotFound(Worded, LookupError):
    """The thing asked for does not exist, or the caller may read none of it (the two are
    deliberately indistinguishable)."""


# Most specific first: the first class an error is an instance of decides its status.
ERRORS: tuple[tuple[type[Exception], int], ...] = (
    (Unauthenticated, 401),
    (MustChangePassword, 401),
    (Denied, 403),
    (CsrfRejected, 403),
    (PurposeMissing, 422),
    (NotFound, 404),
    (UnknownMessage, 404),
    (ExchangeError, 422),
    (UnknownHit, 404),
    (UnknownPair, 404),
    (ResolveError, 422),
    (UnknownUnmaskRequest, 404),
    (RetentionError, 422),
    (UnknownAssessment, 404),
    (UnknownRecord, 404),
    (AssistError, 422),
    (MonitorError, 422),
    (ModelError, 422),
    (ScreenError, 422),
    (AccessError, 409),
    (NotInitialised, 503),
    (StoreError, 503),
)


# Refusals the audit log keeps (the request's own transaction, and anything it would have
# recorded, was rolled back): who tried what, and why it was refused.
AUDITED_REFUSALS: tuple[tuple[type[Exception], str], ...] = (
    (Denied, "denied"),
    (CsrfRejected, "denied"),
    (PurposeMissing, "refused"),
)


def record_refusal(request: Request, exc: Exception) -> None:
    """Put a refused request in the audit log, in a transaction of its own."""
    outcome = next((o for cls, o in AUDITED_REFUSALS if isinstance(exc, cls)), None)
    if outcome is None:
        return
    principal = getattr(request.state, "principal", None)
    actor = principal.name if principal is not None else "anonymous"
    agency = principal.agency if principal is not None else None
    with get_store(request).uow() as uow:
        audit.append(
            uow.conn,
            actor,
            "request.refused",
            request.url.path,
            agency=agency,
            outcome=outcome,
            detail={"method": request.method, "reason": str(exc)[:500]},
        )


def status_for(exc: Exception) -> int:
    """The HTTP status for one of Rasid's errors (500 for anything else)."""
    return next((status for cls, status in ERRORS if isinstance(exc, cls)), 500)


def wants_json(request: Request) -> bool:
    """True for API requests: they get JSON errors, pages get an HTML error page."""
    return request.url.path.startswith("/api/")


async def handle_error(request: Request, exc: Exception) -> Response:
    """Answer one of the errors in ``ERRORS`` with its status and message. A page that
    needs a signed-in user sends the browser to sign in (and back here afterwards), or to
    change a one-time password. A refusal by the policy is recorded in the audit log."""
    status = status_for(exc)
    await run_in_threadpool(record_refusal, request, exc)
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
    if isinstance(exc, Unauthenticated):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?{urlencode({'next': here})}", status_code=303)
    if isinstance(exc, MustChangePassword):
        return RedirectResponse("/account/password", status_code=303)
    return render_error(request, status, worded(exc, page_lang(request)))


async def handle_http(request: Request, exc: Exception) -> Response:
    """Framework errors (unknown route, wrong method): JSON under /api, else an HTML page."""
    assert isinstance(exc, HTTPException)
    if wants_json(request):
        return await http_exception_handler(request, exc)
    return render_error(request, exc.status_code, str(exc.detail), headers=exc.headers)


async def handle_invalid(request: Request, exc: Exception) -> Response:
    """Invalid parameters: FastAPI's detailed 422 under /api, else an HTML page."""
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return await request_validation_exception_handler(request, exc)
    fields = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
    return render_error(request, 422, fields)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    for cls, _status in ERRORS:
        app.add_exception_handler(cls, handle_error)
    app.add_exception_handler(HTTPException, handle_http)
    app.add_exception_handler(RequestValidationError, handle_invalid)
