"""The exchange in the JSON API: send, list, read and acknowledge messages, requests for
information and reports; overdue requests; re-share requests and their decisions.

Every route needs the `exchange` scope. A browser session sends its CSRF token in the
`X-CSRF-Token` header on writes.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from rasid.access.accounts import Scope
from rasid.exchange import reshare
from rasid.exchange.messages import (
    BODY_MAX,
    ENTITIES_MAX,
    SUBJECT_MAX,
    Draft,
    Kind,
    Message,
    Recipient,
    acknowledge,
    get_message,
    inbox,
    overdue,
    send,
    sent_box,
)
from rasid.model.markings import Marking
from rasid.store.statements import utcnow
from rasid.web.deps import Caller, Uow, scoped
from rasid.web.models import MAX_ID, MAX_OFFSET, signed_in

router = APIRouter(
    prefix="/api",
    tags=["exchange"],
    dependencies=[scoped(Scope.EXCHANGE)],
    responses=signed_in(),
)
MessageId = Annotated[str, Path(min_length=1, max_length=32, description="The message's id")]
ReshareId = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's number")]


class MessageIn(BaseModel):
    """A message to send."""

    kind: Kind = Field(description="message, rfi (with `due_at`), answer or report")
    subject: str = Field(min_length=1, max_length=SUBJECT_MAX)
    body: str = Field(default="", max_length=BODY_MAX)
    recipients: list[str] = Field(
        min_length=1, max_length=100, description="Agencies, or `agency/user` for a named person"
    )
    marking: Marking = Field(description="TLP marking (TLP:RED: named people only)")
    handling: str = Field(default="", max_length=2000, description="Handling conditions")
    source_grade: str = Field(max_length=4, description="Source reliability (required)")
    info_grade: str = Field(max_length=4, description="Information credibility (required)")
    entity_ids: list[str] = Field(default_factory=list, max_length=ENTITIES_MAX)
    due_at: datetime | None = Field(default=None, description="A request's deadline (UTC)")
    in_reply_to: str | None = Field(default=None, max_length=32)


class ReceiptOut(BaseModel):
    """A recipient and its receipts."""

    agency: str
    user: str | None
    delivered_at: datetime
    read_at: datetime | None
    read_by: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class MessageOut(BaseModel):
    """A message with its receipts and what it disclosed."""

    id: str
    kind: Kind
    sender: str
    sender_agency: str
    subject: str
    body: str
    marking: str
    handling: str
    source_grade: str
    info_grade: str
    created_at: datetime
    in_reply_to: str | None
    due_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    receipts: list[ReceiptOut]
    entity_ids: list[str]
    disclosed: int = Field(description="Statements disclosed to each recipient")
    withheld: dict[str, int] = Field(
        description="When just sent: statements left out, by reason (other_agency, "
        "marking_above_message)"
    )


def message_out(found: Message) -> MessageOut:
    """The API form of a message."""
    return MessageOut(
        **{k: v for k, v in vars(found).items() if k not in ("receipts", "entity_ids")},
        overdue=found.overdue(utcnow()),
        receipts=[ReceiptOut(**vars(r)) for r in found.receipts],
        entity_ids=list(found.entity_ids),
    )


@router.post("/messages", response_model=MessageOut, status_code=201, summary="Send a message")
def send_message(body: MessageIn, uow: Uow, caller: Caller) -> MessageOut:
    """Send a message, request for information (`rfi`, with `due_at`), answer (with
    `in_reply_to`) or intelligence report to agencies or named people (`agency/user`).

    A marking and an evaluation (source and information grades on the configured scale)
    are required; TLP:RED goes to named people only. Attached entities disclose to each
    recipient exactly the statements about them that the sender's agency owns and whose
    marking is no more restrictive than the message's; `withheld` counts the others.
    Answers 422 when a rule refuses the message.
    """
    draft = Draft(
        kind=body.kind,
        subject=body.subject,
        body=body.body,
        recipients=[Recipient.parse(r) for r in body.recipients],
        marking=body.marking,
        source_grade=body.source_grade,
        info_grade=body.info_grade,
        handling=body.handling,
        entity_ids=body.entity_ids,
        due_at=body.due_at,
        in_reply_to=body.in_reply_to,
    )
    return message_out(send(uow.conn, caller, draft))


@router.get("/messages", response_model=list[MessageOut], summary="Inbox or sent messages")
def messages(
    uow: Uow,
    caller: Caller,
    box: Annotated[str, Query(pattern="^(inbox|sent)$", description="inbox or sent")] = "inbox",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[MessageOut]:
    """The caller's inbox (messages to their agency or to them by name) or the messages
    their agency sent, newest first, with every recipient's receipts."""
    listing = inbox if box == "inbox" else sent_box
    return [message_out(m) for m in listing(uow.conn, caller, limit, offset)]


