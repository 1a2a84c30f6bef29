"""Re-screening stored subjects when a watchlist changes.

Everyone screened before (the review queue's subjects) is screened again against what an
import of a watchlist added or changed: the entities with statements first seen in that
import. Scores are those of an ordinary screening (the index covers every watchlist, so
rarity weighs parts as usual); only the changed entities may be proposed. Alerts go to the
review queue as any screening's do (``record_results``): an open hit is refreshed, a
confirmed one left alone, a dismissed one followed only on a higher score.
"""

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from rasid.access.registry import get_dataset
from rasid.screen.engine import Screener, watchlist_names
from rasid.screen.errors import ScreenError
from rasid.screen.hits import record_results
from rasid.screen.model import Subject
from rasid.store.engine import Store
from rasid.store.tables import ingest_run, screening_subject, statement

PAGE = 1000  # stored subjects read at a time
LIMIT = 5  # matches per subject, as an ordinary screening proposes

# Called with (subjects screened, subjects in all) as the work goes.
RescreenProgress = Callable[[int, int], None]


@dataclass
class Rescreened:
    """What one re-screening did."""

    dataset: str
    run_id: str
    changed_entities: int = 0  # entities new or changed in the import
    subjects: int = 0  # stored subjects screened again
    alerting_subjects: int = 0  # subjects with at least one alert among the changed
    hits: int = 0  # hits opened or refreshed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def changed_entities(conn: Connection, dataset: str, run_id: str) -> list[str]:
    """Entities of ``dataset`` with a statement first seen in the import ``run_id``."""
    started = conn.execute(
        select(ingest_run.c.started_at).where(
            ingest_run.c.id == run_id, ingest_run.c.dataset == dataset
        )
    ).scalar()
    if started is None:
        raise ScreenError(
            f"no import {run_id!r} of dataset {dataset!r}",
            arabic=f"لا يوجد استيراد {run_id!r} لمجموعة البيانات {dataset!r}",
        )
    query = (
        select(statement.c.entity_id)
        .where(statement.c.dataset == dataset, statement.c.first_seen >= started)
        .distinct()
    )
    return sorted(conn.execute(query).scalars())


def stored_subjects(conn: Connection) -> Iterator[tuple[Subject, str]]:
    """Every subject in the review queue, as it was last screened, with its source."""
    last = ""
    while True:
        rows = conn.execute(
            select(screening_subject)
            .where(screening_subject.c.id > last)
            .order_by(screening_subject.c.id)
            .limit(PAGE)
        ).all()
        if not rows:
            return
        for row in rows:
            subject = Subject(
                row.external_id or "",
                row.name,
                row.birth_date,
                row.nationality,
                row.gender,
                row.document_number,
            )
            yield subject, row.source
        last = rows[-1].id


def rescreen(
    store: Store,
    dataset: str,
    run_id: str,
    screener: Screener | None = None,
    progress: RescreenProgress | None = None,
) -> Rescreened:
    """Screen every stored subject again against what import ``run_id`` changed in the
    watchlist ``dataset`` (nothing for a dataset that is not a watchlist). One transaction:
    the hits of a re-screening land together or not at all."""
    done = Rescreened(dataset, run_id)
    with store.uow() as uow:
        conn = uow.conn
        found = get_dataset(conn, dataset)
        if found is None:
            raise ScreenError(
                f"unknown dataset {dataset!r}",
                arabic=f"مجموعة بيانات غير معروفة: {dataset!r}",
            )
        if found.kind != "watchlist":
            return done
        changed = changed_entities(conn, dataset, run_id)
        done.changed_entities = len(changed)
        if not changed:
            return done
        total = conn.execute(select(func.count()).select_from(screening_subject)).scalar_one()
        if not total:  # nobody screened yet: no index to build
            return done
        index = (screener or Screener()).index(conn, watchlist_names(conn))
        among = frozenset(changed)
        for subject, source in stored_subjects(conn):
            done.subjects += 1
            matches = index.match(subject, limit=LIMIT, among=among)
            if any(m.alert for m in matches):
                done.alerting_subjects += 1
                done.hits += len(record_results(conn, subject, source, matches, index.datasets_of))
            if progress is not None:
                progress(done.subjects, total)
    return done
