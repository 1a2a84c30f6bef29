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
from array import array
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import numpy.typing as npt

from rasid.names.near import NearKeys
from rasid.names.parts import Part, parse
from rasid.names.score import (
    ALERT_THRESHOLD,
    BIRTH_YEARS_APART,
    EXTRA_PARTS,
    OTHER_GENDER,
    OTHER_NATIONALITY,
    PAIR_FLOOR,
    SAME_BIRTH_DATE,
    SAME_BIRTH_YEAR,
    SAME_DOCUMENT,
    SAME_NATIONALITY,
    Facts,
    NameSide,
    Similar,
    birth_year,
    combine,
    facts_adjustment,
    idf_rarity,
    name_score,
    part_similarity,
    part_weight,
    run_together,
    side,
)
from rasid.screen.model import Match, Subject

CANDIDATES = 20  # names scored in full per query, at most
REFINED = 120  # names given a closer bound per query, at most
FIRST_CHUNK = 16  # names given closer bounds at once, at first (then twice as many)
INITIAL_SIMILARITY = 0.9  # the most an initial can score against a part
PAIR_CAP = 300  # names taken from one pair of keys (those with the fewest parts first)
SINGLE_CAP = 50  # names taken from one key alone (the same order)
NEAR_CAP = 200  # names under a near key for it to count (see _near_units)
MEMO_SIZE = 1_000_000  # part comparisons remembered between queries
SIDES_KEPT = 200_000  # listed names kept ready for alignment between queries
MAX_BITS = 24  # parts of one name that take part in retrieval (parse keeps at most 24)
TINY = 1e-12  # a weight standing in for zero in divisions
TABLE_BITS = 10  # queries of up to this many parts weigh sets of parts by a lookup table
MANY = -1  # an entry with several nationalities

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass
class Entry:
    """One indexed entity: its id and facts (its names are in the index's name rows)."""

    entity_id: str
    facts: Facts


@dataclass
class _Arrays:
    """The frozen index: names as rows of part ids, postings by key and by pair of keys."""

    name_entry: Ints  # per name: its entry number
    name_text: list[str]
    name_offset: Ints  # per name: where its part ids start in part_of (one more at the end)
    part_of: Ints  # part ids of all names, name after name
    name_weight: Floats  # per name: the sum of its parts' weights
    part_weight: list[float]  # per part id
    part_weights: Floats  # the same, as an array
    part_token: Ints  # per part id: its token (-1: an initial, or no key)
    part_initial: npt.NDArray[np.bool_]  # per part id
    part_first: Ints  # per part id: the code of its key's first letter (0: none)
    joined_token: Ints  # per place in part_of: the token of it and the next part run
    # together (-1: the last part of its name, or an initial on either side)
    tokens: dict[str, int]  # coarse key of a unit: token id
    pair_keys: Ints  # sorted unique pair codes
    pair_start: Ints  # where each pair's postings start (one more at the end)
    pair_name: Ints
    pair_weight: Floats  # the weight of the name's parts the pair covers
    single_start: Ints  # per token (one more at the end)
    single_name: Ints
    single_weight: Floats
    year_low: Ints  # per entry: earliest and latest birth year (-1: none)
    year_high: Ints
    birth_day: Ints  # per entry with one full birth date: YYYYMMDD (else 0)
    dated: npt.NDArray[np.bool_]  # per entry: has a birth date, readable or not
    nationality: Ints  # per entry: 0 none, MANY several, else a code of nationality_codes
    nationality_codes: dict[str, int]
    gender: Ints  # per entry: 0 unknown, else a code of _Genders
    documents: dict[str, list[int]]  # document number: entries
    near: NearKeys  # keys of single parts one letter apart (rasid.names.near)


def _units(parts: list[Part]) -> list[tuple[str, int]]:
    """Coarse keys of a name's retrieval units, each with the bits of the parts it covers:
    every part but initials, and every two adjacent parts run together."""
    units = [(_token(p), 1 << i) for i, p in enumerate(parts[:MAX_BITS]) if not p.initial and p.key]
    for i in range(min(len(parts), MAX_BITS) - 1):
        a, b = parts[i], parts[i + 1]
        if not a.initial and not b.initial:
            units.append((_token(a) + _token(b), 3 << i))
    return units


def _token(part: Part) -> str:
    """What a part is posted under: its coarse key, or its key when the coarse one is empty
    (Yahia: H, which coarse keys drop)."""
    return part.coarse or part.key


