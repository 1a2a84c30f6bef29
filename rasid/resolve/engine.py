"""The resolution engine: candidate pairs by blocking, then a score with its reasons.

Blocking puts records that share something specific in the same block, and only records of
one block are compared:

* two name parts together (their coarse keys, the names engine's transliteration bridge:
  محمد عبد الله and Mohamed Abdallah share ``MHMD`` + ``BDL``), and three for names of three
  parts or more;
* one name part and the first letter of another (a typo in the other still meets);
* the name's own (fine) keys, whole, and its first and last part: records written alike
  meet even when the coarse blocks of their common names are too large to compare;
* one name part and the full date of birth;
* a strong identifier (document number, phone, e-mail, account, registration number);
* one name part alone, when few records carry it (a rare name meets its typos elsewhere).

Common keys make big blocks (``MHMD`` is a fifth of Arab men's names): a block of names
alone larger than ``MAX_NAME_BLOCK``, or of a date or identifier larger than ``MAX_BLOCK``,
is skipped and counted in the statistics; the finer blocks of the same records (three
parts, a part and the date of birth) still bring their pairs. Pairs whose
full dates of birth differ by more than a typing error are dropped before scoring unless
they share an identifier (they cannot reach the threshold: see ``OTHER_BIRTH_DATE``).
The blocks are found, and the pairs scored, by forked worker processes for large inputs
(``rasid.resolve.blocking``).

The score reuses the screening scorer (``rasid.names.score``): names aligned part by part,
weighted by rarity among the records resolved (``rasid.resolve.names`` adds what telling
two people apart needs); gender and nationality as in screening, full dates of birth
weighed more (one digit apart is a typing error, further apart two people); then
identifiers (a shared one raises the score, another document of the same kind and issuing
state lowers it) and addresses (words in common). Every feature adds a ``Reason``.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from rasid.names.parts import Part
from rasid.names.score import Facts, facts_adjustment, idf_rarity
from rasid.resolve.blocking import (
    RECORD_CHUNK,
    Pairs,
    candidates,
    cpus,
    index_records,
    pool_map,
)
from rasid.resolve.blocking import Stats as Stats
from rasid.resolve.model import Pair, Record
from rasid.resolve.names import NameScorer
from rasid.screen.model import Reason

PROPOSE_THRESHOLD = 0.7
"""The lowest score kept as a proposal (pairs sharing a strong identifier with its issuer
are kept whatever their score). Calibrated on the cross-script benchmark set
(bench/README.md): below it, proposals are mostly people who share a common name."""

SAME_THRESHOLD = 0.9
"""Above this score a pair is very likely one person or organisation: guidance for
reviewers (the queue may show such pairs first), never a decision."""


# Evidence beside the name is combined with the name score as independent signs: each
# closes that share of the distance to 1 (a noisy-or), so that several agreeing facts
# (a document, a date of birth, an address) outweigh a name written quite differently,
# while a name score near 1 is not pushed past certainty. Conflicts are subtracted.
# What a shared identifier closes; a phone is shared by families and offices, a document not.
SHARED = {"document": 0.6, "registration": 0.6, "email": 0.5, "account": 0.4, "phone": 0.25}
OTHER_DOCUMENT = -0.1  # both hold a document of the same kind and state, not the same one
NEAR_DOCUMENT = 0.15  # document numbers one character apart: a typing error, perhaps
# Full dates of birth: the same one is rare between two people (screening, which weighs
# names first, gives it less); one digit (or one swap) apart is a typing error; further
# apart, two people whatever their names: the penalty is large enough that no such pair
# reaches PROPOSE_THRESHOLD without a shared identifier (whatever the nationality, address
# or a near document add), so the engine skips those pairs before scoring them.
SAME_BIRTH_DATE = 0.3
BIRTH_TYPO = 0.12
OTHER_BIRTH_DATE = -0.5
ADDRESS_MAX = 0.25  # addresses with every word in common
# Identifiers that always make a proposal when shared (with the issuing state for documents).
FORCING = ("document", "registration", "email", "account")
PERSONS = {"Person", "LegalEntity"}
ORGANISATIONS = {"Organization", "Company", "PublicBody", "LegalEntity"}


def compatible(left: str, right: str) -> bool:
    """True when the two schemata may describe the same thing (a person and a company never)."""
    if left == right:
        return True
    return (left in PERSONS and right in PERSONS) or (
        left in ORGANISATIONS and right in ORGANISATIONS
    )


# --- facts, identifiers, addresses ----------------------------------------------------------


def _one_apart(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of two neighbours."""
    if Levenshtein.distance(a, b) <= 1:
        return True
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def near_dates(a: str, b: str) -> bool:
    """Two full dates a typing error apart: one digit, two neighbours swapped, or day and
    month swapped (03/07 for 07/03)."""
    swapped = a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]
    return swapped or _one_apart(a, b)


