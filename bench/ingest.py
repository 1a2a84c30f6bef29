"""Ingest benchmark: import speed, peak memory and read speed of the statement store.

For SQLite (a fresh file in a temporary directory) and, when a URL is given, PostgreSQL:

1. generate a deterministic FtM JSON-lines file of synthetic entities (people with Arabic-script
   and Latin names, organisations, memberships) totalling about ``--statements`` statements;
2. import it through ``rasid.ingest.run.ingest`` in a child process (wall time, statements/s,
   entities/s, peak resident memory), then import the same file again (the upsert path);
3. assemble 10,000 entities with ``get_entities`` (without and with a dataset filter) and
   run 100 name searches with ``search_entity_ids`` (median and p95), once as imported and
   once more after ``ANALYZE``.

Run from the repository root: ``python bench/ingest.py --help``. Not a test: figures are
printed (and written with ``--output``); a statement count other than the file's only warns.
"""

import argparse
import json
import math
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import text

from rasid.ingest.run import IngestRequest, ingest
from rasid.settings import get_settings
from rasid.store import open_store
from rasid.store.engine import Store, make_engine
from rasid.store.entities import get_entities, search_entity_ids

DATASET = "bench"
SEED = 20261123
SAMPLE_ENTITIES = 10_000
SEARCHES = 100
READ_REPEATS = 3
POSTGRES_ENV = "RASID_BENCH_DATABASE_URL"

# (Arabic script, a common Latin transliteration).
GIVEN = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("يوسف", "Youssef"),
    ("إبراهيم", "Ibrahim"),
    ("عبد الله", "Abdullah"),
    ("عبد الرحمن", "Abdulrahman"),
    ("مصطفى", "Mustafa"),
    ("سعيد", "Said"),
    ("كريم", "Karim"),
    ("طارق", "Tariq"),
    ("ياسر", "Yasser"),
    ("سليمان", "Suleiman"),
    ("جمال", "Jamal"),
    ("نبيل", "Nabil"),
    ("وليد", "Walid"),
    ("فاطمة", "Fatima"),
    ("عائشة", "Aisha"),
    ("مريم", "Maryam"),
    ("زينب", "Zainab"),
    ("خديجة", "Khadija"),
    ("نور", "Nour"),
    ("ليلى", "Layla"),
    ("سارة", "Sara"),
    ("هدى", "Huda"),
    ("رانيا", "Rania"),
]
FAMILY = [
    ("الحسيني", "al-Husseini"),
    ("العبيدي", "al-Obaidi"),
    ("الزبيدي", "al-Zubaidi"),
    ("التميمي", "al-Tamimi"),
    ("الجبوري", "al-Jabouri"),
    ("الدليمي", "al-Dulaimi"),
    ("الشمري", "al-Shammari"),
    ("الكبيسي", "al-Kubaisi"),
    ("المصري", "al-Masri"),
    ("القحطاني", "al-Qahtani"),
    ("الحلبي", "al-Halabi"),
    ("الخطيب", "al-Khatib"),
    ("النجار", "al-Najjar"),
    ("الحداد", "al-Haddad"),
    ("الصالح", "al-Saleh"),
    ("العمري", "al-Omari"),
    ("البغدادي", "al-Baghdadi"),
    ("الأنصاري", "al-Ansari"),
    ("السوداني", "al-Sudani"),
    ("الليبي", "al-Libi"),
    ("بن علي", "Ben Ali"),
    ("حداد", "Haddad"),
    ("منصور", "Mansour"),
    ("عثمان", "Othman"),
    ("قاسم", "Qasim"),
]
LATIN_GIVEN = [
    "John",
    "Maria",
    "Pierre",
    "Hans",
    "Elena",
    "Marco",
    "Sofia",
    "Lucas",
    "Anna",
    "David",
    "Ivan",
    "Chloé",
    "José",
    "Mehmet",
    "Ayşe",
]
LATIN_FAMILY = [
    "Smith",
    "García",
    "Müller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Petrov",
    "Yılmaz",
    "Jansen",
    "Novak",
    "O'Brien",
    "Silva",
]
CITIES = [
    ("بغداد", "Baghdad"),
    ("الموصل", "Mosul"),
    ("دمشق", "Damascus"),
    ("حلب", "Aleppo"),
    ("عمّان", "Amman"),
    ("القاهرة", "Cairo"),
    ("الرياض", "Riyadh"),
    ("طرابلس", "Tripoli"),
    ("إسطنبول", "Istanbul"),
    ("بيروت", "Beirut"),
]
STREETS = [
    ("الرشيد", "Rashid"),
    ("الجمهورية", "Jumhuriya"),
    ("السعدون", "Saadoun"),
    ("النصر", "Nasr"),
    ("الملك فيصل", "King Faisal"),
    ("الحمراء", "Hamra"),
]
NATIONALITIES = ["iq", "sy", "jo", "lb", "eg", "sa", "ye", "ly", "tn", "tr", "fr", "de", "gb"]
# Country code, mobile prefixes and subscriber digits: ranges checked to be valid numbers.
PHONES = [
    ("964", ["770", "771", "772", "773", "774", "750", "751", "780", "781", "790"], 7),
    ("963", ["93", "94", "95", "96", "98", "99"], 7),
    ("962", ["79"], 7),
    ("20", ["10", "11", "12", "15"], 8),
    ("966", ["50", "53", "54", "55", "56", "59"], 7),
    ("90", ["50", "53", "54", "55"], 8),
]
ORG_WORDS = [
    ("النور", "Al-Nour"),
    ("الأمل", "Al-Amal"),
    ("الفجر", "Al-Fajr"),
    ("الرافدين", "Rafidain"),
    ("الشام", "Sham"),
    ("الخليج", "Gulf"),
    ("البركة", "Baraka"),
    ("السلام", "Salam"),
]
ORG_KINDS = [
    ("شركة", "Trading Company"),
    ("مؤسسة", "Foundation"),
    ("جمعية", "Charity"),
    ("مكتب صرافة", "Exchange Office"),
    ("شركة نقل", "Transport Company"),
]
ROLES = ["member", "director", "treasurer", "shareholder", "عضو", "مدير", "أمين الصندوق"]
PERSONS_PER_ORG = 8


