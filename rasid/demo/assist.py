"""The demo's technical-assistance coordination: the National Coordination Office records
the findings of an assessment visit to the fictional Republic of Al-Sahel (its report
released in part to the UN partner, the needs to every partner) and the roadmap that
follows, imports two donors' IATI files and a CSV of offers, and accepts three matches,
linking their projects' indicators to the needs and the roadmap's steps. The financial
intelligence unit's need is left for a coordinator to match in the browser, where the two
donors' overlapping projects for that unit show as a duplication flag."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.assist import coordination, csvimport, iati, projects, records, roadmaps, tracking, visit
from rasid.assist import rates as exchange
from rasid.assist.errors import AssistError
from rasid.assist.model import Actual, MatchStatus, Project
from rasid.store import Store

COORDINATOR = "coordinator"
EUR_USD_ON = date(2026, 10, 1)
EXAMPLES = Path(__file__).parents[1] / "assist" / "examples"
FILES = ("donors-north.xml", "donors-south.xml", "offers.csv")
# need key -> (project identifier, link its first indicator to the need, to the step)
ACCEPTED = {
    "fusion-cell": "XM-RASID-DEMO-JP-0004",
    "prison-intel": "XM-RASID-DEMO-NO-0003",
    "judicial-training": "XM-RASID-DEMO-JP-0003",
}


@dataclass(frozen=True)
class AssistDemo:
    """What the demo's coordination recorded (zeros when it was there already)."""

    needs: int
    projects: int
    accepted: int
    flags: int


def _principal(conn: Connection) -> Principal:
    user = get_user(conn, COORDINATOR)
    if user is None:
        raise AssistError(f"the demo's coordination needs the demo user {COORDINATOR}")
    return Principal(user)


def _import(conn: Connection, caller: Principal) -> int:
    known = records.taxonomy(conn)
    created = 0
    for name in FILES:
        data = (EXAMPLES / name).read_bytes()
        reader = csvimport.read_csv if name.endswith(".csv") else iati.read_iati
        batch = reader(data, name, known, agency=caller.agency)
        created += len(projects.save_projects(conn, caller, batch, origin=name).created)
    return created


def _accept(conn: Connection, caller: Principal, loaded: visit.Loaded, today: date) -> int:
    by_identifier: dict[str, Project] = {
        p.identifier: p for p in projects.list_projects(conn, caller)
    }
    steps = {n: s for s in (loaded.roadmap.steps if loaded.roadmap else ()) for n in s.needs}
    for key, identifier in ACCEPTED.items():
        need, project = loaded.needs[key], by_identifier[identifier]
        assert need.id is not None and project.id is not None
        coordination.decide(
            conn,
            caller,
            need.id,
            project.id,
            MatchStatus.ACCEPTED,
            today=today,
            note="Agreed with the donor at the coordination meeting (demo).",
        )
        for result in project.results[:1]:
            for indicator in result.indicators[:1]:
                assert indicator.id is not None
                tracking.link_indicator(conn, caller, indicator.id, need=need.id)
                step = steps.get(need.id)
                if step is not None and step.id is not None:
                    tracking.link_indicator(conn, caller, indicator.id, step=step.id)
    # The fusion cell's own target: reported once since the visit.
    target = loaded.needs["fusion-cell"].targets[0]
    assert target.id is not None
    tracking.report_actual(
        conn, caller, target.id, Actual(date(2026, 10, 1), 15.0, "Measured by the office")
    )
    return len(ACCEPTED)


def load_assist(store: Store, today: date) -> AssistDemo:
    """Record the demo's visit, roadmap, donors' projects and accepted matches (once:
    nothing is added when the demo's roadmap exists already)."""
    with store.uow() as uow:
        conn = uow.conn
        caller = _principal(conn)
        if roadmaps.list_roadmaps(conn, caller, country_code="ZZ"):
            return AssistDemo(0, 0, 0, 0)
        loaded = visit.load_file(conn, caller, EXAMPLES / "visit-al-sahel.yml")
        # A plausible rate, so that a budget in euros is compared with a cost in dollars.
        exchange.add_rate(conn, caller, "EUR", "USD", 1.08, EUR_USD_ON, "demo")
        created = _import(conn, caller)
        accepted = _accept(conn, caller, loaded, today)
        flags = len(coordination.duplicates(conn, caller))
    return AssistDemo(len(loaded.needs), created, accepted, flags)
