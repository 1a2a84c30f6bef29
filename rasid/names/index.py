"""An index over every name of every watchlist entity, retrieving candidates without a scan.

Each indexed name is cut into parts (``rasid.names.parts``); every part, and every two
adjacent parts run together, is a *unit* with a coarse key. A name is posted under each of
its units' coarse keys and under each *pair* of its units' coarse keys. A query looks up the
pairs of its own units first: a pair such as (Mohammed, Qosi) is rare even where both parts
are common, so the candidates are few at any size of list. Single units add the names that
share only one part with the query (the shortest such names first, capped).

Candidates are ranked by an upper bound of their score, computed over arrays from which
query and candidate parts could match at best and what birth year, gender and document
allow; they are then scored in full (``rasid.names.score``), best bound first, until no
remaining bound can beat the results found. Rarity (inverse document frequency of a key
among indexed entities) weighs parts, so a shared "Mohammed" counts for less than a shared
"Noureddine".

The arrays are built once, by ``prepare()`` or else by the first query after additions.
"""

import gc
import threading
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import combinations, count
from typing import Generic, TypeVar

import numpy as np

from rasid.names.arrays import (
    MAX_BITS,
    Arrays,
    Floats,
    Ints,
    build,
    pair_key,
    retrieval_units,
    token_of,
)
from rasid.names.bounds import Closer, Weigher, loose_bounds
from rasid.names.parts import Part, parse
from rasid.names.score import (
    ALERT_THRESHOLD,
    Alignment,
    Comparisons,
    Facts,
    NameSide,
    Scored,
    align,
    combine,
    explained,
    facts_adjustment,
    idf_rarity,
    part_similarity,
    part_weight,
    side,
)
from rasid.screen.model import Match, Subject

CANDIDATES = 20  # names scored in full per query, at most
REFINED = 120  # names given a closer bound per query, at most
FIRST_CHUNK = 128  # names given closer bounds at once, at first (then twice as many)
PAIR_CAP = 300  # names taken from one pair of keys (those with the fewest parts first)
SINGLE_CAP = 50  # names taken from one key alone (the same order)
MEMO_SIZE = 1_000_000  # part comparisons remembered between queries
SIDES_KEPT = 200_000  # listed names kept ready for alignment between queries
QUERIES_KEPT = 10_000  # query names whose preparation and name alignments are kept (see _Query)
SEEN_KEPT = 200_000  # names used once, remembered so that a second use keeps them (_Kept)

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Entry:
    """One indexed entity: its id and facts (its names are in the index's name rows)."""

    entity_id: str
    facts: Facts


@dataclass
class _Query:
    """What a query name needs whatever the subject's facts: its parts and weights, the near
    keys of its parts, and the closer bounds and name alignments of the listed names compared
    so far. Kept for names that come again (a passenger list repeats common names), so
    that their next subject only moves the scores by its facts."""

    parts: list[Part]
    side: NameSide
    singles: list[tuple[int, int]]  # tokens of the query's units, with their bits
    pairs: Ints  # codes of the pairs of units to read (see _pairs)
    pair_bits: list[int]  # the bits each pair covers
    weigh: Weigher
    closer: Closer
    # Listed name numbers with a closer bound computed (sorted), and those bounds: one
    # tuple, replaced whole, so that a thread never reads the numbers of one and the
    # bounds of another.
    bounds: tuple[Ints, Floats]
    aligned: dict[int, Alignment] = field(default_factory=dict)  # by listed name number