def fact_reasons(left: Record, right: Record) -> list[Reason]:
    """Birth date, nationality and gender as screening weighs them, but for full dates of
    birth on both sides (see SAME_BIRTH_DATE)."""
    dates_l, dates_r = left.birth_dates, right.birth_dates
    date: list[Reason] = []
    full_l = [d for d in dates_l if len(d) == 10]
    full_r = [d for d in dates_r if len(d) == 10]
    if full_l and full_r and set(full_l) & set(full_r):
        same = sorted(set(full_l) & set(full_r))[0]
        date = [Reason("birth_date", f"same date of birth ({same})", SAME_BIRTH_DATE)]
        dates_l = dates_r = ()
    elif full_l and full_r:
        near = next(((a, b) for a in full_l for b in full_r if near_dates(a, b)), None)
        if near is not None:
            detail = f"dates of birth a typing error apart ({near[0]} / {near[1]})"
            date = [Reason("birth_date", detail, BIRTH_TYPO)]
        else:
            detail = f"other date of birth ({full_l[0]} / {full_r[0]})"
            date = [Reason("birth_date", detail, OTHER_BIRTH_DATE)]
        dates_l = dates_r = ()
    facts = facts_adjustment(
        Facts(dates_l, left.nationalities, _gender(left)),
        Facts(dates_r, right.nationalities, _gender(right)),
    )
    return date + facts


def _gender(record: Record) -> str | None:
    return record.genders[0] if len(record.genders) == 1 else None


def _split(value: str) -> tuple[str, str]:
    number, _, state = value.partition("@")
    return number, state


def identifier_reasons(
    left: Record, right: Record
) -> tuple[list[Reason], tuple[tuple[str, str], ...]]:
    """Shared identifiers (and conflicting or near documents), and the shared ones."""
    shared = tuple(sorted(set(left.identifiers) & set(right.identifiers)))
    reasons: list[Reason] = []
    kinds = set()
    for kind, value in shared:
        if kind not in kinds:
            kinds.add(kind)
            reasons.append(Reason("identifier", f"same {kind}: {value}", SHARED[kind]))
    for kind in ("document", "registration"):
        if kind not in kinds:
            reasons += _documents(kind, left, right)
    return reasons, shared


def _documents(kind: str, left: Record, right: Record) -> list[Reason]:
    """Numbers of one kind that differ: one character apart (a typo?) or another document of
    the same issuing state."""
    ours = [_split(v) for k, v in left.identifiers if k == kind]
    theirs = [_split(v) for k, v in right.identifiers if k == kind]
    if not ours or not theirs:
        return []
    for n1, s1 in ours:
        for n2, s2 in theirs:
            if (s1 == s2 or not s1 or not s2) and len(n1) >= 5 and _one_apart(n1, n2):
                return [
                    Reason(
                        "identifier",
                        f"{kind} numbers one character apart ({n1} / {n2})",
                        NEAR_DOCUMENT,
                    )
                ]
    states = {s for _, s in ours if s} & {s for _, s in theirs if s}
    if states:
        state = sorted(states)[0]
        return [Reason("identifier", f"another {kind} issued by {state}", OTHER_DOCUMENT)]
    return []


def address_reason(left: Record, right: Record) -> list[Reason]:
    """Words two addresses have in common (the best pair of addresses), never a penalty:
    people move."""
    best = 0.0
    for a in left.addresses:
        wa = set(a.split())
        for b in right.addresses:
            wb = set(b.split())
            if wa and wb:
                best = max(best, len(wa & wb) / min(len(wa), len(wb)))
    if not best:
        return []
    return [Reason("address", f"addresses share {best:.0%} of their words", ADDRESS_MAX * best)]


# --- scoring -------------------------------------------------------------------------------


def _forced(shared: tuple[tuple[str, str], ...]) -> bool:
    return any(k in FORCING and (k != "document" or "@" in v) for k, v in shared)


