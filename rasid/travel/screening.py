"""Screening travellers on arrival of their data.

When an API or PNR file is imported, each traveller it brought or changed is checked:

* against the watchlists, by name and facts (the screening engine, ``rasid.screen``);
* against the lists of lost, stolen or revoked travel documents (datasets of kind
  ``documents``): a document matches when its number and issuing state are exactly those of
  a listed document (numbers compared upper-case without spaces or hyphens, states as ISO
  codes); a listed document without an issuing state is not matched on its number alone;
* against the active targeting rules (``rasid.travel.rules``), with "travelling with a
  listed person" meaning a co-traveller of the same booking alerted on a watchlist here.

Everything found is a proposal: every hit goes to the review queue (``rasid.screen.hits``),
on a subject of source ``travel`` whose external id is the traveller's id and whose dataset
is the traveller's, so only those who may read the travel data see the hit. Nothing is sent
to anyone until a person confirms a hit (``rasid.travel.alerts``).
"""

import json
import pickle
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from followthemoney.types import registry
from sqlalchemy import Connection, select

from rasid.access.registry import list_datasets
from rasid.ingest.travel import GENDERS, country_code
from rasid.names.index import NameIndex
from rasid.screen.engine import Screener
from rasid.screen.hits import HitStatus, record_batch, subject_key
from rasid.screen.model import Match, Reason, Subject
from rasid.store.chunks import chunks
from rasid.store.engine import Store
from rasid.store.statements import of_entities, utcnow
from rasid.store.tables import (
    hit,
    ingest_run,
    screening_subject,
    statement,
    travel_message,
    traveller,
)
from rasid.travel.rules import rule_hits

SOURCE = "travel"  # the review queue's source of traveller subjects
CHUNK = 1000  # travellers screened and recorded at a time
LIMIT = 5  # watchlist matches kept per traveller
# Facts whose watchlist matches are remembered (see ``_Recall``): about 1.5 kB each, and
# enough for the travellers whose manifest comes up to two days after their booking at a
# large hub airport (150,000 people a day for each process screening arrivals).
MEMORY = 200_000
DOCUMENT_FACTS = ("country", "type", "startDate", "endDate", "summary", "description")

# Called with (travellers screened, travellers in all) as the work goes.
ArrivalProgress = Callable[[int, int], None]


@dataclass
class Arrivals:
    """What one screening on arrival did."""

    run_id: str
    watchlists: list[str] = field(default_factory=list)
    document_lists: list[str] = field(default_factory=list)
    travellers: int = 0  # travellers screened
    name_screened: int = 0  # travellers matched against the watchlists (new or changed)
    watchlist_alerts: int = 0  # travellers with an alerting watchlist match
    document_alerts: int = 0  # travellers carrying a listed document
    rule_alerts: int = 0  # travellers matched by a targeting rule
    hits: int = 0  # hits opened or refreshed in the review queue
    documents_only: bool = False  # a re-check after a document list changed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class TravelDocument:
    """A document a traveller presented or booked with."""

    number: str
    issuing_state: str  # as received (ICAO or ISO code)
    type: str = ""


@dataclass(frozen=True)
class ListedDocument:
    """A document on a list of lost, stolen or revoked documents."""

    entity_id: str
    dataset: str
    number: str
    country: str
    facts: dict[str, list[str]]


# Subjects ----------------------------------------------------------------------------------


def document_key(number: str) -> str:
    """A document number as compared: upper-case, without spaces, hyphens or dots."""
    return "".join(c for c in number.upper() if c.isalnum())


def state_code(value: str) -> str | None:
    """An issuing state as an ISO 3166-1 alpha-2 code (lower-case, as FtM stores it)."""
    return registry.country.clean(country_code(value)) if value.strip() else None


def traveller_documents(row: Any) -> list[TravelDocument]:
    """The numbered documents of a traveller row."""
    found = []
    for doc in json.loads(row.documents or "[]"):
        if doc.get("number"):
            found.append(
                TravelDocument(doc["number"], doc.get("issuing_state") or "", doc.get("type") or "")
            )
    return found


def traveller_subject(row: Any) -> Subject:
    """A traveller row as a screening subject (its id is the traveller's)."""
    documents = traveller_documents(row)
    birth = row.birth_date.isoformat() if isinstance(row.birth_date, date) else row.birth_date
    return Subject(
        id=row.id,
        name=" ".join(p for p in (row.given_names, row.surname) if p),
        birth_date=birth or None,
        nationality=state_code(row.nationality or "") or (row.nationality or None),
        gender=GENDERS.get((row.sex or "").upper()),
        document_number=documents[0].number if documents else None,
    )


# Lost and stolen documents ---------------------------------------------------------------