# --- synthetic input ---------------------------------------------------------------------


@dataclass
class Generated:
    """The generated file and what it should import as."""

    path: Path
    statements: int = 0
    entities: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Synth:
    """Deterministic synthetic entities (FtM entity dicts) from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[str] = []
        self.counter = 0

    def _next_id(self, kind: str) -> str:
        self.counter += 1
        return f"{DATASET}-{kind}-{self.counter:07d}"

    def _date(self, start: int, end: int) -> str:
        first = date(start, 1, 1)
        days = (date(end, 12, 31) - first).days
        return (first + timedelta(days=self.rng.randrange(days))).isoformat()

    def _phone(self) -> str:
        code, prefixes, digits = self.rng.choice(PHONES)
        number = "".join(self.rng.choices("0123456789", k=digits))
        return f"+{code}{self.rng.choice(prefixes)}{number}"

    def _address(self, arabic: bool) -> str:
        number = self.rng.randint(1, 400)
        (street_ar, street_lat), (city_ar, city_lat) = (
            self.rng.choice(STREETS),
            self.rng.choice(CITIES),
        )
        if arabic:
            return f"{number} شارع {street_ar}، {city_ar}"
        return f"{number} {street_lat} Street, {city_lat}"

    def _names(self) -> tuple[list[str], bool]:
        """The person's names (primary first) and whether the primary is Arabic script."""
        roll = self.rng.random()
        if roll < 0.15:
            return [f"{self.rng.choice(LATIN_GIVEN)} {self.rng.choice(LATIN_FAMILY)}"], False
        given, father, family = (
            self.rng.choice(GIVEN),
            self.rng.choice(GIVEN),
            self.rng.choice(FAMILY),
        )
        arabic = f"{given[0]} {father[0]} {family[0]}"
        latin = f"{given[1]} {father[1]} {family[1]}"
        both = self.rng.random() < 0.4
        if roll < 0.6:
            return ([arabic, latin] if both else [arabic]), True
        return ([latin, arabic] if both else [latin]), False

    def person(self) -> dict[str, Any]:
        names, arabic = self._names()
        phones = [self._phone()]
        if self.rng.random() < 0.2:
            second = self._phone()
            if second != phones[0]:
                phones.append(second)
        return {
            "id": self._next_id("p"),
            "schema": "Person",
            "properties": {
                "name": names[:1],
                **({"alias": names[1:]} if len(names) > 1 else {}),
                "birthDate": [self._date(1950, 2005)],
                "nationality": [self.rng.choice(NATIONALITIES)],
                "phone": phones,
                "address": [self._address(arabic)],
                "idNumber": [f"{self.rng.choice('ABCNP')}{self.rng.randrange(10**8):08d}"],
            },
        }

    def organization(self) -> dict[str, Any]:
        (word_ar, word_lat), (kind_ar, kind_lat) = (
            self.rng.choice(ORG_WORDS),
            self.rng.choice(ORG_KINDS),
        )
        arabic = self.rng.random() < 0.5
        serial = self.rng.randrange(1000)
        name = f"{kind_ar} {word_ar} {serial}" if arabic else f"{word_lat} {kind_lat} {serial}"
        entity_id = self._next_id("o")
        self.orgs.append(entity_id)
        return {
            "id": entity_id,
            "schema": "Organization",
            "properties": {
                "name": [name],
                "country": [self.rng.choice(NATIONALITIES)],
                "registrationNumber": [f"REG-{self.counter:07d}"],
                "incorporationDate": [self._date(1990, 2024)],
                "address": [self._address(arabic)],
            },
        }

    def membership(self, person_id: str) -> dict[str, Any]:
        return {
            "id": self._next_id("m"),
            "schema": "Membership",
            "properties": {
                "member": [person_id],
                "organization": [self.rng.choice(self.orgs)],
                "role": [self.rng.choice(ROLES)],
                "startDate": [self._date(2000, 2025)],
            },
        }

    def entities(self) -> Iterator[dict[str, Any]]:
        """Endless: an organisation, then people, each a member of some organisation with
        probability 0.6."""
        while True:
            yield self.organization()
            for _ in range(PERSONS_PER_ORG):
                person = self.person()
                yield person
                if self.rng.random() < 0.6:
                    yield self.membership(person["id"])


