"""Messages, requests for information (RFIs) and intelligence reports.

A message has a sender, recipients (agencies, or named users of an agency), a TLP marking
and an evaluation (source reliability and information credibility, on the configured
scale): both are required. TLP:RED goes to named users only. Entities may be attached: the
statements about them that the sender's agency owns, and whose marking is no more
restrictive than the message's, are *disclosed* to the recipients, who may then read
exactly those statements (``rasid.access.policy``). A statement of another agency is never
passed on here: re-sharing asks its originator (``rasid.exchange.reshare``).

Receipts: a message is delivered when sent, read when a recipient first opens it, and
acknowledged when a recipient says so. An RFI has a deadline; an answer (a message in
reply) from a recipient agency closes it; an RFI past its deadline and not closed is
overdue.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from rasid.access.accounts import Scope, get_user
from rasid.access.policy import Principal, record, require
from rasid.access.registry import get_agency, list_datasets
from rasid.exchange.errors import ExchangeError, UnknownMessage
from rasid.model.errors import ModelError
from rasid.model.gradings import get_scale
from rasid.model.handling import NO_SHARE, conditions
from rasid.model.markings import Marking
from rasid.settings import get_settings
from rasid.store.statements import utcnow
from rasid.store.tables import disclosure, message, message_entity, message_recipient, statement

SUBJECT_MAX = 300
BODY_MAX = 50_000
ENTITIES_MAX = 200


class Kind(StrEnum):
    """What a message is."""

    MESSAGE = "message"
    RFI = "rfi"  # a request for information, with a deadline
    ANSWER = "answer"  # the answer to a request
    REPORT = "report"  # an intelligence report


@dataclass(frozen=True)
class Recipient:
    """An agency, or a named user of it."""

    agency: str
    user: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Recipient":
        """``agency`` or ``agency/user``."""
        agency, _, user = text.strip().partition("/")
        if not agency:
            raise ExchangeError(
                f"a recipient is an agency or agency/user, not {text!r}",
                arabic=f"المستلم جهة أو جهة/مستخدم، وليس {text!r}",
            )
        return cls(agency, user or None)

    def __str__(self) -> str:
        return f"{self.agency}/{self.user}" if self.user else self.agency


@dataclass(frozen=True)
class Draft:
    """What a sender writes."""

    kind: Kind
    subject: str
    body: str
    recipients: Sequence[Recipient]
    marking: Marking
    source_grade: str
    info_grade: str
    handling: str = ""
    entity_ids: Sequence[str] = ()
    due_at: datetime | None = None
    in_reply_to: str | None = None


@dataclass(frozen=True)
class Receipt:
    """A recipient's receipts."""

    agency: str
    user: str | None
    delivered_at: datetime
    read_at: datetime | None = None
    read_by: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None


@dataclass(frozen=True)
class Message:
    """A message as the caller may see it."""

    id: str
    kind: Kind
    sender: str
    sender_agency: str
    subject: str
    body: str
    marking: Marking
    handling: str
    source_grade: str
    info_grade: str
    created_at: datetime
    in_reply_to: str | None = None
    due_at: datetime | None = None
    closed_at: datetime | None = None
    receipts: tuple[Receipt, ...] = ()
    entity_ids: tuple[str, ...] = ()
    disclosed: int = 0  # statements disclosed to each recipient
    withheld: dict[str, int] = field(default_factory=dict)  # when sent: left out, by reason

    def overdue(self, now: datetime) -> bool:
        """An RFI past its deadline and not answered."""
        return (
            self.kind is Kind.RFI
            and self.closed_at is None
            and self.due_at is not None
            and self.due_at < now
        )