def document_lists(conn: Connection) -> list[str]:
    """The datasets of kind ``documents``."""
    return [d.name for d in list_datasets(conn) if d.kind == "documents"]


def listed_documents(
    conn: Connection, lists: Sequence[str], numbers: Iterable[str]
) -> dict[str, list[ListedDocument]]:
    """The listed documents with these numbers (as ``document_key`` makes them), by number."""
    wanted = sorted({document_key(n) for n in numbers if document_key(n)})
    if not lists or not wanted:
        return {}
    hits = conn.execute(
        select(statement.c.entity_id, statement.c.dataset, statement.c.value).where(
            statement.c.prop == "number",
            statement.c.value.in_(wanted),
            statement.c.dataset.in_(list(lists)),
        )
    ).all()
    if not hits:
        return {}
    facts: dict[str, dict[str, list[str]]] = {}
    rows = conn.execute(
        select(statement.c.entity_id, statement.c.prop, statement.c.value).where(
            of_entities(sorted({h.entity_id for h in hits})),
            statement.c.dataset.in_(list(lists)),
            statement.c.prop.in_(DOCUMENT_FACTS),
        )
    )
    for row in rows:
        facts.setdefault(row.entity_id, {}).setdefault(row.prop, []).append(row.value)
    found: dict[str, list[ListedDocument]] = {}
    for h in hits:
        entity_facts = facts.get(h.entity_id, {})
        for country in entity_facts.get("country", []):
            listed = ListedDocument(h.entity_id, h.dataset, h.value, country, entity_facts)
            found.setdefault(h.value, []).append(listed)
    return found


def document_matches(
    documents: Sequence[TravelDocument], listed: dict[str, list[ListedDocument]]
) -> list[Match]:
    """A match for each of the traveller's documents that is listed, number and state."""
    matches = []
    for doc in documents:
        state = state_code(doc.issuing_state)
        for entry in listed.get(document_key(doc.number), []):
            if state is not None and entry.country == state:
                matches.append(_document_match(doc, entry))
    return matches


def _document_match(doc: TravelDocument, entry: ListedDocument) -> Match:
    number = (("number", doc.number), ("listed", entry.number))
    state = (("state", doc.issuing_state), ("listed", entry.country.upper()))
    reasons = [
        Reason(
            "document_number",
            f"{doc.number} = {entry.number} (exact)",
            0.5,
            "document.number",
            number,
        ),
        Reason(
            "issuing_state",
            f"{doc.issuing_state} = {entry.country.upper()}",
            0.5,
            "document.state",
            state,
        ),
    ]
    for prop in ("type", "summary", "description", "startDate", "endDate"):
        for value in entry.facts.get(prop, []):  # the list's own words, shown as they are
            reasons.append(
                Reason(f"listed_{prop}", value, 0.0, "listed_value", (("value", value),))
            )
    on_list = (("list", entry.dataset),)
    reasons.append(Reason("list", f"on the list {entry.dataset}", 0.0, "document.list", on_list))
    return Match(entry.entity_id, 1.0, True, entry.number, reasons, kind="document")


# Screening on arrival --------------------------------------------------------------------


class _Recall:
    """The watchlist matches of the facts screened lately, against one index.

    A traveller is matched twice: as a person of their booking, on its first push, and as a
    person of the flight's manifest, which has other entity ids but the same facts (name,
    birth date, nationality, sex, document). ``NameIndex.match`` depends on those facts
    alone, so the second time takes the first result. Results are kept pickled (a fifth of
    their size as objects) for the ``MEMORY`` facts used last, and forgotten when the index
    changes (a watchlist was imported: the screener built a new one)."""

    def __init__(self) -> None:
        self._serial = 0  # of the index the remembered results are from
        self._found: OrderedDict[tuple[str | None, ...], bytes] = OrderedDict()
        self._lock = Lock()

    def match(self, index: NameIndex, subject: Subject) -> list[Match]:
        """``index.match(subject, LIMIT)``, taken from memory when the facts were matched."""
        key = (
            subject.name,
            subject.birth_date,
            subject.nationality,
            subject.gender,
            subject.document_number,
        )
        with self._lock:
            if self._serial != index.serial:
                self._serial, self._found = index.serial, OrderedDict()
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
                return list(pickle.loads(found))
        matches = index.match(subject, LIMIT)
        with self._lock:
            if self._serial == index.serial:
                self._found[key] = pickle.dumps(matches, pickle.HIGHEST_PROTOCOL)
                if len(self._found) > MEMORY:
                    self._found.popitem(last=False)
        return matches


RECALL = _Recall()


