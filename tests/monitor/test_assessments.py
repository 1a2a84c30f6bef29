"""The monitoring workflow in the store, on SQLite and PostgreSQL: subjects, drafts, review
by another person, approval, revision, history, alerts by agency, access by marking,
judgements and series."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Denied, Principal
from rasid.access.registry import ensure_agency
from rasid.model.markings import Marking
from rasid.monitor import (
    alerts,
    assessments,
    history,
    instrument,
    judgements,
    seriesdb,
    subjects,
    workflow,
)
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import (
    ChangeKind,
    Confidence,
    Evidence,
    EvidenceKind,
    Likelihood,
    Manifestation,
    Rating,
    Status,
    SubjectKind,
    Trend,
)
from rasid.store import Store
from rasid.store.tables import audit_event

JAN = (date(2026, 1, 1), date(2026, 3, 31))
APR = (date(2026, 4, 1), date(2026, 6, 30))
USERS = {
    "ana": ("police", Role.ANALYST),
    "rev": ("police", Role.ANALYST),
    "sup": ("police", Role.SUPERVISOR),
    "focal": ("police", Role.FOCAL_POINT),
    "fia": ("fiu", Role.ANALYST),
}


@dataclass
class World:
    """A store with two agencies' users, and a country subject of the police."""

    store: Store
    country: int

    def who(self, conn: Connection, name: str) -> Principal:
        """The user ``name`` as a caller."""
        user = get_user(conn, name)
        assert user is not None
        return Principal(user)


def make_world(store: Store) -> World:
    """Add the users and the police's country subject."""
    with store.uow() as uow:
        for name, (agency, role) in USERS.items():
            ensure_agency(uow.conn, agency)
            add_user(uow.conn, name, agency, role, "test", password="a long test passphrase")
        ana = Principal(get_user(uow.conn, "ana"))  # type: ignore[arg-type]
        country = subjects.add_subject(
            uow.conn, ana, SubjectKind.COUNTRY, "Testland", "أرض الاختبار", country="tl"
        )
    return World(store, country.id)


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The two agencies' users and a country subject."""
    yield make_world(store)


def indicators(kind: SubjectKind = SubjectKind.COUNTRY) -> list[str]:
    """The current instrument's indicators for ``kind``."""
    return [i.id for i in instrument.applicable(instrument.load(), kind)]


def rating(indicator: str, level: int, confidence: Confidence = Confidence.MODERATE) -> Rating:
    """A rating with a citation (so that high confidence is allowed)."""
    cited = Evidence(EvidenceKind.CITATION, "Field report 12", date(2026, 2, 1), "2", "b")
    return Rating(indicator, level, "", confidence, Trend.STABLE, "seen", (cited,))


def approved(
    world: World,
    levels: dict[str, int],
    period: tuple[date, date] = JAN,
    revises: int | None = None,
    marking: Marking = Marking.AMBER,
) -> int:
    """An assessment rated by ana and approved by rev; its id."""
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        draft = workflow.create_assessment(
            uow.conn, ana, world.country, *period, marking=marking, revises=revises
        )
        for key, level in levels.items():
            workflow.rate(uow.conn, ana, draft.id, rating(key, level))
        workflow.submit(uow.conn, ana, draft.id)
        workflow.approve(uow.conn, world.who(uow.conn, "rev"), draft.id, "agreed")
    return draft.id


