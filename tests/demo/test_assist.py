"""The demo's technical-assistance coordination, on both databases: the visit, the roadmap,
both donors' files and the offers, three accepted matches with their indicators linked, the
FIU's need left to match with its two overlapping projects flagged; loading twice adds
nothing."""

from datetime import date

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Principal
from rasid.access.registry import add_agency
from rasid.assist import coordination, rates, roadmaps
from rasid.assist.model import Coverage, Rating
from rasid.demo.assist import COORDINATOR, load_assist
from rasid.demo.build import load_plan
from rasid.model.registry import Agency
from rasid.store import Store

TODAY = date(2026, 11, 24)


def _agencies(store: Store) -> Principal:
    """The coordination office, its partners and the demo's coordinator."""
    plan = load_plan()
    with store.uow() as uow:
        for agency in plan["agencies"]:
            if agency["name"] in ("coordination", "partner_un", "partner_donor"):
                add_agency(uow.conn, Agency(**agency))
        add_user(
            uow.conn,
            COORDINATOR,
            "coordination",
            Role.COORDINATOR,
            "test",
            password="a long test passphrase",
        )
        found = get_user(uow.conn, COORDINATOR)
    assert found is not None
    return Principal(found)


def test_the_demo_coordination(store: Store) -> None:
    coordinator = _agencies(store)
    loaded = load_assist(store, TODAY)
    assert (loaded.needs, loaded.projects, loaded.accepted, loaded.flags) == (7, 11, 3, 1)
    with store.uow() as uow:
        matrix = coordination.coverage(uow.conn, coordinator)
        states = {t: matrix.cell("ZZ", t).coverage for t in matrix.themes}
        assert states["gp-09"] is Coverage.COVERED
        assert states["gp-21"] is Coverage.UNCOVERED  # left for the coordinator to match
        assert states["gp-22"] is Coverage.UNCOVERED
        roadmap = roadmaps.list_roadmaps(uow.conn, coordinator)[0]
        rollups = coordination.roadmap_progress(uow.conn, coordinator, roadmap.id or 0, TODAY)
        rated = [rollups[s.id or 0].rating for s in roadmap.steps]
        assert rated[0] is not Rating.NONE and rated[1] is Rating.NONE
    assert load_assist(store, TODAY) == type(loaded)(0, 0, 0, 0)


def test_the_demo_records_an_exchange_rate(store: Store) -> None:
    coordinator = _agencies(store)
    load_assist(store, TODAY)
    with store.uow() as uow:
        (rate,) = rates.list_rates(uow.conn, coordinator)
    assert (rate.base, rate.quote, rate.source) == ("EUR", "USD", "demo")
    assert rate.agency == "coordination"
    assert 0.9 < rate.rate < 1.3 and rate.on <= TODAY
