"""Reading the quarantine: records and values an import could not take, with the reason."""

from typing import Any

from sqlalchemy import Connection, func, select

from rasid.store.tables import quarantine


def list_quarantine(
    conn: Connection, dataset: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Quarantined records, newest first (optionally of one dataset)."""
    query = select(quarantine).order_by(quarantine.c.id.desc()).limit(limit).offset(offset)
    if dataset is not None:
        query = query.where(quarantine.c.dataset == dataset)
    return [dict(row._mapping) for row in conn.execute(query)]


def count_quarantine(conn: Connection, datasets: list[str] | None = None) -> int:
    """How many quarantine rows there are (optionally for some datasets)."""
    query = select(func.count()).select_from(quarantine)
    if datasets is not None:
        query = query.where(quarantine.c.dataset.in_(datasets))
    return int(conn.execute(query).scalar_one())
