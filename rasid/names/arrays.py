"""The frozen name index: names as rows of part ids, postings by key and by pair of keys.

``build`` turns the names an index holds into numpy arrays once (``NameIndex.prepare``):
every part and every two adjacent parts run together is a *unit* posted under its coarse
key, and every two units of a name under their pair; facts become per-entry arrays that
bounds are computed over.
"""

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from rasid.names.near import NearKeys
from rasid.names.parts import Part
from rasid.names.score import (
    BIRTH_YEARS_APART,
    SAME_BIRTH_DATE,
    SAME_BIRTH_YEAR,
    Facts,
    birth_year,
)

MAX_BITS = 24  # parts of one name that take part in retrieval (parse keeps at most 24)
MANY = -1  # an entry with several nationalities
# Near keys (rasid.names.near) are those of at most this many names: a common key near the
# query's (Mohamad, Mahmud) would bring namesakes by the thousand, each with a loose bound
# above what one letter apart can score, and crowd out the names that share exact keys.
NEAR_CAP = 200

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass
class Arrays:
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


def retrieval_units(parts: list[Part]) -> list[tuple[str, int]]:
    """Coarse keys of a name's retrieval units, each with the bits of the parts it covers:
    every part but initials, and every two adjacent parts run together."""
    units = [
        (token_of(p), 1 << i) for i, p in enumerate(parts[:MAX_BITS]) if not p.initial and p.key
    ]
    for i in range(min(len(parts), MAX_BITS) - 1):
        a, b = parts[i], parts[i + 1]
        if not a.initial and not b.initial:
            units.append((token_of(a) + token_of(b), 3 << i))
    return units


def token_of(part: Part) -> str:
    """What a part is posted under: its coarse key, or its key when the coarse one is empty
    (Yahia: H, which coarse keys drop)."""
    return part.coarse or part.key


def pair_key(a: int, b: int) -> int:
    """One code for two tokens, whatever their order."""
    return (a << 32) | b if a < b else (b << 32) | a


def _day(date: str) -> int:
    """A full date as YYYYMMDD, else 0."""
    digits = date[:10].replace("-", "")
    return int(digits) if len(date) >= 10 and len(digits) == 8 and digits.isdigit() else 0


def birth_effect(arrays: "Arrays", entries: "Ints", date: str) -> "Floats":
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


def build(
    parts: list[Part],
    names: list[tuple[int, str, tuple[int, ...]]],
    entries: Sequence[Facts],
    weights: list[float],
    gender_code: Callable[[str | None], int],
) -> Arrays:
    """Build the arrays queries use: ``parts`` by id, with their ``weights``; ``names`` as
    (entry number, text, part ids); each entry's facts; a code for each gender."""
    tokens: dict[str, int] = {}
    offsets, part_of, totals = array("q", [0]), array("q"), array("d")
    pair_code, pair_name, pair_weight = array("q"), array("q"), array("d")
    single_token, single_name, single_weight = array("q"), array("q"), array("d")
    lengths, joined = array("q"), array("q")
    for number, (_, _, ids) in enumerate(names):
        part_of.extend(ids)
        offsets.append(len(part_of))
        totals.append(sum(weights[i] for i in ids))
        lengths.append(len(ids))
        units = [
            (tokens.setdefault(key, len(tokens)), bits, _weight(bits, ids, weights))
            for key, bits in retrieval_units([parts[i] for i in ids])
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
                pair_code.append(pair_key(ta, tb))
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
    for number, facts in enumerate(entries):
        dates = facts.birth_dates
        years = [y for y in map(_year, dates) if y > 0]
        low.append(min(years, default=-1))
        high.append(max(years, default=-1))
        day.append(_day(dates[0]) if len(dates) == 1 else 0)
        dated.append(bool(dates))
        gender.append(gender_code(facts.gender))
        countries = set(facts.nationalities)
        if len(countries) == 1:
            code = nationality_codes.setdefault(countries.pop(), len(nationality_codes) + 1)
            nationality.append(code)
        else:
            nationality.append(MANY if countries else 0)
        for document in facts.documents:
            documents.setdefault(document, []).append(number)
    return Arrays(
        name_entry=np.array([n for n, _, _ in names], dtype=np.int64),
        name_text=[t for _, t, _ in names],
        name_offset=_np(offsets),
        part_of=_np(part_of),
        name_weight=np.frombuffer(totals, dtype=np.float64).copy() if totals else np.zeros(0),
        part_weight=weights,
        part_weights=np.array(weights, dtype=np.float64),
        part_token=np.array(
            [-1 if p.initial else tokens.get(token_of(p), -1) for p in parts],
            dtype=np.int64,
        ),
        part_initial=np.array([p.initial for p in parts], dtype=bool),
        part_first=np.array([ord(p.key[0]) if p.key else 0 for p in parts], np.int64),
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
            {
                t: tokens[t]
                for p in parts
                if not p.initial
                and (t := token_of(p)) in tokens
                and starts[tokens[t] + 1] - starts[tokens[t]] <= NEAR_CAP
            }
        ),
    )


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