def _check(principal: Principal, draft: Draft, conn: Connection) -> None:
    require(principal, Scope.EXCHANGE)
    if not draft.subject.strip() or len(draft.subject) > SUBJECT_MAX:
        raise ExchangeError(
            f"a subject is required (at most {SUBJECT_MAX} characters)",
            arabic=f"الموضوع مطلوب (بحد أقصى {SUBJECT_MAX} حرف)",
        )
    if len(draft.body) > BODY_MAX:
        raise ExchangeError(
            f"the body is longer than {BODY_MAX} characters",
            arabic=f"النص أطول من {BODY_MAX} حرف",
        )
    if not draft.recipients:
        raise ExchangeError(
            "a message needs at least one recipient",
            arabic="تحتاج الرسالة إلى مستلم واحد على الأقل",
        )
    if len(draft.entity_ids) > ENTITIES_MAX:
        raise ExchangeError(
            f"at most {ENTITIES_MAX} entities per message",
            arabic=f"لا يُرفق بالرسالة الواحدة أكثر من {ENTITIES_MAX} كيان",
        )
    scale = get_scale(get_settings().grading_scale)
    try:
        evaluated = scale.check_source(draft.source_grade) and scale.check_info(draft.info_grade)
    except ModelError as exc:  # a grade not on the scale: the scale's own wording
        raise ExchangeError(str(exc), arabic=exc.arabic) from None
    if not evaluated:
        raise ExchangeError(
            "an evaluation is required: source and information grades",
            arabic="التقييم مطلوب: درجة موثوقية المصدر ودرجة مصداقية المعلومة",
        )
    if draft.kind is Kind.RFI and draft.due_at is None:
        raise ExchangeError(
            "a request for information needs a deadline",
            arabic="يحتاج طلب المعلومات إلى موعد نهائي",
        )
    _check_recipients(principal, draft, conn)


def _check_recipients(principal: Principal, draft: Draft, conn: Connection) -> None:
    for recipient in draft.recipients:
        if get_agency(conn, recipient.agency) is None:
            raise ExchangeError(
                f"unknown agency {recipient.agency!r}",
                arabic=f"جهة غير معروفة: {recipient.agency!r}",
            )
        if recipient.user is not None:
            user = get_user(conn, recipient.user)
            if user is None or user.agency != recipient.agency or not user.active:
                raise ExchangeError(
                    f"no active user {recipient.user!r} in {recipient.agency}",
                    arabic=f"لا يوجد في {recipient.agency} مستخدم نشط باسم {recipient.user!r}",
                )
        elif draft.marking is Marking.RED:
            raise ExchangeError(
                "TLP:RED goes to named people only: give agency/user",
                arabic="لا يُرسل ما صُنّف TLP:RED إلا إلى أشخاص بأسمائهم: اذكر الجهة/المستخدم",
            )
        if recipient.agency == principal.agency and recipient.user is None:
            raise ExchangeError(
                "send to other agencies (or to named colleagues)",
                arabic="أرسل إلى جهات أخرى (أو إلى زملاء بأسمائهم)",
            )


def send(conn: Connection, principal: Principal, draft: Draft) -> Message:
    """Send a message: check it, deliver it, disclose the attached statements the sender's
    agency owns (within the message's marking) to each recipient, and record it."""
    _check(principal, draft, conn)
    if draft.in_reply_to is not None:
        asked = get_message(conn, principal, draft.in_reply_to, mark_read=False)
        if draft.kind is Kind.ANSWER and asked.kind is not Kind.RFI:
            raise ExchangeError(
                "an answer replies to a request for information",
                arabic="الرد لا يكون إلا على طلب معلومات",
            )
    now = utcnow()
    message_id = secrets.token_hex(16)
    conn.execute(
        message.insert().values(
            id=message_id,
            kind=draft.kind.value,
            sender=principal.name,
            sender_agency=principal.agency,
            subject=draft.subject.strip(),
            body=draft.body,
            marking=draft.marking.value,
            handling=draft.handling,
            source_grade=draft.source_grade,
            info_grade=draft.info_grade,
            in_reply_to=draft.in_reply_to,
            due_at=draft.due_at,
            created_at=now,
        )
    )
    recipients = list(dict.fromkeys(draft.recipients))
    conn.execute(
        message_recipient.insert(),
        [{"message_id": message_id, "agency": r.agency, "user_name": r.user, "delivered_at": now}
         for r in recipients],
    )  # fmt: skip
    entity_ids = sorted(set(draft.entity_ids))
    if entity_ids:
        conn.execute(
            message_entity.insert(),
            [{"message_id": message_id, "entity_id": e} for e in entity_ids],
        )
    chosen, withheld = _disclosable(conn, principal.agency, entity_ids, draft.marking)
    disclose(conn, message_id, chosen, recipients, now)
    if draft.kind is Kind.ANSWER and draft.in_reply_to is not None:
        conn.execute(
            update(message)
            .where(message.c.id == draft.in_reply_to, message.c.closed_at.is_(None))
            .values(closed_at=now)
        )
    record(
        conn,
        principal,
        f"exchange.{draft.kind.value}",
        message_id,
        detail={
            "to": [str(r) for r in recipients],
            "marking": draft.marking.value,
            "entities": entity_ids,
            "disclosed": len(chosen),
            "withheld": withheld,
        },
    )
    sent = get_message(conn, principal, message_id, mark_read=False)
    return Message(**{**vars(sent), "withheld": withheld})