def test_workflow_from_draft_to_approval(world: World) -> None:
    first = indicators()[0]
    with world.store.uow() as uow:
        ana, rev = world.who(uow.conn, "ana"), world.who(uow.conn, "rev")
        draft = workflow.create_assessment(uow.conn, ana, world.country, *JAN)
        assert (
            draft.status is Status.DRAFT and draft.instrument_version == instrument.load().version
        )
        after = workflow.rate(uow.conn, ana, draft.id, rating(first, 3, Confidence.HIGH))
        assert after.ratings[first].level == 3
        assert after.ratings[first].evidence[0].info_grade == "B"  # normalised
        assert workflow.submit(uow.conn, ana, draft.id).status is Status.IN_REVIEW
        back = workflow.send_back(uow.conn, rev, draft.id, "cite a second source")
        assert back.status is Status.DRAFT and back.review_note == "cite a second source"
        workflow.submit(uow.conn, ana, draft.id)
        done = workflow.approve(uow.conn, rev, draft.id, "agreed")
    assert done.status is Status.APPROVED and done.reviewer == "rev"
    assert done.content_hash is not None and len(done.content_hash) == 64
    with world.store.uow() as uow:
        assert assessments.verify_hash(uow.conn, draft.id)
        actions = [a for (a,) in uow.conn.execute(select(audit_event.c.action))]
    for action in ("create", "rate", "submit", "send_back", "approve"):
        assert f"monitor.assessment.{action}" in actions


def test_the_assessor_cannot_approve_their_own_assessment(world: World) -> None:
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        draft = workflow.create_assessment(uow.conn, ana, world.country, *JAN)
        workflow.rate(uow.conn, ana, draft.id, rating(indicators()[0], 2))
        workflow.submit(uow.conn, ana, draft.id)
        with pytest.raises(MonitorError, match="another person must review"):
            workflow.approve(uow.conn, ana, draft.id)
        with pytest.raises(Denied):  # a focal point has no monitor scope
            workflow.approve(uow.conn, world.who(uow.conn, "focal"), draft.id)
        with pytest.raises(UnknownAssessment):  # another agency cannot even see it (AMBER)
            workflow.approve(uow.conn, world.who(uow.conn, "fia"), draft.id)


def test_high_confidence_without_evidence_is_refused(world: World) -> None:
    bare = Rating(indicators()[0], 4, "", Confidence.HIGH, Trend.WORSENING, "sure", ())
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        draft = workflow.create_assessment(uow.conn, ana, world.country, *JAN)
        with pytest.raises(MonitorError):
            workflow.rate(uow.conn, ana, draft.id, bare)
        with pytest.raises(MonitorError, match="grade"):
            graded = Evidence(EvidenceKind.CITATION, "x", None, "Z", "9")
            workflow.rate(
                uow.conn,
                ana,
                draft.id,
                Rating(indicators()[0], 2, "", Confidence.LOW, Trend.STABLE, "", (graded,)),
            )
        with pytest.raises(MonitorError, match="no entity"):
            missing = Evidence(EvidenceKind.ENTITY, "no-such-entity")
            workflow.rate(
                uow.conn,
                ana,
                draft.id,
                Rating(indicators()[0], 2, "", Confidence.LOW, Trend.STABLE, "", (missing,)),
            )
        with pytest.raises(MonitorError, match="no rating"):
            workflow.submit(uow.conn, ana, draft.id)


def test_a_revision_supersedes_and_history_shows_the_changes(world: World) -> None:
    a, b = indicators()[:2]
    first = approved(world, {a: 2, b: 3})
    second = approved(world, {a: 4}, APR, revises=first)
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        assert assessments.get_assessment(uow.conn, ana, first).status is Status.SUPERSEDED
        revision = assessments.get_assessment(uow.conn, ana, second)
        assert revision.ratings[b].level == 3  # carried over from the revised assessment
        found = history.history(uow.conn, ana, world.country)
        assert assessments.verify_hash(uow.conn, first)
    assert [(c.before, c.after) for c in found] == [(first, second)]
    kinds = {c.indicator: c.kind for c in found[0].changes}
    assert kinds[a] is ChangeKind.CRITICAL  # two levels up, moderate confidence both sides
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        # One assessment's changes are the history's step into it; the first has none.
        assert history.previous_changes(uow.conn, ana, second) == found[0]
        assert history.previous_changes(uow.conn, ana, first) is None
    assert b not in kinds or kinds[b] not in (ChangeKind.SIGNIFICANT, ChangeKind.CRITICAL)


