"""Screening benchmark: Rasid's name matcher and two peers, side by side in one run.

Evaluation (issue 3): the UN Security Council list, leave-one-out. Each listed person's
primary Latin name is indexed (with birth dates, nationalities, gender and document numbers);
the queries are the person's good-quality Latin aliases, low-quality aliases and Arabic-script
original names, kept apart by kind, and the expected answer is that person. Generated names
of people not on the list give the false-positive rate at each peer's alert threshold.

Peers:

* ``rasid``: ``rasid.names.index.NameIndex`` with its documented ``ALERT_THRESHOLD``;
* ``rapidfuzz``: brute force, ``process.extract`` with ``fuzz.token_sort_ratio`` over every
  indexed name (``utils.default_process`` on both sides); it has no threshold of its own;
* ``nomenklatura``: OpenSanctions' logic-v2 scorer (used by yente) applied to every indexed
  entity, with yente's default match threshold of 0.70.

Every peer is also given the threshold at which at most 0.5 % of the non-listed names alert
(``--fp-budget``), and the recall at that threshold is reported.

Speed: queries per second on one core, latency p50/p99, index build time and memory with the
index at the list's size and padded with generated confusable names (``--sizes``); then the
time to screen ``--travellers`` generated travellers against ``--travel-index`` names with
``--workers`` processes, each building its own index. A peer too slow for a size is measured
on a sample within a time budget and the figures are marked as sampled or extrapolated.

Run from the repository root: ``python bench/screening.py --help``.
"""

import argparse
import gc
import heapq
import importlib
import json
import math
import multiprocessing
import os
import platform
import random
import resource
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any, Protocol

import screening_data as data
from screening_data import Entry, Query

from rasid.screen.model import Subject

SEED = 20261124
LIMIT = 5  # matches asked for per query (recall@5)
FP_BUDGET = 0.005
YENTE_THRESHOLD = 0.70  # yente's default SCORE_THRESHOLD for a "match"
SUB_INDEX = 2_000  # names in the sub-index a linear peer's latency is extrapolated from
MIN_SAMPLE = 20  # full-index queries a linear peer must fit in the budget, else extrapolate
FP_EXAMPLES = 25  # alerts on non-listed names kept in the JSON
MIN_ALERT_SAMPLE = 500  # travellers screened before alert counts are reported
PROGRESS_EVERY = 15.0  # seconds between progress lines inside a measurement
ALL_PEERS = ("rasid", "rapidfuzz", "nomenklatura")
LIST_SIZE = "un"
QUICK = {  # defaults of --quick
    "sizes": "un,10000",
    "travellers": 20_000,
    "travel_index": 10_000,
    "non_listed": 500,
    "listed_sample": 100,
    "budget": 10.0,
    "travel_budget": 30.0,
    "sample_seconds": 5.0,
}
START = time.perf_counter()
WARM_UP = ("Mohammed Abdul Rahman al-Masri", "محمد عبد الرحمن المصري", "HASSAN, Ali")


# --- peers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A proposed entity: its id, score in 0..1 and, if the peer has a threshold, alert."""

    entity_id: str
    score: float
    alert: bool | None


class Peer(Protocol):
    """What the benchmark needs of a matcher."""

    name: str
    linear: bool  # scores every indexed name per query
    threshold: float | None  # its own alert threshold
    threshold_source: str

    def build(self, entries: Sequence[Entry]) -> None:
        """Index the entries (replacing any earlier index)."""

    def match(self, subject: Subject, limit: int) -> list[Hit]:
        """The best ``limit`` entities for the subject, best first, scores above 0 only."""


class RasidPeer:
    """Rasid's name index (``rasid.names``)."""

    name = "rasid"
    linear = False
    threshold_source = "rasid.names.score.ALERT_THRESHOLD"

    def __init__(self) -> None:
        index_module = importlib.import_module("rasid.names.index")
        score_module = importlib.import_module("rasid.names.score")
        self._new_index: Callable[[], Any] = index_module.NameIndex
        self.threshold: float | None = float(score_module.ALERT_THRESHOLD)
        self._index: Any = None

    def build(self, entries: Sequence[Entry]) -> None:
        """Add every entry with its facts."""
        index = self._new_index()
        for e in entries:
            index.add(
                e.entity_id,
                [e.name],
                birth_dates=list(e.birth_dates),
                nationalities=list(e.nationalities),
                gender=e.gender,
                documents=list(e.documents),
            )
        index.prepare()  # the query arrays are part of the build
        self._index = index

    def match(self, subject: Subject, limit: int) -> list[Hit]:
        """``NameIndex.match``; alert as the index says."""
        found = self._index.match(subject, limit=limit)
        return [Hit(str(m.entity_id), float(m.score), bool(m.alert)) for m in found]