def statement_count(entity: dict[str, Any]) -> int:
    """Statements the store keeps for an entity: one per value plus its ``id`` statement
    (values within one entity are distinct by construction)."""
    return 1 + sum(len(values) for values in entity["properties"].values())


def generate(path: Path, target: int, seed: int) -> Generated:
    """Write entities to ``path`` until they total at least ``target`` statements."""
    start = time.perf_counter()
    out = Generated(path)
    with path.open("w", encoding="utf-8") as fh:
        for entity in Synth(seed).entities():
            if out.statements >= target:
                break
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            out.statements += statement_count(entity)
            out.entities += 1
            out.by_schema[entity["schema"]] = out.by_schema.get(entity["schema"], 0) + 1
            out.ids.append(entity["id"])
    out.seconds = time.perf_counter() - start
    return out


def search_queries(seed: int) -> list[str]:
    """100 name queries, half Arabic script, half Latin: full names, single words, prefixes,
    and spelling variants the normaliser should fold (hamza, ta marbuta, case, accents)."""
    rng = random.Random(seed + 1)
    variants = {"أحمد": "احمد", "إبراهيم": "ابراهيم", "فاطمة": "فاطمه", "ليلى": "ليلي"}
    queries: list[str] = []
    for i in range(SEARCHES // 2):
        given, father, family = rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)
        form = i % 5
        if form == 0:
            arabic, latin = f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"
        elif form == 1:
            arabic = f"{given[0]} {father[0]} {family[0]}"
            latin = f"{given[1]} {father[1]} {family[1]}".upper()
        elif form == 2:
            arabic, latin = family[0], rng.choice(LATIN_FAMILY)
        elif form == 3:
            arabic, latin = given[0][:3], given[1][:4].lower()
        else:
            arabic = f"{variants.get(given[0], given[0])} {family[0]}"
            latin = f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"
        queries += [arabic, latin]
    return queries


# --- the import, in a child process --------------------------------------------------------


