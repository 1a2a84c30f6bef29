"""Needs in the store, on SQLite and PostgreSQL: release lists decide who sees them, strict
and red needs reach no partner, only the owning coordinators change them, and a need is
checked, each refusal worded in both languages."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from rasid.access.policy import Denied
from rasid.assist import needs
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import Indicator, NeedStatus, Priority
from rasid.model.markings import Marking
from rasid.store import Store
from tests.assist.helpers import World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_needs_follow_their_release_lists(world: World) -> None:
    with world.store.uow() as uow:
        donor = world.who(uow.conn, "donor")
        un = world.who(uow.conn, "un")
        seen_by_donor = {n.institution for n in needs.list_needs(uow.conn, donor)}
        seen_by_un = {n.institution for n in needs.list_needs(uow.conn, un)}
        assert "Cybercrime Unit" not in seen_by_donor  # released to partner_un only
        assert "Cybercrime Unit" in seen_by_un
        assert "Financial Intelligence Unit" in seen_by_donor
        cyber = world.loaded.needs["cyber"]
        with pytest.raises(UnknownRecord):
            needs.get_need(uow.conn, donor, cyber.id or 0)


def test_strict_and_red_records_do_not_reach_every_partner(world: World) -> None:
    base = world.loaded.needs["judicial-training"]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        strict = needs.add_need(
            uow.conn, coord, replace(base, id=None, marking=Marking.AMBER_STRICT, targets=())
        )
        assert strict.id is not None
        with pytest.raises(UnknownRecord):
            needs.get_need(uow.conn, world.who(uow.conn, "donor"), strict.id)
        with pytest.raises(AssistError, match="TLP:RED"):
            needs.add_need(uow.conn, coord, replace(base, id=None, marking=Marking.RED, targets=()))


def test_only_the_owning_coordinators_write(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    assert fiu.id is not None
    with world.store.uow() as uow:
        for name in ("un", "analyst", "focal"):
            caller = world.who(uow.conn, name)
            if name == "analyst":  # no assist scope at all
                with pytest.raises(Denied):
                    needs.list_needs(uow.conn, caller)
                continue
            with pytest.raises(Denied):
                needs.update_need(uow.conn, caller, fiu.id, status=NeedStatus.MET)
        done = needs.update_need(
            uow.conn, world.who(uow.conn, "coord2"), fiu.id, priority=Priority.MEDIUM
        )
        assert done.priority is Priority.MEDIUM


def _target(ascending: bool, baseline: float, start: date, target: float, end: date) -> Indicator:
    return Indicator(None, "Backlog", ascending, baseline, start, target, end)


def test_a_need_is_checked(world: World) -> None:
    base = replace(world.loaded.needs["fiu-analysis"], id=None, targets=())
    wrong = [
        (
            replace(base, theme="gp-99"),
            "unknown thematic area 'gp-99'",
            "مجال موضوعي غير معروف: 'gp-99'",
        ),
        (
            replace(base, country="Sahel"),
            "a country is an ISO 3166-1 alpha-2 code, not 'Sahel'",
            "رمز الدولة 'Sahel' غير صالح: الدولة تُكتب برمز من حرفين (ISO 3166-1)",
        ),
        (
            replace(base, gap="  "),
            "the gap found is required",
            "الحقل «الفجوة المكتشفة» مطلوب",
        ),
        (
            replace(base, institution="x" * 301),
            "the institution is longer than 300 characters",
            "الحقل «المؤسسة المعنية» يتجاوز الحد الأقصى لعدد الأحرف (300)",
        ),
        (
            replace(base, currency="dollars"),
            "a currency is an ISO 4217 code, not 'dollars'",
            "رمز العملة 'dollars' غير صالح: العملة تُكتب برمز من ثلاثة أحرف (ISO 4217)",
        ),
        (
            replace(base, cost=-1.0),
            "a need's cost cannot be negative",
            "لا تكون التكلفة التقديرية للاحتياج سالبة",
        ),
        (
            replace(base, targets=(_target(False, 10, date(2026, 1, 1), 20, date(2027, 1, 1)),)),
            "target 1: a descending indicator's target is above its baseline",
            "معيار الهدف 1: هدف المؤشر التنازلي أعلى من خط الأساس",
        ),
        (
            replace(
                base,
                targets=(
                    _target(True, 1, date(2026, 1, 1), 5, date(2027, 1, 1)),
                    _target(True, 1, date(2027, 1, 1), 5, date(2026, 1, 1)),
                ),
            ),
            "target 2: the target date must come after the baseline date",
            "معيار الهدف 2: يجب أن يأتي تاريخ الهدف بعد تاريخ خط الأساس",
        ),
        (
            replace(
                base,
                targets=(
                    replace(_target(True, 1, date(2026, 1, 1), 5, date(2027, 1, 1)), title=""),
                ),
            ),
            "target 1: the title is required",
            "الحقل «معيار الهدف 1: العنوان» مطلوب",
        ),
    ]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        for need, english, arabic in wrong:
            with pytest.raises(AssistError) as refused:
                needs.add_need(uow.conn, coord, need)
            assert (str(refused.value), refused.value.worded("ar")) == (english, arabic)