def _disclosable(
    conn: Connection, agency: str, entity_ids: list[str], marking: Marking
) -> tuple[list[str], dict[str, int]]:
    """The statements about these entities that ``agency`` owns, ``marking`` covers and
    no ``no-share`` handling condition keeps back, and how many others were left out, by
    reason."""
    if not entity_ids:
        return [], {}
    own = {d.name for d in list_datasets(conn) if d.agency == agency}
    rows = conn.execute(
        select(
            statement.c.id, statement.c.dataset, statement.c.marking, statement.c.handling
        ).where(statement.c.canonical_id.in_(entity_ids))
    ).all()
    chosen, withheld = [], {"other_agency": 0, "marking_above_message": 0, "handling": 0}
    for row in rows:
        if row.dataset not in own:
            withheld["other_agency"] += 1
        elif Marking(row.marking).rank > marking.rank:
            withheld["marking_above_message"] += 1
        elif any(c.code == NO_SHARE for c in conditions(row.handling)):
            withheld["handling"] += 1
        else:
            chosen.append(row.id)
    return sorted(chosen), {k: v for k, v in withheld.items() if v}


def disclose(
    conn: Connection,
    message_id: str,
    statement_ids: Sequence[str],
    recipients: Sequence[Recipient],
    now: datetime,
) -> int:
    """Let each recipient read these statements; returns the grants written."""
    rows = [
        {
            "message_id": message_id,
            "statement_id": s,
            "agency": r.agency,
            "user_name": r.user,
            "granted_at": now,
        }
        for r in recipients
        for s in statement_ids
    ]
    if rows:
        conn.execute(disclosure.insert(), rows)
    return len(rows)


def _mine(principal: Principal) -> Any:
    """The recipient rows that are the caller's: their agency's, or theirs by name."""
    return and_(
        message_recipient.c.agency == principal.agency,
        or_(
            message_recipient.c.user_name.is_(None),
            message_recipient.c.user_name == principal.name,
        ),
    )


def _message(conn: Connection, row: Any) -> Message:
    receipts = conn.execute(
        select(message_recipient)
        .where(message_recipient.c.message_id == row.id)
        .order_by(message_recipient.c.id)
    ).all()
    entities = conn.execute(
        select(message_entity.c.entity_id)
        .where(message_entity.c.message_id == row.id)
        .order_by(message_entity.c.entity_id)
    ).all()
    disclosed = conn.execute(
        select(disclosure.c.statement_id).where(disclosure.c.message_id == row.id).distinct()
    ).all()
    return Message(
        id=row.id,
        kind=Kind(row.kind),
        sender=row.sender,
        sender_agency=row.sender_agency,
        subject=row.subject,
        body=row.body,
        marking=Marking(row.marking),
        handling=row.handling,
        source_grade=row.source_grade,
        info_grade=row.info_grade,
        created_at=row.created_at,
        in_reply_to=row.in_reply_to,
        due_at=row.due_at,
        closed_at=row.closed_at,
        receipts=tuple(
            Receipt(
                r.agency,
                r.user_name,
                r.delivered_at,
                r.read_at,
                r.read_by,
                r.acknowledged_at,
                r.acknowledged_by,
            )
            for r in receipts
        ),
        entity_ids=tuple(e.entity_id for e in entities),
        disclosed=len(disclosed),
    )


