"""Upper bounds of candidates' scores, computed over arrays, so that a query scores in full
only the names that can still beat the results found (``rasid.names.index``).

The loose bound counts every part that met by key as a perfect match and adds what facts
can at best add; the closer bound compares the parts that met with the query's parts
(remembered comparisons), still without aligning whole names.
"""

from collections.abc import Callable

import numpy as np

from rasid.names.arrays import MANY, MAX_BITS, Arrays, Floats, Ints, birth_effect, token_of
from rasid.names.parts import Part
from rasid.names.score import (
    EXTRA_PARTS,
    OTHER_GENDER,
    OTHER_NATIONALITY,
    PAIR_FLOOR,
    SAME_DOCUMENT,
    SAME_NATIONALITY,
    Comparisons,
    Facts,
    NameSide,
    Similar,
    cannot_meet,
    joined_key,
    run_together,
)

INITIAL_SIMILARITY = 0.9  # the most an initial can score against a part
TINY = 1e-12  # a weight standing in for zero in divisions
RUNS_KEPT = 200_000  # listed parts run together, kept between queries
TABLE_BITS = 10  # queries of up to this many parts weigh sets of parts by a lookup table


def loose_bounds(
    arrays: Arrays,
    query: NameSide,
    weigh: "Weigher",
    names: Ints,
    query_bits: Ints,
    name_got: Floats,
    facts: Facts,
    genders: dict[str, int],
) -> tuple[Floats, Floats]:
    """A loose upper bound of each candidate's score, its name score were every part that
    met by key a perfect match, moved by what its facts can at best add or surely take;
    and that move alone."""
    total_q = sum(query.weights)
    initials = [p.initial for p in query.parts[:MAX_BITS]]
    # An initial is not posted: it may meet any part, so it counts as met.
    met = query_bits | sum(1 << i for i, initial in enumerate(initials) if initial)
    got_q = weigh(met)
    if any(initials):
        name_got = np.maximum(name_got, arrays.name_weight[names])
    # The candidate's side: the weight of its parts that met, from the postings' sum
    # (pairs overlap, so this is at most the candidate's whole weight).
    total_c = np.maximum(arrays.name_weight[names], TINY)  # weights are never negative
    cover_q = np.minimum(got_q / max(total_q, TINY), 1.0)
    cover_c = np.minimum(name_got / total_c, 1.0)
    bound = cover_q ** (1 - EXTRA_PARTS) * cover_c**EXTRA_PARTS
    entries = arrays.name_entry[names]
    adjust = np.zeros(len(names))
    if facts.birth_dates:
        adjust += birth_effect(arrays, entries, facts.birth_dates[0])
    if facts.nationalities:
        theirs = arrays.nationality[entries]
        ours = arrays.nationality_codes.get(facts.nationalities[0], -2)
        same = (theirs == ours) | (theirs == MANY)  # several: one of them may be ours
        effect = np.where(same, SAME_NATIONALITY, OTHER_NATIONALITY)
        adjust += np.where(theirs == 0, 0.0, effect)
    if facts.gender:
        code = genders.get(facts.gender)
        theirs = arrays.gender[entries]
        adjust += np.where((theirs > 0) & (theirs != (code or -1)), OTHER_GENDER, 0.0)
    for document in facts.documents:
        holders = arrays.documents.get(document)
        if holders:
            adjust += np.isin(entries, holders) * SAME_DOCUMENT
    return bound + adjust, adjust  # not capped at 1: a document or a birth date still ranks