class RapidfuzzPeer:
    """Brute force: rapidfuzz ``token_sort_ratio`` against every indexed name."""

    name = "rapidfuzz"
    linear = True
    threshold: float | None = None
    threshold_source = "none (calibrated threshold only)"

    def __init__(self) -> None:
        from rapidfuzz import fuzz, process, utils

        self._extract = process.extract
        self._scorer = fuzz.token_sort_ratio
        self._process = utils.default_process
        self._ids: list[str] = []
        self._choices: list[str] = []

    def build(self, entries: Sequence[Entry]) -> None:
        """Keep the processed names and their entity ids."""
        self._ids = [e.entity_id for e in entries]
        self._choices = [self._process(e.name) for e in entries]

    def match(self, subject: Subject, limit: int) -> list[Hit]:
        """``process.extract`` over all names, scores scaled to 0..1."""
        query = self._process(subject.name)
        found = self._extract(
            query, self._choices, scorer=self._scorer, processor=None, limit=limit
        )
        return [Hit(self._ids[i], score / 100.0, None) for _, score, i in found if score > 0]


class NomenklaturaPeer:
    """nomenklatura's logic-v2 scorer, applied to every indexed entity (no search engine)."""

    name = "nomenklatura"
    linear = True
    threshold: float | None = YENTE_THRESHOLD
    threshold_source = "yente default SCORE_THRESHOLD"

    def __init__(self) -> None:
        from followthemoney import model
        from nomenklatura.matching import LogicV2

        self._model = model
        self._algorithm = LogicV2
        self._config = LogicV2.default_config()
        self._entities: list[Any] = []

    def _person(self, entity_id: str, name: str, facts: Mapping[str, Sequence[str]]) -> Any:
        """An FtM Person with a unique id (logic-v2 caches name analysis by entity id)."""
        proxy = self._model.make_entity("Person")
        proxy.id = entity_id
        proxy.add("name", name)
        for prop, values in facts.items():
            proxy.add(prop, list(values))
        return proxy

    def build(self, entries: Sequence[Entry]) -> None:
        """One Person entity per entry."""
        self._entities = [
            self._person(
                e.entity_id,
                e.name,
                {
                    "birthDate": e.birth_dates,
                    "nationality": e.nationalities,
                    "gender": [e.gender] if e.gender else [],
                    "idNumber": e.documents,
                },
            )
            for e in entries
        ]

    def match(self, subject: Subject, limit: int) -> list[Hit]:
        """Score the subject against every entity; keep the best ``limit``."""
        facts = {
            "birthDate": [subject.birth_date] if subject.birth_date else [],
            "nationality": [subject.nationality] if subject.nationality else [],
            "gender": [subject.gender] if subject.gender else [],
            "idNumber": [subject.document_number] if subject.document_number else [],
        }
        query = self._person(subject.id, subject.name, facts)
        compare, config = self._algorithm.compare, self._config
        scored = ((compare(query, e, config).score, i) for i, e in enumerate(self._entities))
        best = heapq.nlargest(limit, scored, key=lambda pair: pair[0])
        return [
            Hit(str(self._entities[i].id), score, score >= YENTE_THRESHOLD)
            for score, i in best
            if score > 0
        ]


PEERS: dict[str, Callable[[], Peer]] = {
    "rasid": RasidPeer,
    "rapidfuzz": RapidfuzzPeer,
    "nomenklatura": NomenklaturaPeer,
}


def peer_versions(name: str) -> dict[str, str]:
    """Installed versions of the packages a peer uses."""
    packages = {
        "rasid": ["rasid"],
        "rapidfuzz": ["rapidfuzz"],
        "nomenklatura": ["nomenklatura", "followthemoney", "rigour"],
    }[name]
    found = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def unavailable(name: str) -> str | None:
    """Why a peer cannot run here, or None when it can."""
    try:
        PEERS[name]()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


# --- measurements inside one process --------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How one query came out."""

    kind: str
    origin: str
    rank: int | None  # 1-based rank of the expected entity among the hits
    expected_score: float | None
    expected_alert: bool | None
    top_score: float  # 0 when nothing was proposed
    top_alert: bool | None
    seconds: float
    name: str = ""  # the query's name
    top_id: str | None = None  # the best match's entity id


@dataclass
class Build:
    """Index build: names, wall time, resident memory added and peak above the start."""

    names: int
    seconds: float
    rss_mib: float
    peak_mib: float


@dataclass
class QueryRun:
    """Queries run against one index: outcomes, how many were offered, wall time."""

    outcomes: list[Outcome]
    offered: int
    seconds: float


@dataclass
class Probe:
    """Latencies of a linear peer on a sub-index and the full-index latency they predict."""

    sub_names: int
    factor: float  # full names / sub-index names
    latencies: list[float]

    @property
    def predicted(self) -> float:
        """Predicted seconds per query on the full index."""
        return statistics.fmean(self.latencies) * self.factor


@dataclass
class SizeRun:
    """One peer at one index size, as measured in one process."""

    build: Build
    run: QueryRun
    probe: Probe | None = None