def _score(
    left: Record, right: Record, names: NameScorer, explain: bool
) -> tuple[float, list[Reason], tuple[tuple[str, str], ...]]:
    if not compatible(left.schema, right.schema):
        return 0.0, [Reason("schema", f"{left.schema} / {right.schema}: not comparable", 0.0)], ()
    scored, a, b = names.score(left, right, explain)
    ids, shared = identifier_reasons(left, right)
    others = fact_reasons(left, right) + ids + address_reason(left, right)
    order = sum(r.effect for r in scored.reasons if r.feature == "name_order")
    score = min(1.0, max(0.0, scored.score + order))
    # Conflicts first, then agreements (see SHARED): a shared passport outweighs another
    # date of birth, a shared address alone does not.
    combined = [r for r in others if r.effect <= 0]
    score = max(0.0, score + sum(r.effect for r in combined))
    for reason in others:
        if reason.effect > 0:
            after = 1 - (1 - score) * (1 - reason.effect)
            combined.append(Reason(reason.feature, reason.detail, after - score))
            score = after
    if not explain:
        return score, [], shared
    head = [Reason("name", f"{a} / {b}", scored.score)] if a else []
    return score, head + scored.reasons + combined, shared


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


def score_pair(left: Record, right: Record) -> Pair:
    """Score two records with every feature's contribution (names weighted as if these two
    were all the records there are). The pair comes out ordered by id."""
    # Rarity needs many records to mean anything; two alone weigh every part the same.
    score, reasons, shared = _score(left, right, NameScorer({}, {}), explain=True)
    return _pair(left, right, score, reasons, shared)


# --- proposing -----------------------------------------------------------------------------

CHUNK = 20_000  # pairs a worker scores at a time
Result = tuple[int, int, float, list[Reason], tuple[tuple[str, str], ...]]


@dataclass
class _Work:
    records: Sequence[Record]
    names: NameScorer
    left: Pairs
    right: Pairs


_WORK: _Work | None = None  # what forked workers score (inherited, never pickled)


def _score_chunk(bounds: tuple[int, int]) -> list[Result]:
    """Score the pairs ``bounds`` of the work; keep those that make a proposal."""
    work = _WORK
    assert work is not None
    out: list[Result] = []
    records, names = work.records, work.names
    for i, j in zip(
        work.left[bounds[0] : bounds[1]].tolist(),
        work.right[bounds[0] : bounds[1]].tolist(),
        strict=True,
    ):
        left, right = records[i], records[j]
        score, _, shared = _score(left, right, names, explain=False)
        if score >= PROPOSE_THRESHOLD or _forced(shared):
            score, reasons, shared = _score(left, right, names, explain=True)
            out.append((i, j, score, reasons, shared))
    return out


def propose(
    records: Sequence[Record],
    *,
    within_datasets: bool = True,
    progress: Callable[[int, int], None] | None = None,
    stats: Stats | None = None,
    workers: int | None = None,
) -> Iterator[Pair]:
    """Pairs of records that may be the same, each with its score and explanation: those
    scoring at least ``PROPOSE_THRESHOLD`` and those sharing a strong identifier. Records of
    one dataset are paired too unless ``within_datasets`` is false; records of one entity
    id never are. ``progress(done, total)`` follows the pairs compared; ``stats`` is filled
    in as the run goes (complete when the iterator is exhausted). ``workers`` processes
    score the pairs (default: one per CPU for large runs)."""
    global _WORK
    started = time.perf_counter()
    stats = stats if stats is not None else Stats()
    stats.records = len(records)
    parsed: dict[str, list[Part]] = {}  # forked workers parse into their own copies
    index = index_records(
        records, workers or (cpus() if len(records) > 2 * RECORD_CHUNK else 1), parsed
    )
    names = NameScorer(
        {k: idf_rarity(n, len(records)) for k, n in index.df.items()},
        parsed,
        frozenset(k for k, n in index.df.items() if n == 1),
    )
    left, right = candidates(records, index, stats)
    del index
    left, right = _drop_same(records, left, right, within_datasets)
    total = stats.candidates = int(left.size)
    if progress is not None:
        progress(0, total)
    bounds = [(s, min(s + CHUNK, total)) for s in range(0, total, CHUNK)]
    count = workers or (cpus() if total > 4 * CHUNK else 1)
    _WORK = _Work(records, names, left, right)
    best: dict[tuple[str, str], Pair] = {}
    repeated = _repeated(records)
    try:
        for done, results in enumerate(pool_map(_score_chunk, bounds, count), start=1):
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
                progress(bounds[done - 1][1], total)
        stats.proposed += len(best)
        yield from (best[k] for k in sorted(best))
    finally:
        _WORK = None
        stats.seconds = time.perf_counter() - started


def _drop_same(
    records: Sequence[Record], left: Pairs, right: Pairs, within: bool
) -> tuple[Pairs, Pairs]:
    """Drop pairs of one entity id, and of one dataset unless ``within``."""
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
    return left[keep], right[keep]


def _repeated(records: Sequence[Record]) -> set[str]:
    """Entity ids with a record in more than one dataset: their pairs may come twice, and
    only the best of them is proposed."""
    seen = Counter(r.entity_id for r in records)
    return {k for k, n in seen.items() if n > 1}