class Closer:
    """Closer bounds of candidates' name scores, over arrays: only their parts that share a
    coarse key with a query part, and are similar enough to it, can count."""

    def __init__(
        self,
        query: NameSide,
        weigh: "Weigher",
        similar: Similar,
        comparisons: Comparisons,
        tokens: dict[str, int],
        near: list[tuple[Part, int, int]],
    ) -> None:
        self.query = query
        self.weigh = weigh
        self.similar = similar
        self.comparisons = comparisons
        self.initials = 0  # query parts that are initials: counted as met, at best
        letters = set()  # and their letters: listed parts beginning so may meet them
        by_token: dict[int, list[tuple[Part, int, int]]] = {}
        keys = query.keys if query.keys is not None else comparisons.query(query)
        for (part, bits, _), lifted in zip(query.units, keys, strict=True):
            if part.initial:
                self.initials |= bits
                letters.add(ord(part.key[0]) if part.key else 0)
            elif (token := tokens.get(token_of(part))) is not None:
                by_token.setdefault(token, []).append((part, bits, lifted))
        for part, token, bits in near:  # a query part's own bit: its place among the units
            by_token.setdefault(token, []).append((part, bits, keys[bits.bit_length() - 1]))
        self.letters = np.array(sorted(letters), dtype=np.int64)
        self.tokens = np.array(sorted(by_token), dtype=np.int64)
        self.groups = [by_token[t] for t in sorted(by_token)]
        # What two listed parts run together can meet in each group: only a single query
        # part of the same key (``cannot_meet``), found here without making the unit.
        self.singles_by_key: list[dict[str, list[tuple[Part, int, int]]]] = []
        for group in self.groups:
            by_key: dict[str, list[tuple[Part, int, int]]] = {}
            for part, bits, lifted in group:
                if not part.joined:
                    by_key.setdefault(part.key, []).append((part, bits, lifted))
            self.singles_by_key.append(by_key)
        self.total_q = sum(query.weights)

    def bounds(
        self, parts: list[Part], arrays: Arrays, names: Ints, runs: dict[int, Part]
    ) -> Floats:
        """At most the name score of each of these names (parts meeting only loosely
        aside). ``runs`` keeps listed parts run together, by pair code, between calls."""
        count = len(names)
        if not count or not self.total_q:
            return np.zeros(count)
        starts = arrays.name_offset[names]
        lengths = arrays.name_offset[names + 1] - starts
        row = np.repeat(np.arange(count), lengths)
        first = lengths.cumsum() - lengths  # where each name's parts start in ``flat``
        place = np.arange(len(row)) - first[row]  # a part's place in its name
        flat = starts[row] + place
        ids = arrays.part_of[flat]
        met_c = arrays.part_initial[ids]
        if len(self.letters):
            met_c = met_c | np.isin(arrays.part_first[ids], self.letters)
        met_q = np.full(count, self.initials, dtype=np.int64)
        top = np.full(count, INITIAL_SIMILARITY if self.initials else 0.0)
        if len(self.tokens):
            # Listed parts (ids from 0) and two adjacent listed parts run together (codes
            # below 0), against the query's parts of their key, in one pass.
            size = len(ids)
            pair_ids = ids * len(parts) + np.append(ids[1:], 0)

            def halves(code: int) -> tuple[Part, Part]:
                one, two = divmod(-code - 1, len(parts))
                return parts[one], parts[two]

            def unit(code: int) -> Part:
                if code >= 0:
                    return parts[code]
                found = runs.get(-code - 1)
                if found is None:
                    if len(runs) >= RUNS_KEPT:
                        runs.clear()
                    found = runs[-code - 1] = run_together(*halves(code))
                return found

            def run_key(code: int) -> str:
                return joined_key(*halves(code))

            met = self._meet(
                np.concatenate([arrays.part_token[ids], arrays.joined_token[flat]]),
                np.concatenate([ids, -pair_ids - 1]),
                unit,
                run_key,
                np.concatenate([row, row]),
                met_q,
                top,
            )
            met_c[met[met < size]] = True
            runs_met = met[met >= size] - size
            met_c[runs_met] = True
            met_c[runs_met + 1] = True
        got_c = np.add.reduceat(np.where(met_c, arrays.part_weights[ids], 0.0), first)
        any_c = np.logical_or.reduceat(met_c, first)
        total_c = np.maximum(arrays.name_weight[names], TINY)
        got_q = self.weigh(met_q)
        bound = (
            top
            * np.minimum(1.0, got_q / self.total_q) ** (1 - EXTRA_PARTS)
            * np.minimum(1.0, got_c / total_c) ** EXTRA_PARTS
        )
        return np.where(any_c, bound, 0.0)

    def _meet(
        self,
        unit_tokens: Ints,
        unit_ids: Ints,
        unit: Callable[[int], Part],
        run_key: Callable[[int], str],
        row: Ints,
        met_q: Ints,
        top: Floats,
    ) -> Ints:
        """Compare listed units with the query parts of their token (each distinct pair
        once), mark in ``met_q`` and ``top`` what met, and return the units that met.
        ``unit`` makes a listed unit from its id (a part, or two parts run together), and
        ``run_key`` gives the key of two parts run together (ids below 0) without making it."""
        at = np.minimum(np.searchsorted(self.tokens, unit_tokens), len(self.tokens) - 1)
        hit = np.flatnonzero(self.tokens[at] == unit_tokens)
        if not len(hit):
            return hit
        groups = np.int64(len(self.tokens))
        pairs, where = np.unique(unit_ids[hit] * groups + at[hit], return_inverse=True)
        bits_of, sim_of = [], []
        similar = self.similar
        comparisons = self.comparisons
        memo = comparisons.memo
        offset = comparisons.offset
        for code in pairs.tolist():
            unit_id, group = divmod(code, int(groups))
            bits, best = 0, 0.0
            if unit_id < 0:  # two listed parts run together
                candidates = self.singles_by_key[group].get(run_key(unit_id))
                if candidates is None:
                    bits_of.append(0)
                    sim_of.append(0.0)
                    continue
            else:
                candidates = self.groups[group]
            lifted_unit = unit_id + offset
            listed: Part | None = None  # made only for a comparison not remembered
            for q, q_bits, lifted in candidates:
                key = lifted + lifted_unit
                found = memo.get(key)
                if found is None:
                    if listed is None:
                        listed = unit(unit_id)
                    found = (0.0, "") if cannot_meet(q, listed) else similar(q, listed)
                    comparisons.remember(key, found)
                sim = found[0]
                if sim >= PAIR_FLOOR:
                    bits |= q_bits
                    best = max(best, sim)
            bits_of.append(bits)
            sim_of.append(best)
        met_bits = np.array(bits_of, dtype=np.int64)[where]
        np.bitwise_or.at(met_q, row[hit], met_bits)
        np.maximum.at(top, row[hit], np.array(sim_of)[where])
        return hit[met_bits > 0]


class Weigher:
    """The summed weight of the parts of one name that bitmasks cover (a lookup table of
    every set of parts for a name of up to TABLE_BITS parts)."""

    def __init__(self, weights: list[float]) -> None:
        self.weights = np.array(weights[:MAX_BITS])
        self.places = np.arange(len(self.weights))
        self.table: Floats | None = None
        if len(self.weights) <= TABLE_BITS:
            masks = np.arange(1 << len(self.weights))[:, None] >> self.places & 1
            self.table = masks @ self.weights

    def __call__(self, bits: Ints) -> Floats:
        if self.table is not None:
            return self.table[bits]
        return ((bits[:, None] >> self.places) & 1) @ self.weights  # type: ignore[no-any-return]
