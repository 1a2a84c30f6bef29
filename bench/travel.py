"""Traveller-screening benchmark: a synthetic day at a hub airport, parsed, stored and screened.

1. **Generate** (not counted): ``bench/travelgen.py`` writes the day's UN/EDIFACT files
   (300,000 travellers on 2,000 flights: three PNRGOV pushes and one PAXLST manifest per
   flight), a 100,000-name national watchlist and 1,000,000 lost and stolen passports
   (``--scale`` shrinks them all), with a few planted travellers who are listed.
2. **Lists** (set-up, not counted in the day): the UN list bundled with Rasid and the
   national list are imported as watchlists, the documents as a document list, through
   ``rasid.ingest.run.ingest`` as ``rasid ingest --watchlist`` / ``--documents`` does; then
   the name index is built once.
3. **The day**: every file, in order of receipt, goes through what ``rasid ingest`` does
   for a travel file: ``ingest`` (parse and store: statements, flights, bookings,
   travellers), then ``screen_arrivals`` (watchlists, documents, targeting rules; hits into
   the review queue). ``--workers`` processes share the work, each taking whole flights
   (a flight's files in order), as several receivers would; the index built in step 2 is
   shared with them. Reported: wall time, the time spent parsing and storing and the time
   spent screening, files and travellers per second, and how many planted travellers the
   review queue holds.
4. **Checks**: ``rasid serve`` answers ``--checks`` single-traveller checks
   (``POST /api/travel/check``, one after the other, as a border desk sends them): latency
   p50/p95/p99 against the full lists.

SQLite (a new file) always, PostgreSQL with ``--postgres URL`` (an empty database). Not a
test: figures are printed and written with ``--output``. ``python bench/travel.py --help``.
"""

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_load
import autovacuum
import travelgen
from ingest import database_size_mib, load_average, machine, server_version

from rasid.access.accounts import Role, Scope, add_user, create_token
from rasid.access.registry import add_dataset, ensure_agency
from rasid.data import un_sc_path
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.registry import Dataset
from rasid.screen.engine import Screener, watchlist_names
from rasid.screen.rescreen import rescreen
from rasid.store import open_store
from rasid.store.engine import Store, make_engine
from rasid.store.tables import hit, screening_subject, traveller
from rasid.travel.rules import RuleDraft, create_rule
from rasid.travel.screening import recheck_documents, screen_arrivals

POSTGRES_ENV = "RASID_BENCH_DATABASE_URL"
AGENCY = "border_piu"
TRAVEL = {"api": "api_hub", "pnr": "pnr_hub"}  # dataset of each kind of file
LISTS = (  # dataset, kind, file (under lists/; None: the bundled UN list), format
    ("un_sc", "watchlist", None, "un-sc"),
    ("national_watchlist", "watchlist", "national.ftm.jsonl", "ftm"),
    ("lost_documents", "documents", "documents.ftm.jsonl", "ftm"),
)
USER, PURPOSE = "bench.piu", "traveller screening benchmark"
JUSTIFICATION = (
    "Synthetic rule of the traveller-screening benchmark: it exercises the evaluation of "
    "targeting rules on arrival, on synthetic travellers only."
)
RULES = (  # targeting rules screening applies on arrival: name, criteria
    (
        "Last-minute cash bookings",
        {
            "all": [
                {"field": "booked_hours_before_departure", "op": "lt", "value": 48},
                {"field": "payment_type", "op": "in", "value": ["cash"]},
            ]
        },
    ),
    (
        "Travelling with a listed person",
        {"all": [{"field": "travelling_with_listed", "op": "is", "value": True}]},
    ),
    (
        "One-way to a conflict zone",
        {
            "all": [
                {"field": "route", "op": "in", "value": ["DXB-BGW", "DXB-KRT", "DXB-EBL"]},
                {"field": "one_way", "op": "is", "value": True},
            ]
        },
    ),
)


# --- lists ---------------------------------------------------------------------------------