def log(message: str) -> None:
    """A progress line with the time since the benchmark started."""
    elapsed = time.perf_counter() - START
    print(f"[{int(elapsed // 60):3d}:{int(elapsed % 60):02d}] {message}", flush=True)


def rss_mib() -> float:
    """Resident memory of this process in MiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mib() -> float:
    """Peak resident memory of this process in MiB (since the last reset)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Reset the peak resident memory counter (Linux), so the peak is the build's own."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def warm_up(name: str, entries: Sequence[Entry]) -> None:
    """Build a tiny index and query it in both scripts, so that data a peer loads on first
    use (name dictionaries, transliteration tables) is not counted in any measurement."""
    peer = PEERS[name]()
    peer.build(entries[:10])
    for number, text in enumerate(WARM_UP):
        peer.match(Subject(id=f"warm-up-{number}", name=text), LIMIT)


def measure_build(peer: Peer, entries: Sequence[Entry]) -> Build:
    """Build the peer's index and measure time and memory."""
    gc.collect()
    reset_peak()
    before = rss_mib()
    started = time.perf_counter()
    peer.build(entries)
    seconds = time.perf_counter() - started
    gc.collect()
    return Build(len(entries), seconds, rss_mib() - before, peak_mib() - before)


def outcome(query: Query, hits: list[Hit], seconds: float) -> Outcome:
    """Where the expected entity came, and the best score."""
    rank = next((i + 1 for i, h in enumerate(hits) if h.entity_id == query.expected), None)
    expected = hits[rank - 1] if rank is not None else None
    top = hits[0] if hits else None
    return Outcome(
        query.kind,
        query.origin,
        rank,
        expected.score if expected else None,
        expected.alert if expected else None,
        top.score if top else 0.0,
        top.alert if top else None,
        seconds,
        query.subject.name,
        top.entity_id if top else None,
    )


def run_queries(peer: Peer, queries: Sequence[Query], budget: float | None, label: str) -> QueryRun:
    """Run queries in order until all are done or ``budget`` seconds have passed."""
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    report = started + PROGRESS_EVERY
    clock = time.perf_counter
    for query in queries:
        before = clock()
        hits = peer.match(query.subject, LIMIT)
        after = clock()
        outcomes.append(outcome(query, hits, after - before))
        if budget is not None and after - started >= budget:
            break
        if after >= report:
            log(f"  {label}: {len(outcomes):,}/{len(queries):,} queries")
            report = after + PROGRESS_EVERY
    return QueryRun(outcomes, len(queries), time.perf_counter() - started)


def probe_linear(
    name: str, entries: Sequence[Entry], queries: Sequence[Query], budget: float
) -> Probe:
    """Latencies of a brute-force peer on the first ``SUB_INDEX`` entries, for a few seconds."""
    peer = PEERS[name]()
    sub = entries[:SUB_INDEX]
    peer.build(sub)
    run = run_queries(peer, queries, max(budget / 4, 1.0), f"{name} probe")
    return Probe(len(sub), len(entries) / len(sub), [o.seconds for o in run.outcomes])


def measure_size(
    name: str, entries: Sequence[Entry], queries: Sequence[Query], budget: float | None, label: str
) -> SizeRun:
    """Build one peer's index of ``entries`` and run ``queries`` against it.

    A brute-force peer is first timed on a sub-index; when fewer than ``MIN_SAMPLE``
    full-index queries would fit in the budget, only the build is measured on the full
    index and the latency is extrapolated from the sub-index."""
    warm_up(name, entries)
    probe = None
    if budget is not None and PEERS[name]().linear and len(entries) > SUB_INDEX:
        probe = probe_linear(name, entries, queries, budget)
        log(f"  {label}: about {probe.predicted:.3g} s per query on the full index")
    peer = PEERS[name]()
    build = measure_build(peer, entries)
    log(f"  {label}: index built in {build.seconds:.1f} s, +{build.rss_mib:.0f} MiB")
    if probe is not None and budget is not None and probe.predicted * MIN_SAMPLE > budget:
        return SizeRun(build, QueryRun([], len(queries), 0.0), probe)
    return SizeRun(build, run_queries(peer, queries, budget, label), probe)


# --- child processes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A child process that raised or died."""

    message: str


def _child(conn: Connection, cpu: int, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run ``func(*args)`` pinned to one CPU and send back the result or the traceback."""
    try:
        os.sched_setaffinity(0, {cpu})
        conn.send(("ok", func(*args)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def in_children(calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run each call in its own forked process, one CPU each, and return the results in order
    (a ``Failure`` for a call that raised or whose process died)."""
    context = multiprocessing.get_context("fork")
    cpus = sorted(os.sched_getaffinity(0))
    gc.collect()
    gc.freeze()  # forked children then share the parent's objects without copying them
    started = []
    for number, (func, args) in enumerate(calls):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(send, cpus[number % len(cpus)], func, args))
        process.start()
        send.close()
        started.append((process, receive))
    results: list[Any] = []
    for process, receive in started:
        try:
            status, value = receive.recv()
        except EOFError:
            status, value = "error", "the process died"
        process.join()
        if status != "ok":
            value = Failure(f"{value} (exit code {process.exitcode})")
        results.append(value)
    gc.unfreeze()
    return results


