"""Imported external series in the store: points kept per importing agency, a new import of
the same series, region and period replacing the value (advice only: nothing here sets a
score)."""

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, and_, delete, select, tuple_

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, record, require
from rasid.monitor import series
from rasid.monitor.model import Advice, SeriesPoint
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_series_point as points_table

CHUNK = 500  # points replaced per statement
Progress = Callable[[int, int], None]  # (done, total)


def store_points(
    conn: Connection,
    agency: str,
    actor: str,
    file: str,
    points: Sequence[SeriesPoint],
    progress: Progress | None = None,
) -> int:
    """Store ``points`` for ``agency`` (the last of duplicates in the file wins); returns how
    many were stored. ``progress`` is told of each chunk written."""
    latest = {(p.series, p.region, p.period): p for p in points}
    now = utcnow()
    keys = list(latest)
    done = 0
    for chunk in chunks(keys, CHUNK):
        conn.execute(
            delete(points_table).where(
                points_table.c.agency == agency,
                tuple_(points_table.c.series, points_table.c.region, points_table.c.period).in_(
                    chunk
                ),
            )
        )
        conn.execute(
            points_table.insert(),
            [
                {
                    "agency": agency,
                    "series": p.series,
                    "region": p.region,
                    "period": p.period,
                    "value": p.value,
                    "imported_by": actor,
                    "imported_at": now,
                    "file": file,
                }
                for p in (latest[k] for k in chunk)
            ],
        )
        done += len(chunk)
        if progress is not None:
            progress(done, len(keys))
    return len(latest)


def load_points(conn: Connection, agency: str, region: str | None = None) -> list[SeriesPoint]:
    """The agency's points (of one region, if given), by series, region and period."""
    where = [points_table.c.agency == agency]
    if region is not None:
        where.append(points_table.c.region == region)
    query = (
        select(points_table.c.series, points_table.c.region, points_table.c.period)
        .add_columns(points_table.c.value)
        .where(and_(*where))
        .order_by(points_table.c.series, points_table.c.region, points_table.c.period)
    )
    return [SeriesPoint(r.series, r.region, r.period, float(r.value)) for r in conn.execute(query)]


def regions(conn: Connection, agency: str) -> list[str]:
    """The regions the agency's series name."""
    query = select(points_table.c.region).where(points_table.c.agency == agency).distinct()
    return sorted(str(r) for (r,) in conn.execute(query))


def import_series(
    conn: Connection, principal: Principal, path: Path, progress: Progress | None = None
) -> tuple[int, list[str]]:
    """Import a CSV series file for the caller's agency: the points stored (a value given
    again for the same series, region and period replaces the earlier one) and the rows
    rejected, each as "FILE:LINE: reason"."""
    require(principal, Scope.MONITOR)
    points, rejected = series.read_series(path)
    stored = store_points(conn, principal.agency, principal.name, path.name, points, progress)
    record(
        conn, principal, "monitor.series.import", path.name, stored=stored, rejected=len(rejected)
    )
    return stored, rejected


def advice(conn: Connection, principal: Principal, region: str | None = None) -> list[Advice]:
    """ "Review suggested" advice from the agency's imported series (of one region, if
    given): values departing from their trailing window. Advice only: no score changes."""
    require(principal, Scope.MONITOR)
    found = series.advise(load_points(conn, principal.agency, region))
    record(conn, principal, "monitor.series.advice", region or "", count=len(found))
    return found
