"""National implementation roadmaps: the steps for one state to meet one requirement (a good
practice or a requirement of its own), each with a tailored recommendation, the institution
responsible, the needs it answers and the thematic areas where assistance helps."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record, require
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import Roadmap, Step, StepStatus, Text
from rasid.assist.needs import get_need
from rasid.assist.records import (
    country,
    known_theme,
    released_to,
    require_coordinator,
    split,
    text,
    visible,
    write_release,
)
from rasid.model.markings import Marking
from rasid.store.statements import utcnow
from rasid.store.tables import assist_indicator_link as link_t
from rasid.store.tables import assist_roadmap as roadmap_t
from rasid.store.tables import assist_step as step_t
from rasid.store.tables import assist_step_need as step_need_t
from rasid.store.uow import insert_id


def add_roadmap(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str,
    requirement: str,
    title: str,
    marking: Marking,
    recipients: Sequence[str] = (),
) -> Roadmap:
    """Start a national implementation roadmap for the caller's agency: the steps for one
    state to meet one requirement (a good practice or a requirement of its own)."""
    require_coordinator(principal, principal.agency, Text("يبني خرائط الطريق", "build roadmaps"))
    roadmap_id = insert_id(
        conn,
        roadmap_t.insert().values(
            agency=principal.agency,
            country=country(country_code),
            requirement=known_theme(conn, requirement),
            title=text(title, Text("العنوان", "the title"), limit=500),
            marking=marking.value,
            created_by=principal.name,
            created_at=utcnow(),
        ),
    )
    write_release(conn, principal, "roadmap", roadmap_id, marking, recipients)
    record(conn, principal, "assist.roadmap.add", str(roadmap_id), requirement=requirement)
    return get_roadmap(conn, principal, roadmap_id)


def _links(conn: Connection, ids: Sequence[int]) -> tuple[dict[int, list[int]], ...]:
    """Per step, the needs it answers and the indicators linked to it."""
    needs: dict[int, list[int]] = {i: [] for i in ids}
    links: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for step_id, need_id in conn.execute(
            select(step_need_t.c.step, step_need_t.c.need)
            .where(step_need_t.c.step.in_(ids))
            .order_by(step_need_t.c.need)
        ):
            needs[step_id].append(need_id)
        for step_id, ind_id in conn.execute(
            select(link_t.c.step, link_t.c.indicator)
            .where(link_t.c.step.in_(ids))
            .order_by(link_t.c.indicator)
        ):
            links[step_id].append(ind_id)
    return needs, links


def _steps(conn: Connection, roadmap_ids: Sequence[int]) -> dict[int, list[Step]]:
    out: dict[int, list[Step]] = {i: [] for i in roadmap_ids}
    if not roadmap_ids:
        return out
    rows = list(
        conn.execute(
            select(step_t)
            .where(step_t.c.roadmap.in_(list(roadmap_ids)))
            .order_by(step_t.c.roadmap, step_t.c.position, step_t.c.id)
        )
    )
    needs, links = _links(conn, [r.id for r in rows])
    for r in rows:
        out[r.roadmap].append(
            Step(
                id=r.id,
                position=r.position,
                title=r.title,
                recommendation=r.recommendation,
                institution=r.institution,
                due=r.due,
                status=StepStatus(r.status),
                needs=tuple(needs[r.id]),
                indicators=tuple(links[r.id]),
                themes=split(r.themes),
            )
        )
    return out


def _roadmap(row: Any, released: tuple[str, ...], steps: Sequence[Step]) -> Roadmap:
    return Roadmap(
        id=row.id,
        agency=row.agency,
        country=row.country,
        requirement=row.requirement,
        title=row.title,
        marking=Marking(row.marking),
        released_to=released,
        steps=tuple(steps),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def get_roadmap(conn: Connection, principal: Principal, roadmap_id: int) -> Roadmap:
    """A roadmap the caller may see, with its steps in order."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(roadmap_t).where(roadmap_t.c.id == roadmap_id)).first()
    released = released_to(conn, "roadmap", [roadmap_id]).get(roadmap_id, ())
    if row is None or not visible(principal, row, released):
        raise UnknownRecord(f"no roadmap {roadmap_id}", arabic=f"لا خارطة طريق برقم {roadmap_id}")
    return _roadmap(row, released, _steps(conn, [roadmap_id])[roadmap_id])


def list_roadmaps(
    conn: Connection, principal: Principal, *, country_code: str | None = None
) -> list[Roadmap]:
    """The roadmaps the caller may see, newest first."""
    require(principal, Scope.ASSIST)
    query = select(roadmap_t).order_by(roadmap_t.c.id.desc())
    if country_code:
        query = query.where(roadmap_t.c.country == country(country_code))
    rows = list(conn.execute(query))
    releases = released_to(conn, "roadmap", [r.id for r in rows])
    rows = [r for r in rows if visible(principal, r, releases[r.id])]
    steps = _steps(conn, [r.id for r in rows])
    return [_roadmap(r, releases[r.id], steps[r.id]) for r in rows]


