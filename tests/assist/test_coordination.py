"""Coordination over the store, on SQLite and PostgreSQL: the demo's visit and the donors'
IATI files imported; suggestions for a need with every component; accepting a match links
need and project and changes coverage; the planted duplicate flagged and the near miss not;
progress rolls up through explicit links only; the trace; re-importing changes nothing."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection

from rasid.access.policy import Denied, Principal
from rasid.assist import coordination, iati, needs, projects, records, tracking
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import (
    ActivityStatus,
    Actual,
    Coverage,
    MatchStatus,
    Rating,
)
from rasid.store import Store
from tests.assist.helpers import EXAMPLES, World, make_world

TODAY = date(2026, 11, 24)


def import_examples(conn: Connection, caller: Principal) -> list[projects.Saved]:
    """Import both donors' example files."""
    out = []
    for name in ("donors-north.xml", "donors-south.xml"):
        batch = iati.read_iati(
            (EXAMPLES / name).read_bytes(), name, records.taxonomy(conn), agency=caller.agency
        )
        out.append(projects.save_projects(conn, caller, batch, origin=name))
    return out


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The visit and the donors' projects."""
    made = make_world(store)
    with store.uow() as uow:
        saved = import_examples(uow.conn, made.who(uow.conn, "coord"))
        assert [len(s.created) for s in saved] == [4, 4]
    yield made