# --- metrics --------------------------------------------------------------------------------


def share(flags: Sequence[bool]) -> float | None:
    """The share of true values, or None when there are none."""
    return sum(flags) / len(flags) if flags else None


def calibrate(scores: Sequence[float], budget: float) -> float:
    """The lowest threshold at which at most ``budget`` of the scores are at or above it."""
    ordered = sorted(scores, reverse=True)
    allowed = math.floor(budget * len(ordered))
    if allowed >= len(ordered):
        return 0.0
    return math.nextafter(ordered[allowed], math.inf)


def recall(outcomes: Sequence[Outcome], own: bool, calibrated: float | None) -> dict[str, Any]:
    """Recall@1, recall@5 and, where a threshold applies, the share found with an alert."""
    found: dict[str, Any] = {"n": len(outcomes)}
    found["recall_at_1"] = share([o.rank == 1 for o in outcomes])
    found["recall_at_5"] = share([o.rank is not None for o in outcomes])
    if own:
        found["alert_recall_own"] = share([bool(o.expected_alert) for o in outcomes])
    if calibrated is not None:
        found["alert_recall_calibrated"] = share(
            [o.expected_score is not None and o.expected_score >= calibrated for o in outcomes]
        )
    return found


def recall_by_kind(
    outcomes: Sequence[Outcome], own: bool, calibrated: float | None
) -> dict[str, dict[str, Any]]:
    """``recall`` for each listed query kind."""
    return {
        kind: recall([o for o in outcomes if o.kind == kind], own, calibrated)
        for kind in data.LISTED_KINDS
    }


def false_positives(
    outcomes: Sequence[Outcome], own: bool, calibrated: float, names: Mapping[str, str]
) -> dict[str, Any]:
    """Share of non-listed names whose best match alerts, overall and by origin, and the
    highest-scoring of those alerts (query name, listed name, score)."""
    non_listed = [o for o in outcomes if o.kind == data.NON_LISTED]
    alerted = [o for o in non_listed if o.top_alert or o.top_score >= calibrated]
    examples = [
        {
            "query": o.name,
            "origin": o.origin,
            "match": names.get(o.top_id or ""),
            "score": o.top_score,
        }
        for o in sorted(alerted, key=lambda o: -o.top_score)[:FP_EXAMPLES]
    ]

    def rates(group: Sequence[Outcome]) -> dict[str, Any]:
        found: dict[str, Any] = {"n": len(group)}
        if own:
            found["own"] = share([bool(o.top_alert) for o in group])
        found["calibrated"] = share([o.top_score >= calibrated for o in group])
        return found

    origins = sorted({o.origin for o in non_listed})
    return {
        **rates(non_listed),
        "by_origin": {x: rates([o for o in non_listed if o.origin == x]) for x in origins},
        "examples": examples,
    }


def latency(run: QueryRun, probe: Probe | None) -> dict[str, Any]:
    """Queries per second and p50/p99 in ms, from the full index or extrapolated."""
    seconds = [o.seconds for o in run.outcomes]
    factor = 1.0
    basis = "measured"
    if not seconds and probe is not None:
        seconds, factor = probe.latencies, probe.factor
        basis = f"extrapolated: {len(seconds)} queries on {probe.sub_names:,} names x {factor:,.0f}"
    if not seconds:
        return {"basis": "not measured"}
    ordered = sorted(s * factor for s in seconds)
    return {
        "basis": basis,
        "queries": len(seconds),
        "qps": len(ordered) / sum(ordered),
        "p50_ms": 1000 * percentile(ordered, 0.50),
        "p99_ms": 1000 * percentile(ordered, 0.99),
    }


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


# --- phases ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the run measures (from the command line)."""

    peers: list[str]
    sizes: list[int]
    travellers: int
    travel_index: int
    workers: int
    non_listed: int
    listed_sample: int | None
    budget: float
    travel_budget: float
    sample_seconds: float
    jobs: int
    fp_budget: float
    seed: int
    output: Path | None


@dataclass
class Corpus:
    """The evaluation data, made once before any peer runs."""

    evaluation: data.Evaluation
    queries: list[Query]
    listed_entries: list[Entry]
    padding: list[Entry]
    stats: dict[str, Any] = field(default_factory=dict)

    def index(self, size: int, seed: int) -> list[Entry]:
        """The listed entries padded to ``size`` names, in a seeded order (so that ties
        between scores do not favour listed entries)."""
        entries = self.listed_entries + self.padding[: max(0, size - len(self.listed_entries))]
        random.Random(f"{seed}-order-{size}").shuffle(entries)
        return entries