@router.get("/messages/overdue", response_model=list[MessageOut], summary="Overdue requests")
def overdue_requests(uow: Uow, caller: Caller) -> list[MessageOut]:
    """Requests for information past their deadline and not answered: those the caller's
    agency must answer and those it asked, the oldest deadline first."""
    return [message_out(m) for m in overdue(uow.conn, caller)]


@router.get("/messages/{message_id}", response_model=MessageOut, summary="Read a message")
def read_message(message_id: MessageId, uow: Uow, caller: Caller) -> MessageOut:
    """One message the caller's agency sent or received. The first opening by a recipient
    records the read receipt; every opening goes to the audit log. 404 for a message the
    caller may not see."""
    return message_out(get_message(uow.conn, caller, message_id))


@router.post("/messages/{message_id}/acknowledge", response_model=MessageOut, summary="Acknowledge")
def acknowledge_message(message_id: MessageId, uow: Uow, caller: Caller) -> MessageOut:
    """Acknowledge a received message: the sender sees who acknowledged and when. 422 when
    it was acknowledged already."""
    return message_out(acknowledge(uow.conn, caller, message_id))


class ReshareIn(BaseModel):
    """A request to pass a received message on."""

    to_agency: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=reshare.REASON_MAX)


class DecisionIn(BaseModel):
    """The originator's decision on a re-share request."""

    approve: bool
    reason: str = Field(min_length=1, max_length=reshare.REASON_MAX)


class ReshareOut(BaseModel):
    """A re-share request and its decision."""

    id: int
    message_id: str
    requested_by: str
    requester_agency: str
    to_agency: str
    reason: str
    owner_agency: str
    status: reshare.Status
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


@router.post(
    "/messages/{message_id}/reshare",
    response_model=ReshareOut,
    status_code=201,
    summary="Ask to re-share",
)
def request_reshare(message_id: MessageId, body: ReshareIn, uow: Uow, caller: Caller) -> ReshareOut:
    """Ask the agency that sent a message to let the caller's agency pass it on to
    another agency. Nothing is shared until the originator approves."""
    made = reshare.request(uow.conn, caller, message_id, body.to_agency, body.reason)
    return ReshareOut(**vars(made))


@router.get("/reshares", response_model=list[ReshareOut], summary="Re-shares to decide")
def reshares(uow: Uow, caller: Caller) -> list[ReshareOut]:
    """Re-share requests waiting for the caller's agency, as the originator, to decide."""
    return [ReshareOut(**vars(r)) for r in reshare.pending(uow.conn, caller)]


@router.post(
    "/reshares/{reshare_id}/decision", response_model=ReshareOut, summary="Decide a re-share"
)
def decide_reshare(reshare_id: ReshareId, body: DecisionIn, uow: Uow, caller: Caller) -> ReshareOut:
    """Approve or refuse a re-share request, with a reason (a supervisor of the
    originating agency). An approval delivers the message to the new agency and discloses
    to it what the message disclosed, except TLP:RED statements."""
    return ReshareOut(
        **vars(reshare.decide(uow.conn, caller, reshare_id, body.approve, body.reason))
    )