def import_lists(store: Store, directory: Path) -> dict[str, Any]:
    """The three lists, each imported and followed by what ``rasid ingest`` runs after an
    import into a list (re-screening, re-checking stored travellers); seconds and counts."""
    found: dict[str, Any] = {}
    for dataset, kind, name, fmt in LISTS:
        path = un_sc_path() if name is None else directory / "lists" / name
        print(f"  importing {dataset} ({kind})", flush=True)
        start = time.perf_counter()
        request = IngestRequest(str(path), dataset, fmt=fmt, agency=AGENCY, kind=kind)
        summary = ingest(store, request)
        imported = time.perf_counter() - start
        rescreen(store, dataset, summary.run_id)
        recheck_documents(store, dataset, summary.run_id)
        found[dataset] = {
            "entities": summary.entities,
            "statements": summary.statements,
            "rejected": summary.rejected,
            "import_seconds": round(imported, 1),
            "after_import_seconds": round(time.perf_counter() - start - imported, 1),
        }
        print(f"    {summary.statements:,} statements in {imported:.1f} s", flush=True)
    return found


def build_screener(store: Store) -> tuple[Screener, float]:
    """A screener whose name index over every watchlist is built (and how long it took)."""
    screener = Screener()
    start = time.perf_counter()
    with store.uow() as uow:
        screener.index(uow.conn, watchlist_names(uow.conn))
    return screener, time.perf_counter() - start


# --- the day -------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a worker did: files, travellers and seconds by kind of file."""

    files: Counter[str] = field(default_factory=Counter)
    travellers: Counter[str] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)  # rejected, dropped, warnings
    store_seconds: Counter[str] = field(default_factory=Counter)
    screen_seconds: Counter[str] = field(default_factory=Counter)
    screening: Counter[str] = field(default_factory=Counter)  # what screen_arrivals counted
    peak_mib: Counter[str] = field(default_factory=Counter)  # each worker's peak memory

    def add(self, other: "Tally") -> None:
        """Add another worker's tally to this one."""
        for name, counter in vars(other).items():
            getattr(self, name).update(counter)


def work(url: str, directory: Path, files: list[dict[str, str]], screen: bool, label: str) -> Tally:
    """Import (and screen) ``files`` in order, as ``rasid ingest`` does file by file."""
    store = open_store(url)
    screener = SHARED.get("screener") or Screener()
    tally = Tally()
    step = max(1, len(files) // 10)
    started = time.perf_counter()
    for number, entry in enumerate(files, 1):
        kind = entry["kind"]
        request = IngestRequest(
            str(directory / entry["path"]),
            TRAVEL[kind],
            fmt="paxlst" if kind == "api" else "pnrgov",
            agency=AGENCY,
            received_at=datetime.fromisoformat(entry["received"]),
        )
        start = time.perf_counter()
        summary = ingest(store, request)
        stored = time.perf_counter()
        tally.store_seconds[kind] += stored - start
        tally.files[kind] += 1
        tally.travellers[kind] += int(summary.counts.get("travellers", 0))
        tally.statements[kind] += summary.statements
        tally.problems.update(
            rejected=summary.rejected,
            dropped=summary.dropped,
            warnings=int(summary.counts.get("warnings", 0)),
        )
        if screen:
            arrivals = screen_arrivals(store, summary.run_id, screener=screener)
            tally.screen_seconds[kind] += time.perf_counter() - stored
            tally.screening.update({k: v for k, v in arrivals.to_dict().items() if _counted(v)})
        if number % step == 0:
            elapsed = time.perf_counter() - started
            print(f"    {label}{number:,}/{len(files):,} files, {elapsed:.0f} s", flush=True)
    store.dispose()
    # Resident memory at its peak (ru_maxrss is in KiB on Linux), pages shared with the
    # parent included: the name index is built before the workers are forked.
    tally.peak_mib[label.strip(": ") or "worker"] = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    )
    return tally


