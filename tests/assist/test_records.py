"""Coordination records in the store, on SQLite and PostgreSQL: a visit's document, needs and
roadmap loaded from YAML; releases (a partner sees a partial report's summary, never its
body, and nothing unreleased); who may write; targets, actuals and explicit links."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Denied, Principal
from rasid.access.registry import ensure_agency
from rasid.assist import records, visit
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import (
    Actual,
    DocumentKind,
    Indicator,
    NeedStatus,
    Priority,
    Release,
    StepStatus,
)
from rasid.model.markings import Marking
from rasid.store import Store
from rasid.store.tables import audit_event
from tests.assist.helpers import VISIT, World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_the_visit_loads_whole(world: World) -> None:
    loaded = world.loaded
    assert loaded.document is not None and loaded.document.release is Release.PARTIAL
    assert set(loaded.needs) == {
        "fusion-cell",
        "fiu-analysis",
        "border-api",
        "prison-intel",
        "judicial-training",
        "coast-resilience",
        "cyber",
    }
    fiu = loaded.needs["fiu-analysis"]
    assert fiu.theme == "gp-21" and fiu.country == "ZZ" and fiu.priority is Priority.HIGH
    assert fiu.document == loaded.document.id
    assert [t.ascending for t in fiu.targets] == [False, True]
    assert fiu.targets[0].baseline == 30 and fiu.targets[0].target == 10
    assert loaded.roadmap is not None
    steps = loaded.roadmap.steps
    assert [s.position for s in steps] == [1, 2, 3, 4]
    assert steps[1].needs == (fiu.id,)
    assert steps[3].themes == ("gp-24", "gp-11")


def test_a_partner_sees_the_summary_of_a_partial_release_never_the_body(world: World) -> None:
    doc = world.loaded.document
    assert doc is not None and doc.id is not None
    with world.store.uow() as uow:
        mine = records.get_document(uow.conn, world.who(uow.conn, "coord"), doc.id)
        theirs = records.get_document(uow.conn, world.who(uow.conn, "un"), doc.id)
        assert "withheld" in mine.body
        assert theirs.body == "" and "consents" in theirs.summary
        # A partner it was not released to does not know it exists.
        with pytest.raises(UnknownRecord):
            records.get_document(uow.conn, world.who(uow.conn, "donor"), doc.id)
        assert records.list_documents(uow.conn, world.who(uow.conn, "donor")) == []
    with world.store.uow() as uow:  # the audit log is written on commit
        reads = uow.conn.execute(
            select(audit_event.c.actor).where(audit_event.c.action == "assist.document.read")
        ).scalars()
        assert sorted(reads) == ["coord", "un"]


def test_an_unreleased_report_is_unknown_to_every_partner(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        doc = records.add_document(
            uow.conn,
            coord,
            country_code="ZZ",
            kind=DocumentKind.CONSULTATION,
            title="Consultation on border management",
            on=date(2026, 5, 1),
            marking=Marking.AMBER,
            body="Everything said in the consultation.",
        )
        assert doc.id is not None and doc.release is Release.NONE
        for partner in ("un", "donor"):
            with pytest.raises(UnknownRecord):
                records.get_document(uow.conn, world.who(uow.conn, partner), doc.id)
        # Released in full later: the partner named sees the body.
        records.release_document(uow.conn, coord, doc.id, Release.FULL, ["partner_donor"])
        seen = records.get_document(uow.conn, world.who(uow.conn, "donor"), doc.id)
        assert seen.body == "Everything said in the consultation."
        with pytest.raises(UnknownRecord):
            records.get_document(uow.conn, world.who(uow.conn, "un"), doc.id)


def test_needs_follow_their_release_lists(world: World) -> None:
    with world.store.uow() as uow:
        donor = world.who(uow.conn, "donor")
        un = world.who(uow.conn, "un")
        seen_by_donor = {n.institution for n in records.list_needs(uow.conn, donor)}
        seen_by_un = {n.institution for n in records.list_needs(uow.conn, un)}
        assert "Cybercrime Unit" not in seen_by_donor  # released to partner_un only
        assert "Cybercrime Unit" in seen_by_un
        assert "Financial Intelligence Unit" in seen_by_donor
        cyber = world.loaded.needs["cyber"]
        with pytest.raises(UnknownRecord):
            records.get_need(uow.conn, donor, cyber.id or 0)


def test_strict_and_red_records_do_not_reach_every_partner(world: World) -> None:
    base = world.loaded.needs["judicial-training"]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        strict = records.add_need(
            uow.conn, coord, replace(base, id=None, marking=Marking.AMBER_STRICT, targets=())
        )
        assert strict.id is not None
        with pytest.raises(UnknownRecord):
            records.get_need(uow.conn, world.who(uow.conn, "donor"), strict.id)
        with pytest.raises(AssistError, match="TLP:RED"):
            records.add_need(
                uow.conn, coord, replace(base, id=None, marking=Marking.RED, targets=())
            )


def test_only_the_owning_coordinators_write(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    assert fiu.id is not None
    with world.store.uow() as uow:
        for name in ("un", "analyst", "focal"):
            caller = world.who(uow.conn, name)
            if name == "analyst":  # no assist scope at all
                with pytest.raises(Denied):
                    records.list_needs(uow.conn, caller)
                continue
            with pytest.raises(Denied):
                records.update_need(uow.conn, caller, fiu.id, status=NeedStatus.MET)
        done = records.update_need(
            uow.conn, world.who(uow.conn, "coord2"), fiu.id, priority=Priority.MEDIUM
        )
        assert done.priority is Priority.MEDIUM


def test_a_need_is_checked(world: World) -> None:
    base = replace(world.loaded.needs["fiu-analysis"], id=None, targets=())
    wrong = [
        (replace(base, theme="gp-99"), "unknown thematic area"),
        (replace(base, country="Sahel"), "ISO 3166"),
        (replace(base, gap="  "), "gap found is required"),
        (replace(base, currency="dollars"), "ISO 4217"),
        (
            replace(
                base,
                targets=(
                    Indicator(None, "Backlog", False, 10, date(2026, 1, 1), 20, date(2027, 1, 1)),
                ),
            ),
            "descending indicator's target is above",
        ),
        (
            replace(
                base,
                targets=(Indicator(None, "Cases", True, 1, date(2027, 1, 1), 5, date(2026, 1, 1)),),
            ),
            "target date must come after",
        ),
    ]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        for need, message in wrong:
            with pytest.raises(AssistError, match=message):
                records.add_need(uow.conn, coord, need)


def test_actuals_and_links(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    roadmap = world.loaded.roadmap
    assert roadmap is not None and fiu.id is not None
    target = fiu.targets[0]
    assert target.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        records.report_actual(uow.conn, coord, target.id, Actual(date(2026, 9, 1), 22.0))
        with pytest.raises(Denied):
            records.report_actual(
                uow.conn, world.who(uow.conn, "un"), target.id, Actual(date(2026, 9, 2), 1.0)
            )
        with pytest.raises(AssistError, match="predate"):
            records.report_actual(uow.conn, coord, target.id, Actual(date(2025, 1, 1), 1.0))
        got = records.get_indicator(uow.conn, coord, target.id)
        assert [(a.date, a.value, a.reported_by) for a in got.actuals] == [
            (date(2026, 9, 1), 22.0, "coord")
        ]
        step = roadmap.steps[1]
        assert step.id is not None
        records.link_indicator(uow.conn, coord, target.id, step=step.id)
        records.link_indicator(uow.conn, coord, target.id, step=step.id)  # idempotent
        assert [i.id for i in records.linked_indicators(uow.conn, step=step.id)] == [target.id]
        with pytest.raises(AssistError, match="already"):
            records.link_indicator(uow.conn, coord, target.id, need=fiu.id)
        records.unlink_indicator(uow.conn, coord, target.id, step=step.id)
        assert records.linked_indicators(uow.conn, step=step.id) == []


def test_steps_move_and_change(world: World) -> None:
    roadmap = world.loaded.roadmap
    assert roadmap is not None and roadmap.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        first = records.add_step(
            uow.conn,
            coord,
            roadmap.id,
            title="Map the agencies' data",
            recommendation="List what each agency holds and under which law.",
            institution="National Coordination Office",
            position=1,
        )
        assert first.position == 1
        again = records.get_roadmap(uow.conn, coord, roadmap.id)
        assert [s.title for s in again.steps][:2] == [
            "Map the agencies' data",
            "Establish the national fusion cell by decree",
        ]
        assert [s.position for s in again.steps] == [1, 2, 3, 4, 5]
        moved = records.update_step(uow.conn, coord, first.id or 0, status=StepStatus.DONE)
        assert moved.status is StepStatus.DONE
        with pytest.raises(AssistError, match="position"):
            records.add_step(
                uow.conn,
                coord,
                roadmap.id,
                title="x",
                recommendation="y",
                institution="z",
                position=9,
            )


def test_requirements_extend_the_taxonomy(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        theme = records.add_requirement(
            uow.conn,
            coord,
            "res-2396-op12",
            "D",
            "Resolution 2396 (2017), paragraph 12: collect and analyse API and PNR data",
            "القرار 2396 (2017)، الفقرة 12: جمع بيانات المسافرين وتحليلها",
            ["15136"],
        )
        assert records.taxonomy(uow.conn).themes[-1] == theme
        with pytest.raises(AssistError, match="already"):
            records.add_requirement(uow.conn, coord, "res-2396-op12", "D", "again", "مرة أخرى", [])
        with pytest.raises(AssistError, match="gp-"):
            records.add_requirement(uow.conn, coord, "gp-26", "D", "no", "لا", [])


def test_a_bad_visit_file_names_the_entry_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    data = yaml.safe_load(VISIT.read_text("utf-8"))
    data["roadmap"]["steps"][2]["needs"] = ["no-such-need"]
    bad = tmp_path / "visit.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with store.uow() as uow:
        ensure_agency(uow.conn, "coordination")
        ensure_agency(uow.conn, "partner_un")
        add_user(
            uow.conn,
            "coord",
            "coordination",
            Role.COORDINATOR,
            "t",
            password="a long test passphrase",
        )
    expected = r"visit.yml: roadmap.steps\[2\].needs: no need"
    with pytest.raises(AssistError, match=expected), store.uow() as uow:
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        visit.load_file(uow.conn, coord, bad)
    with store.uow() as uow:
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        assert records.list_needs(uow.conn, coord) == []
        assert records.list_documents(uow.conn, coord) == []
