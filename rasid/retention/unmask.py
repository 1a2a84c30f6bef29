"""Seeing masked data again: a user asks, with a reason; a supervisor of the agency that
owns the data approves or refuses, with a reason; an approval lets the requester alone see
the target unmasked for a limited time (RASID_UNMASK_HOURS).

The targets are an entity (its statements in one dataset), a booking (with its versions and
travellers) or a traveller. Nobody decides on their own request, and a supervisor decides
only for their own agency's data. The request, the decision and every read that used the
approval (``record_unmasked``) are written to the audit log, each in the transaction of the
work it records.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, and_, or_, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Denied, Principal, record, require
from rasid.model.retention import get_retention_class
from rasid.retention.errors import RetentionError, UnknownUnmaskRequest
from rasid.retention.mask import Masking, masked_props
from rasid.retention.periods import is_due
from rasid.store.tables import booking, dataset, statement, traveller, unmask_request
from rasid.store.visibility import Visibility, dataset_filter
from rasid.travel.store import list_travellers, list_versions

KINDS = ("entity", "booking", "traveller")
# The kinds as an Arabic refusal names them (the English names them by their code).
KINDS_AR = {"entity": "الكيان", "booking": "الحجز", "traveller": "المسافر"}
REASON_MAX = 2000


class UnmaskStatus(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


# How a decided request reads in an Arabic refusal ("is approved already").
STATUS_AR = {
    UnmaskStatus.PENDING: "قيد الانتظار",
    UnmaskStatus.APPROVED: "موافق عليه",
    UnmaskStatus.REFUSED: "مرفوض",
}


@dataclass(frozen=True)
class UnmaskRequest:
    """A request to see a masked target again, and the decision on it."""

    id: int
    target_kind: str
    target_id: str
    dataset: str
    agency: str  # the dataset's owner, whose supervisor decides
    requested_by: str
    reason: str
    requested_at: datetime
    status: UnmaskStatus
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    expires_at: datetime | None = None

    @property
    def target(self) -> str:
        """The target as the audit log names it: ``kind:id``."""
        return f"{self.target_kind}:{self.target_id}"

    def active(self, now: datetime) -> bool:
        """True while an approval lets the requester see the target."""
        approved = self.status is UnmaskStatus.APPROVED
        return approved and self.expires_at is not None and self.expires_at > now

    def to_dict(self, now: datetime | None = None) -> dict[str, Any]:
        """A JSON-ready dict (``active`` as of ``now``, when given)."""
        data: dict[str, Any] = {k: v for k, v in vars(self).items()}
        data["status"] = str(self.status)
        for key in ("requested_at", "decided_at", "expires_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        if now is not None:
            data["active"] = self.active(now)
        return data


def _query() -> Select[Any]:
    return select(unmask_request, dataset.c.agency).join(
        dataset, dataset.c.name == unmask_request.c.dataset
    )


def _request(row: Any) -> UnmaskRequest:
    return UnmaskRequest(
        id=row.id,
        target_kind=row.target_kind,
        target_id=row.target_id,
        dataset=row.dataset,
        agency=row.agency,
        requested_by=row.requested_by,
        reason=row.reason,
        requested_at=row.requested_at,
        status=UnmaskStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
        expires_at=row.expires_at,
    )


def _reason(value: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise RetentionError("a reason is required", arabic="السبب مطلوب")
    if len(text) > REASON_MAX:
        raise RetentionError(
            f"the reason is longer than {REASON_MAX} characters",
            arabic=f"السبب أطول من {REASON_MAX} حرف",
        )
    return text


def _kind(value: str) -> str:
    kind = (value or "").strip().lower()
    if kind not in KINDS:
        raise RetentionError(
            f"unknown target kind {value!r}: one of {', '.join(KINDS)}",
            arabic=f"نوع الموضوع غير معروف {value!r}: الأنواع هي {'، '.join(KINDS)}",
        )
    return kind


# Asking ------------------------------------------------------------------------------------


def request_unmask(
    conn: Connection,
    principal: Principal,
    kind: str,
    target_id: str,
    reason: str,
    now: datetime,
    readable: Visibility,
    dataset_name: str | None = None,
) -> UnmaskRequest:
    """Ask to see a masked target again, for ``reason``. The target must be masked as of
    ``now`` in a dataset the caller reads; an entity masked in several datasets needs
    ``dataset_name``. A second request while one is pending or approved is refused."""
    require(principal, Scope.READ)
    kind, reason = _kind(kind), _reason(reason)
    target_id = (target_id or "").strip()
    masked = masked_datasets(conn, kind, target_id, now.date(), readable)
    chosen = _choose(masked, dataset_name, kind, target_id, now.date())
    _check_not_open(conn, principal.name, kind, target_id, chosen, now)
    inserted = conn.execute(
        unmask_request.insert()
        .values(
            target_kind=kind,
            target_id=target_id,
            dataset=chosen,
            requested_by=principal.name,
            reason=reason,
            requested_at=now,
            status=str(UnmaskStatus.PENDING),
        )
        .returning(unmask_request.c.id)
    )
    request_id = int(inserted.scalar_one())
    target = f"{kind}:{target_id}"
    record(conn, principal, "unmask.request", target, reason, request=request_id, dataset=chosen)
    return get_request(conn, request_id)


def _choose(masked: list[str], given: str | None, kind: str, target_id: str, today: date) -> str:
    """The dataset a request is for: the given one if the target is masked there, else
    the only one it is masked in."""
    if not masked:
        raise RetentionError(
            f"nothing of {kind} {target_id!r} that you may read is masked as of {today}",
            arabic=f"لا شيء محجوب في {today} مما يحق لك قراءته من {KINDS_AR[kind]} {target_id!r}",
        )
    if given:
        if given not in masked:
            raise RetentionError(
                f"{kind} {target_id!r} is not masked in dataset {given!r}",
                arabic=f"{KINDS_AR[kind]} {target_id!r} غير محجوب في مجموعة البيانات {given!r}",
            )
        return given
    if len(masked) > 1:
        raise RetentionError(
            f"{kind} {target_id!r} is masked in several datasets ({', '.join(masked)}): "
            "say which one",
            arabic=f"{KINDS_AR[kind]} {target_id!r} محجوب في أكثر من مجموعة بيانات "
            f"({'، '.join(masked)}): حدّد إحداها",
        )
    return masked[0]


def masked_datasets(
    conn: Connection, kind: str, target_id: str, today: date, readable: Visibility
) -> list[str]:
    """The datasets, readable by the caller, in which the target is masked as of ``today``."""
    if kind == "entity":
        query = select(statement.c.dataset).where(
            statement.c.canonical_id == target_id,
            statement.c.mask_after <= today,
            statement.c.prop.in_(sorted(masked_props())),
        )
        visible = dataset_filter(readable)
        if visible is not None:
            query = query.where(visible)
        return sorted(set(conn.scalars(query.distinct())))
    table, received = (
        (booking, "first_received") if kind == "booking" else (traveller, "first_seen")
    )
    row = conn.execute(
        select(table.c.dataset, table.c[received]).where(table.c.id == target_id)
    ).first()
    if row is None or row.dataset not in readable:
        return []
    return [row.dataset] if _masks(conn, row.dataset, row[1], today) else []


def _masks(conn: Connection, name: str, received: datetime, today: date) -> bool:
    """True when a row of this dataset received then is masked as of ``today``."""
    found = conn.execute(select(dataset.c.retention_class).where(dataset.c.name == name)).first()
    period = get_retention_class(found.retention_class).mask_after if found else None
    return period is not None and is_due(period, received, today)


def _check_not_open(
    conn: Connection, user: str, kind: str, target_id: str, name: str, now: datetime
) -> None:
    open_ = or_(
        unmask_request.c.status == str(UnmaskStatus.PENDING),
        and_(
            unmask_request.c.status == str(UnmaskStatus.APPROVED),
            unmask_request.c.expires_at > now,
        ),
    )
    found = conn.execute(
        select(unmask_request.c.id, unmask_request.c.status).where(
            unmask_request.c.requested_by == user,
            unmask_request.c.target_kind == kind,
            unmask_request.c.target_id == target_id,
            unmask_request.c.dataset == name,
            open_,
        )
    ).first()
    if found is not None:
        raise RetentionError(
            f"request {found.id} for this is {found.status} already",
            arabic=f"يوجد لهذا طلب سابق رقم {found.id}، وهو "
            f"{STATUS_AR[UnmaskStatus(found.status)]}",
        )


# Deciding ----------------------------------------------------------------------------------


def decide_unmask(
    conn: Connection,
    principal: Principal,
    request_id: int,
    approve: bool,
    reason: str,
    now: datetime,
    hours: int,
) -> UnmaskRequest:
    """Approve (for ``hours`` from ``now``) or refuse a pending request, for ``reason``.
    Only a supervisor (the retention scope) of the agency owning the data decides, and
    never on their own request."""
    require(principal, Scope.RETENTION)
    found = get_request(conn, request_id)
    if found.agency != principal.agency:
        raise Denied(
            f"request {request_id} is about {found.agency}'s data: its supervisor decides",
            arabic=f"الطلب {request_id} يخص بيانات {found.agency}: يبتّ فيه مشرف منها",
        )
    if found.requested_by == principal.name:
        raise Denied("nobody decides on their own request", arabic="لا يبتّ أحد في طلب قدّمه بنفسه")
    if found.status is not UnmaskStatus.PENDING:
        raise RetentionError(
            f"request {request_id} is {found.status} already",
            arabic=f"الطلب {request_id} {STATUS_AR[found.status]} بالفعل",
        )
    reason = _reason(reason)
    status = UnmaskStatus.APPROVED if approve else UnmaskStatus.REFUSED
    expires = now + timedelta(hours=hours) if approve else None
    changed = conn.execute(
        update(unmask_request)
        .where(
            unmask_request.c.id == request_id,
            unmask_request.c.status == str(UnmaskStatus.PENDING),
        )
        .values(
            status=str(status),
            decided_by=principal.name,
            decided_at=now,
            decision_reason=reason,
            expires_at=expires,
        )
    )
    if changed.rowcount != 1:
        raise RetentionError(
            f"request {request_id} was decided by someone else meanwhile",
            arabic=f"بتّ شخص آخر في الطلب {request_id} في هذه الأثناء",
        )
    record(
        conn,
        principal,
        "unmask.approve" if approve else "unmask.refuse",
        found.target,
        reason,
        request=request_id,
        requester=found.requested_by,
        dataset=found.dataset,
        expires_at=expires.isoformat() if expires is not None else None,
    )
    return get_request(conn, request_id)


# Reading the requests ----------------------------------------------------------------------


def get_request(
    conn: Connection, request_id: int, principal: Principal | None = None
) -> UnmaskRequest:
    """One request; UnknownUnmaskRequest when there is none, or the caller (when given)
    neither made it nor decides on it."""
    row = conn.execute(_query().where(unmask_request.c.id == request_id)).first()
    if row is None or (principal is not None and not _may_see(principal, row)):
        raise UnknownUnmaskRequest(
            f"no unmask request {request_id}",
            arabic=f"لا يوجد طلب اطلاع على بيانات محجوبة رقم {request_id}",
        )
    return _request(row)


def _may_see(principal: Principal, row: Any) -> bool:
    mine = row.requested_by == principal.name
    return mine or (principal.may(Scope.RETENTION) and row.agency == principal.agency)


def list_requests(
    conn: Connection,
    principal: Principal | None = None,
    status: UnmaskStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[UnmaskRequest]:
    """Requests, newest first: for a caller, their own and (with the retention scope)
    those about their agency's data; for the command line (None), all."""
    query = _query()
    if principal is not None:
        mine = unmask_request.c.requested_by == principal.name
        if principal.may(Scope.RETENTION):
            mine = or_(mine, dataset.c.agency == principal.agency)
        query = query.where(mine)
    if status is not None:
        query = query.where(unmask_request.c.status == str(status))
    query = query.order_by(unmask_request.c.id.desc()).limit(limit).offset(offset)
    return [_request(row) for row in conn.execute(query)]