class _Kept(Generic[K, V]):
    """Values kept between queries from their key's second use, the oldest dropped first.

    A kept name holds dozens of objects that the cyclic garbage collector walks at each
    full collection, and the collector runs fully each time the objects kept since its
    last full run reach a quarter of those it found then. Keeping every name used once
    cost a quarter of the time of queries that do not repeat, at 1,000,000 names
    (bench/README.md); names that come again (a passenger list repeats common names) are
    still kept. The keys used once are remembered (up to ``SEEN_KEPT``); strings and
    numbers are not objects the collector follows."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.values: dict[K, V] = {}
        self.seen: set[K] = set()
        self.lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self.values.get(key)

    def offer(self, key: K, value: V) -> None:
        """Keep ``value`` if its key was offered before."""
        with self.lock:
            if key in self.seen:
                if len(self.values) >= self.size:
                    del self.values[next(iter(self.values))]
                self.values[key] = value
            else:
                if len(self.seen) >= SEEN_KEPT:
                    self.seen.clear()
                self.seen.add(key)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()
            self.seen.clear()


_SERIALS = count(1)


@dataclass
class NameIndex:
    """Watchlist names by key; ``match`` proposes entities for a subject, explained."""

    entries: list[Entry] = field(default_factory=list)
    datasets_of: dict[str, str] = field(default_factory=dict)  # entity id: its watchlist
    _names: list[tuple[int, str, tuple[int, ...]]] = field(default_factory=list)
    _part_ids: dict[Part, int] = field(default_factory=dict)
    _parts: list[Part] = field(default_factory=list)
    _genders: dict[str, int] = field(default_factory=dict)
    _df: Counter[str] = field(default_factory=Counter)  # key: entries with a part of it
    _arrays: Arrays | None = None
    _comparisons: Comparisons | None = None  # made with the arrays
    _sides: _Kept[int, NameSide] = field(default_factory=lambda: _Kept(SIDES_KEPT))
    _numbers: dict[str, int] | None = None  # entity id: entry number, made when needed
    _queries: _Kept[str, _Query] = field(default_factory=lambda: _Kept(QUERIES_KEPT))
    _runs: dict[int, Part] = field(default_factory=dict)  # listed parts run together
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Tells indexes apart without holding them: a compiled index takes no weak reference.
    serial: int = field(default_factory=lambda: next(_SERIALS))

    def add(
        self,
        entity_id: str,
        names: list[str],
        birth_dates: list[str] | None = None,
        nationalities: list[str] | None = None,
        gender: str | None = None,
        documents: list[str] | None = None,
    ) -> None:
        """Index an entity under all its names (primary names, aliases, original script)."""
        number = len(self.entries)
        facts = Facts(
            tuple(birth_dates or ()),
            tuple(n.lower() for n in nationalities or ()),
            gender,
            tuple(normalise_document(d) for d in documents or ()),
        )
        self.entries.append(Entry(entity_id, facts))
        keys: set[str] = set()
        for name in names:
            parts = parse(name)
            if not parts:
                continue
            ids = tuple(self._intern(p) for p in parts)
            self._names.append((number, name, ids))
            keys.update(p.key for p in parts if not p.initial)
        self._df.update(keys)
        self._arrays = None
        self._sides.clear()
        self._queries.clear()
        self._runs.clear()

    def _intern(self, part: Part) -> int:
        found = self._part_ids.get(part)
        if found is None:
            found = self._part_ids[part] = len(self._parts)
            self._parts.append(part)
        return found

    def __len__(self) -> int:
        return len(self.entries)

    def rarity(self, key: str) -> float:
        """How rare a key is among indexed entities (0..1)."""
        return idf_rarity(self._df.get(key, 0), len(self.entries))

    def prepare(self) -> None:
        """Build the query arrays now (else the first query after additions does)."""
        self._frozen()

    def _frozen(self) -> Arrays:
        arrays = self._arrays
        if arrays is None:
            with self._lock:
                if self._arrays is None:
                    weights = [part_weight(p, self.rarity(p.key)) for p in self._parts]
                    facts = [e.facts for e in self.entries]
                    self._comparisons = Comparisons(len(self._parts), MEMO_SIZE)
                    self._arrays = build(
                        self._parts, self._names, facts, weights, self._gender_code
                    )
                    _out_of_collector_sight()
                arrays = self._arrays
        return arrays

    def _gender_code(self, gender: str | None) -> int:
        if not gender:
            return 0
        return self._genders.setdefault(gender.lower(), len(self._genders) + 1)

    def match(
        self, subject: Subject, limit: int = 5, among: Collection[str] | None = None
    ) -> list[Match]:
        """Watchlist entities proposed for a subject, best first, each with its explanation.
        ``among``: only these entities (by id) are proposed, scored as in the whole index
        (re-screening against what a watchlist update changed)."""
        if not self._names:
            return []
        arrays = self._frozen()
        prepared = self._query(arrays, subject.name)
        if prepared is None:
            return []
        query = prepared.side
        found = self._gather(arrays, prepared)
        if found is None:
            return []
        names, query_bits, name_got = found
        if among is not None:
            wanted = self._entry_numbers(among)
            keep = np.isin(arrays.name_entry[names], wanted)
            names, query_bits, name_got = names[keep], query_bits[keep], name_got[keep]
        facts = subject_facts(subject)
        bound, adjust = loose_bounds(
            arrays, query, prepared.weigh, names, query_bits, name_got, facts, self._genders
        )
        # Closer bounds, a chunk at a time in the order of the loose ones; full scores in
        # the order of the closer bounds, while the best closer bound is at least the next
        # loose one (then it is the best of all) and can still beat the results found.
        chosen = np.lexsort((names, -bound))[:REFINED]
        chosen = chosen[bound[chosen] > 0]
        loose = np.append(bound[chosen], -np.inf)
        refined = np.full(len(chosen), -np.inf)
        best: dict[int, tuple[float, int]] = {}  # entry number: best score, name number
        sides: dict[int, NameSide] = {}  # listed names aligned now, for the explanations
        floor = -np.inf  # the limit-th best score so far, once there are that many
        taken = scored_count = 0
        chunk = FIRST_CHUNK
        while scored_count < CANDIDATES:
            at = int(np.argmax(refined)) if taken else 0
            while taken < len(chosen) and (not taken or refined[at] < loose[taken]):
                if loose[taken] <= floor:
                    taken = len(chosen)  # no name left to refine can beat the results
                    break
                some = slice(taken, taken + chunk)
                refined[some] = (
                    self._closer_bounds(prepared, arrays, names[chosen[some]])
                    + adjust[chosen[some]]
                )
                taken, chunk = min(taken + chunk, len(chosen)), chunk * 2
                at = int(np.argmax(refined))
            top = refined[at] if taken else -np.inf
            if top <= 0 or top <= floor:
                break
            refined[at] = -np.inf
            scored_count += 1
            name = int(names[chosen[at]])
            entry_number = int(arrays.name_entry[name])
            aligned = prepared.aligned.get(name)
            if aligned is None:
                listed = sides[name] = self._side(arrays, name)
                aligned = prepared.aligned[name] = align(
                    query, listed, part_similarity, self._comparisons
                )
            alike = aligned.score
            if alike <= 0:
                continue
            entry_facts = self.entries[entry_number].facts
            score = combine(Scored(alike), facts_adjustment(facts, entry_facts)).score
            held = best.get(entry_number)
            if score > 0 and (held is None or score > held[0]):
                best[entry_number] = (score, name)
                if len(best) >= limit:
                    floor = sorted((s for s, _ in best.values()), reverse=True)[limit - 1]
        ranked = sorted(best.items(), key=lambda b: (-b[1][0], self.entries[b[0]].entity_id))
        return [
            self._explain(arrays, prepared, facts, e, n, sides.get(n))
            for e, (_, n) in ranked[:limit]
        ]

    def _query(self, arrays: Arrays, name: str) -> _Query | None:
        """The prepared query for a name (kept, or made now), or None if it has no parts."""
        found = self._queries.get(name)
        if found is not None:
            return found
        parts = parse(name)
        if not parts:
            return None
        query = side(parts, {p.key: self.rarity(p.key) for p in parts})
        near = self._near_units(arrays, parts)
        singles = [
            (token, bits)
            for key, bits in retrieval_units(parts)
            if (token := arrays.tokens.get(key)) is not None
        ]
        codes, bits = _pairs(singles, near)
        weigh = Weigher(query.weights)
        comparisons = self._comparisons
        assert comparisons is not None  # made with the arrays
        query.keys = comparisons.query(query)
        closer = Closer(query, weigh, part_similarity, comparisons, arrays.tokens, near)
        empty = np.zeros(0, dtype=np.int64)
        found = _Query(parts, query, singles, codes, bits, weigh, closer, (empty, np.zeros(0)))
        self._queries.offer(name, found)
        return found

    def _closer_bounds(self, prepared: _Query, arrays: Arrays, names: Ints) -> Floats:
        """Closer bounds of these names, those of the query's earlier subjects reused."""
        known, values = prepared.bounds
        if not len(known):  # the query's first subject
            fresh = prepared.closer.bounds(self._parts, arrays, names, self._runs)
            order = np.argsort(names, kind="stable")
            prepared.bounds = (names[order], fresh[order])
            return fresh
        at = np.minimum(np.searchsorted(known, names), len(known) - 1)
        have = known[at] == names
        out = np.where(have, values[at], 0.0)
        missing = np.flatnonzero(~have)
        if len(missing):
            fresh = prepared.closer.bounds(self._parts, arrays, names[missing], self._runs)
            out[missing] = fresh
            merged = np.concatenate([known, names[missing]])
            order = np.argsort(merged, kind="stable")
            prepared.bounds = (merged[order], np.concatenate([values, fresh])[order])
        return out

    def _entry_numbers(self, entity_ids: Collection[str]) -> Ints:
        """The entry numbers of these entity ids (unknown ids are left out)."""
        if self._numbers is None or len(self._numbers) != len(self.entries):
            self._numbers = {e.entity_id: n for n, e in enumerate(self.entries)}
        numbers = self._numbers
        return np.array([numbers[i] for i in entity_ids if i in numbers], dtype=np.int64)

    def _side(self, arrays: Arrays, name: int) -> NameSide:
        """A listed name's parts and weights, ready for alignment (kept for reuse once
        a second query has asked for it: ``_Kept``)."""
        found = self._sides.get(name)
        if found is None:
            start, end = arrays.name_offset[name], arrays.name_offset[name + 1]
            ids = arrays.part_of[start:end].tolist()
            found = NameSide([self._parts[i] for i in ids], [arrays.part_weight[i] for i in ids])
            if self._comparisons is not None:
                found.keys = self._comparisons.listed(found, ids)
            self._sides.offer(name, found)
        return found

    def _explain(
        self,
        arrays: Arrays,
        prepared: _Query,
        facts: Facts,
        entry_number: int,
        name: int,
        listed: NameSide | None,
    ) -> Match:
        """The match for an entry through one of its names (aligned when it was scored),
        with every reason."""
        entry = self.entries[entry_number]
        listed = listed or self._side(arrays, name)
        scored = combine(
            explained(prepared.aligned[name], prepared.side, listed),
            facts_adjustment(facts, entry.facts),
        )
        alert = scored.score >= ALERT_THRESHOLD
        return Match(entry.entity_id, scored.score, alert, arrays.name_text[name], scored.reasons)

    def _near_units(self, arrays: Arrays, parts: list[Part]) -> list[tuple[Part, int, int]]:
        """Each query part with the tokens of indexed keys near its own (keys of few names:
        see ``NEAR_CAP`` in rasid.names.arrays), and its bit."""
        found: list[tuple[Part, int, int]] = []
        for i, part in enumerate(parts[:MAX_BITS]):
            if not part.initial and part.key:
                found.extend((part, token, 1 << i) for token in arrays.near.near(token_of(part)))
        return found

    def _gather(self, arrays: Arrays, query: _Query) -> tuple[Ints, Ints, Floats] | None:
        """Candidate names, with the bits of the query's parts that met and the summed
        weight of the name's parts that met (pairs overlap: it may exceed the name's)."""
        units = query.singles
        if not units:
            return None
        chunks: list[tuple[Ints, Floats, int]] = []
        if len(query.pairs):
            wanted = query.pairs
            at = np.searchsorted(arrays.pair_keys, wanted)
            at[at >= len(arrays.pair_keys)] = 0
            hits = np.flatnonzero(arrays.pair_keys[at] == wanted)
            opens = arrays.pair_start[at[hits]]
            closes = np.minimum(arrays.pair_start[at[hits] + 1], opens + PAIR_CAP)
            for i, start, end in zip(hits.tolist(), opens.tolist(), closes.tolist(), strict=True):
                chunks.append(
                    (arrays.pair_name[start:end], arrays.pair_weight[start:end], query.pair_bits[i])
                )
        for token, bits in units:
            start = int(arrays.single_start[token])
            end = min(int(arrays.single_start[token + 1]), start + SINGLE_CAP)
            chunks.append((arrays.single_name[start:end], arrays.single_weight[start:end], bits))
        names = np.concatenate([c[0] for c in chunks])
        name_got = np.concatenate([c[1] for c in chunks])
        query_bits = np.repeat([c[2] for c in chunks], [len(c[0]) for c in chunks])
        order = np.argsort(names, kind="stable")
        names, name_got, query_bits = names[order], name_got[order], query_bits[order]
        first = np.concatenate(([0], np.flatnonzero(names[1:] != names[:-1]) + 1))
        return (
            names[first],
            np.bitwise_or.reduceat(query_bits, first),
            np.add.reduceat(name_got, first),
        )