def make_corpus(plan: Plan) -> Corpus:
    """Read the list, generate non-listed names and padding, and order the queries."""
    evaluation = data.load_evaluation()
    log(f"UN list: {len(evaluation.entries)} persons, {len(evaluation.queries)} listed queries")
    listed = evaluation.queries
    if plan.listed_sample is not None:
        listed = sample_by_kind(listed, plan.listed_sample, plan.seed)
    known = [e.name for e in evaluation.entries] + [q.subject.name for q in evaluation.queries]
    others, excluded = data.non_listed(plan.non_listed, plan.seed, known)
    queries = listed + others
    random.Random(f"{plan.seed}-queries").shuffle(queries)
    biggest = max([plan.travel_index if plan.travellers else 0, *plan.sizes])
    padding = data.padding(
        max(0, biggest - len(evaluation.entries)), plan.seed, data.listed_parts(evaluation)
    )
    stats = dict(evaluation.stats)
    stats["non_listed_excluded_same_parts_as_listed"] = excluded
    stats["padding_sharing_a_part_with_a_listed_name"] = shared_with_listed(padding, evaluation)
    stats["padding_names"] = len(padding)
    log(f"queries: {len(queries):,} ({len(others):,} non-listed); padding: {len(padding):,} names")
    return Corpus(evaluation, queries, evaluation.entries, padding, stats)


def sample_by_kind(queries: Sequence[Query], count: int, seed: int) -> list[Query]:
    """At most ``count`` queries of each kind (for --quick)."""
    rng = random.Random(f"{seed}-sample")
    picked: list[Query] = []
    for kind in data.LISTED_KINDS:
        of_kind = [q for q in queries if q.kind == kind]
        picked.extend(rng.sample(of_kind, min(count, len(of_kind))))
    return picked


def shared_with_listed(padding: Sequence[Entry], evaluation: data.Evaluation) -> int:
    """How many padded names share a name part with a listed primary name."""
    listed: set[str] = set()
    for entry in evaluation.entries:
        listed |= data.name_parts(entry.name)
    return sum(1 for e in padding if data.name_parts(e.name) & listed)


def list_phase(name: str, corpus: Corpus, plan: Plan) -> tuple[SizeRun, list[Failure]]:
    """All queries against the list alone, split over ``plan.jobs`` processes."""
    entries = corpus.index(len(corpus.listed_entries), plan.seed)
    label = f"{name} @ list"
    calls = [
        (measure_size, (name, entries, corpus.queries[job :: plan.jobs], None, f"{label}/{job}"))
        for job in range(plan.jobs)
    ]
    runs = in_children(calls)
    failures = [r for r in runs if isinstance(r, Failure)]
    good: list[SizeRun] = [r for r in runs if isinstance(r, SizeRun)]
    if not good:
        return SizeRun(Build(len(entries), 0, 0, 0), QueryRun([], 0, 0)), failures
    merged = QueryRun(
        [o for r in good for o in r.run.outcomes],
        sum(r.run.offered for r in good),
        max(r.run.seconds for r in good),
    )
    return SizeRun(good[0].build, merged), failures


def size_report(
    run: SizeRun, own: bool, calibrated: float | None, label: str, fp: dict[str, Any] | None
) -> dict[str, Any]:
    """The JSON record of one peer at one index size."""
    measured = len(run.run.outcomes)
    report: dict[str, Any] = {
        "size": label,
        "build": asdict(run.build),
        "queries": {
            "offered": run.run.offered,
            "run": measured,
            "complete": measured == run.run.offered,
            "seconds": run.run.seconds,
        },
        "latency": latency(run.run, run.probe),
        "recall": recall_by_kind(run.run.outcomes, own, calibrated) if measured else None,
    }
    if fp is not None:
        report["false_positives"] = fp
    return report


def peer_phase(name: str, corpus: Corpus, plan: Plan) -> dict[str, Any]:
    """Measure one peer at the list's size and at each padded size."""
    peer = PEERS[name]()
    own = peer.threshold is not None
    result: dict[str, Any] = {
        "peer": name,
        "versions": peer_versions(name),
        "threshold_own": peer.threshold,
        "threshold_own_source": peer.threshold_source,
        "sizes": [],
    }
    log(f"{name}: list of {len(corpus.listed_entries)} names, {len(corpus.queries):,} queries")
    warm_up(name, corpus.listed_entries)  # forked processes inherit what it loaded
    list_run, failures = list_phase(name, corpus, plan)
    if failures:
        result["errors"] = [f.message for f in failures]
        log(f"{name}: FAILED at the list's size:\n{failures[0].message}")
        return result
    scores = [o.top_score for o in list_run.run.outcomes if o.kind == data.NON_LISTED]
    calibrated = calibrate(scores, plan.fp_budget)
    result["threshold_calibrated"] = calibrated
    names = {e.entity_id: e.name for e in corpus.listed_entries}
    fp = false_positives(list_run.run.outcomes, own, calibrated, names)
    result["sizes"].append(size_report(list_run, own, calibrated, LIST_SIZE, fp))
    log(f"{name}: list done; threshold at {plan.fp_budget:.1%} FP: {calibrated:.4f}")
    for size in plan.sizes:
        result["sizes"].append(padded_size(name, corpus, plan, size, own, calibrated))
    return result


