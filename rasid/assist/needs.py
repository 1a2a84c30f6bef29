"""Needs for technical assistance found in a visit or a consultation: the institution, the
thematic area and the gap, with the target parameters their progress is followed by."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record, require
from rasid.assist.documents import get_document
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.indicators import check_indicator, insert_indicator, load_indicators
from rasid.assist.model import Indicator, Need, NeedStatus, Priority, Text
from rasid.assist.records import (
    country,
    currency,
    known_theme,
    released_to,
    require_coordinator,
    text,
    visible,
    write_release,
)
from rasid.model.markings import Marking
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_need as need_t
from rasid.store.uow import insert_id


def _check_source(conn: Connection, principal: Principal, need: Need) -> None:
    """A new need's source document is its agency's own; its cost is not negative."""
    if need.document is not None:
        doc = get_document(conn, principal, need.document, audit=False)
        if doc.agency != principal.agency:
            raise AssistError(
                "a need's source document is one of its own agency's",
                arabic="الوثيقة المصدر للاحتياج من وثائق جهته نفسها",
            )
    if need.cost is not None and need.cost < 0:
        raise AssistError(
            "a need's cost cannot be negative",
            arabic="لا تكون التكلفة التقديرية للاحتياج سالبة",
        )


def _columns(conn: Connection, need: Need) -> dict[str, Any]:
    """A new need's columns, checked in the order of the form."""
    return {
        "country": country(need.country),
        "region": text(need.region, Text("المنطقة", "the region"), required=False, limit=200),
        "institution": text(
            need.institution, Text("المؤسسة المعنية", "the institution"), limit=300
        ),
        "theme": known_theme(conn, need.theme),
        "gap": text(need.gap, Text("الفجوة المكتشفة", "the gap found")),
        "baseline": text(need.baseline, Text("الوضع عند التقييم", "the baseline"), required=False),
        "priority": Priority(need.priority).value,
        "marking": need.marking.value,
        "document": need.document,
        "cost": need.cost,
        "currency": currency(need.currency),
        "wanted_by": need.wanted_by,
        "status": NeedStatus(need.status).value,
    }


def add_need(conn: Connection, principal: Principal, need: Need) -> Need:
    """Record a need for the caller's agency, with its target parameters; ``need.agency``,
    ``id`` and the creation fields are set here."""
    require_coordinator(principal, principal.agency, Text("يسجّل الاحتياجات", "record needs"))
    _check_source(conn, principal, need)
    targets = [
        check_indicator(t, Text(f"معيار الهدف {i + 1}", f"target {i + 1}"))
        for i, t in enumerate(need.targets)
    ]
    now = utcnow()
    need_id = insert_id(
        conn,
        need_t.insert().values(
            agency=principal.agency,
            **_columns(conn, need),
            created_by=principal.name,
            created_at=now,
            updated_at=now,
        ),
    )
    for target in targets:
        insert_indicator(conn, target, need=need_id, reporter=principal.name)
    write_release(conn, principal, "need", need_id, need.marking, need.released_to)
    record(conn, principal, "assist.need.add", str(need_id), theme=need.theme)
    return get_need(conn, principal, need_id)


def _need(row: Any, released: tuple[str, ...], targets: Sequence[Indicator]) -> Need:
    return Need(
        id=row.id,
        agency=row.agency,
        country=row.country,
        institution=row.institution,
        theme=row.theme,
        gap=row.gap,
        baseline=row.baseline,
        priority=Priority(row.priority),
        marking=Marking(row.marking),
        released_to=released,
        region=row.region,
        document=row.document,
        targets=tuple(targets),
        cost=row.cost,
        currency=row.currency,
        wanted_by=row.wanted_by,
        status=NeedStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def get_need(conn: Connection, principal: Principal, need_id: int) -> Need:
    """A need the caller may see (its agency's, or released to the caller's agency)."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(need_t).where(need_t.c.id == need_id)).first()
    released = released_to(conn, "need", [need_id]).get(need_id, ())
    if row is None or not visible(principal, row, released):
        raise UnknownRecord(f"no need {need_id}", arabic=f"لا احتياج برقم {need_id}")
    return _need(row, released, load_indicators(conn, indicator_t.c.need == need_id))


def list_needs(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str | None = None,
    theme: str | None = None,
    status: NeedStatus | None = None,
) -> list[Need]:
    """The needs the caller may see, by priority then newest first."""
    require(principal, Scope.ASSIST)
    query = select(need_t).order_by(need_t.c.id.desc())
    if country_code:
        query = query.where(need_t.c.country == country(country_code))
    if theme:
        query = query.where(need_t.c.theme == theme)
    if status is not None:
        query = query.where(need_t.c.status == status.value)
    rows = list(conn.execute(query))
    releases = released_to(conn, "need", [r.id for r in rows])
    rows = [r for r in rows if visible(principal, r, releases[r.id])]
    targets: dict[int, list[Indicator]] = {r.id: [] for r in rows}
    ids = list(targets)
    for chunk in chunks(ids):
        for ind in load_indicators(conn, indicator_t.c.need.in_(chunk)):
            if ind.need is not None:
                targets[ind.need].append(ind)
    needs = [_need(r, releases[r.id], targets[r.id]) for r in rows]
    return sorted(needs, key=lambda n: Priority(n.priority).rank)


def update_need(
    conn: Connection,
    principal: Principal,
    need_id: int,
    *,
    status: NeedStatus | None = None,
    priority: Priority | None = None,
    recipients: Sequence[str] | None = None,
) -> Need:
    """Change a need's status, priority or release list."""
    need = get_need(conn, principal, need_id)
    require_coordinator(principal, need.agency, Text("يغيّر الاحتياجات", "change needs"))
    values: dict[str, Any] = {"updated_at": utcnow()}
    if status is not None:
        values["status"] = status.value
    if priority is not None:
        values["priority"] = priority.value
    conn.execute(update(need_t).where(need_t.c.id == need_id).values(**values))
    if recipients is not None:
        write_release(conn, principal, "need", need_id, need.marking, recipients)
    record(
        conn,
        principal,
        "assist.need.update",
        str(need_id),
        status=status.value if status else "",
        priority=priority.value if priority else "",
        released_to=",".join(recipients) if recipients is not None else "(unchanged)",
    )
    return get_need(conn, principal, need_id)


def add_target(conn: Connection, principal: Principal, need_id: int, target: Indicator) -> int:
    """Add a target parameter to a need."""
    need = get_need(conn, principal, need_id)
    require_coordinator(principal, need.agency, Text("يحدد معايير الأهداف", "set targets"))
    ind_id = insert_indicator(conn, check_indicator(target), need=need_id, reporter=principal.name)
    record(conn, principal, "assist.need.target", str(need_id), indicator=str(ind_id))
    return ind_id


def need_ids_in(conn: Connection, condition: Any) -> list[int]:
    """Ids of needs matching a condition (for other modules of rasid.assist)."""
    return list(conn.scalars(select(need_t.c.id).where(and_(condition))))
