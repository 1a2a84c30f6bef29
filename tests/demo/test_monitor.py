"""The demo's monitoring, on both databases: a country, two regions and the Al-Murjan network
assessed for two half-years and approved by another person (the rationales and citations in
Arabic), the second period showing significant and critical changes and a suggested
manifestation, a draft for the next period; loading twice adds nothing."""

from datetime import date

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Principal
from rasid.access.registry import add_agency
from rasid.demo.build import load_plan, requests
from rasid.demo.monitor import ASSESSOR, REVIEWER, halves, load_monitoring
from rasid.ingest.run import ingest
from rasid.model.registry import Agency
from rasid.monitor import alerts, assessments, history, judgements, subjects
from rasid.monitor.model import ChangeKind, Status, SubjectKind
from rasid.store import Store

TODAY = date(2026, 11, 24)


def _police(store: Store) -> Principal:
    """The police agency, its records (the groups) and the demo's assessor and reviewer."""
    plan = load_plan()
    police = next(a for a in plan["agencies"] if a["name"] == "national_police")
    with store.uow() as uow:
        add_agency(uow.conn, Agency(**police))
    records = next(r for r in requests(plan) if r.dataset == "police_cases")
    ingest(store, records)
    with store.uow() as uow:
        add_user(
            uow.conn,
            ASSESSOR,
            "national_police",
            Role.ANALYST,
            "test",
            password="a long test passphrase",
        )
        add_user(
            uow.conn,
            REVIEWER,
            "national_police",
            Role.SUPERVISOR,
            "test",
            password="a long test passphrase",
        )
        found = get_user(uow.conn, ASSESSOR)
    assert found is not None
    return Principal(found)


def _arabic(text: str) -> bool:
    """Whether the text starts with Arabic letters."""
    return "\u0600" <= text.strip()[:1] <= "\u06ff"


def test_the_demo_assessments(store: Store) -> None:
    analyst = _police(store)
    loaded = load_monitoring(store, TODAY)
    assert (loaded.subjects, loaded.approved, loaded.drafts) == (4, 8, 1)
    assert halves(TODAY)[0] == (date(2025, 1, 1), date(2025, 6, 30))
    with store.uow() as uow:
        named = {s.name: s for s in subjects.list_subjects(uow.conn, analyst)}
        assert {s.kind for s in named.values()} == set(SubjectKind)
        coast = named["Al-Marfa coast"]
        assert coast.parent == named["Republic of Al-Sahel"].id
        found = assessments.list_assessments(uow.conn, analyst, coast.id)
        assert [a.status for a in found] == [Status.DRAFT, Status.APPROVED, Status.SUPERSEDED]
        assert all(a.reviewer == REVIEWER for a in found[1:])
        # The analyst writes in Arabic (the English follows), and cites Arabic reports.
        rated = [r for r in found[1].ratings.values() if r.level is not None]
        assert rated and all(_arabic(r.rationale) for r in rated)
        assert all(_arabic(e.reference) for r in rated for e in r.evidence)
        changes = history.history(uow.conn, analyst, coast.id)
        kinds = {c.kind for c in changes[-1].changes}
        assert {ChangeKind.CRITICAL, ChangeKind.SIGNIFICANT} <= kinds
        group = named["Al-Murjan network"]
        latest = assessments.list_assessments(uow.conn, analyst, group.id)[0]
        suggested = judgements.suggestions(uow.conn, analyst, latest.id)
        assert not suggested.insufficient and suggested.ranked
        assert alerts.alerts(uow.conn, analyst)
    again = load_monitoring(store, TODAY)
    assert (again.subjects, again.approved, again.drafts, again.series_points) == (0, 0, 0, 0)
    with store.uow() as uow:
        assert len(subjects.list_subjects(uow.conn, analyst)) == 4