def padded_size(
    name: str, corpus: Corpus, plan: Plan, size: int, own: bool, calibrated: float
) -> dict[str, Any]:
    """One peer at one padded index size, in its own process."""
    label = f"{name} @ {size:,}"
    log(f"{label}: building and querying (budget {plan.budget:.0f} s)")
    entries = corpus.index(size, plan.seed)
    (run,) = in_children([(measure_size, (name, entries, corpus.queries, plan.budget, label))])
    if isinstance(run, Failure):
        log(f"{label}: FAILED\n{run.message}")
        return {"size": size, "error": run.message}
    report = size_report(run, own, calibrated, f"{size:,}", None)
    speed = report["latency"]
    queries = len(run.run.outcomes)
    log(f"{label}: {queries:,} queries, {rate(speed.get('qps'))} q/s ({speed['basis']})")
    return report


# --- travellers -----------------------------------------------------------------------------


def screen_travellers(
    name: str,
    entries: Sequence[Entry],
    plan: Plan,
    worker: int,
    barrier: Barrier,
    calibrated: float,
) -> dict[str, Any]:
    """One worker: make its share of travellers, wait for the others, build the index and
    screen. A worker that would exceed the travel budget stops after ``sample_seconds`` (or
    at the budget) and reports what it screened."""
    subjects = data.travellers(plan.travellers, plan.seed, worker, plan.workers)
    warm_up(name, entries)
    barrier.wait()
    peer = PEERS[name]()
    build = measure_build(peer, entries)
    done = alerts_own = alerts_calibrated = 0
    started = clock = time.perf_counter()
    report = started + PROGRESS_EVERY
    for subject in subjects:
        hits = peer.match(subject, 1)
        done += 1
        alerts_own += bool(hits and hits[0].alert)
        alerts_calibrated += bool(hits and hits[0].score >= calibrated)
        clock = time.perf_counter()
        elapsed = clock - started
        predicted = build.seconds + elapsed / done * len(subjects)
        if elapsed >= plan.travel_budget or (
            elapsed >= plan.sample_seconds and predicted > plan.travel_budget
        ):
            break
        if clock >= report:
            log(f"  {name} travellers/{worker}: {done:,}/{len(subjects):,}")
            report = clock + PROGRESS_EVERY
    return {
        "worker": worker,
        "build_seconds": build.seconds,
        "share": len(subjects),
        "screened": done,
        "screen_seconds": clock - started,
        "alerts_own": alerts_own if peer.threshold is not None else None,
        "alerts_calibrated": alerts_calibrated,
    }


def traveller_phase(name: str, corpus: Corpus, plan: Plan, calibrated: float) -> dict[str, Any]:
    """Screen ``plan.travellers`` travellers with ``plan.workers`` processes."""
    log(f"{name}: {plan.travellers:,} travellers against {plan.travel_index:,} names")
    entries = corpus.index(plan.travel_index, plan.seed)
    barrier = multiprocessing.get_context("fork").Barrier(plan.workers)
    calls = [
        (screen_travellers, (name, entries, plan, worker, barrier, calibrated))
        for worker in range(plan.workers)
    ]
    workers = in_children(calls)
    failures = [w for w in workers if isinstance(w, Failure)]
    if failures:
        log(f"{name} travellers: FAILED\n{failures[0].message}")
        return {"error": failures[0].message}
    return traveller_summary(workers, plan)


def traveller_summary(workers: list[dict[str, Any]], plan: Plan) -> dict[str, Any]:
    """Wall time on the workers (measured, or extrapolated from a sample) and alert counts."""
    complete = all(w["screened"] == w["share"] for w in workers)
    walls = [
        w["build_seconds"] + w["screen_seconds"] * w["share"] / max(1, w["screened"])
        for w in workers
    ]
    screened = sum(w["screened"] for w in workers)
    return {
        "travellers": plan.travellers,
        "index_names": plan.travel_index,
        "workers": plan.workers,
        "screened": screened,
        "basis": "measured" if complete else f"extrapolated from {screened:,} travellers",
        "wall_seconds": max(walls),
        "alerts_own_per_million": per_million(workers, "alerts_own", screened),
        "alerts_calibrated_per_million": per_million(workers, "alerts_calibrated", screened),
        "per_worker": workers,
    }


