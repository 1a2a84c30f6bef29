"""A coordination world for the store tests: the coordination office with two coordinators,
an analyst and a focal point, two partners, and the demo's visit loaded."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Principal
from rasid.access.registry import ensure_agency
from rasid.assist import projects, visit
from rasid.assist.model import Project
from rasid.store import Store

EXAMPLES = Path(__file__).parents[2] / "rasid" / "assist" / "examples"
VISIT = EXAMPLES / "visit-al-sahel.yml"
USERS = {
    "coord": ("coordination", Role.COORDINATOR),
    "coord2": ("coordination", Role.COORDINATOR),
    "un": ("partner_un", Role.FOCAL_POINT),
    "donor": ("partner_donor", Role.FOCAL_POINT),
    "analyst": ("coordination", Role.ANALYST),
    "focal": ("coordination", Role.FOCAL_POINT),
}


@dataclass
class World:
    """A store with the coordination office, two partners and the demo's visit loaded."""

    store: Store
    loaded: visit.Loaded

    def who(self, conn: Connection, name: str) -> Principal:
        """The user ``name`` as a caller."""
        user = get_user(conn, name)
        assert user is not None
        return Principal(user)

    def project(self, conn: Connection, identifier: str) -> Project:
        """A project by its IATI identifier."""
        found = projects.list_projects(conn, self.who(conn, "coord"))
        return next(p for p in found if p.identifier == identifier)


def make_world(store: Store) -> World:
    """Agencies, users and the demo's visit file, loaded by the coordinator."""
    with store.uow() as uow:
        for name, (agency, role) in USERS.items():
            ensure_agency(uow.conn, agency)
            add_user(uow.conn, name, agency, role, "test", password="a long test passphrase")
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        loaded = visit.load_file(uow.conn, coord, VISIT)
    return World(store, loaded)
