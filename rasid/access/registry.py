"""Agencies and the datasets they own, stored in the ``agency`` and ``dataset`` tables."""

import secrets
from typing import Any

from sqlalchemy import Connection, func, select, update

from rasid.access.errors import AccessError
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset
from rasid.store.statements import utcnow
from rasid.store.tables import agency as agency_table
from rasid.store.tables import dataset as dataset_table
from rasid.store.tables import policy_epoch as epoch_table
from rasid.store.tables import quarantine, statement


def policy_epoch(conn: Connection) -> int:
    """A number drawn again whenever agencies, datasets or shares change, so that what the
    policy decided from them can be remembered until then (in every server process)."""
    return int(conn.execute(select(epoch_table.c.epoch).where(epoch_table.c.id == 1)).scalar_one())


def bump_policy_epoch(conn: Connection) -> None:
    """Move the policy epoch (in the caller's transaction: other processes see it with the
    change itself). It is random rather than counted, so that two databases (a test's and
    the next one's) never share an epoch."""
    conn.execute(
        update(epoch_table).where(epoch_table.c.id == 1).values(epoch=secrets.randbits(62))
    )


def add_agency(conn: Connection, agency: Agency) -> Agency:
    """Register an agency; an existing one with the same name is an error."""
    if get_agency(conn, agency.name) is not None:
        raise AccessError(
            f"agency {agency.name!r} exists already"
        )  # english-only: the administrator's command line
    conn.execute(
        agency_table.insert().values(
            name=agency.name,
            label=agency.label,
            label_ar=agency.label_ar,
            kind=agency.kind,
            created_at=utcnow(),
        )
    )
    bump_policy_epoch(conn)
    return agency


def get_agency(conn: Connection, name: str) -> Agency | None:
    """The agency with this name, or None."""
    row = conn.execute(select(agency_table).where(agency_table.c.name == name)).first()
    if row is None:
        return None
    return Agency(row.name, row.label, row.label_ar, row.kind)


def ensure_agency(conn: Connection, name: str) -> Agency:
    """The agency with this name, registered with its name as label if it is new."""
    return get_agency(conn, name) or add_agency(conn, Agency(name, name))


def list_agencies(conn: Connection) -> list[Agency]:
    """Every agency, by name."""
    rows = conn.execute(select(agency_table).order_by(agency_table.c.name))
    return [Agency(r.name, r.label, r.label_ar, r.kind) for r in rows]


def _dataset(row: Any) -> Dataset:
    return Dataset(
        name=row.name,
        agency=row.agency,
        title=row.title,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        default_marking=Marking(row.default_marking),
        retention_class=row.retention_class,
        kind=row.kind,
    )


def add_dataset(conn: Connection, dataset: Dataset) -> Dataset:
    """Register a dataset under its (already registered) owning agency."""
    if get_dataset(conn, dataset.name) is not None:
        raise AccessError(
            f"dataset {dataset.name!r} exists already"
        )  # english-only: the administrator's command line
    if get_agency(conn, dataset.agency) is None:
        raise AccessError(
            f"unknown agency {dataset.agency!r}: add it first"
        )  # english-only: the administrator's command line
    conn.execute(
        dataset_table.insert().values(
            name=dataset.name,
            agency=dataset.agency,
            title=dataset.title,
            purpose=dataset.purpose,
            legal_basis=dataset.legal_basis,
            default_marking=str(dataset.default_marking),
            retention_class=dataset.retention_class,
            kind=dataset.kind,
            created_at=utcnow(),
        )
    )
    bump_policy_epoch(conn)
    return dataset


def get_dataset(conn: Connection, name: str) -> Dataset | None:
    """The dataset with this name, or None."""
    row = conn.execute(select(dataset_table).where(dataset_table.c.name == name)).first()
    return None if row is None else _dataset(row)


def list_datasets(conn: Connection) -> list[Dataset]:
    """Every dataset, by name."""
    rows = conn.execute(select(dataset_table).order_by(dataset_table.c.name))
    return [_dataset(r) for r in rows]


def dataset_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Per dataset: statements, entities and quarantined records."""
    counts: dict[str, dict[str, int]] = {
        d.name: {"statements": 0, "entities": 0, "quarantined": 0} for d in list_datasets(conn)
    }
    query = select(
        statement.c.dataset,
        func.count(),
        func.count(func.distinct(statement.c.canonical_id)),
    ).group_by(statement.c.dataset)
    for name, n_stmts, n_entities in conn.execute(query):
        counts[name].update(statements=int(n_stmts), entities=int(n_entities))
    held = select(quarantine.c.dataset, func.count()).group_by(quarantine.c.dataset)
    for name, n in conn.execute(held):
        if name in counts:
            counts[name]["quarantined"] = int(n)
    return counts
