"""Indicators in the store: a need's target parameters and a project's result indicators,
checked, written with their actuals and read back. Reading one as a caller may, reporting
its actuals and linking it to needs and steps is ``rasid.assist.tracking``."""

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from rasid.assist.errors import AssistError
from rasid.assist.model import Actual, Indicator, Text
from rasid.assist.records import phrase, text, within
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import assist_actual as actual_t
from rasid.store.tables import assist_indicator as indicator_t
from rasid.store.tables import assist_indicator_link as link_t
from rasid.store.uow import insert_id

MEASURES = ("unit", "percentage", "nominal", "ordinal", "qualitative")
THE_INDICATOR = Text("المؤشر", "the indicator")


def check_indicator(indicator: Indicator, where: Text | str = THE_INDICATOR) -> Indicator:
    """An indicator checked: a title, a known measure, a target date after the baseline's,
    and a target on the side of the baseline its direction says. ``where`` names the
    indicator in refusals (a plain string: in English only)."""
    place = phrase(where)
    title = text(indicator.title, within(place, Text("العنوان", "the title")), limit=500)
    problem = _problem(indicator)
    if problem is not None:
        raise AssistError(
            f"{place.en}: {problem.en}", arabic=f"{place.ar}: {problem.ar}" if place.ar else ""
        )
    return replace(indicator, title=title)


def _problem(indicator: Indicator) -> Text | None:
    """What is wrong with an indicator's measure, dates or target, if anything."""
    if indicator.measure not in MEASURES:
        return Text(
            f"وحدة قياس غير معروفة: {indicator.measure!r}",
            f"unknown measure {indicator.measure!r}",
        )
    if indicator.target_date <= indicator.baseline_date:
        return Text(
            "يجب أن يأتي تاريخ الهدف بعد تاريخ خط الأساس",
            "the target date must come after the baseline date",
        )
    if indicator.ascending and indicator.target < indicator.baseline:
        return Text(
            "هدف المؤشر التصاعدي أدنى من خط الأساس",
            "an ascending indicator's target is below its baseline",
        )
    if not indicator.ascending and indicator.target > indicator.baseline:
        return Text(
            "هدف المؤشر التنازلي أعلى من خط الأساس",
            "a descending indicator's target is above its baseline",
        )
    return None


def insert_indicator(
    conn: Connection,
    indicator: Indicator,
    *,
    need: int | None = None,
    project: int | None = None,
    result: str = "",
    result_type: int = 1,
    reporter: str = "",
) -> int:
    """Store an indicator (of a need or of a project's result) with its actuals."""
    ind_id = insert_id(
        conn,
        indicator_t.insert().values(
            need=need,
            project=project,
            result=result,
            result_type=result_type,
            title=indicator.title,
            measure=indicator.measure,
            ascending=indicator.ascending,
            baseline=indicator.baseline,
            baseline_date=indicator.baseline_date,
            target=indicator.target,
            target_date=indicator.target_date,
        ),
    )
    now = utcnow()
    for actual in indicator.actuals:
        conn.execute(
            actual_t.insert().values(
                indicator=ind_id,
                date=actual.date,
                value=actual.value,
                note=actual.note,
                reported_by=actual.reported_by or reporter,
                reported_at=now,
            )
        )
    return ind_id


def load_indicators(conn: Connection, where: Any) -> list[Indicator]:
    """Indicators matching a condition on the indicator table, with their actuals."""
    rows = list(conn.execute(select(indicator_t).where(where).order_by(indicator_t.c.id)))
    actuals: dict[int, list[Actual]] = {r.id: [] for r in rows}
    ids = list(actuals)
    for chunk in chunks(ids):
        for a in conn.execute(
            select(actual_t)
            .where(actual_t.c.indicator.in_(chunk))
            .order_by(actual_t.c.date, actual_t.c.id)
        ):
            actuals[a.indicator].append(Actual(a.date, a.value, a.note, a.reported_by))
    return [
        Indicator(
            id=r.id,
            title=r.title,
            ascending=r.ascending,
            baseline=r.baseline,
            baseline_date=r.baseline_date,
            target=r.target,
            target_date=r.target_date,
            measure=r.measure,
            actuals=tuple(actuals[r.id]),
            result=r.result,
            need=r.need,
            project=r.project,
        )
        for r in rows
    ]


def linked_indicators(
    conn: Connection, *, need: int | None = None, step: int | None = None
) -> list[Indicator]:
    """The indicators linked explicitly to a need or a step."""
    column = link_t.c.need if need is not None else link_t.c.step
    key = need if need is not None else step
    ids = list(conn.scalars(select(link_t.c.indicator).where(column == key)))
    return load_indicators(conn, indicator_t.c.id.in_(ids)) if ids else []
