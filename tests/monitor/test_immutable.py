"""Approved assessments cannot be edited: not through the module, not by SQL (the
migration's triggers), on SQLite and PostgreSQL; the content hash finds a row changed with
the triggers out of the way."""

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from rasid.monitor import assessments, workflow
from rasid.monitor.errors import MonitorError
from rasid.monitor.model import Status
from rasid.store import Store
from rasid.store.tables import monitor_assessment, monitor_evidence, monitor_rating
from tests.monitor.test_assessments import APR, World, approved, indicators, make_world, rating


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The two agencies' users and a country subject."""
    yield make_world(store)


def test_the_module_refuses_to_change_an_approved_assessment(world: World) -> None:
    first = approved(world, {indicators()[0]: 2})
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        with pytest.raises(MonitorError, match="cannot be changed"):
            workflow.rate(uow.conn, ana, first, rating(indicators()[1], 3))
        with pytest.raises(MonitorError, match="cannot be changed"):
            workflow.submit(uow.conn, ana, first)
        with pytest.raises(MonitorError, match="cannot be changed"):
            workflow.send_back(uow.conn, world.who(uow.conn, "rev"), first, "redo")


STATEMENTS = [
    update(monitor_assessment).values(marking="TLP:CLEAR"),
    update(monitor_assessment).values(status="draft"),
    update(monitor_assessment).values(status="superseded", review_note="changed"),
    delete(monitor_assessment),
    update(monitor_rating).values(level=5),
    delete(monitor_rating),
    update(monitor_evidence).values(reference="forged"),
    delete(monitor_evidence),
]


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: str(s).split("\n")[0][:40])
def test_the_database_refuses_sql_changes(world: World, statement: object) -> None:
    approved(world, {indicators()[0]: 2})
    refused = pytest.raises(DBAPIError, match="approved assessment cannot be changed")
    with refused, world.store.uow() as uow:
        uow.conn.execute(statement)  # type: ignore[call-overload]


def test_the_database_refuses_new_ratings_on_an_approved_assessment(world: World) -> None:
    first = approved(world, {indicators()[0]: 2})
    row = {"assessment": first, "indicator": indicators()[1], "level": 1, "reason": ""}
    refused = pytest.raises(DBAPIError, match="approved assessment cannot be changed")
    with refused, world.store.uow() as uow:
        uow.conn.execute(monitor_rating.insert().values(**row, trend="stable", rationale=""))


def test_becoming_superseded_is_the_one_change_accepted(world: World) -> None:
    first = approved(world, {indicators()[0]: 2})
    with world.store.uow() as uow:
        uow.conn.execute(update(monitor_assessment).values(status="superseded"))
    with world.store.uow() as uow:
        status = uow.conn.execute(select(monitor_assessment.c.status)).scalar_one()
        assert status == Status.SUPERSEDED.value
        assert assessments.verify_hash(uow.conn, first)
    with pytest.raises(DBAPIError), world.store.uow() as uow:  # and it is final
        uow.conn.execute(update(monitor_assessment).values(status="approved"))


def test_drafts_stay_editable_by_sql(world: World) -> None:
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        draft = workflow.create_assessment(uow.conn, ana, world.country, *APR)
        uow.conn.execute(update(monitor_assessment).values(marking="TLP:GREEN"))
    with world.store.uow() as uow:
        found = assessments.get_assessment(uow.conn, world.who(uow.conn, "ana"), draft.id)
        assert not assessments.verify_hash(uow.conn, draft.id)  # never approved
    assert found.marking.value == "TLP:GREEN"


TRIGGERS = {
    "sqlite": [
        "monitor_rating_frozen_update",
        "monitor_assessment_frozen_update",
        "monitor_evidence_frozen_update",
    ],
    "postgresql": [
        "monitor_rating_frozen ON monitor_rating",
        "monitor_assessment_frozen ON monitor_assessment",
        "monitor_evidence_frozen ON monitor_evidence",
    ],
}


@pytest.mark.parametrize(
    "tamper",
    [
        update(monitor_rating).values(level=5),
        update(monitor_evidence).values(reference="forged"),
        update(monitor_assessment).values(period_end=APR[1]),
    ],
    ids=["rating", "evidence", "period"],
)
def test_the_hash_detects_a_tampered_row(world: World, tamper: object) -> None:
    first = approved(world, {indicators()[0]: 2})
    with world.store.uow() as uow:
        assert assessments.verify_hash(uow.conn, first)
        for trigger in TRIGGERS[uow.dialect]:
            uow.conn.execute(text(f"DROP TRIGGER {trigger}"))
        uow.conn.execute(tamper)  # type: ignore[call-overload]
    with world.store.uow() as uow:
        assert not assessments.verify_hash(uow.conn, first)
