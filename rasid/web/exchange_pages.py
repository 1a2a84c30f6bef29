"""The exchange in the browser: the inbox (with overdue requests and re-shares to decide),
a message with its receipts, acknowledging, and composing a message or report.

Pages go through the same services as the API (``rasid.exchange``); forms carry the
session's CSRF token.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from rasid.access.accounts import Scope, list_users
from rasid.access.policy import require
from rasid.access.registry import list_agencies
from rasid.exchange import reshare
from rasid.exchange.errors import ExchangeError
from rasid.exchange.messages import (
    BODY_MAX,
    SUBJECT_MAX,
    Draft,
    Kind,
    Recipient,
    acknowledge,
    get_message,
    inbox,
    overdue,
    send,
    sent_box,
)
from rasid.model.errors import ModelError, worded
from rasid.model.gradings import get_scale
from rasid.model.markings import Marking
from rasid.screen.hits import count_by_status
from rasid.settings import get_settings
from rasid.store.statements import utcnow
from rasid.web.deps import Caller, Readable, Uow, check_form
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/inbox", name="inbox")
def inbox_page(request: Request, uow: Uow, caller: Caller, readable: Readable) -> Response:
    """The dashboard of the exchange: overdue requests, received and sent messages, hits
    awaiting review and re-shares to decide."""
    require(caller, Scope.EXCHANGE)
    now = utcnow()
    hits = count_by_status(uow.conn, readable) if caller.may(Scope.REVIEW) else None
    context = {
        "nav": "inbox",
        "overdue": overdue(uow.conn, caller, now),
        "received": inbox(uow.conn, caller, 50),
        "sent": sent_box(uow.conn, caller, 20),
        "reshares": reshare.pending(uow.conn, caller),
        "hits": hits,
        "now": now,
        "me_agency": caller.agency,
        "me_name": caller.name,
    }
    return render(request, "inbox.html", context)


@router.get("/messages/new", name="compose")
def compose_page(
    request: Request, uow: Uow, caller: Caller, entity: str = "", reply_to: str = ""
) -> Response:
    """The form to write a message, request or report (about an entity, when given)."""
    require(caller, Scope.EXCHANGE)
    return _compose(request, uow, caller, {"entity_ids": entity, "in_reply_to": reply_to})


def _compose(
    request: Request,
    uow: Uow,
    caller: Caller,
    values: dict[str, str],
    error: str = "",
    status: int = 200,
) -> Response:
    scale = get_scale(get_settings().grading_scale)
    agencies = [a for a in list_agencies(uow.conn) if a.name != caller.agency]
    people = [u for u in list_users(uow.conn) if u.active and u.name != caller.name]
    context = {
        "nav": "inbox",
        "values": values,
        "error": error,
        "kinds": [k for k in Kind],
        "markings": list(Marking),
        "scale": scale,
        "agencies": agencies,
        "people": people,
        "subject_max": SUBJECT_MAX,
        "body_max": BODY_MAX,
    }
    return render(request, "compose.html", context, status=status)


@router.post("/messages/new")
def compose_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    kind: Annotated[str, Form(max_length=16)] = "report",
    subject: Annotated[str, Form(max_length=SUBJECT_MAX)] = "",
    body: Annotated[str, Form(max_length=BODY_MAX)] = "",
    recipients: Annotated[list[str] | None, Form()] = None,
    people: Annotated[str, Form(max_length=2000)] = "",
    marking: Annotated[str, Form(max_length=20)] = "TLP:AMBER",
    handling: Annotated[str, Form(max_length=2000)] = "",
    source_grade: Annotated[str, Form(max_length=4)] = "",
    info_grade: Annotated[str, Form(max_length=4)] = "",
    entity_ids: Annotated[str, Form(max_length=20_000)] = "",
    due_at: Annotated[str, Form(max_length=32)] = "",
    in_reply_to: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Send what the form says; on a refusal, show the form again with the reason."""
    check_form(request, uow, csrf_token)
    values = {
        "kind": kind,
        "subject": subject,
        "body": body,
        "people": people,
        "marking": marking,
        "handling": handling,
        "source_grade": source_grade,
        "info_grade": info_grade,
        "entity_ids": entity_ids,
        "due_at": due_at,
        "in_reply_to": in_reply_to,
        "recipients": " ".join(recipients or []),
    }
    try:
        chosen = [Recipient(a) for a in recipients or []]
        chosen += [Recipient.parse(p) for p in people.replace(",", " ").split()]
        draft = Draft(
            kind=_kind(kind),
            subject=subject,
            body=body,
            recipients=chosen,
            marking=Marking.parse(marking),
            source_grade=source_grade,
            info_grade=info_grade,
            handling=handling,
            entity_ids=entity_ids.replace(",", " ").split(),
            due_at=_due(due_at),
            in_reply_to=in_reply_to or None,
        )
        sent = send(uow.conn, caller, draft)
    except ModelError as exc:
        return _compose(request, uow, caller, values, worded(exc, page_lang(request)), 422)
    return RedirectResponse(f"/messages/{sent.id}", status_code=303)


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise ExchangeError(
            f"unknown kind of message {value!r}", arabic=f"نوع رسالة غير معروف: {value!r}"
        ) from None


def _due(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ExchangeError(
            f"the deadline {value[:32]!r} is not a date and time (2026-11-20T09:30)",
            arabic=f"الموعد النهائي {value[:32]!r} ليس تاريخًا ووقتًا (مثل 2026-11-20T09:30)",
        ) from None


@router.get("/messages/{message_id}", name="message")
def message_page(request: Request, message_id: str, uow: Uow, caller: Caller) -> Response:
    """One message: marking, evaluation, body, attached entities and receipts."""
    require(caller, Scope.EXCHANGE)
    found = get_message(uow.conn, caller, message_id)
    mine = [
        r for r in found.receipts if r.agency == caller.agency and r.user in (None, caller.name)
    ]
    context = {
        "nav": "inbox",
        "message": found,
        "scale": get_scale(get_settings().grading_scale),
        "can_acknowledge": any(r.acknowledged_at is None for r in mine),
        "sent_by_us": found.sender_agency == caller.agency,
        "now": utcnow(),
    }
    return render(request, "message.html", context)


@router.post("/messages/{message_id}/acknowledge")
def acknowledge_submit(
    request: Request,
    message_id: str,
    uow: Uow,
    caller: Caller,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Acknowledge the message, then show it again."""
    check_form(request, uow, csrf_token)
    acknowledge(uow.conn, caller, message_id)
    return RedirectResponse(f"/messages/{message_id}", status_code=303)
