"""Following indicators, on SQLite and PostgreSQL: actuals reported by the need's
coordinator only and never before the baseline; explicit links to steps, idempotent, and
a need's own target never linked to it again."""

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from rasid.access.policy import Denied
from rasid.assist import indicators, tracking
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import Actual
from rasid.store import Store
from tests.assist.helpers import World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_actuals_and_links(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    roadmap = world.loaded.roadmap
    assert roadmap is not None and fiu.id is not None
    target = fiu.targets[0]
    assert target.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        tracking.report_actual(uow.conn, coord, target.id, Actual(date(2026, 9, 1), 22.0))
        with pytest.raises(Denied):
            tracking.report_actual(
                uow.conn, world.who(uow.conn, "un"), target.id, Actual(date(2026, 9, 2), 1.0)
            )
        with pytest.raises(AssistError, match="predate"):
            tracking.report_actual(uow.conn, coord, target.id, Actual(date(2025, 1, 1), 1.0))
        got = tracking.get_indicator(uow.conn, coord, target.id)
        assert [(a.date, a.value, a.reported_by) for a in got.actuals] == [
            (date(2026, 9, 1), 22.0, "coord")
        ]
        step = roadmap.steps[1]
        assert step.id is not None
        tracking.link_indicator(uow.conn, coord, target.id, step=step.id)
        tracking.link_indicator(uow.conn, coord, target.id, step=step.id)  # idempotent
        assert [i.id for i in indicators.linked_indicators(uow.conn, step=step.id)] == [target.id]
        with pytest.raises(AssistError, match="already"):
            tracking.link_indicator(uow.conn, coord, target.id, need=fiu.id)
        tracking.unlink_indicator(uow.conn, coord, target.id, step=step.id)
        assert indicators.linked_indicators(uow.conn, step=step.id) == []


def test_refusals_are_worded_in_both_languages(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    target = fiu.targets[0]
    assert target.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        attempts: list[Callable[[], object]] = [
            lambda: tracking.report_actual(
                uow.conn, coord, target.id or 0, Actual(date(2020, 1, 1), 1)
            ),
            lambda: tracking.link_indicator(uow.conn, coord, target.id or 0),
            lambda: tracking.get_indicator(uow.conn, coord, 999_999),
        ]
        worded = []
        for attempt in attempts:
            with pytest.raises(AssistError) as refused:
                attempt()
            worded.append(refused.value.worded("ar"))
    assert worded == [
        "لا تسبق القيمةُ المسجلة تاريخَ خط الأساس للمؤشر",
        "يُربط المؤشر باحتياج واحد أو بخطوة واحدة",
        "لا مؤشر برقم 999999",
    ]
    assert isinstance(refused.value, UnknownRecord)
