"""Building the demo database: the UN list as a watchlist, then each agency's synthetic data.

The agencies and datasets are declared in ``datasets.yml`` beside this module; every import
goes through the same runner as ``rasid ingest``, so the demo exercises the real path.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rasid.access.accounts import (
    Role,
    add_user,
    change_password,
    get_user,
    reset_user,
)
from rasid.access.passwords import generate_password
from rasid.access.policy import share_dataset
from rasid.access.registry import add_agency, get_agency
from rasid.data import un_sc_path
from rasid.ingest.run import IngestRequest, ProgressFn, Summary, ingest
from rasid.model.markings import Marking
from rasid.model.registry import Agency
from rasid.resolve.run import RunResult, resolve
from rasid.store import Store

ProgressFactory = Callable[[str], AbstractContextManager[ProgressFn]]

UN_AGENCY = Agency(
    "un_security_council",
    "United Nations Security Council",
    "مجلس الأمن التابع للأمم المتحدة",
    "international",
)
UN_DATASET = IngestRequest(
    location="",
    dataset="un_sc",
    fmt="un-sc",
    agency=UN_AGENCY.name,
    title="UN Security Council Consolidated Sanctions List",
    purpose="Screening persons and organisations against UN Security Council sanctions.",
    legal_basis="Charter of the United Nations, Chapter VII; Security Council resolutions "
    "establishing the sanctions regimes (e.g. 1267 (1999), 1989 (2011), 2253 (2015))",
    marking=Marking.CLEAR,
    retention_class="public",
    kind="watchlist",
    replace=True,
)


def demo_dir() -> Path:
    """The folder holding ``datasets.yml`` and the scenario's data files."""
    return Path(str(resources.files("rasid.demo")))


def load_plan() -> dict[str, Any]:
    """The agencies and datasets of the demo scenario, from ``datasets.yml``."""
    data: dict[str, Any] = yaml.safe_load((demo_dir() / "datasets.yml").read_text("utf-8"))
    return data


def requests(plan: dict[str, Any]) -> list[IngestRequest]:
    """One import request per dataset: the UN list first, then the agencies' files."""
    base = demo_dir()
    found = [IngestRequest(**{**vars(UN_DATASET), "location": str(un_sc_path())})]
    for d in plan["datasets"]:
        found.append(
            IngestRequest(
                location=str(base / d["file"]),
                dataset=d["name"],
                fmt=d["format"],
                mapping=base / d["mapping"] if d.get("mapping") else None,
                agency=d["agency"],
                title=d["title"],
                purpose=d.get("purpose", ""),
                legal_basis=d.get("legal_basis", ""),
                marking=Marking.parse(d["default_marking"]),
                retention_class=d["retention_class"],
                kind=d.get("kind", "source"),
                replace=True,
            )
        )
    return found


ACTOR = "demo"


@dataclass(frozen=True)
class DemoAccount:
    """A demo user's credentials, printed once by ``rasid demo``."""

    user: str
    agency: str
    role: str
    password: str
    totp_secret: str


def build_demo(store: Store, progress: ProgressFactory | None = None) -> list[Summary]:
    """Register the demo's agencies and import every dataset (idempotent: re-running it
    leaves the same data), then share the datasets as the plan says. Returns one summary
    per dataset."""
    plan = load_plan()
    agencies = [UN_AGENCY] + [Agency(**a) for a in plan["agencies"]]
    with store.uow() as uow:
        for agency in agencies:
            if get_agency(uow.conn, agency.name) is None:
                add_agency(uow.conn, agency)
    summaries = []
    for request in requests(plan):
        if progress is None:
            summaries.append(ingest(store, request))
            continue
        with progress(request.dataset) as callback:
            summaries.append(ingest(store, request, callback))
    with store.uow() as uow:
        for d in plan["datasets"]:
            for agency in d.get("shared_with", []):
                share_dataset(uow.conn, d["name"], agency, ACTOR)
    return summaries


def demo_accounts(store: Store) -> list[DemoAccount]:
    """Create the plan's demo users, or give existing ones new credentials: a password
    (no change required) and a TOTP secret."""
    made = []
    with store.uow() as uow:
        for name, agency, role in load_plan()["users"]:
            if get_user(uow.conn, name) is None:
                password = generate_password()
                enrolment = add_user(uow.conn, name, agency, Role(role), ACTOR, password=password)
            else:
                enrolment = reset_user(uow.conn, name, ACTOR)
                password = generate_password()
                change_password(uow.conn, name, enrolment.password, password)
            made.append(DemoAccount(name, agency, role, password, enrolment.totp_secret))
    return made


def resolve_demo(store: Store) -> RunResult:
    """Propose who is who across the demo's agencies (the review queue's pairs); nothing
    is merged but by the documented auto-accept rule on identical strong identifiers."""
    with store.uow() as uow:
        return resolve(uow.conn, ACTOR)
