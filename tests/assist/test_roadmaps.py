"""Roadmaps in the store, on SQLite and PostgreSQL: steps are inserted at a position (later
steps move down) and change status; a position out of range and a need of another state
are refused in both languages."""

from collections.abc import Iterator
from dataclasses import replace

import pytest

from rasid.assist import needs, roadmaps
from rasid.assist.errors import AssistError
from rasid.assist.model import StepStatus
from rasid.store import Store
from tests.assist.helpers import World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_steps_move_and_change(world: World) -> None:
    roadmap = world.loaded.roadmap
    assert roadmap is not None and roadmap.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        first = roadmaps.add_step(
            uow.conn,
            coord,
            roadmap.id,
            title="Map the agencies' data",
            recommendation="List what each agency holds and under which law.",
            institution="National Coordination Office",
            position=1,
        )
        assert first.position == 1
        again = roadmaps.get_roadmap(uow.conn, coord, roadmap.id)
        assert [s.title for s in again.steps][:2] == [
            "Map the agencies' data",
            "Establish the national fusion cell by decree",
        ]
        assert [s.position for s in again.steps] == [1, 2, 3, 4, 5]
        moved = roadmaps.update_step(uow.conn, coord, first.id or 0, status=StepStatus.DONE)
        assert moved.status is StepStatus.DONE
        with pytest.raises(AssistError, match="position") as refused:
            roadmaps.add_step(
                uow.conn,
                coord,
                roadmap.id,
                title="x",
                recommendation="y",
                institution="z",
                position=9,
            )
        assert refused.value.worded("ar") == "موضع الخطوة من 1 إلى 6، لا 9"


def test_a_step_answers_needs_of_its_roadmap_state_only(world: World) -> None:
    roadmap = world.loaded.roadmap
    assert roadmap is not None and roadmap.id is not None
    base = world.loaded.needs["cyber"]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        elsewhere = needs.add_need(uow.conn, coord, replace(base, id=None, country="YY"))
        with pytest.raises(AssistError) as refused:
            roadmaps.update_step(
                uow.conn, coord, roadmap.steps[0].id or 0, needs=[elsewhere.id or 0]
            )
    assert str(refused.value) == f"need {elsewhere.id} is not one of this roadmap's state's needs"
    assert refused.value.worded("ar") == (
        f"الاحتياج {elsewhere.id} ليس من احتياجات الدولة التي تخصها خارطة الطريق"
    )