def _arrived(conn: Connection, run_id: str) -> Any:
    """The travellers an import brought or changed (their newest message is in it)."""
    messages = select(travel_message.c.id).where(travel_message.c.run_id == run_id)
    return select(traveller).where(traveller.c.message_id.in_(messages)).order_by(traveller.c.id)


@dataclass
class _Lists:
    """What a screening checks against, found once per run."""

    watchlists: list[str]
    documents: list[str]
    index: NameIndex | None  # of the watchlists; None without any


def _screen_chunk(
    conn: Connection, rows: list[Any], lists: _Lists, today: date, done: Arrivals
) -> None:
    """Screen and record one chunk of travellers of one dataset."""
    subjects = [traveller_subject(row) for row in rows]
    names: dict[str, list[Match]] = {}
    watchlist_of: dict[str, str] = {}
    alerted: set[str] = set()
    if lists.index is not None:
        index = lists.index
        unchanged, alerted = _screened_before(conn, subjects)
        names = {s.id: RECALL.match(index, s) for s in subjects if s.id not in unchanged}
        done.name_screened += len(names)
        matched = {m.entity_id for found in names.values() for m in found}
        watchlist_of.update((e, index.datasets_of[e]) for e in matched)
    documents = {row.id: traveller_documents(row) for row in rows}
    numbers = (d.number for docs in documents.values() for d in docs)
    listed = listed_documents(conn, lists.documents, numbers)
    alerted |= {tid for tid, matches in names.items() if any(m.alert for m in matches)}
    rules = rule_hits(conn, [row.id for row in rows], alerted, today)
    results = []
    for row, subject in zip(rows, subjects, strict=True):
        found_documents = document_matches(documents[row.id], listed)
        found_rules = rules.get(row.id, [])
        for match in found_documents:
            watchlist_of[match.entity_id] = _dataset_of(listed, match)
        for match in found_rules:
            watchlist_of[match.entity_id] = row.dataset
        results.append((subject, [*names.get(row.id, []), *found_documents, *found_rules]))
        done.watchlist_alerts += row.id in alerted
        done.document_alerts += bool(found_documents)
        done.rule_alerts += bool(found_rules)
    done.travellers += len(rows)
    done.hits += record_batch(conn, results, SOURCE, watchlist_of, dataset=rows[0].dataset)


FACTS = ("name", "birth_date", "nationality", "gender", "document_number")


def _screened_before(conn: Connection, subjects: Sequence[Subject]) -> tuple[set[str], set[str]]:
    """Of these travellers, those screened before with the same facts (their watchlist
    results are in the queue already: a watchlist change re-screens stored subjects, see
    ``rasid.screen.rescreen``), and those of them with a watchlist hit."""
    keys = {subject_key(s, SOURCE): s for s in subjects}
    columns = [getattr(screening_subject.c, f) for f in FACTS]
    rows = conn.execute(
        select(screening_subject.c.id, *columns).where(screening_subject.c.id.in_(list(keys)))
    ).all()
    same = {r.id: keys[r.id].id for r in rows if _same_facts(r, keys[r.id])}
    if not same:
        return set(), set()
    named = select(hit.c.subject_id).where(
        hit.c.subject_id.in_(list(same)),
        hit.c.kind == "name",
        hit.c.status != str(HitStatus.DISMISSED),
    )
    alerted = {same[k] for k in conn.execute(named.distinct()).scalars()}
    return set(same.values()), alerted


def listed_in_queue(conn: Connection, dataset: str) -> set[str]:
    """The travellers of ``dataset`` with an alerting watchlist hit in the review queue that
    was not dismissed: who counts as listed when a rule is tried on stored travellers
    ("travelling with a listed person" in ``rasid.travel.rules.dry_run``)."""
    query = (
        select(screening_subject.c.external_id)
        .join(hit, hit.c.subject_id == screening_subject.c.id)
        .where(
            screening_subject.c.source == SOURCE,
            screening_subject.c.dataset == dataset,
            hit.c.kind == "name",
            hit.c.alert.is_(True),
            hit.c.status != str(HitStatus.DISMISSED),
        )
        .distinct()
    )
    return {str(tid) for tid in conn.execute(query).scalars() if tid}


def _same_facts(row: Any, subject: Subject) -> bool:
    return all(getattr(row, f) == getattr(subject, f) for f in FACTS)


def _dataset_of(listed: dict[str, list[ListedDocument]], match: Match) -> str:
    return next(e.dataset for es in listed.values() for e in es if e.entity_id == match.entity_id)