def _pair_code(a: int, b: int) -> int:
    return (min(a, b) << 32) | max(a, b)


def _day(date: str) -> int:
    """A full date as YYYYMMDD, else 0."""
    digits = date[:10].replace("-", "")
    return int(digits) if len(date) >= 10 and len(digits) == 8 and digits.isdigit() else 0


def _birth_effect(arrays: "_Arrays", entries: "Ints", date: str) -> "Floats":
    """What a subject's birth date does to each entry's score (``facts_adjustment``'s rule,
    exact for entries with one birth date, at best for those with several)."""
    year, day = _year(date), _day(date)
    low, high = arrays.year_low[entries], arrays.year_high[entries]
    dated = arrays.dated[entries]
    if year <= 0:  # unreadable: only the very same text could agree
        return np.where(dated, SAME_BIRTH_DATE, 0.0)
    known = low > 0
    apart = known & ((year < low - 1) | (year > high + 1))
    several = np.where(apart, BIRTH_YEARS_APART, np.where(known, SAME_BIRTH_DATE, 0.0))
    same_day = (arrays.birth_day[entries] == day) & (day > 0)
    one = np.where(
        same_day,
        SAME_BIRTH_DATE,
        np.where(low == year, SAME_BIRTH_YEAR, np.where(apart, BIRTH_YEARS_APART, 0.0)),
    )
    return np.where(low == high, one, several)


