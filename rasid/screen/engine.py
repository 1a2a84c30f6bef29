"""Screening against the watchlists held in the store.

The name index is built from the watchlist datasets' entities (every name, alias and
previous name; weak aliases such as bare kunyas are left out, as they alert on too many
people) and kept while those datasets are unchanged.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from threading import Lock
from typing import Any

from followthemoney import model
from followthemoney.statement.util import BASE_ID
from sqlalchemy import Connection, func, select

from rasid.access.registry import get_dataset, list_datasets
from rasid.names.index import NameIndex
from rasid.screen.errors import ScreenError
from rasid.screen.hits import HitRecord, record_results
from rasid.screen.model import Match, Subject
from rasid.store.changes import changes_besides_imports
from rasid.store.tables import ingest_run, statement

NAME_PROPS = ("name", "alias", "previousName")
PAGE = 2000
# Persons, organisations and every other kind of legal entity.
LEGAL_ENTITIES = sorted({s.name for s in model["LegalEntity"].descendants} | {"LegalEntity"})


def watchlist_names(conn: Connection, wanted: list[str] | None = None) -> list[str]:
    """The watchlists to screen against: the named datasets, else every watchlist dataset."""
    if wanted:
        for name in wanted:
            if get_dataset(conn, name) is None:
                raise ScreenError(
                    f"unknown watchlist dataset {name!r}",
                    arabic=f"قائمة رصد غير معروفة: {name!r}",
                )
        return sorted(set(wanted))
    found = [d.name for d in list_datasets(conn) if d.kind == "watchlist"]
    if not found:
        raise ScreenError(
            "no watchlist dataset: import one with --watchlist (e.g. the UN list)",
            arabic="لا توجد قائمة رصد: استورد واحدة بالخيار --watchlist (مثل قائمة الأمم المتحدة)",
        )
    return found


FACT_PROPS = ("birthDate", "nationality", "citizenship", "gender", "passportNumber", "idNumber")


def _rows(conn: Connection, datasets: list[str]) -> Iterator[list[Any]]:
    """The statements screening needs, read straight from the table (no entity assembled),
    one entity's at a time, in id order."""
    props = [BASE_ID, *NAME_PROPS, *FACT_PROPS]
    after = ""
    while True:
        ids = select(statement.c.canonical_id).where(
            statement.c.dataset.in_(datasets),
            statement.c.prop == BASE_ID,
            statement.c.schema.in_(LEGAL_ENTITIES),
            statement.c.canonical_id > after,
        )
        page = [
            r[0]
            for r in conn.execute(ids.distinct().order_by(statement.c.canonical_id).limit(PAGE))
        ]
        if not page:
            return
        query = (
            select(
                statement.c.canonical_id,
                statement.c.prop,
                statement.c.value,
                statement.c.dataset,
            )
            .where(
                statement.c.dataset.in_(datasets),
                statement.c.canonical_id.in_(page),
                statement.c.prop.in_(props),
            )
            .order_by(statement.c.canonical_id, statement.c.id)
        )
        group: list[Any] = []
        for row in conn.execute(query):
            if group and group[0].canonical_id != row.canonical_id:
                yield group
                group = []
            group.append(row)
        if group:
            yield group
        after = page[-1]


def build_index(conn: Connection, datasets: list[str]) -> NameIndex:
    """A name index over every person and organisation of the watchlists."""
    index = NameIndex()
    for rows in _rows(conn, datasets):
        values: dict[str, list[str]] = {}
        for row in rows:
            values.setdefault(row.prop, []).append(row.value)
        names = [v for prop in NAME_PROPS for v in values.get(prop, ())]
        if not names:
            continue
        entity_id = rows[0].canonical_id
        index.datasets_of[entity_id] = min(r.dataset for r in rows)
        index.add(
            entity_id,
            names,
            birth_dates=values.get("birthDate", []),
            nationalities=values.get("nationality", []) + values.get("citizenship", []),
            gender=next(iter(values.get("gender", [])), None),
            documents=values.get("passportNumber", []) + values.get("idNumber", []),
        )
    index.prepare()
    return index


def _version(conn: Connection, datasets: list[str]) -> tuple[object, ...]:
    """Changes whenever the index of these watchlists may have to change, read from small
    tables (screening on arrival asks once per file; counting the lists' statements took
    20 ms on a list of 660,000): the datasets' imports (every import adds a run, and a
    replacing import's deletions are part of it), and merges, unmerges and retention runs
    (``changes_besides_imports``: merges change the ids the index keys by)."""
    runs = select(func.count(), func.max(ingest_run.c.finished_at)).where(
        ingest_run.c.dataset.in_(datasets)
    )
    return (tuple(datasets), *conn.execute(runs).one(), *changes_besides_imports(conn))


@dataclass
class _Cached:
    version: tuple[object, ...]
    index: NameIndex


class Screener:
    """Screens subjects against the store's watchlists, rebuilding its index on change."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, ...], _Cached] = {}
        self._lock = Lock()

    def index(self, conn: Connection, datasets: list[str]) -> NameIndex:
        """The index for these watchlists, current with the store."""
        key = tuple(datasets)
        version = _version(conn, datasets)
        with self._lock:
            cached = self._cache.get(key)
            if cached is None or cached.version != version:
                cached = _Cached(version, build_index(conn, datasets))
                self._cache[key] = cached
            return cached.index

    def screen(
        self, conn: Connection, subject: Subject, datasets: list[str], limit: int = 5
    ) -> list[Match]:
        """Matches for one subject, best first."""
        return self.index(conn, datasets).match(subject, limit)

    def screen_and_record(
        self, conn: Connection, subject: Subject, datasets: list[str], source: str, limit: int = 5
    ) -> tuple[list[Match], list[HitRecord]]:
        """Screen a subject and put its alerts in the review queue (no duplicate open hits)."""
        index = self.index(conn, datasets)
        matches = index.match(subject, limit)
        return matches, record_results(conn, subject, source, matches, index.datasets_of)