def screen_arrivals(
    store: Store,
    run_id: str,
    screener: Screener | None = None,
    today: date | None = None,
    progress: ArrivalProgress | None = None,
) -> Arrivals:
    """Screen the travellers an import (``run_id``) brought or changed, against every
    watchlist, every list of lost and stolen documents and the active targeting rules; put
    the alerts in the review queue. One transaction: the hits land together or not at all.
    A travel import with no watchlist, no document list and no rule screens nothing."""
    done = Arrivals(run_id)
    with store.uow() as uow:
        conn = uow.conn
        watchlists = [d.name for d in list_datasets(conn) if d.kind == "watchlist"]
        rows = conn.execute(_arrived(conn, run_id)).all()
        # The index is looked up once per import (its version check reads the watchlists).
        index = (screener or Screener()).index(conn, watchlists) if watchlists and rows else None
        lists = _Lists(watchlists, document_lists(conn), index)
        done.watchlists, done.document_lists = lists.watchlists, lists.documents
        today = today or utcnow().date()
        for chunk in chunks(rows, CHUNK):
            by_dataset: dict[str, list[Any]] = {}
            for row in chunk:
                by_dataset.setdefault(row.dataset, []).append(row)
            for part in by_dataset.values():
                _screen_chunk(conn, part, lists, today, done)
            if progress is not None:
                progress(done.travellers, len(rows))
    return done


# A list of documents changed ---------------------------------------------------------------


def _travellers_holding(conn: Connection, numbers: Sequence[str], lists: Sequence[str]) -> Any:
    """Traveller rows whose stored documents (their FtM Passport/Identification entities,
    held by the traveller's person) carry one of these numbers."""
    documents = select(statement.c.entity_id).where(
        statement.c.prop == "number",
        statement.c.value.in_(list(numbers)),
        statement.c.dataset.not_in(list(lists)),
    )
    holders = select(statement.c.value).where(of_entities(documents), statement.c.prop == "holder")
    return select(traveller).where(traveller.c.entity_id.in_(holders)).order_by(traveller.c.id)


def recheck_documents(store: Store, dataset: str, run_id: str) -> Arrivals:
    """After an import into a list of lost and stolen documents, check the stored
    travellers holding a document whose number the import added to the list; hits go to
    the review queue as on arrival (watchlist names and rules are not affected)."""
    done = Arrivals(run_id, documents_only=True)
    with store.uow() as uow:
        conn = uow.conn
        lists = document_lists(conn)
        if dataset not in lists:
            return done
        done.document_lists = lists
        started = select(ingest_run.c.started_at).where(ingest_run.c.id == run_id)
        added = select(statement.c.value).where(
            statement.c.dataset == dataset,
            statement.c.prop == "number",
            statement.c.first_seen >= started.scalar_subquery(),
        )
        numbers = sorted(set(conn.execute(added).scalars()))
        for part in chunks(numbers, CHUNK):
            rows = conn.execute(_travellers_holding(conn, part, lists)).all()
            for chunk in chunks(rows, CHUNK):
                _recheck_chunk(conn, chunk, lists, done)
    return done


def _recheck_chunk(conn: Connection, rows: list[Any], lists: list[str], done: Arrivals) -> None:
    documents = {row.id: traveller_documents(row) for row in rows}
    listed = listed_documents(conn, lists, (d.number for ds in documents.values() for d in ds))
    by_dataset: dict[str, list[tuple[Subject, list[Match]]]] = {}
    watchlist_of: dict[str, str] = {}
    for row in rows:
        found = document_matches(documents[row.id], listed)
        done.travellers += 1
        if found:
            done.document_alerts += 1
            watchlist_of.update((m.entity_id, _dataset_of(listed, m)) for m in found)
            by_dataset.setdefault(row.dataset, []).append((traveller_subject(row), found))
    for travel_dataset, results in by_dataset.items():
        done.hits += record_batch(conn, results, SOURCE, watchlist_of, dataset=travel_dataset)


# One traveller, on demand ------------------------------------------------------------------


def check_traveller(
    conn: Connection,
    screener: Screener,
    subject: Subject,
    documents: Sequence[TravelDocument],
    watchlists: Sequence[str],
    lists: Sequence[str],
    limit: int = LIMIT,
) -> tuple[list[Match], dict[str, str]]:
    """One traveller checked at once (a border officer's query): watchlist matches, best
    first, then listed documents; with each proposed entity's dataset."""
    matches: list[Match] = []
    dataset_of: dict[str, str] = {}
    if watchlists:
        index = screener.index(conn, list(watchlists))
        matches = index.match(subject, limit)
        dataset_of.update((m.entity_id, index.datasets_of[m.entity_id]) for m in matches)
    listed = listed_documents(conn, lists, [d.number for d in documents])
    for match in document_matches(documents, listed):
        matches.append(match)
        dataset_of[match.entity_id] = _dataset_of(listed, match)
    return matches, dataset_of