def _pairs(
    units: list[tuple[int, int]], near: list[tuple[Part, int, int]]
) -> tuple[Ints, list[int]]:
    """The pairs of keys a query reads, as codes, with the bits each covers: every two of
    its own units that cover other parts, and each near key beside one of its own units
    (alone, or with another near key, a near key would bring names the query shares
    nothing exact with)."""
    codes: list[int] = []
    bits: list[int] = []
    for (ta, ba), (tb, bb) in combinations(units, 2):
        if not ba & bb:
            codes.append(pair_key(ta, tb))
            bits.append(ba | bb)
    for _, ta, ba in near:
        for tb, bb in units:
            if not ba & bb:
                codes.append(pair_key(ta, tb))
                bits.append(ba | bb)
    return np.array(codes, dtype=np.int64), bits


def _out_of_collector_sight() -> None:
    """Move every object alive now out of the cyclic garbage collector's sight.

    An index of a million names holds millions of Python objects that live as long as it
    does; each full collection would walk them all, and screening allocates enough to
    trigger collections often (about a quarter of the time per query at 100,000 names).
    Frozen objects are still freed by reference counting when the index is dropped (it
    holds no reference cycles); only cyclic garbage that exists at this moment would stay,
    hence the collection first.
    """
    gc.collect()
    gc.freeze()


def normalise_document(number: str) -> str:
    """A document number compared without spaces, dashes or case."""
    return "".join(c for c in number.upper() if c.isalnum())


def subject_facts(subject: Subject) -> Facts:
    """The facts a subject gives, normalised for comparison."""
    return Facts(
        (subject.birth_date,) if subject.birth_date else (),
        (subject.nationality.lower(),) if subject.nationality else (),
        subject.gender.lower() if subject.gender else None,
        (normalise_document(subject.document_number),) if subject.document_number else (),
    )