def test_reimporting_changes_nothing_and_keeps_reported_actuals(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        fiu = world.project(uow.conn, "XM-RASID-DEMO-NO-0001")
        indicator = fiu.results[0].indicators[0]
        assert indicator.id is not None
        tracking.report_actual(uow.conn, coord, indicator.id, Actual(TODAY, 19.0))
        again = import_examples(uow.conn, coord)
        assert [(len(s.created), len(s.updated)) for s in again] == [(0, 0), (0, 0)]
        kept = tracking.get_indicator(uow.conn, coord, indicator.id)
        assert kept.actuals[-1].value == 19.0 and kept.actuals[-1].reported_by == "coord"


def test_another_agency_cannot_overwrite_a_project(world: World) -> None:
    with world.store.uow() as uow:
        donor = world.who(uow.conn, "donor")
        name = "donors-north.xml"
        batch = iati.read_iati(
            (EXAMPLES / name).read_bytes(), name, records.taxonomy(uow.conn), agency="x"
        )
        saved = projects.save_projects(uow.conn, donor, batch, origin=name)
        assert saved.created == () and len(saved.quarantined) == 4
        assert "already recorded by coordination" in saved.quarantined[0].reason


def test_suggestions_rank_the_fiu_projects_first_with_every_component(world: World) -> None:
    need = world.loaded.needs["fiu-analysis"]
    assert need.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        found = coordination.suggest(uow.conn, coord, need.id, today=TODAY)
        by_id = {p.id: p.identifier for p in projects.list_projects(uow.conn, coord)}
        top = {by_id[m.project] for m in found[:2]}
        assert top == {"XM-RASID-DEMO-NO-0001", "XM-RASID-DEMO-JP-0001"}
        best = found[0]
        assert [c.name for c in best.components] == [
            "theme",
            "institution",
            "geography",
            "timing",
            "funding",
        ]
        assert {c.name: c.score for c in best.components}["theme"] == 1.0
        assert {c.name: c.score for c in best.components}["institution"] == 1.0
        assert abs(sum(c.weight for c in best.components) - 1.0) < 1e-9
        # Projects of other themes rank below, and none of another state appears.
        assert all(m.score <= best.score for m in found)


def test_accepting_links_need_and_project_and_changes_coverage(world: World) -> None:
    need = world.loaded.needs["judicial-training"]
    assert need.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        before = coordination.coverage(uow.conn, coord).cell("ZZ", "gp-23")
        assert before.coverage is Coverage.UNCOVERED
        judicial = world.project(uow.conn, "XM-RASID-DEMO-JP-0003")
        assert judicial.id is not None
        with pytest.raises(Denied):
            coordination.decide(
                uow.conn,
                world.who(uow.conn, "un"),
                need.id,
                judicial.id,
                MatchStatus.ACCEPTED,
                today=TODAY,
            )
        done = coordination.decide(
            uow.conn,
            coord,
            need.id,
            judicial.id,
            MatchStatus.ACCEPTED,
            today=TODAY,
            note="Agreed at the coordination meeting",
        )
        assert done.decided_by == "coord" and done.components
        after = coordination.coverage(uow.conn, coord).cell("ZZ", "gp-23")
        assert after.coverage is Coverage.COVERED and after.covered == (need.id,)
        # Decided projects are no longer suggested; undo brings them back.
        suggested = coordination.suggest(uow.conn, coord, need.id, today=TODAY)
        assert judicial.id not in {m.project for m in suggested}
        coordination.undo(uow.conn, coord, need.id, judicial.id)
        suggested = coordination.suggest(uow.conn, coord, need.id, today=TODAY)
        assert judicial.id in {m.project for m in suggested}
        # A cancelled project no longer covers the need.
        coordination.decide(
            uow.conn, coord, need.id, judicial.id, MatchStatus.ACCEPTED, today=TODAY
        )
        projects.set_status(uow.conn, coord, judicial.id, ActivityStatus.CANCELLED)
        cell = coordination.coverage(uow.conn, coord).cell("ZZ", "gp-23")
        assert cell.coverage is Coverage.UNCOVERED


def test_a_project_of_another_state_cannot_be_accepted(world: World) -> None:
    need = world.loaded.needs["fiu-analysis"]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        other = needs.add_need(
            uow.conn,
            coord,
            need.__class__(**{**need.__dict__, "id": None, "country": "XC", "targets": ()}),
        )
        fiu = world.project(uow.conn, "XM-RASID-DEMO-NO-0001")
        with pytest.raises(AssistError, match="does not cover XC") as refused:
            coordination.decide(
                uow.conn, coord, other.id or 0, fiu.id or 0, MatchStatus.ACCEPTED, today=TODAY
            )
        assert refused.value.worded("ar") == "المشروع XM-RASID-DEMO-NO-0001 لا يشمل الدولة XC"
        with pytest.raises(UnknownRecord) as unknown:
            coordination.undo(uow.conn, coord, other.id or 0, fiu.id or 0)
        assert unknown.value.worded("ar") == f"لا قرار في الاحتياج {other.id} والمشروع {fiu.id}"


def test_the_planted_duplicate_is_flagged_and_the_near_miss_is_not(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        flags = coordination.duplicates(uow.conn, coord)
        ids = {p.id: p.identifier for p in projects.list_projects(uow.conn, coord)}
        pairs = {frozenset((ids[d.left], ids[d.right])) for d in flags}
        assert frozenset({"XM-RASID-DEMO-NO-0001", "XM-RASID-DEMO-JP-0001"}) in pairs
        assert frozenset({"XM-RASID-DEMO-NO-0002", "XM-RASID-DEMO-JP-0002"}) not in pairs
        flag = next(d for d in flags if ids[d.left] == "XM-RASID-DEMO-NO-0001")
        assert flag.institutions == ("Financial Intelligence Unit",)
        assert flag.themes == ("gp-21",)
        assert flag.days > 90
        # The near miss shows with a threshold below its overlap.
        low = coordination.duplicates(uow.conn, coord, min_days=10)
        assert frozenset({"XM-RASID-DEMO-NO-0002", "XM-RASID-DEMO-JP-0002"}) in {
            frozenset((ids[d.left], ids[d.right])) for d in low
        }
        note = coordination.add_note(
            uow.conn, coord, flag.right, flag.left, "Both donors agreed to split the work"
        )
        assert (note.left, note.right) == (flag.left, flag.right)
        assert coordination.notes(uow.conn, coord)[(flag.left, flag.right)][0].note.startswith(
            "Both donors"
        )
        with pytest.raises(Denied):
            coordination.add_note(uow.conn, world.who(uow.conn, "donor"), 1, 2, "no")


def test_progress_rolls_up_through_explicit_links_only(world: World) -> None:
    roadmap = world.loaded.roadmap
    assert roadmap is not None and roadmap.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        before = coordination.roadmap_progress(uow.conn, coord, roadmap.id, TODAY)
        assert all(r.rating is Rating.NONE and r.parts == () for r in before.values())
        fiu_step = roadmap.steps[1]
        project = world.project(uow.conn, "XM-RASID-DEMO-NO-0001")
        indicator = project.results[0].indicators[0]
        assert indicator.id is not None and fiu_step.id is not None
        tracking.link_indicator(uow.conn, coord, indicator.id, step=fiu_step.id)
        after = coordination.roadmap_progress(uow.conn, coord, roadmap.id, TODAY)
        rolled = after[fiu_step.id]
        assert [p.indicator for p in rolled.parts] == [indicator.id]
        assert rolled.rating is not Rating.NONE and rolled.achieved is not None
        # Other steps are untouched.
        assert all(after[s.id or 0].parts == () for s in roadmap.steps if s.id != fiu_step.id)


def test_the_trace_runs_from_good_practice_to_progress(world: World) -> None:
    need = world.loaded.needs["fiu-analysis"]
    assert need.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        project = world.project(uow.conn, "XM-RASID-DEMO-NO-0001")
        coordination.decide(
            uow.conn, coord, need.id, project.id or 0, MatchStatus.ACCEPTED, today=TODAY
        )
        indicator = project.results[0].indicators[0]
        tracking.link_indicator(uow.conn, coord, indicator.id or 0, need=need.id)
        found = coordination.trace(uow.conn, coord, need.id, TODAY)
        assert found.theme.code == "gp-21" and found.theme.number == 21
        assert found.document is not None and found.document.id == need.document
        assert [s.title for _, s in found.steps] == [
            "Connect the financial intelligence unit to the fusion cell"
        ]
        assert [link.project.identifier for link in found.projects] == ["XM-RASID-DEMO-NO-0001"]
        assert [p.indicator for p in found.projects[0].progress] == [indicator.id]
        assert len(found.targets) == 2
        assert len(found.rollup.parts) == 3
        # A partner without the document's release sees the trace without it.
        donor_view = coordination.trace(uow.conn, world.who(uow.conn, "donor"), need.id, TODAY)
        assert donor_view.document is None


def test_projects_read_once_give_the_same_answers(world: World) -> None:
    """A page that has read the caller's projects passes them on: the answers are the
    same as when each function reads them itself."""
    need = world.loaded.needs["fiu-analysis"]
    assert need.id is not None
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        project = world.project(uow.conn, "XM-RASID-DEMO-NO-0001")
        coordination.decide(
            uow.conn, coord, need.id, project.id or 0, MatchStatus.ACCEPTED, today=TODAY
        )
        seen = projects.list_projects(uow.conn, coord)
        by_id = coordination.projects_by_id(seen)
        assert coordination.trace(uow.conn, coord, need.id, TODAY, visible=by_id) == (
            coordination.trace(uow.conn, coord, need.id, TODAY)
        )
        assert coordination.coverage(uow.conn, coord, visible=by_id) == (
            coordination.coverage(uow.conn, coord)
        )
        for country in (None, "zz", "XC"):
            assert coordination.duplicates(
                uow.conn, coord, country_code=country, projects=seen
            ) == (coordination.duplicates(uow.conn, coord, country_code=country))
        flag = coordination.duplicates(uow.conn, coord, projects=seen)[0]  # the planted pair
        coordination.add_note(uow.conn, coord, flag.left, flag.right, "Discussed on Monday")
        assert coordination.suggest(uow.conn, coord, need.id, today=TODAY, projects=seen) == (
            coordination.suggest(uow.conn, coord, need.id, today=TODAY)
        )
        noted = coordination.notes(uow.conn, coord, projects=seen)
        assert noted == coordination.notes(uow.conn, coord) and len(noted) == 1