def memory_mib(key: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), in MiB."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024  # kB
    return None


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB.

    Linux's VmHWM when available: ``ru_maxrss`` carries over the parent's resident size at
    fork time through exec, so for a child of a large parent it reports the parent's size.
    """
    hwm = memory_mib("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(job_file: Path) -> None:
    """Run one import as described by ``job_file`` and write its figures next to it."""
    job = json.loads(job_file.read_text())
    baseline = memory_mib("VmRSS")
    store = open_store(job["url"])
    marks = iter(range(10, 101, 10))
    mark = next(marks)
    start = time.perf_counter()

    def progress(records: int, done: int, total: int) -> None:
        nonlocal mark
        if total and done * 100 >= mark * total:
            elapsed = time.perf_counter() - start
            print(f"    {mark:3d}% read, {records:,} records, {elapsed:.0f} s", flush=True)
            mark = next(marks, 101)

    request = IngestRequest(job["input"], DATASET, agency=DATASET, fmt="ftm")
    summary = ingest(store, request, progress)
    seconds = time.perf_counter() - start
    store.dispose()
    result = {
        "seconds": seconds,
        "statements": summary.statements,
        "entities": summary.entities,
        "rejected": summary.rejected,
        "dropped": summary.dropped,
        "statements_per_second": summary.statements / seconds,
        "entities_per_second": summary.entities / seconds,
        "peak_rss_mib": peak_rss_mib(),
        "rss_before_import_mib": baseline,
    }
    Path(job["result"]).write_text(json.dumps(result))


def run_import(url: str, generated: Generated, workdir: Path, label: str) -> dict[str, Any]:
    """Import the generated file in a fresh Python process; return its figures."""
    job_file, result_file = workdir / f"{label}.job.json", workdir / f"{label}.result.json"
    job = {"url": url, "input": str(generated.path), "result": str(result_file)}
    job_file.write_text(json.dumps(job))
    job_file.chmod(0o600)  # the URL may carry a password
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(job_file)])
    if not result_file.exists():
        raise SystemExit(f"{label}: the import process failed (see its output above)")
    result: dict[str, Any] = json.loads(result_file.read_text())
    if result["statements"] != generated.statements or result["rejected"] or result["dropped"]:
        print(
            f"    warning: expected {generated.statements:,} statements, the import counted "
            f"{result['statements']:,} (rejected {result['rejected']}, "
            f"dropped {result['dropped']})"
        )
    return result


# --- reads ---------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def time_assembly(store: Store, ids: list[str], datasets: list[str] | None) -> dict[str, Any]:
    """Assemble ``ids`` READ_REPEATS times, each in its own unit of work."""
    runs: list[float] = []
    found = 0
    for _ in range(READ_REPEATS):
        with store.uow() as uow:
            start = time.perf_counter()
            found = len(get_entities(uow.conn, ids, datasets))
            runs.append(time.perf_counter() - start)
    return {
        "entities": found,
        "first_seconds": runs[0],
        "best_seconds": min(runs),
        "runs_seconds": runs,
    }


def time_searches(store: Store, queries: list[str]) -> dict[str, Any]:
    """Each query's time in milliseconds, in one unit of work."""
    times: list[float] = []
    hits: list[int] = []
    with store.uow() as uow:
        for query in queries:
            start = time.perf_counter()
            hits.append(len(search_entity_ids(uow.conn, query, None)))
            times.append((time.perf_counter() - start) * 1000)
    return {
        "queries": len(queries),
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "total_hits": sum(hits),
        "queries_without_hits": hits.count(0),
    }


def time_reads(label: str, store: Store, ids: list[str], queries: list[str]) -> dict[str, Any]:
    """Entity assembly without and with a dataset filter, then the name searches."""
    print(f"[{label}] assembling {len(ids):,} entities ({READ_REPEATS} runs each)")
    reads = {
        "assemble": time_assembly(store, ids, None),
        "assemble_filtered": time_assembly(store, ids, [DATASET]),
    }
    for key in ("assemble", "assemble_filtered"):
        print(
            f"[{label}] {key}: first {reads[key]['first_seconds']:.2f} s, "
            f"best {reads[key]['best_seconds']:.2f} s ({reads[key]['entities']:,} found)"
        )
    print(f"[{label}] {len(queries)} name searches")
    reads["search"] = time_searches(store, queries)
    print(
        f"[{label}] search: median {reads['search']['median_ms']:.1f} ms, "
        f"p95 {reads['search']['p95_ms']:.1f} ms"
    )
    return reads


# --- databases and the run -----------------------------------------------------------------


def database_size_mib(store: Store) -> float:
    """The database's size on disk (SQLite: file plus WAL)."""
    if store.dialect == "sqlite":
        db = Path(store.engine.url.database or "")
        files = [db, db.with_name(db.name + "-wal")]
        return sum(f.stat().st_size for f in files if f.exists()) / 2**20
    with store.uow() as uow:
        size = uow.conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    return int(size) / 2**20


def server_version(store: Store) -> str:
    """The database engine's version."""
    if store.dialect == "sqlite":
        return sqlite3.sqlite_version
    with store.uow() as uow:
        return str(uow.conn.execute(text("SHOW server_version")).scalar_one())


