"""Which candidate pairs can reach a score, decided from their facts before their names are
compared (comparing names is most of a run's time).

With learned weights (``rasid.resolve.weights``), a pair's score is its prior plus what each
comparison's level weighs. The facts that numpy can compare for every pair at once (dates
of birth, genders, nationalities, which identifiers and addresses each record has) give
each pair an upper bound: the names are counted as written alike, and a comparison known
only in part at its best level. A pair whose bound stays below the threshold cannot be
proposed (unless it shares an identifier, and those pairs are always scored).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rasid.resolve.blocking import SLICE, Pairs, birth_digits, date_levels
from rasid.resolve.evidence import COMPARISONS, NAME
from rasid.resolve.model import Record
from rasid.resolve.weights import Weights

_GENDERS = {"male": 1, "female": 2, "other": 3}
# Identifier comparisons (by key) and the kinds each compares.
_KINDS = {"document": ("document", "registration"), "phone": ("phone",), "email": ("email",),
          "account": ("account",)}  # fmt: skip
_INDEX = {c.key: i for i, c in enumerate(COMPARISONS)}


@dataclass
class Facts:
    """What each record has, as arrays (one row per record)."""

    digits: npt.NDArray[np.uint8]
    known: npt.NDArray[np.bool_]  # exactly one full date of birth
    dated: npt.NDArray[np.bool_]  # any date of birth
    gender: npt.NDArray[np.int8]  # 0: none or several
    nationality: npt.NDArray[np.uint64]  # hashed into 64 bits; 0: none
    kinds: dict[str, npt.NDArray[np.bool_]]  # identifier comparison -> has one of its kinds
    address: npt.NDArray[np.bool_]
    crowded: npt.NDArray[np.bool_]  # see rasid.resolve.blocking.crowded


def facts(records: Sequence[Record], crowded: npt.NDArray[np.bool_]) -> Facts:
    """The records' facts as arrays."""
    digits, known = birth_digits(records)
    n = len(records)
    gender = np.zeros(n, dtype=np.int8)
    nationality = np.zeros(n, dtype=np.uint64)
    kinds = {key: np.zeros(n, dtype=bool) for key in _KINDS}
    for i, r in enumerate(records):
        if len(r.genders) == 1:
            gender[i] = _GENDERS.get(r.genders[0], 3)
        for c in r.nationalities:
            nationality[i] |= np.uint64(1 << (hash(c) % 64))
        held = {k for k, _ in r.identifiers}
        for key, wanted in _KINDS.items():
            kinds[key][i] = not held.isdisjoint(wanted)
    dated = np.fromiter((bool(r.birth_dates) for r in records), bool, n)
    address = np.fromiter((bool(r.addresses) for r in records), bool, n)
    return Facts(digits, known, dated, gender, nationality, kinds, address, crowded)


def _best(bits: tuple[float, ...], levels: Sequence[int] | None = None) -> float:
    """The most a comparison can add at the given levels (all by default), or nothing."""
    chosen = bits if levels is None else [bits[i] for i in levels]
    return max(0.0, *chosen)


def reachable(
    found: Facts, left: Pairs, right: Pairs, weights: Weights, floor: float
) -> npt.NDArray[np.bool_]:
    """The pairs whose bound (see the module docstring) reaches ``floor`` (log-odds)."""
    out = np.zeros(left.size, dtype=bool)
    for start in range(0, left.size, SLICE):
        a, b = left[start : start + SLICE], right[start : start + SLICE]
        out[start : start + a.size] = _bound(found, a, b, weights) >= floor
    return out


def _bound(found: Facts, a: Pairs, b: Pairs, weights: Weights) -> npt.NDArray[np.float64]:
    bits = weights.bits
    total = np.full(a.size, weights.prior_bits + weights.best(NAME))
    # Dates: a level when both give one full date (digits compared without the dashes, so
    # "the same" may be a typing error and "one apart" another date), else the best level.
    date = bits[_INDEX["birth_date"]]
    level = date_levels(found.digits, found.known, a, b)
    sure = np.array([max(date[0], date[1]), max(date[1], date[3]), date[3]])
    both = found.dated[a] & found.dated[b]
    total += np.where(level >= 0, sure[np.maximum(level, 0)], np.where(both, _best(date), 0.0))
    gender = bits[_INDEX["gender"]]
    ga, gb = found.gender[a], found.gender[b]
    total += np.where((ga > 0) & (gb > 0), np.where(ga == gb, gender[0], gender[1]), 0.0)
    nation = bits[_INDEX["nationality"]]
    na, nb = found.nationality[a], found.nationality[b]
    common = (na & nb) != 0
    total += np.where((na > 0) & (nb > 0), np.where(common, _best(nation), nation[1]), 0.0)
    crowd = found.crowded[a] | found.crowded[b]
    for key in _KINDS:
        held = bits[_INDEX[key]]
        # Not in an identifier's block, they share none, unless its block was too large.
        both = found.kinds[key][a] & found.kinds[key][b]
        unshared = _best(held, range(1, len(held)))
        total += np.where(both, np.where(crowd, _best(held), unshared), 0.0)
    place = bits[_INDEX["address"]]
    total += np.where(found.address[a] & found.address[b], _best(place), 0.0)
    return total