def per_million(workers: list[dict[str, Any]], key: str, screened: int) -> float | None:
    """Alerts per million travellers, or None without a threshold or a large enough sample."""
    counts: list[int | None] = [w[key] for w in workers]
    if screened < MIN_ALERT_SAMPLE or None in counts:
        return None
    return sum(c or 0 for c in counts) * 1e6 / screened


# --- report ---------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a table cell ("-" when missing)."""
    return "-" if value is None else f"{value:.{digits}f}"


def rate(value: float | None) -> str:
    """A rate for a table cell: whole numbers from 100, three significant digits below."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def print_recall(results: list[dict[str, Any]]) -> None:
    """Recall per peer and query kind, at the list's size."""
    print("\n## Recall at the list's size (recall@1 / recall@5, n)\n")
    print("| peer | " + " | ".join(data.LISTED_KINDS) + " |")
    print("|---|" + "---:|" * len(data.LISTED_KINDS))
    for result in results:
        sizes = result.get("sizes") or []
        if not sizes or not sizes[0].get("recall"):
            continue
        cells = [
            f"{fmt(r['recall_at_1'])} / {fmt(r['recall_at_5'])} ({r['n']})"
            for r in (sizes[0]["recall"][k] for k in data.LISTED_KINDS)
        ]
        print(f"| {result['peer']} | " + " | ".join(cells) + " |")


def print_alerts(results: list[dict[str, Any]], fp_budget: float) -> None:
    """False positives and recall with an alert, at the own and the calibrated threshold."""
    print(f"\n## Alerts: own threshold, and the threshold for {fp_budget:.1%} false positives\n")
    print("| peer | threshold | FP rate | " + " | ".join(data.LISTED_KINDS) + " |")
    print("|---|---:|---:|" + "---:|" * len(data.LISTED_KINDS))
    for result in results:
        sizes = result.get("sizes") or []
        if not sizes or "false_positives" not in sizes[0]:
            continue
        first, fp = sizes[0], sizes[0]["false_positives"]
        rows = [("calibrated", result["threshold_calibrated"], "alert_recall_calibrated")]
        if result["threshold_own"] is not None:
            rows.insert(0, ("own", result["threshold_own"], "alert_recall_own"))
        for which, threshold, key in rows:
            cells = [fmt(first["recall"][k].get(key)) for k in data.LISTED_KINDS]
            print(
                f"| {result['peer']} ({which}) | {threshold:.4f} | {fmt(fp[which], 4)} | "
                + " | ".join(cells)
                + " |"
            )