def _year(date: str) -> int:
    return birth_year(date) or -1


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
    _arrays: _Arrays | None = None
    _sides: dict[int, NameSide] = field(default_factory=dict)
    _numbers: dict[str, int] | None = None  # entity id: entry number, made when needed
    _memo: dict[tuple[Part, Part], tuple[float, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

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

    def _frozen(self) -> _Arrays:
        arrays = self._arrays
        if arrays is None:
            with self._lock:
                if self._arrays is None:
                    self._arrays = self._freeze()
                    _out_of_collector_sight()
                arrays = self._arrays
        return arrays

    def _freeze(self) -> _Arrays:
        """Build the arrays the queries use from the names added so far."""
        weights = [part_weight(p, self.rarity(p.key)) for p in self._parts]
        tokens: dict[str, int] = {}
        offsets, part_of, totals = array("q", [0]), array("q"), array("d")
        pair_code, pair_name, pair_weight = array("q"), array("q"), array("d")
        single_token, single_name, single_weight = array("q"), array("q"), array("d")
        lengths, joined = array("q"), array("q")
        for number, (_, _, ids) in enumerate(self._names):
            part_of.extend(ids)
            offsets.append(len(part_of))
            totals.append(sum(weights[i] for i in ids))
            lengths.append(len(ids))
            units = [
                (tokens.setdefault(key, len(tokens)), bits, _weight(bits, ids, weights))
                for key, bits in _units([self._parts[i] for i in ids])
            ]
            run_together = [-1] * len(ids)
            for token, bits, _ in units:
                if bits & (bits - 1):  # two parts: 3 << i
                    run_together[bits.bit_length() - 2] = token
            joined.extend(run_together)
            for token, _, weight in units:
                single_token.append(token)
                single_name.append(number)
                single_weight.append(weight)
            for (ta, ba, wa), (tb, bb, wb) in combinations(units, 2):
                if not ba & bb:
                    pair_code.append(_pair_code(ta, tb))
                    pair_name.append(number)
                    pair_weight.append(wa + wb)
        size = np.frombuffer(lengths, dtype=np.int64) if lengths else np.zeros(0, np.int64)
        pair_keys, pair_start, pair_names, pair_weights = _postings(
            _np(pair_code), _np(pair_name), _floats(pair_weight), size
        )
        single_keys, starts, single_names, single_weights = _postings(
            _np(single_token), _np(single_name), _floats(single_weight), size
        )
        # Every token has postings, so the unique single keys are 0..len(tokens)-1.
        assert len(single_keys) == len(tokens)
        low, high, gender, day, dated = [], [], [], [], []
        nationality: list[int] = []
        nationality_codes: dict[str, int] = {}
        documents: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            dates = entry.facts.birth_dates
            years = [y for y in map(_year, dates) if y > 0]
            low.append(min(years, default=-1))
            high.append(max(years, default=-1))
            day.append(_day(dates[0]) if len(dates) == 1 else 0)
            dated.append(bool(dates))
            gender.append(self._gender_code(entry.facts.gender))
            countries = set(entry.facts.nationalities)
            if len(countries) == 1:
                code = nationality_codes.setdefault(countries.pop(), len(nationality_codes) + 1)
                nationality.append(code)
            else:
                nationality.append(MANY if countries else 0)
            for document in entry.facts.documents:
                documents.setdefault(document, []).append(number)
        return _Arrays(
            name_entry=np.array([n for n, _, _ in self._names], dtype=np.int64),
            name_text=[t for _, t, _ in self._names],
            name_offset=_np(offsets),
            part_of=_np(part_of),
            name_weight=np.frombuffer(totals, dtype=np.float64).copy() if totals else np.zeros(0),
            part_weight=weights,
            part_weights=np.array(weights, dtype=np.float64),
            part_token=np.array(
                [-1 if p.initial else tokens.get(_token(p), -1) for p in self._parts],
                dtype=np.int64,
            ),
            part_initial=np.array([p.initial for p in self._parts], dtype=bool),
            part_first=np.array([ord(p.key[0]) if p.key else 0 for p in self._parts], np.int64),
            joined_token=_np(joined),
            tokens=tokens,
            pair_keys=pair_keys,
            pair_start=pair_start,
            pair_name=pair_names,
            pair_weight=pair_weights,
            single_start=starts,
            single_name=single_names,
            single_weight=single_weights,
            year_low=np.array(low, dtype=np.int64),
            birth_day=np.array(day, dtype=np.int64),
            dated=np.array(dated, dtype=bool),
            nationality=np.array(nationality, dtype=np.int64),
            nationality_codes=nationality_codes,
            year_high=np.array(high, dtype=np.int64),
            gender=np.array(gender, dtype=np.int64),
            documents=documents,
            near=NearKeys(
                {t: tokens[t] for p in self._parts if not p.initial and (t := _token(p)) in tokens}
            ),
        )

    def _similar(self, q: Part, c: Part) -> tuple[float, str]:
        """``part_similarity``, remembered: queries meet the same listed parts in many
        candidates, and common names again and again."""
        key = (q, c)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = part_similarity(q, c)
        return found

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
        parts = parse(subject.name)
        if not parts or not self._names:
            return []
        arrays = self._frozen()
        query = side(parts, {p.key: self.rarity(p.key) for p in parts})
        near = self._near_units(arrays, parts)
        found = self._gather(arrays, parts, near)
        if found is None:
            return []
        names, query_bits, name_got = found
        if among is not None:
            wanted = self._entry_numbers(among)
            keep = np.isin(arrays.name_entry[names], wanted)
            names, query_bits, name_got = names[keep], query_bits[keep], name_got[keep]
        facts = subject_facts(subject)
        weigh = _Weigher(query.weights)
        bound, adjust = self._bound(arrays, query, weigh, names, query_bits, name_got, facts)
        # Closer bounds, a chunk at a time in the order of the loose ones; full scores in
        # the order of the closer bounds, while the best closer bound is at least the next
        # loose one (then it is the best of all) and can still beat the results found.
        chosen = np.lexsort((names, -bound))[:REFINED]
        chosen = chosen[bound[chosen] > 0]
        loose = np.append(bound[chosen], -np.inf)
        closer = _Closer(query, weigh, self._similar, arrays.tokens, near)
        refined = np.full(len(chosen), -np.inf)
        best: dict[int, tuple[float, int]] = {}  # entry number: best score, name number
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
                    closer.bounds(self, arrays, names[chosen[some]]) + adjust[chosen[some]]
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
            scored = name_score(
                query, self._side(arrays, name), explain=False, similar=self._similar
            )
            if scored.score <= 0:
                continue
            score = combine(scored, facts_adjustment(facts, self.entries[entry_number].facts)).score
            held = best.get(entry_number)
            if score > 0 and (held is None or score > held[0]):
                best[entry_number] = (score, name)
                if len(best) >= limit:
                    floor = sorted((s for s, _ in best.values()), reverse=True)[limit - 1]
        ranked = sorted(best.items(), key=lambda b: (-b[1][0], self.entries[b[0]].entity_id))
        return [self._explain(arrays, query, facts, e, n) for e, (_, n) in ranked[:limit]]

    def _entry_numbers(self, entity_ids: Collection[str]) -> Ints:
        """The entry numbers of these entity ids (unknown ids are left out)."""
        if self._numbers is None or len(self._numbers) != len(self.entries):
            self._numbers = {e.entity_id: n for n, e in enumerate(self.entries)}
        numbers = self._numbers
        return np.array([numbers[i] for i in entity_ids if i in numbers], dtype=np.int64)

    def _side(self, arrays: _Arrays, name: int) -> NameSide:
        """A listed name's parts and weights, ready for alignment (kept for reuse)."""
        found = self._sides.get(name)
        if found is None:
            if len(self._sides) >= SIDES_KEPT:
                self._sides.clear()
            start, end = arrays.name_offset[name], arrays.name_offset[name + 1]
            ids = arrays.part_of[start:end].tolist()
            found = NameSide([self._parts[i] for i in ids], [arrays.part_weight[i] for i in ids])
            self._sides[name] = found
        return found

    def _explain(
        self, arrays: _Arrays, query: NameSide, facts: Facts, entry_number: int, name: int
    ) -> Match:
        """The match for an entry through one of its names, with every reason."""
        entry = self.entries[entry_number]
        scored = combine(
            name_score(query, self._side(arrays, name)), facts_adjustment(facts, entry.facts)
        )
        alert = scored.score >= ALERT_THRESHOLD
        return Match(entry.entity_id, scored.score, alert, arrays.name_text[name], scored.reasons)

    def _near_units(self, arrays: _Arrays, parts: list[Part]) -> list[tuple[Part, int, int]]:
        """Each query part with the tokens of indexed keys near its own, and its bit. Only
        keys of few names count: a common key near the query's (Mohamad, Mahmud) brings
        namesakes by the thousand, each with a bound above what one letter apart can score."""
        found: list[tuple[Part, int, int]] = []
        starts = arrays.single_start
        for i, part in enumerate(parts[:MAX_BITS]):
            if not part.initial and part.key:
                found.extend(
                    (part, token, 1 << i)
                    for token in arrays.near.near(_token(part))
                    if starts[token + 1] - starts[token] <= NEAR_CAP
                )
        return found

    def _gather(
        self, arrays: _Arrays, parts: list[Part], near: list[tuple[Part, int, int]]
    ) -> tuple[Ints, Ints, Floats] | None:
        """Candidate names, with the bits of the query's parts that met and the summed
        weight of the name's parts that met (pairs overlap: it may exceed the name's).
        ``near``: query parts with tokens they may meet beside their own."""
        units = [
            (token, bits)
            for key, bits in _units(parts)
            if (token := arrays.tokens.get(key)) is not None
        ]
        if not units:
            return None
        chunks: list[tuple[Ints, Floats, int]] = []
        codes = [
            (_pair_code(ta, tb), ba | bb)
            for (ta, ba), (tb, bb) in combinations(units, 2)
            if not ba & bb
        ]
        # A near key counts only beside a key of the query's own: alone, or with another
        # near key, it would bring names the query shares nothing exact with.
        codes += [
            (_pair_code(ta, tb), ba | bb) for _, ta, ba in near for tb, bb in units if not ba & bb
        ]
        if codes:
            wanted = np.array([c for c, _ in codes], dtype=np.int64)
            at = np.searchsorted(arrays.pair_keys, wanted)
            at[at >= len(arrays.pair_keys)] = 0
            for i, (code, bits) in enumerate(codes):
                if arrays.pair_keys[at[i]] == code:
                    start = int(arrays.pair_start[at[i]])
                    end = min(int(arrays.pair_start[at[i] + 1]), start + PAIR_CAP)
                    chunks.append(
                        (arrays.pair_name[start:end], arrays.pair_weight[start:end], bits)
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

    def _bound(
        self,
        arrays: _Arrays,
        query: NameSide,
        weigh: "_Weigher",
        names: Ints,
        query_bits: Ints,
        name_got: Floats,
        facts: Facts,
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
            adjust += _birth_effect(arrays, entries, facts.birth_dates[0])
        if facts.nationalities:
            theirs = arrays.nationality[entries]
            ours = arrays.nationality_codes.get(facts.nationalities[0], -2)
            same = (theirs == ours) | (theirs == MANY)  # several: one of them may be ours
            effect = np.where(same, SAME_NATIONALITY, OTHER_NATIONALITY)
            adjust += np.where(theirs == 0, 0.0, effect)
        if facts.gender:
            code = self._genders.get(facts.gender)
            theirs = arrays.gender[entries]
            adjust += np.where((theirs > 0) & (theirs != (code or -1)), OTHER_GENDER, 0.0)
        for document in facts.documents:
            holders = arrays.documents.get(document)
            if holders:
                adjust += np.isin(entries, holders) * SAME_DOCUMENT
        return bound + adjust, adjust  # not capped at 1: a document or a birth date still ranks


class _Closer:
    """Closer bounds of candidates' name scores, over arrays: only their parts that share a
    coarse key with a query part, and are similar enough to it, can count."""

    def __init__(
        self,
        query: NameSide,
        weigh: "_Weigher",
        similar: Similar,
        tokens: dict[str, int],
        near: list[tuple[Part, int, int]],
    ) -> None:
        self.query = query
        self.weigh = weigh
        self.similar = similar
        self.initials = 0  # query parts that are initials: counted as met, at best
        letters = set()  # and their letters: listed parts beginning so may meet them
        by_token: dict[int, list[tuple[Part, int]]] = {}
        for part, bits, _ in query.units:
            if part.initial:
                self.initials |= bits
                letters.add(ord(part.key[0]) if part.key else 0)
            elif (token := tokens.get(_token(part))) is not None:
                by_token.setdefault(token, []).append((part, bits))
        for part, token, bits in near:
            by_token.setdefault(token, []).append((part, bits))
        self.letters = np.array(sorted(letters), dtype=np.int64)
        self.tokens = np.array(sorted(by_token), dtype=np.int64)
        self.groups = [by_token[t] for t in sorted(by_token)]
        self.total_q = sum(query.weights)

    def bounds(self, index: "NameIndex", arrays: _Arrays, names: Ints) -> Floats:
        """At most the name score of each of these names (parts meeting only loosely
        aside)."""
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
            parts = index._parts
            met = self._meet(arrays.part_token[ids], ids, lambda i: parts[i], row, met_q, top)
            met_c[met] = True
            # Two listed parts run together, against the query's parts of their key.
            pair_ids = ids * len(parts) + np.append(ids[1:], 0)
            met = self._meet(
                arrays.joined_token[flat],
                pair_ids,
                lambda i: run_together(*(parts[j] for j in divmod(i, len(parts)))),
                row,
                met_q,
                top,
            )
            met_c[met] = True
            met_c[met + 1] = True
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
        row: Ints,
        met_q: Ints,
        top: Floats,
    ) -> Ints:
        """Compare listed units with the query parts of their token (each distinct pair
        once), mark in ``met_q`` and ``top`` what met, and return the units that met.
        ``unit`` makes a listed unit from its id (a part, or two parts run together)."""
        at = np.minimum(np.searchsorted(self.tokens, unit_tokens), len(self.tokens) - 1)
        hit = np.flatnonzero(self.tokens[at] == unit_tokens)
        if not len(hit):
            return hit
        groups = np.int64(len(self.tokens))
        pairs, where = np.unique(unit_ids[hit] * groups + at[hit], return_inverse=True)
        bits_of, sim_of = [], []
        similar = self.similar
        for code in pairs.tolist():
            unit_id, group = divmod(code, int(groups))
            listed = unit(unit_id)
            bits, best = 0, 0.0
            for q, q_bits in self.groups[group]:
                sim = similar(q, listed)[0]
                if sim >= PAIR_FLOOR:
                    bits |= q_bits
                    best = max(best, sim)
            bits_of.append(bits)
            sim_of.append(best)
        met_bits = np.array(bits_of, dtype=np.int64)[where]
        np.bitwise_or.at(met_q, row[hit], met_bits)
        np.maximum.at(top, row[hit], np.array(sim_of)[where])
        return hit[met_bits > 0]


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


class _Weigher:
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


def _weight(bits: int, ids: tuple[int, ...], weights: list[float]) -> float:
    return sum(weights[i] for n, i in enumerate(ids) if bits >> n & 1)


def _floats(values: "array[float]") -> Floats:
    return np.array(values, dtype=np.float64)


def _np(values: "array[int]") -> Ints:
    return np.array(values, dtype=np.int64)


def _postings(
    keys: Ints, names: Ints, weights: Floats, sizes: Ints
) -> tuple[Ints, Ints, Ints, Floats]:
    """Postings grouped by key, the names with the fewest parts first within each key:
    the unique keys, where each key's postings start (and one more at the end), the names
    and the weights."""
    if not len(keys):
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(1, dtype=np.int64), empty, np.zeros(0)
    order = np.lexsort((names, sizes[names], keys))
    keys, names, weights = keys[order], names[order], weights[order]
    unique, start = np.unique(keys, return_index=True)
    return unique, np.append(start, len(keys)).astype(np.int64), names, weights


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
