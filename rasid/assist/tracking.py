"""Following indicators: one read as the caller may see it, its actuals reported by whoever
answers for it, and the explicit links through which its progress rolls up to a need or a
roadmap step (nothing rolls up without such a link)."""

from sqlalchemy import Connection, delete, select

from rasid.access.policy import Denied, Principal, may_record_project, record
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.indicators import load_indicators
from rasid.assist.model import Actual, Indicator, Text
from rasid.assist.needs import get_need
from rasid.assist.projects import get_project
from rasid.assist.records import require_coordinator, text
from rasid.assist.roadmaps import get_roadmap, step_roadmap
from rasid.store.statements import utcnow
from rasid.store.tables import assist_actual as actual_t
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_indicator_link as link_t
from rasid.store.tables import assist_need as need_t
from rasid.store.tables import assist_project as project_t


def get_indicator(conn: Connection, principal: Principal, ind_id: int) -> Indicator:
    """An indicator the caller may see (through its need or its project)."""
    found = load_indicators(conn, indicator_t.c.id == ind_id)
    if not found:
        raise UnknownRecord(f"no indicator {ind_id}", arabic=f"لا مؤشر برقم {ind_id}")
    indicator = found[0]
    if indicator.need is not None:
        get_need(conn, principal, indicator.need)
    elif indicator.project is not None:
        get_project(conn, principal, indicator.project)
    return indicator


def _indicator_owner(conn: Connection, indicator: Indicator) -> tuple[str, str]:
    """The agency that answers for an indicator, and the kind of record it hangs on."""
    if indicator.need is not None:
        agency = conn.scalar(select(need_t.c.agency).where(need_t.c.id == indicator.need))
        return str(agency), "need"
    agency = conn.scalar(select(project_t.c.agency).where(project_t.c.id == indicator.project))
    return str(agency), "project"


def report_actual(conn: Connection, principal: Principal, ind_id: int, actual: Actual) -> Indicator:
    """Report an indicator's value at a date: for a need's target, its state's coordinator;
    for a project's indicator, anyone of the agency that recorded the project."""
    indicator = get_indicator(conn, principal, ind_id)
    agency, kind = _indicator_owner(conn, indicator)
    if kind == "need":
        require_coordinator(
            principal, agency, Text("يسجّل قيم معايير أهداف الاحتياج", "report on a need's targets")
        )
    elif not may_record_project(principal, agency):
        raise Denied(
            f"only {agency} reports on its projects' indicators",
            arabic=f"لا يسجّل قيم مؤشرات المشروع إلا الجهة التي سجّلته ({agency})",
        )
    if actual.date < indicator.baseline_date:
        raise AssistError(
            "an actual cannot predate the indicator's baseline",
            arabic="لا تسبق القيمةُ المسجلة تاريخَ خط الأساس للمؤشر",
        )
    conn.execute(
        actual_t.insert().values(
            indicator=ind_id,
            date=actual.date,
            value=actual.value,
            note=text(actual.note, Text("الملاحظة", "the note"), required=False, limit=1000),
            reported_by=principal.name,
            reported_at=utcnow(),
        )
    )
    record(
        conn,
        principal,
        "assist.actual.report",
        str(ind_id),
        value=str(actual.value),
        on=actual.date.isoformat(),
    )
    return get_indicator(conn, principal, ind_id)


def _owner(conn: Connection, principal: Principal, need: int | None, step: int | None) -> str:
    """The agency of the need or of the step's roadmap (each read as the caller may)."""
    if need is not None:
        return get_need(conn, principal, need).agency
    return get_roadmap(conn, principal, step_roadmap(conn, step)).agency


def link_indicator(
    conn: Connection,
    principal: Principal,
    ind_id: int,
    *,
    need: int | None = None,
    step: int | None = None,
) -> None:
    """Link an indicator to a need or a roadmap step explicitly, so that its progress rolls
    up there (nothing rolls up without such a link)."""
    if (need is None) == (step is None):
        raise AssistError(
            "link an indicator to one need or one step",
            arabic="يُربط المؤشر باحتياج واحد أو بخطوة واحدة",
        )
    indicator = get_indicator(conn, principal, ind_id)
    require_coordinator(
        principal, _owner(conn, principal, need, step), Text("يربط المؤشرات", "link indicators")
    )
    if indicator.need is not None and indicator.need == need:
        raise AssistError(
            "a need's own target rolls up to it already",
            arabic="معيار الهدف الخاص بالاحتياج يُحتسب في تقدمه من غير ربط",
        )
    exists = conn.scalar(
        select(link_t.c.id).where(
            link_t.c.indicator == ind_id, link_t.c.need == need, link_t.c.step == step
        )
    )
    if exists is not None:
        return
    conn.execute(
        link_t.insert().values(
            indicator=ind_id, need=need, step=step, linked_by=principal.name, linked_at=utcnow()
        )
    )
    where = f"need:{need}" if need is not None else f"step:{step}"
    record(conn, principal, "assist.indicator.link", str(ind_id), to=where)


def unlink_indicator(
    conn: Connection,
    principal: Principal,
    ind_id: int,
    *,
    need: int | None = None,
    step: int | None = None,
) -> None:
    """Remove an explicit link."""
    if (need is None) == (step is None):
        raise AssistError(
            "unlink an indicator from one need or one step",
            arabic="يُفك ربط المؤشر من احتياج واحد أو من خطوة واحدة",
        )
    require_coordinator(
        principal,
        _owner(conn, principal, need, step),
        Text("يفك ربط المؤشرات", "unlink indicators"),
    )
    conn.execute(
        delete(link_t).where(
            link_t.c.indicator == ind_id,
            link_t.c.need == need if need is not None else link_t.c.step == step,
        )
    )
    where = f"need:{need}" if need is not None else f"step:{step}"
    record(conn, principal, "assist.indicator.unlink", str(ind_id), to=where)