def to_decide(requests: list[UnmaskRequest], principal: Principal) -> list[UnmaskRequest]:
    """The pending requests among ``requests`` that ``principal`` may decide."""
    if not principal.may(Scope.RETENTION):
        return []
    return [
        r
        for r in requests
        if r.status is UnmaskStatus.PENDING
        and r.agency == principal.agency
        and r.requested_by != principal.name
    ]


# Unmasked reads ----------------------------------------------------------------------------


def record_unmasked(
    conn: Connection, principal: Principal, readable: Visibility, purpose: str = ""
) -> None:
    """Write to the audit log each approval a read used to show masked data (once per
    request and read), in the read's transaction."""
    masking = readable.masking
    if not isinstance(masking, Masking) or not masking.lifted:
        return
    for request_id in sorted(masking.lifted):
        target = masking.grants.targets.get(request_id, "")
        record(conn, principal, "unmask.read", target, purpose, request=request_id)
    masking.lifted.clear()


def read_travel_target(
    conn: Connection, found: UnmaskRequest, readable: Visibility
) -> dict[str, Any]:
    """A booking (with its versions and travellers) or a traveller, as the caller's read
    shows it (unmasked while their approval lasts)."""
    masking = readable.masking
    table = booking if found.target_kind == "booking" else traveller
    row = conn.execute(select(table).where(table.c.id == found.target_id)).first()
    if row is None:
        raise RetentionError(
            f"{found.target} is no longer stored", arabic=f"{found.target} لم يعد محفوظًا"
        )
    shown = dict(row._mapping)
    if masking is not None:
        shown = masking.row(found.target_kind, shown)
    if found.target_kind == "traveller":
        return {"traveller": shown}
    versions = list_versions(conn, found.target_id, masking)
    travellers = list_travellers(conn, booking_id=found.target_id, masking=masking)
    return {"booking": shown, "versions": versions, "travellers": travellers}