def bench_database(
    name: str, url: str, generated: Generated, workdir: Path, seed: int
) -> dict[str, Any]:
    """Every phase against one database, which must be empty."""
    if not Store(make_engine(url)).is_empty():
        raise SystemExit(f"{name}: the database is not empty; give a new, empty database")
    store = open_store(url, create=True)
    result: dict[str, Any] = {"version": server_version(store), "load_before": load_average()}
    if store.dialect == "postgresql":
        with store.uow() as uow:
            result["autovacuum"] = uow.conn.execute(text("SHOW autovacuum")).scalar_one()
    store.dispose()

    print(f"[{name}] import of {generated.statements:,} statements")
    first = result["import"] = run_import(url, generated, workdir, f"{name}-import")
    print(
        f"[{name}] import: {first['seconds']:.1f} s, {first['statements_per_second']:,.0f} "
        f"statements/s, peak {first['peak_rss_mib']:.0f} MiB"
    )
    print(f"[{name}] re-import of the same file")
    again = result["reimport"] = run_import(url, generated, workdir, f"{name}-reimport")
    print(
        f"[{name}] re-import: {again['seconds']:.1f} s, "
        f"{again['statements_per_second']:,.0f} statements/s, "
        f"peak {again['peak_rss_mib']:.0f} MiB"
    )

    store = open_store(url)
    result["size_mib"] = database_size_mib(store)
    ids = random.Random(seed + 2).sample(generated.ids, min(SAMPLE_ENTITIES, len(generated.ids)))
    queries = search_queries(seed)
    result["reads"] = time_reads(name, store, ids, queries)
    # Neither store runs ANALYZE after an import (and PostgreSQL's autovacuum may be off or
    # not have run yet): the same reads again with planner statistics.
    start = time.perf_counter()
    with store.uow() as uow:
        uow.conn.execute(text("ANALYZE"))
    result["analyze_seconds"] = time.perf_counter() - start
    print(f"[{name}] ANALYZE: {result['analyze_seconds']:.1f} s")
    result["reads_analyzed"] = time_reads(f"{name}, analyzed", store, ids, queries)
    store.dispose()
    result["load_after"] = load_average()
    return result


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages: other work on the machine skews the figures."""
    return [round(load, 2) for load in os.getloadavg()]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": {
            pkg: metadata.version(pkg) for pkg in ("rasid", "followthemoney", "sqlalchemy")
        },
        "batch_size": get_settings().batch_size,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark Rasid's import path and reads on SQLite and PostgreSQL.",
        epilog=f"PostgreSQL is benchmarked when --postgres or ${POSTGRES_ENV} gives a URL; "
        "the database must be empty (e.g. dropdb/createdb before each run).",
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=1_000_000,
        metavar="N",
        help="statements in the generated file (default: %(default)s)",
    )
    parser.add_argument("--postgres", metavar="URL", help=f"PostgreSQL URL (or ${POSTGRES_ENV})")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write results as JSON")
    parser.add_argument(
        "--seed", type=int, default=SEED, help="generator seed (default: %(default)s)"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.statements < 1:
        parser.error("--statements must be positive")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker is not None:
        worker(args.worker)
        return
    postgres = None if args.sqlite_only else args.postgres or os.environ.get(POSTGRES_ENV)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": {},
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="rasid-bench-") as tmp:
        workdir = Path(tmp)
        print(f"generating ~{args.statements:,} statements (seed {args.seed})")
        generated = generate(workdir / "bench.ftm.jsonl", args.statements, args.seed)
        results["input"] = {
            "statements": generated.statements,
            "entities": generated.entities,
            "by_schema": generated.by_schema,
            "size_mib": generated.path.stat().st_size / 2**20,
            "seed": args.seed,
            "generate_seconds": generated.seconds,
        }
        print(
            f"generated {generated.entities:,} entities, {generated.statements:,} statements, "
            f"{results['input']['size_mib']:.0f} MiB in {generated.seconds:.1f} s"
        )
        targets = [("sqlite", f"sqlite:///{workdir / 'bench.db'}")]
        if postgres:
            targets.append(("postgresql", postgres))
        elif not args.sqlite_only:
            print(f"PostgreSQL skipped: give --postgres URL or set ${POSTGRES_ENV}")
        for name, url in targets:
            results["databases"][name] = bench_database(name, url, generated, workdir, args.seed)
    if args.output is not None:
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"results written to {args.output}")


if __name__ == "__main__":
    main()