def _unknown(message_id: str) -> UnknownMessage:
    return UnknownMessage(
        f"no message {message_id!r}", arabic=f"لا توجد رسالة بالمعرّف {message_id!r}"
    )


def get_message(
    conn: Connection, principal: Principal, message_id: str, mark_read: bool = True
) -> Message:
    """A message the caller sent (their agency did) or received; opening a received one
    the first time records the read receipt (and the read, in the audit log)."""
    row = conn.execute(select(message).where(message.c.id == message_id)).first()
    if row is None:
        raise _unknown(message_id)
    sent = row.sender_agency == principal.agency
    mine = conn.execute(
        select(message_recipient.c.id, message_recipient.c.read_at).where(
            message_recipient.c.message_id == message_id, _mine(principal)
        )
    ).all()
    if not sent and not mine:
        raise _unknown(message_id)
    if mark_read and mine:
        now = utcnow()
        unread = [r.id for r in mine if r.read_at is None]
        if unread:
            conn.execute(
                update(message_recipient)
                .where(message_recipient.c.id.in_(unread))
                .values(read_at=now, read_by=principal.name)
            )
        record(conn, principal, "exchange.read", message_id)
    return _message(conn, row)


def acknowledge(conn: Connection, principal: Principal, message_id: str) -> Message:
    """Acknowledge a received message (the sender sees who did and when)."""
    require(principal, Scope.EXCHANGE)
    waiting = conn.execute(
        select(message_recipient.c.id).where(
            message_recipient.c.message_id == message_id,
            _mine(principal),
            message_recipient.c.acknowledged_at.is_(None),
        )
    ).all()
    if not waiting:
        get_message(conn, principal, message_id, mark_read=False)  # UnknownMessage if unseen
        raise ExchangeError(
            "nothing to acknowledge: not a recipient, or acknowledged already",
            arabic="لا شيء للإقرار باستلامه: لست من المستلمين، أو سبق الإقرار بالاستلام",
        )
    get_message(conn, principal, message_id)  # also the read receipt
    conn.execute(
        update(message_recipient)
        .where(message_recipient.c.id.in_([r.id for r in waiting]))
        .values(acknowledged_at=utcnow(), acknowledged_by=principal.name)
    )
    record(conn, principal, "exchange.acknowledge", message_id)
    return get_message(conn, principal, message_id, mark_read=False)


def inbox(
    conn: Connection, principal: Principal, limit: int = 50, offset: int = 0
) -> list[Message]:
    """Messages the caller received (their agency, or they by name), newest first."""
    ids = (
        select(message_recipient.c.message_id).where(_mine(principal)).distinct().scalar_subquery()
    )
    rows = conn.execute(
        select(message)
        .where(message.c.id.in_(ids))
        .order_by(message.c.created_at.desc(), message.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_message(conn, r) for r in rows]


def sent_box(
    conn: Connection, principal: Principal, limit: int = 50, offset: int = 0
) -> list[Message]:
    """Messages the caller's agency sent, newest first, with their receipts."""
    rows = conn.execute(
        select(message)
        .where(message.c.sender_agency == principal.agency)
        .order_by(message.c.created_at.desc(), message.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_message(conn, r) for r in rows]


def overdue(conn: Connection, principal: Principal, now: datetime | None = None) -> list[Message]:
    """Requests for information past their deadline and not answered: those the caller's
    agency must answer, and those it asked."""
    at = now or utcnow()
    received = select(message_recipient.c.message_id).where(_mine(principal)).scalar_subquery()
    rows = conn.execute(
        select(message)
        .where(
            message.c.kind == Kind.RFI.value,
            message.c.closed_at.is_(None),
            message.c.due_at < at,
            or_(message.c.id.in_(received), message.c.sender_agency == principal.agency),
        )
        .order_by(message.c.due_at, message.c.id)
    ).all()
    return [_message(conn, r) for r in rows]