def step_roadmap(conn: Connection, step_id: int | None) -> int:
    """The roadmap a step belongs to (the caller's rights checked by the caller)."""
    found = conn.scalar(select(step_t.c.roadmap).where(step_t.c.id == step_id))
    if found is None:
        raise UnknownRecord(f"no step {step_id}", arabic=f"لا خطوة برقم {step_id}")
    return int(found)


def _step_needs(
    conn: Connection, principal: Principal, roadmap: Roadmap, needs: Iterable[int]
) -> list[int]:
    out = []
    for need_id in sorted(set(needs)):
        need = get_need(conn, principal, need_id)
        if need.agency != roadmap.agency or need.country != roadmap.country:
            raise AssistError(
                f"need {need_id} is not one of this roadmap's state's needs",
                arabic=f"الاحتياج {need_id} ليس من احتياجات الدولة التي تخصها خارطة الطريق",
            )
        out.append(need_id)
    return out


def add_step(
    conn: Connection,
    principal: Principal,
    roadmap_id: int,
    *,
    title: str,
    recommendation: str,
    institution: str,
    due: date | None = None,
    needs: Sequence[int] = (),
    themes: Sequence[str] = (),
    position: int | None = None,
) -> Step:
    """Add a step to a roadmap, at the end or at ``position`` (later steps move down)."""
    roadmap = get_roadmap(conn, principal, roadmap_id)
    require_coordinator(principal, roadmap.agency, Text("يغيّر خرائط الطريق", "change roadmaps"))
    last = len(roadmap.steps)
    where = last + 1 if position is None else position
    if not 1 <= where <= last + 1:
        raise AssistError(
            f"a step's position is 1 to {last + 1}, not {where}",
            arabic=f"موضع الخطوة من 1 إلى {last + 1}، لا {where}",
        )
    linked = _step_needs(conn, principal, roadmap, needs)
    for code in themes:
        known_theme(conn, code)
    conn.execute(
        update(step_t)
        .where(step_t.c.roadmap == roadmap_id, step_t.c.position >= where)
        .values(position=step_t.c.position + 1)
    )
    step_id = insert_id(
        conn,
        step_t.insert().values(
            roadmap=roadmap_id,
            position=where,
            title=text(title, Text("عنوان الخطوة", "the step's title"), limit=500),
            recommendation=text(
                recommendation, Text("التوصية المصممة", "the tailored recommendation")
            ),
            institution=text(
                institution, Text("المؤسسة المسؤولة", "the responsible institution"), limit=300
            ),
            due=due,
            status=StepStatus.PLANNED.value,
            themes=",".join(dict.fromkeys(themes)),
            updated_at=utcnow(),
        ),
    )
    for need_id in linked:
        conn.execute(step_need_t.insert().values(step=step_id, need=need_id))
    record(conn, principal, "assist.step.add", str(step_id), roadmap=str(roadmap_id))
    return next(s for s in get_roadmap(conn, principal, roadmap_id).steps if s.id == step_id)


def update_step(
    conn: Connection,
    principal: Principal,
    step_id: int,
    *,
    status: StepStatus | None = None,
    due: date | None = None,
    needs: Sequence[int] | None = None,
) -> Step:
    """Change a step's status, due date or linked needs."""
    roadmap = get_roadmap(conn, principal, step_roadmap(conn, step_id))
    require_coordinator(principal, roadmap.agency, Text("يغيّر خرائط الطريق", "change roadmaps"))
    values: dict[str, Any] = {"updated_at": utcnow()}
    if status is not None:
        values["status"] = status.value
    if due is not None:
        values["due"] = due
    conn.execute(update(step_t).where(step_t.c.id == step_id).values(**values))
    if needs is not None:
        linked = _step_needs(conn, principal, roadmap, needs)
        conn.execute(delete(step_need_t).where(step_need_t.c.step == step_id))
        for need_id in linked:
            conn.execute(step_need_t.insert().values(step=step_id, need=need_id))
    record(
        conn,
        principal,
        "assist.step.update",
        str(step_id),
        status=status.value if status else "",
    )
    updated = get_roadmap(conn, principal, roadmap.id or 0)
    return next(s for s in updated.steps if s.id == step_id)


def steps_of_need(
    conn: Connection, principal: Principal, need_id: int
) -> list[tuple[Roadmap, Step]]:
    """The roadmap steps a need is linked to, that the caller may see."""
    step_ids = list(conn.scalars(select(step_need_t.c.step).where(step_need_t.c.need == need_id)))
    if not step_ids:
        return []
    out: list[tuple[Roadmap, Step]] = []
    roadmap_ids = sorted(
        set(conn.scalars(select(step_t.c.roadmap).where(step_t.c.id.in_(step_ids))))
    )
    for roadmap_id in roadmap_ids:
        try:
            roadmap = get_roadmap(conn, principal, roadmap_id)
        except UnknownRecord:
            continue
        out.extend((roadmap, s) for s in roadmap.steps if s.id in step_ids)
    return out
