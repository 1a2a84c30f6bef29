"""Re-sharing what was received: the originating agency decides.

A recipient asks to pass a received message on to another agency, with a reason. The
request goes to the agency that sent the message; one of its supervisors approves or
refuses, with a reason. An approval delivers the message to the new agency and discloses
to it the statements the message disclosed, except those marked TLP:RED (which reach
named people only); a refusal changes nothing. Both are in the audit log.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from rasid.access.accounts import Role, Scope
from rasid.access.policy import Denied, Principal, record, require
from rasid.access.registry import get_agency
from rasid.exchange.errors import ExchangeError, UnknownMessage
from rasid.exchange.messages import Recipient, disclose, get_message
from rasid.model.markings import Marking
from rasid.store.statements import utcnow
from rasid.store.tables import disclosure, message_recipient, reshare, statement

REASON_MAX = 2000


class Status(StrEnum):
    """Where a re-share request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


# How a decided request reads in an Arabic refusal ("was approved already").
DECIDED_AR = {
    Status.PENDING: "قيد الانتظار",
    Status.APPROVED: "موافق عليه",
    Status.REFUSED: "مرفوض",
}


@dataclass(frozen=True)
class Reshare:
    """A request to pass a received message on."""

    id: int
    message_id: str
    requested_by: str
    requester_agency: str
    to_agency: str
    reason: str
    owner_agency: str
    status: Status
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


def _reshare(row: Any) -> Reshare:
    """A row of the ``reshare`` table (its columns are the fields) as a Reshare."""
    return Reshare(**{**row._mapping, "status": Status(row.status)})


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason or len(reason) > REASON_MAX:
        raise ExchangeError(
            f"a reason is required (at most {REASON_MAX} characters)",
            arabic=f"السبب مطلوب (بحد أقصى {REASON_MAX} حرف)",
        )
    return reason


def request(
    conn: Connection, principal: Principal, message_id: str, to_agency: str, reason: str
) -> Reshare:
    """Ask the originator to let the caller's agency pass a received message on."""
    require(principal, Scope.EXCHANGE)
    found = get_message(conn, principal, message_id, mark_read=False)
    if found.sender_agency == principal.agency:
        raise ExchangeError(
            "your agency sent this message: send it again instead",
            arabic="جهتك هي مرسلة هذه الرسالة: أعد إرسالها بدلًا من ذلك",
        )
    if get_agency(conn, to_agency) is None:
        raise ExchangeError(
            f"unknown agency {to_agency!r}", arabic=f"جهة غير معروفة: {to_agency!r}"
        )
    if to_agency in (principal.agency, found.sender_agency):
        raise ExchangeError(
            f"{to_agency} has this message already",
            arabic=f"هذه الرسالة لدى {to_agency} بالفعل",
        )
    now = utcnow()
    made = conn.execute(
        reshare.insert().values(
            message_id=message_id,
            requested_by=principal.name,
            requester_agency=principal.agency,
            to_agency=to_agency,
            reason=_reason(reason),
            owner_agency=found.sender_agency,
            status=Status.PENDING.value,
            requested_at=now,
        )
    )
    key = made.inserted_primary_key
    assert key is not None
    number = int(key[0])
    record(
        conn,
        principal,
        "reshare.request",
        message_id,
        detail={"reshare": number, "to": to_agency, "owner": found.sender_agency},
    )
    return get_reshare(conn, principal, number)


def _unknown(number: int) -> UnknownMessage:
    return UnknownMessage(
        f"no re-share request {number}", arabic=f"لا يوجد طلب إعادة مشاركة رقم {number}"
    )


def get_reshare(conn: Connection, principal: Principal, number: int) -> Reshare:
    """A re-share request the caller's agency made or must decide."""
    row = conn.execute(select(reshare).where(reshare.c.id == number)).first()
    if row is None or principal.agency not in (row.requester_agency, row.owner_agency):
        raise _unknown(number)
    return _reshare(row)


def pending(conn: Connection, principal: Principal) -> list[Reshare]:
    """Re-share requests waiting for the caller's agency to decide, oldest first."""
    rows = conn.execute(
        select(reshare)
        .where(reshare.c.owner_agency == principal.agency, reshare.c.status == Status.PENDING)
        .order_by(reshare.c.requested_at, reshare.c.id)
    ).all()
    return [_reshare(r) for r in rows]


def decide(
    conn: Connection, principal: Principal, number: int, approve: bool, reason: str
) -> Reshare:
    """A supervisor of the originating agency approves or refuses a request."""
    require(principal, Scope.EXCHANGE)
    found = get_reshare(conn, principal, number)
    if found.owner_agency != principal.agency:
        raise _unknown(number)
    if principal.user.role is not Role.SUPERVISOR:
        raise Denied(
            "a supervisor of the originating agency decides on re-sharing",
            arabic="يبتّ في إعادة المشاركة مشرف من الجهة المرسلة للرسالة",
        )
    if found.status is not Status.PENDING:
        raise ExchangeError(
            f"re-share request {number} was {found.status.value} already",
            arabic=f"طلب إعادة المشاركة {number} {DECIDED_AR[found.status]} بالفعل",
        )
    now = utcnow()
    status = Status.APPROVED if approve else Status.REFUSED
    conn.execute(
        update(reshare)
        .where(reshare.c.id == number, reshare.c.status == Status.PENDING)
        .values(
            status=status.value,
            decided_by=principal.name,
            decided_at=now,
            decision_reason=_reason(reason),
        )
    )
    granted = 0
    if approve:
        conn.execute(
            message_recipient.insert().values(
                message_id=found.message_id,
                agency=found.to_agency,
                user_name=None,
                via_reshare=number,
                delivered_at=now,
            )
        )
        shown = (
            select(disclosure.c.statement_id)
            .join(statement, statement.c.id == disclosure.c.statement_id)
            .where(
                disclosure.c.message_id == found.message_id,
                statement.c.marking != Marking.RED.value,
            )
            .distinct()
        )
        ids = [r.statement_id for r in conn.execute(shown)]
        granted = disclose(conn, found.message_id, ids, [Recipient(found.to_agency)], now)
    record(
        conn,
        principal,
        f"reshare.{status.value}",
        found.message_id,
        detail={"reshare": number, "to": found.to_agency, "disclosed": granted},
    )
    return get_reshare(conn, principal, number)
