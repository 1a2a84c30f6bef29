"""What moves when statements change other than by an import.

Caches built from the store (the screener's name index, the link-analysis graph) ask at
every use whether they are still current. Imports are seen in ``ingest_run``; the rest is
here, read from small tables so that asking stays cheap: merges and unmerges of entities
(which change the canonical ids statements carry) and retention runs (which delete
statements)."""

from typing import Any

from sqlalchemy import Connection, func, select

from rasid.store.tables import resolution_canonical, resolution_judgement, retention_run


def changes_besides_imports(conn: Connection) -> tuple[Any, ...]:
    """Counts and newest times of merges, undone judgements and retention runs, and the
    newest judgement: one of them moves whenever such a change is committed (a re-merge
    in the same second as the last one adds a judgement). A retention run, which deletes
    in many batches, moves them when it starts and when it ends (or fails), not at every
    batch: a cache rebuilt while it runs is rebuilt once more at its end."""
    parts: list[Any] = []
    for table, column in (
        (resolution_canonical, resolution_canonical.c.updated_at),
        (resolution_judgement, resolution_judgement.c.undone_at),
        (retention_run, retention_run.c.finished_at),
    ):
        parts.extend(conn.execute(select(func.count(), func.max(column)).select_from(table)).one())
    parts.append(conn.execute(select(func.max(resolution_judgement.c.id))).scalar())
    return tuple(parts)