def test_a_revision_needs_an_approved_assessment_and_only_one_at_a_time(world: World) -> None:
    first = approved(world, {indicators()[0]: 2})
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        draft = workflow.create_assessment(uow.conn, ana, world.country, *APR, revises=first)
        with pytest.raises(MonitorError, match="revision in progress"):
            workflow.create_assessment(uow.conn, ana, world.country, *APR, revises=first)
        with pytest.raises(MonitorError, match="only an approved one"):
            workflow.create_assessment(uow.conn, ana, world.country, *APR, revises=draft.id)


def test_alerts_reach_the_agency_analysts_and_not_another_agency(world: World) -> None:
    a = indicators()[0]
    first = approved(world, {a: 2}, marking=Marking.GREEN)
    second = approved(world, {a: 3}, APR, marking=Marking.GREEN)
    with world.store.uow() as uow:
        found = alerts.alerts(uow.conn, world.who(uow.conn, "sup"))
        assert [(x.assessment, x.indicator, x.change_kind) for x in found] == [
            (second, a, ChangeKind.SIGNIFICANT)
        ]
        assert alerts.alerts(uow.conn, world.who(uow.conn, "fia")) == []
        with pytest.raises(UnknownAssessment):
            alerts.dismiss_alert(uow.conn, world.who(uow.conn, "fia"), found[0].id)
        alerts.dismiss_alert(uow.conn, world.who(uow.conn, "ana"), found[0].id)
        assert alerts.alerts(uow.conn, world.who(uow.conn, "rev")) == []
        kept = alerts.alerts(uow.conn, world.who(uow.conn, "rev"), include_dismissed=True)
    assert kept[0].dismissed_by == "ana" and kept[0].subject.id == world.country
    assert first < second


def test_an_unchanged_assessment_raises_no_alert(world: World) -> None:
    a, b = indicators()[:2]
    approved(world, {a: 2, b: 4})
    approved(world, {a: 2, b: 4}, APR)
    with world.store.uow() as uow:
        assert alerts.alerts(uow.conn, world.who(uow.conn, "ana")) == []


def test_access_by_marking(world: World) -> None:
    a = indicators()[0]
    amber = approved(world, {a: 2})
    green = approved(world, {a: 2}, APR, marking=Marking.GREEN)
    with world.store.uow() as uow:
        fia = world.who(uow.conn, "fia")
        assert [x.id for x in assessments.list_assessments(uow.conn, fia)] == [green]
        with pytest.raises(UnknownAssessment):
            assessments.get_assessment(uow.conn, fia, amber)
        assert assessments.get_assessment(uow.conn, fia, green).agency == "police"
        assert [s.id for s in subjects.list_subjects(uow.conn, fia)] == [world.country]
        with pytest.raises(Denied):  # readable, but only the police change it
            judgements.judge(
                uow.conn,
                fia,
                green,
                Manifestation.ALLIANCE,
                Likelihood.LIKELY,
                Confidence.LOW,
                "seen",
            )
        ana = world.who(uow.conn, "ana")
        assert [x.id for x in assessments.list_assessments(uow.conn, ana)] == [green, amber]
        assert assessments.list_assessments(uow.conn, ana, status=Status.DRAFT) == []