def _counted(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


SHARED: dict[str, Any] = {}  # what forked workers inherit (the built screener)


def _work_in_child(args: tuple[str, Path, list[dict[str, str]], bool, str]) -> Tally:
    return work(*args)


def shares(files: list[dict[str, str]], workers: int) -> list[list[dict[str, str]]]:
    """The files split between workers by flight (each flight's files stay together and in
    order, so no two workers write the same rows), balanced by count."""
    flights: dict[str, list[dict[str, str]]] = {}
    for entry in files:
        flights.setdefault(entry["flight"], []).append(entry)
    parts: list[list[dict[str, str]]] = [[] for _ in range(workers)]
    for flight_files in flights.values():
        min(parts, key=len).extend(flight_files)
    for part in parts:
        part.sort(key=lambda f: (f["received"], f["path"]))
    return [p for p in parts if p]


def run_day(
    url: str, directory: Path, files: list[dict[str, str]], workers: int, screen: bool
) -> tuple[Tally, float]:
    """Every file through import (and screening); the summed tally and the wall time."""
    start = time.perf_counter()
    if workers <= 1:
        tally = work(url, directory, files, screen, "")
    else:
        jobs = [
            (url, directory, part, screen, f"worker {i + 1}: ")
            for i, part in enumerate(shares(files, workers))
        ]
        # Forked: the workers start with the parent's built index, in shared pages.
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            results = pool.map(_work_in_child, jobs, chunksize=1)
        tally = Tally()
        for result in results:
            tally.add(result)
    return tally, time.perf_counter() - start


def day_figures(tally: Tally, wall: float, generated: dict[str, Any]) -> dict[str, Any]:
    """The day's figures: wall time, where the workers' time went, rates."""
    stored, screened = sum(tally.store_seconds.values()), sum(tally.screen_seconds.values())
    files, travellers = sum(tally.files.values()), generated["counts"]["travellers"]
    work_seconds = stored + screened or 1.0
    return {
        "wall_seconds": round(wall, 1),
        "files": files,
        "files_per_second": round(files / wall, 1),
        "travellers_per_second": round(travellers / wall),
        "traveller_records": dict(tally.travellers),
        "statements": dict(tally.statements),
        "problems": dict(tally.problems),
        # The workers' time, summed: with several workers it exceeds the wall time.
        "parse_store_seconds": {k: round(v, 1) for k, v in tally.store_seconds.items()},
        "screen_seconds": {k: round(v, 1) for k, v in tally.screen_seconds.items()},
        "parse_store_share": round(stored / work_seconds, 3),
        "parse_store_wall_seconds": round(wall * stored / work_seconds, 1),
        "screen_wall_seconds": round(wall * screened / work_seconds, 1),
        "screening": dict(tally.screening),
        "worker_peak_mib": dict(tally.peak_mib),
    }


# --- what the review queue holds -------------------------------------------------------------


def planted_found(store: Store, planted: list[dict[str, str]]) -> dict[str, Any]:
    """How many planted travellers have an alerting hit of the kind they were planted for,
    and how many travellers alerted in all (each kind)."""
    query = (
        hit.select()
        .with_only_columns(screening_subject.c.name, hit.c.kind, hit.c.entity_id, hit.c.watchlist)
        .join_from(hit, screening_subject, hit.c.subject_id == screening_subject.c.id)
        .where(hit.c.alert.is_(True), screening_subject.c.source == "travel")
    )
    with store.uow() as uow:
        rows = uow.conn.execute(query).all()
    alerted: dict[str, set[str]] = {}
    hits: set[tuple[str, str, str]] = set()
    for row in rows:
        alerted.setdefault(row.kind, set()).add(row.name)
        hits.add((row.name, row.kind, row.entity_id))
        hits.add((row.name, row.kind, f"list:{row.watchlist}"))
    found: Counter[str] = Counter()
    for plant in planted:
        name = f"{plant['given']} {plant['surname']}"
        wanted = "document" if plant["kind"] == "document" else "name"
        target = plant["listed_id"] or "list:un_sc"
        found[plant["kind"]] += (name, wanted, target) in hits
    total = Counter(p["kind"] for p in planted)
    return {
        "planted": dict(total),
        "found": {kind: found[kind] for kind in total},
        "alerting_names": {kind: len(names) for kind, names in sorted(alerted.items())},
    }


# --- single traveller checks ------------------------------------------------------------------


def check_bodies(store: Store, count: int, planted: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Travellers to check: the planted ones first, then API travellers in id order (the ids
    are hashes: a spread of the day's names), each with their documents."""
    names = {(p["surname"], p["given"]) for p in planted}
    api = traveller.select().where(traveller.c.dataset == TRAVEL["api"])
    with store.uow() as uow:
        listed = uow.conn.execute(
            api.where(traveller.c.surname.in_(sorted({s for s, _ in names})))
        ).all()
        others = uow.conn.execute(api.order_by(traveller.c.id).limit(count)).all()
    first = [r for r in listed if (r.surname, r.given_names) in names]
    rows = [*first, *(r for r in others if (r.surname, r.given_names) not in names)]
    return [_body(row) for row in rows[:count]]


def _body(row: Any) -> dict[str, Any]:
    """A traveller row as the check's request body."""
    documents = [
        {"number": d["number"], "issuing_state": d["issuing_state"], "type": d["type"]}
        for d in json.loads(row.documents)
        if d.get("number")
    ]
    return {
        "id": row.id,
        "name": f"{row.given_names} {row.surname}",
        "birth_date": row.birth_date.isoformat() if row.birth_date else None,
        "nationality": row.nationality,
        "gender": {"M": "male", "F": "female"}.get(row.sex),
        "documents": documents,
    }


def prepare(store: Store) -> None:
    """The agency, its travel datasets (made before the workers start, which would race to
    make them), a PIU officer and the targeting rules."""
    with store.uow() as uow:
        ensure_agency(uow.conn, AGENCY)
        for kind, dataset in TRAVEL.items():
            title = f"{kind.upper()} data"
            add_dataset(uow.conn, Dataset(dataset, AGENCY, title, retention_class=kind))
        add_user(uow.conn, USER, AGENCY, Role.PIU_OFFICER, "bench", "bench", "a long passphrase")
        review = date.today() + timedelta(days=180)
        for rule_name, criteria in RULES:
            draft = RuleDraft(rule_name, USER, JUSTIFICATION, review, criteria)
            create_rule(uow.conn, draft, "bench", actor_agency=AGENCY)


def make_token(store: Store) -> str:
    """An API token of the PIU officer (reading: the check reads only the lists a caller
    may read; screening)."""
    with store.uow() as uow:
        _, token = create_token(uow.conn, USER, frozenset({Scope.READ, Scope.SCREEN}), "bench")
    return token


def time_checks(url: str, bodies: list[dict[str, Any]], token: str, warm: int) -> dict[str, Any]:
    """Serve the database and POST each body to the traveller check, one at a time; the
    first ``warm`` (which build the server's name index) are not counted."""
    import httpx

    with tempfile.TemporaryDirectory(prefix="rasid-travel-serve-") as tmp:
        port = api_load.free_port()
        server = api_load.serve(url, port, Path(tmp) / "server.log", workers=1)
        headers = {"Authorization": f"Bearer {token}", "X-Rasid-Purpose": PURPOSE}
        times, errors, matched = [], Counter(), Counter()
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as http:
                for body in bodies[:warm]:
                    http.post("/api/travel/check", json=body, timeout=300)
                for body in bodies:
                    start = time.perf_counter()
                    response = http.post("/api/travel/check", json=body, timeout=60)
                    times.append(time.perf_counter() - start)
                    if response.status_code != 200:
                        errors[str(response.status_code)] += 1
                        continue
                    for match in response.json()["matches"]:
                        matched[match["kind"]] += bool(match["alert"])
        except httpx.TransportError:
            # The server went away: what it wrote before the temporary directory goes.
            log = (Path(tmp) / "server.log").read_text(errors="replace")
            print(f"the server stopped answering; the end of its log:\n{log[-4000:]}")
            raise
        finally:
            api_load.stop(server)
    return {**api_load.percentiles(times), "errors": dict(errors), "alerts": dict(matched)}


# --- one database --------------------------------------------------------------------------


def bench_database(name: str, url: str, day: dict[str, Any], args: argparse.Namespace) -> dict:
    """The lists, the day and the checks against one (empty) database."""
    if not Store(make_engine(url)).is_empty():
        raise SystemExit(f"{name}: the database is not empty; give a new, empty database")
    store = open_store(url, create=True)
    result: dict[str, Any] = {"version": server_version(store), "load_before": load_average()}
    prepare(store)
    print(f"[{name}] lists", flush=True)
    result["lists"] = import_lists(store, args.data)
    if store.dialect == "postgresql":
        result["vacuum_seconds"] = autovacuum.vacuum(store)
    screener, seconds = build_screener(store)
    result["index_seconds"] = round(seconds, 1)
    print(f"[{name}] name index built in {seconds:.1f} s", flush=True)
    store.dispose()  # no connection crosses into the workers
    SHARED["screener"] = screener
    print(f"[{name}] the day: {len(day['files']):,} files, {args.workers} worker(s)", flush=True)
    # Autovacuum is off on the benchmark's server: its stand-in works while the day runs.
    stand_in = autovacuum.Autovacuum(url) if name == "postgresql" else None
    if stand_in is not None:
        stand_in.start()
    tally, wall = run_day(url, args.data, day["files"], args.workers, not args.no_screening)
    if stand_in is not None:
        result["autovacuum"] = stand_in.stop()
    result["day"] = day_figures(tally, wall, day)
    result["load_after_day"] = load_average()
    print(f"[{name}] the day: {wall:.1f} s", flush=True)
    store = open_store(url)
    if not args.no_screening:
        result["planted"] = planted_found(store, day["planted"])
    result["size_mib"] = round(database_size_mib(store), 1)
    # Printed before the checks, so that the day's figures survive a failure there.
    print(json.dumps(result, indent=1), flush=True)
    if args.checks:
        bodies = check_bodies(store, args.checks, day["planted"])
        token = make_token(store)
        store.dispose()
        print(f"[{name}] {len(bodies):,} traveller checks through the API", flush=True)
        result["checks"] = time_checks(url, bodies, token, args.warm_checks)
    store.dispose()
    return result


def generate(args: argparse.Namespace) -> dict[str, Any]:
    """The day's files in ``args.data`` (made unless they are there); ``day.json``."""
    index = args.data / "day.json"
    if index.exists():
        print(f"using the files in {args.data}", flush=True)
        return dict(json.loads(index.read_text()))
    spec = travelgen.DaySpec.scaled(args.scale, args.seed)
    print(
        f"generating {spec.travellers:,} travellers on {spec.flights:,} flights, "
        f"{spec.national:,} listed names, {spec.documents:,} listed documents",
        flush=True,
    )
    step = max(1, spec.flights // 10)

    def progress(done: int, total: int) -> None:
        if done % step == 0:
            print(f"  {done:,}/{total:,} flights", flush=True)

    generated = travelgen.generate(spec, args.data, progress)
    print(f"generated in {generated.seconds:.0f} s: {generated.counts}", flush=True)
    return generated.to_dict()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark traveller screening: a synthetic day at a hub airport "
        "(API and PNR files) parsed, stored and screened against the UN list, a national "
        "watchlist and lost and stolen documents; then single traveller checks via the API.",
        epilog=f"PostgreSQL runs when --postgres or ${POSTGRES_ENV} gives an empty database "
        "(dropdb/createdb before each run). See bench/README.md.",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="size of the day and lists (default: 1.0)"
    )
    parser.add_argument("--seed", type=int, default=travelgen.SEED, help="default: %(default)s")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes importing and screening the day's files (default: %(default)s)",
    )
    parser.add_argument(
        "--checks", type=int, default=1000, help="single traveller checks (default: 1000)"
    )
    parser.add_argument(
        "--warm-checks", type=int, default=20, help="checks before timing (default: 20)"
    )
    parser.add_argument(
        "--no-screening", action="store_true", help="import the day without screening it"
    )
    parser.add_argument("--postgres", metavar="URL", help=f"PostgreSQL URL (or ${POSTGRES_ENV})")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="where the generated files go (kept; reused when DIR/day.json exists); "
        "default: a temporary directory",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write results as JSON")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    if args.sqlite_only and args.postgres_only:
        parser.error("--sqlite-only and --postgres-only exclude each other")
    if args.workers < 1 or args.checks < 0:
        parser.error("--workers must be at least 1, --checks at least 0")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    postgres = None if args.sqlite_only else args.postgres or os.environ.get(POSTGRES_ENV)
    with tempfile.TemporaryDirectory(prefix="rasid-travel-") as tmp:
        args.data = args.data or Path(tmp) / "day"
        args.data.mkdir(parents=True, exist_ok=True)
        day = generate(args)
        results: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "arguments": {k: str(v) for k, v in vars(args).items()},
            "input": {"counts": day["counts"], "generate_seconds": day["seconds"]},
            "databases": {},
        }
        targets = [] if args.postgres_only else [("sqlite", f"sqlite:///{Path(tmp) / 'travel.db'}")]
        if postgres:
            targets.append(("postgresql", postgres))
        elif not args.sqlite_only:
            print(f"PostgreSQL skipped: give --postgres URL or set ${POSTGRES_ENV}")
        for name, url in targets:
            results["databases"][name] = bench_database(name, url, day, args)
            print(json.dumps(results["databases"][name], indent=1), flush=True)
    if args.output is not None:
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.output}")


if __name__ == "__main__":
    main()