def print_speed(results: list[dict[str, Any]]) -> None:
    """Build, memory, throughput and latency per peer and index size."""
    print("\n## Speed per index size (one core)\n")
    print(
        "| peer | names | build s | memory MiB | queries run | q/s | p50 ms | p99 ms "
        "| r@1 good Latin | r@1 Arabic | basis |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for result in results:
        for size in result.get("sizes") or []:
            if "error" in size:
                print(f"| {result['peer']} | {size['size']} | error | | | | | | | | |")
                continue
            b, q, lat, r = size["build"], size["queries"], size["latency"], size["recall"]
            good = r[data.GOOD_LATIN]["recall_at_1"] if r else None
            arabic = r[data.ARABIC]["recall_at_1"] if r else None
            print(
                f"| {result['peer']} | {b['names']:,} | {b['seconds']:.1f} | {b['rss_mib']:.1f} | "
                f"{q['run']:,}/{q['offered']:,} | {rate(lat.get('qps'))} | "
                f"{fmt(lat.get('p50_ms'), 2)} | {fmt(lat.get('p99_ms'), 2)} | {fmt(good)} | "
                f"{fmt(arabic)} | {lat['basis']} |"
            )


def print_travellers(results: list[dict[str, Any]]) -> None:
    """Batch screening wall time per peer."""
    print("\n## Batch screening\n")
    print(
        "| peer | travellers | index names | workers | wall s "
        "| alerts/1M (own, calibrated) | basis |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for result in results:
        t = result.get("travellers")
        if not t or "error" in t:
            continue
        print(
            f"| {result['peer']} | {t['travellers']:,} | {t['index_names']:,} | {t['workers']} | "
            f"{t['wall_seconds']:,.0f} | {rate(t['alerts_own_per_million'])}, "
            f"{rate(t['alerts_calibrated_per_million'])} | {t['basis']} |"
        )


def print_report(results: list[dict[str, Any]], stats: dict[str, Any], plan: Plan) -> None:
    """All tables, then the facts about the data."""
    for result in results:
        if "unavailable" in result:
            print(f"\n{result['peer']}: NOT RUN: {result['unavailable']}")
        elif "errors" in result:
            print(f"\n{result['peer']}: FAILED: {result['errors'][0].splitlines()[-1]}")
    print_recall(results)
    print_alerts(results, plan.fp_budget)
    print_speed(results)
    print_travellers(results)
    print("\n## Data\n")
    for key, value in sorted(stats.items()):
        print(f"- {key}: {value:,}")


# --- command line ---------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """Padded index sizes; ``un`` (the list alone, always measured) is accepted and dropped."""
    sizes = []
    for item in text.split(","):
        item = item.strip().replace("_", "")
        if item and item.lower() != LIST_SIZE:
            sizes.append(int(item))
    return sizes


def parse_args(argv: Sequence[str] | None = None) -> Plan:
    """The command line as a plan."""
    parser = argparse.ArgumentParser(
        description="Screening benchmark: Rasid vs rapidfuzz brute force vs nomenklatura "
        "logic-v2 on the UN list (see bench/README.md).",
    )
    add = parser.add_argument
    add("--peers", default=",".join(ALL_PEERS), help="comma-separated: " + ", ".join(ALL_PEERS))
    add(
        "--sizes",
        default="un,100000,1000000",
        help="index sizes: 'un' is the list alone (always run); numbers pad it with "
        "generated confusable names (default: un,100000,1000000)",
    )
    add(
        "--travellers",
        type=int,
        default=1_000_000,
        help="generated travellers to batch-screen (0: skip; default 1,000,000)",
    )
    add(
        "--travel-index",
        type=int,
        default=100_000,
        help="names indexed for the batch run (default 100,000)",
    )
    add("--workers", type=int, default=2, help="processes for the batch run (default 2)")
    add(
        "--non-listed",
        type=int,
        default=2_400,
        help="generated names of people not on the list (default 2,400)",
    )
    add(
        "--budget",
        type=float,
        default=60.0,
        help="seconds of queries per peer and padded size (default 60)",
    )
    add(
        "--travel-budget",
        type=float,
        default=420.0,
        help="seconds per batch worker before its time is extrapolated (default 420)",
    )
    add(
        "--sample-seconds",
        type=float,
        default=20.0,
        help="seconds a batch worker that would exceed the travel budget runs (default 20)",
    )
    add(
        "--jobs",
        type=int,
        default=2,
        help="processes sharing the queries at the list's size (default 2)",
    )
    add(
        "--fp-budget",
        type=float,
        default=FP_BUDGET,
        help="false-positive rate the calibrated threshold allows (default 0.005)",
    )
    add("--seed", type=int, default=SEED, help=f"seed of all generated data (default {SEED})")
    add(
        "--quick",
        action="store_true",
        help="smoke run: other defaults (100 queries per kind, 500 non-listed, sizes "
        "un,10000, 20,000 travellers against 10,000 names, short budgets); options given "
        "explicitly still apply",
    )
    add(
        "--listed-sample",
        type=int,
        help="at most this many queries of each listed kind (default: all)",
    )
    add("--output", type=Path, help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    if args.quick:
        parser.set_defaults(**QUICK)
        args = parser.parse_args(argv)
    return plan_from(args)


def plan_from(args: argparse.Namespace) -> Plan:
    """The plan, once the peers named are checked."""
    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = sorted(set(peers) - set(ALL_PEERS))
    if unknown:
        raise SystemExit(f"unknown peers: {', '.join(unknown)}")
    plan = Plan(
        peers,
        parse_sizes(args.sizes),
        args.travellers,
        args.travel_index,
        args.workers,
        args.non_listed,
        args.listed_sample,
        args.budget,
        args.travel_budget,
        args.sample_seconds,
        args.jobs,
        args.fp_budget,
        args.seed,
        args.output,
    )
    return plan


def machine() -> dict[str, Any]:
    """Where the benchmark ran."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": len(os.sched_getaffinity(0)),
        "processor": platform.processor() or platform.machine(),
        "load_average": os.getloadavg(),
    }


def run(plan: Plan) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every phase for every peer; a peer that cannot run is reported, not skipped."""
    corpus = make_corpus(plan)
    results: list[dict[str, Any]] = []
    for name in plan.peers:
        reason = unavailable(name)
        if reason is not None:
            log(f"{name}: NOT RUN: {reason}")
            results.append({"peer": name, "unavailable": reason, "versions": peer_versions(name)})
            continue
        result = peer_phase(name, corpus, plan)
        if plan.travellers and "threshold_calibrated" in result:
            result["travellers"] = traveller_phase(
                name, corpus, plan, result["threshold_calibrated"]
            )
        results.append(result)
    return results, corpus.stats


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the tables and write the JSON."""
    plan = parse_args(argv)
    log(f"screening benchmark: peers {', '.join(plan.peers)}; sizes list + {plan.sizes}")
    results, stats = run(plan)
    print_report(results, stats, plan)
    document = {
        "benchmark": "screening",
        "plan": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(plan).items()},
        "machine": machine(),
        "seconds": time.perf_counter() - START,
        "data": stats,
        "results": results,
    }
    if plan.output is not None:
        plan.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        log(f"results written to {plan.output}")
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