def test_subjects_are_checked(world: World) -> None:
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        region = subjects.add_subject(
            uow.conn, ana, SubjectKind.REGION, "North", "الشمال", parent=world.country
        )
        assert region.country == "tl" and region.parent == world.country
        with pytest.raises(MonitorError, match="not a country"):
            subjects.add_subject(uow.conn, ana, SubjectKind.REGION, "Sub", "فرعي", parent=region.id)
        with pytest.raises(MonitorError, match="names its country"):
            subjects.add_subject(uow.conn, ana, SubjectKind.REGION, "South", "الجنوب")
        with pytest.raises(MonitorError, match="no Organization"):
            subjects.add_subject(uow.conn, ana, SubjectKind.GROUP, "G", "ج", entity_id="nobody")
        with pytest.raises(MonitorError, match="ISO 3166"):
            subjects.add_subject(uow.conn, ana, SubjectKind.COUNTRY, "X", "س", country="xyz")
        with pytest.raises(MonitorError, match="already has"):
            subjects.add_subject(uow.conn, ana, SubjectKind.COUNTRY, "testland", "أ", country="tl")
        with pytest.raises(MonitorError, match="Arabic name"):
            subjects.add_subject(uow.conn, ana, SubjectKind.COUNTRY, "Y", " ", country="ty")
        with pytest.raises(UnknownAssessment):
            subjects.get_subject(uow.conn, world.who(uow.conn, "fia"), region.id)


def test_judgements_are_recorded_apart_from_likelihood(world: World) -> None:
    first = approved(world, {indicators()[0]: 2})
    with world.store.uow() as uow:
        rev = world.who(uow.conn, "rev")
        made = judgements.judge(
            uow.conn,
            rev,
            first,
            Manifestation.HYBRID,
            Likelihood.LIKELY,
            Confidence.MODERATE,
            "two lists",
        )
        assert judgements.judgements(uow.conn, rev, first) == [made]
        with pytest.raises(MonitorError, match="rationale"):
            judgements.judge(
                uow.conn,
                rev,
                first,
                Manifestation.HYBRID,
                Likelihood.LIKELY,
                Confidence.LOW,
                "",
            )
        suggested = judgements.suggestions(uow.conn, rev, first)
    assert suggested.insufficient or suggested.ranked


def test_series_are_stored_per_agency_and_give_advice(world: World, tmp_path: Path) -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 60]
    rows = [f"events.battles,north,{p},{v}" for p, v in zip(months, values, strict=True)]
    path = tmp_path / "events.csv"
    path.write_text("series,region,period,value\n" + "\n".join(rows) + "\nbad,row\n", "utf-8")
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        stored, rejected = seriesdb.import_series(uow.conn, ana, path)
        assert stored == 13 and len(rejected) == 1 and "events.csv" in rejected[0]
        again, _ = seriesdb.import_series(uow.conn, ana, path)  # replaces, adds nothing
        found = seriesdb.advice(uow.conn, ana)
        assert seriesdb.advice(uow.conn, world.who(uow.conn, "fia")) == []
        assert seriesdb.advice(uow.conn, ana, "south") == []
    assert again == 13
    assert [(a.region, a.period) for a in found] == [("north", "2026-01")]


SECOND_VERSION = Path(__file__).parent / "instruments" / "nexus-2.0.yml"


def test_an_instrument_only_difference_raises_no_alert(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    capacity, poverty = "governance.law_enforcement_capacity", "economy.poverty"
    first = approved(world, {capacity: 2, poverty: 3})
    # Version 2.0 ships (a test version: renames poverty, re-anchors capacity's level 2 as 3).
    shipped = instrument._package_files()
    monkeypatch.setattr(instrument, "_package_files", lambda: {**shipped, "2.0": SECOND_VERSION})
    second = approved(world, {}, APR, revises=first)
    with world.store.uow() as uow:
        ana = world.who(uow.conn, "ana")
        revision = assessments.get_assessment(uow.conn, ana, second)
        found = history.history(uow.conn, ana, world.country)
        assert alerts.alerts(uow.conn, ana) == []
    assert revision.instrument_version == "2.0"
    assert revision.ratings["economy.poverty_rate"].level == 3
    assert revision.ratings[capacity].level == 3  # carried through the re-anchoring
    kinds = {c.indicator: c.kind for c in found[0].changes}
    assert kinds[capacity] is ChangeKind.INSTRUMENT
    assert not {ChangeKind.SIGNIFICANT, ChangeKind.CRITICAL} & set(kinds.values())
