"""The resolution engine: candidate pairs by blocking, then a score with its reasons.

Blocking puts records that share something specific in the same block, and only records of
one block are compared:

* two name parts together (their coarse keys, the names engine's transliteration bridge:
  محمد عبد الله and Mohamed Abdallah share ``MHMD`` + ``BDL``), and three for names of three
  parts or more;
* one name part and the first letter of another (a typo in the other still meets);
* the name's own (fine) keys, whole, and its first and last part: records written alike
  meet even when the coarse blocks of their common names are too large to compare;
* two parts of a name (a name's one part), or a word of the address, and the full date
  of birth;
* for a name of one key (its other parts initials or alike), its last part and the full
  date of birth, paired only with such a name (its weights are not learned from these);
* one name part and a word of the address;
* a strong identifier (document number, phone, e-mail, account, registration number);
* one name part alone, when few records carry it (a rare name meets its typos elsewhere).

Common keys make big blocks (``MHMD`` is a fifth of Arab men's names): a block of names
alone larger than ``MAX_NAME_BLOCK``, or of a date or identifier larger than ``MAX_BLOCK``,
is skipped and counted in the statistics; the finer blocks of the same records (three
parts, two parts and the date of birth) still bring their pairs. The blocks are found, and the
pairs scored, by forked worker processes for large inputs (``rasid.resolve.blocking``).

Two ways to weigh the evidence (``weights``):

* ``learned`` (the default): how much each kind of evidence is worth is learned from the
  run's own candidate pairs (``rasid.resolve.weights``), and a pair's score is the
  probability that it is a match (``rasid.resolve.learned``). Pairs that cannot reach
  ``PROPOSE_THRESHOLD`` whatever their names are dropped before the names are compared
  (``rasid.resolve.bounds``). When the run is too small to learn from, or the estimate
  fails, the run uses fixed weights and its statistics say why.
* ``fixed``: the same weights in every run (``rasid.resolve.fixed``), tuned for registers
  where another full date of birth means another person; pairs whose full dates of birth
  differ by more than a typing error are dropped before scoring unless they share an
  identifier (they cannot reach the threshold: see ``OTHER_BIRTH_DATE``).

Either way the score is in 0..1, every feature adds a ``Reason``, and a score only
proposes: people judge.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rasid.names.parts import Part
from rasid.names.score import idf_rarity
from rasid.resolve import bounds
from rasid.resolve.blocking import (
    RECORD_CHUNK,
    Pairs,
    candidates,
    cpus,
    crowded,
    index_records,
    other_dates,
    pool_map,
)
from rasid.resolve.blocking import Stats as Stats
from rasid.resolve.evidence import COMPARISONS
from rasid.resolve.fixed import fixed_score, forced
from rasid.resolve.learned import learned_reasons, learned_score, pair_levels
from rasid.resolve.model import PROPOSE_THRESHOLD as PROPOSE_THRESHOLD
from rasid.resolve.model import SAME_THRESHOLD as SAME_THRESHOLD
from rasid.resolve.model import Pair, Record
from rasid.resolve.names import NameScorer
from rasid.resolve.weights import Estimate, Weights, estimate, log_odds
from rasid.screen.model import Reason

WEIGHTS = ("learned", "fixed")
"""How a run weighs the evidence (see the module docstring); the first is the default."""

LEARN_SAMPLE = 10_000  # candidate pairs (at most) the weights are learned from
SEED = 6  # the sample is the same in every run of the same records


def score_pair(left: Record, right: Record, weights: Weights | None = None) -> Pair:
    """Score two records with every feature's contribution (names weighted as if these two
    were all the records there are), with fixed weights unless learned ones are given. The
    pair comes out ordered by id."""
    # Rarity needs many records to mean anything; two alone weigh every part the same.
    names = NameScorer({}, {})
    if weights is None:
        score, reasons, shared = fixed_score(left, right, names, explain=True)
    else:
        score, reasons, shared = learned_reasons(left, right, names, weights)
    return _pair(left, right, score, reasons, shared)


def _pair(
    left: Record,
    right: Record,
    score: float,
    reasons: list[Reason],
    shared: tuple[tuple[str, str], ...],
) -> Pair:
    if right.entity_id < left.entity_id:
        left, right = right, left
    return Pair(left.entity_id, right.entity_id, score, reasons, shared)


# --- work for forked processes -------------------------------------------------------------

CHUNK = 20_000  # pairs a worker scores at a time
Result = tuple[int, int, float, list[Reason], tuple[tuple[str, str], ...]]


@dataclass
class _Work:
    records: Sequence[Record]
    names: NameScorer
    left: Pairs
    right: Pairs
    weights: Weights | None = None


_WORK: _Work | None = None  # what forked workers score (inherited, never pickled)
FLOOR = log_odds(PROPOSE_THRESHOLD)  # the threshold as log-odds (learned weights' scores)


def _score_chunk(span: tuple[int, int]) -> list[Result]:
    """Score the pairs ``span`` of the work; keep those that make a proposal. Names are
    scored with their reasons at once: about half the pairs scored make a proposal, and
    scoring those twice costs more than the reasons of the others."""
    work = _WORK
    assert work is not None
    out: list[Result] = []
    records, names, weights = work.records, work.names, work.weights
    for i, j in zip(
        work.left[span[0] : span[1]].tolist(),
        work.right[span[0] : span[1]].tolist(),
        strict=True,
    ):
        left, right = records[i], records[j]
        if weights is None:
            score, reasons, shared = fixed_score(left, right, names, explain=True)
            if score >= PROPOSE_THRESHOLD or forced(shared):
                out.append((i, j, score, reasons, shared))
            continue
        found = learned_score(left, right, names, weights, FLOOR)
        if found is not None and (found[0] >= PROPOSE_THRESHOLD or forced(found[1])):
            score, reasons, shared = learned_reasons(left, right, names, weights, found[2])
            out.append((i, j, score, reasons, shared))
    return out


def _levels_chunk(span: tuple[int, int]) -> npt.NDArray[np.int8]:
    """The comparisons' levels of the pairs ``span`` of the work, and last whether fixed
    weights would propose the pair (pairs that cannot be compared left out)."""
    work = _WORK
    assert work is not None
    rows = []
    for i, j in zip(
        work.left[span[0] : span[1]].tolist(),
        work.right[span[0] : span[1]].tolist(),
        strict=True,
    ):
        found = pair_levels(work.records[i], work.records[j], work.names)
        if found is not None:
            rows.append([*found[0], int(found[1])])
    return np.array(rows, dtype=np.int8).reshape(-1, len(COMPARISONS) + 1)


def _levels(
    records: Sequence[Record], names: NameScorer, left: Pairs, right: Pairs, count: int
) -> npt.NDArray[np.int8]:
    """The levels of the pairs (see ``_levels_chunk``), in ``count`` processes."""
    global _WORK
    step = CHUNK // 4
    spans = [(s, min(s + step, left.size)) for s in range(0, left.size, step)]
    _WORK = _Work(records, names, left, right)
    try:
        found = list(pool_map(_levels_chunk, spans, count if left.size > step else 1))
    finally:
        _WORK = None
    return np.concatenate(found or [np.zeros((0, len(COMPARISONS) + 1), np.int8)])


# --- learning ------------------------------------------------------------------------------


def learn(
    records: Sequence[Record], names: NameScorer, left: Pairs, right: Pairs, count: int
) -> Estimate:
    """Learn the weights from a sample of the candidate pairs (see rasid.resolve.weights)."""
    if left.size > LEARN_SAMPLE:
        rng = np.random.default_rng(SEED)
        chosen = np.sort(rng.choice(left.size, LEARN_SAMPLE, replace=False))
        left, right = left[chosen], right[chosen]
    sample = _levels(records, names, left, right, count)
    return estimate(sample[:, :-1], sample[:, -1] == 1)


# --- proposing -----------------------------------------------------------------------------


def propose(
    records: Sequence[Record],
    *,
    within_datasets: bool = True,
    progress: Callable[[int, int], None] | None = None,
    stats: Stats | None = None,
    workers: int | None = None,
    weights: str = WEIGHTS[0],
) -> Iterator[Pair]:
    """Pairs of records that may be the same, each with its score and explanation: those
    scoring at least ``PROPOSE_THRESHOLD`` and those sharing a strong identifier. Records of
    one dataset are paired too unless ``within_datasets`` is false; records of one entity
    id never are. ``weights`` is ``learned`` or ``fixed`` (see the module docstring).
    ``progress(done, total)`` follows the pairs compared; ``stats`` is filled in as the
    run goes (complete when the iterator is exhausted). ``workers`` processes score the
    pairs (default: one per CPU for large runs)."""
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {', '.join(WEIGHTS)}, not {weights!r}")
    global _WORK
    started = time.perf_counter()
    stats = stats if stats is not None else Stats()
    stats.records = len(records)
    parsed: dict[str, list[Part]] = {}  # every record's names, parsed while indexing
    count = workers or cpus()
    index = index_records(records, count if len(records) > 2 * RECORD_CHUNK else 1, parsed)
    names = NameScorer(
        {k: idf_rarity(n, len(records)) for k, n in index.df.items()},
        parsed,
        frozenset(k for k, n in index.df.items() if n == 1),
    )
    left, right, ident, sought = candidates(records, index, stats)
    busy = crowded(records, index)
    del index
    left, right, flags = _drop_same(records, left, right, within_datasets, ident, sought)
    ident, sought = flags
    # The weights are learned from the usual blocks' pairs: the few that only a name of one
    # key finds (by its last part and the date) would shift what "another pair" looks like.
    learned = _weights(records, names, left[~sought], right[~sought], count, weights, stats)
    if learned is None:
        keep = ident | ~other_dates(records, left, right)
    else:
        found = bounds.facts(records, busy)
        keep = ident | bounds.reachable(found, left, right, learned, FLOOR)
    left, right = left[keep], right[keep]
    total = stats.candidates = int(left.size)
    if progress is not None:
        progress(0, total)
    spans = [(s, min(s + CHUNK, total)) for s in range(0, total, CHUNK)]
    _WORK = _Work(records, names, left, right, learned)
    best: dict[tuple[str, str], Pair] = {}
    repeated = _repeated(records)
    try:
        chunks = pool_map(_score_chunk, spans, count if total > 4 * CHUNK else 1)
        for done, results in enumerate(chunks, start=1):
            for i, j, score, reasons, shared in results:
                pair = _pair(records[i], records[j], score, reasons, shared)
                if pair.left_id in repeated or pair.right_id in repeated:
                    kept = best.get((pair.left_id, pair.right_id))
                    if kept is None or kept.score < pair.score:
                        best[(pair.left_id, pair.right_id)] = pair
                    continue
                stats.proposed += 1
                yield pair
            if progress is not None:
                progress(spans[done - 1][1], total)
        stats.proposed += len(best)
        yield from (best[k] for k in sorted(best))
    finally:
        _WORK = None
        stats.seconds = time.perf_counter() - started


def _weights(
    records: Sequence[Record],
    names: NameScorer,
    left: Pairs,
    right: Pairs,
    count: int,
    wanted: str,
    stats: Stats,
) -> Weights | None:
    """The learned weights when asked for and estimated; the statistics say which."""
    if wanted == "fixed":
        stats.weights, stats.weights_note = "fixed", "asked for"
        return None
    found = learn(records, names, left, right, count)
    if found.weights is None:
        stats.weights, stats.weights_note = "fixed", found.note
        return None
    stats.weights, stats.weights_note = "learned", found.note
    stats.learned = found.weights.to_dict()
    return found.weights


def _drop_same(
    records: Sequence[Record],
    left: Pairs,
    right: Pairs,
    within: bool,
    *flags: npt.NDArray[np.bool_],
) -> tuple[Pairs, Pairs, list[npt.NDArray[np.bool_]]]:
    """Drop pairs of one entity id, and of one dataset unless ``within`` (with their
    ``flags``)."""
    codes: dict[str, int] = {}
    entity = np.fromiter(
        (codes.setdefault(r.entity_id, len(codes)) for r in records), np.int64, len(records)
    )
    keep = entity[left] != entity[right]
    if not within:
        sets: dict[str, int] = {}
        data = np.fromiter(
            (sets.setdefault(r.dataset, len(sets)) for r in records), np.int64, len(records)
        )
        keep &= data[left] != data[right]
    return left[keep], right[keep], [f[keep] for f in flags]


def _repeated(records: Sequence[Record]) -> set[str]:
    """Entity ids with a record in more than one dataset: their pairs may come twice, and
    only the best of them is proposed."""
    seen = Counter(r.entity_id for r in records)
    return {k for k, n in seen.items() if n > 1}
