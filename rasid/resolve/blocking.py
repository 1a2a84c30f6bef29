"""Blocking: which records are compared at all (see rasid.resolve.engine).

Block keys are computed by forked worker processes for large inputs, as hashes (a forked
worker hashes strings as its parent does); blocks are then numbered and their pairs made
with numpy, a block size at a time.
"""

import gc
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from rasid.names.parts import Part
from rasid.resolve.model import Record
from rasid.resolve.names import MAX_NAMES, parts_of

R = TypeVar("R")

# Records compared within one block at most (a block of n makes n(n-1)/2 pairs): blocks of
# a date of birth or an identifier, and blocks of names alone. A name that more records
# share is no evidence to propose without a date of birth or an identifier (which have
# their own blocks): its pairs are namesakes a reviewer cannot tell apart.
MAX_BLOCK = 64
MAX_NAME_BLOCK = 16
MAX_KEYS = 6  # distinct name parts of a name used for blocking
MAX_ADDRESS_WORDS = 12  # words of a record's addresses used for blocking with its birth date


@dataclass
class Stats:
    """What a run did: the command line prints it."""

    records: int = 0
    blocks: int = 0  # blocks of two records or more that were compared
    candidates: int = 0  # distinct pairs compared
    proposed: int = 0
    skipped_blocks: int = 0  # blocks larger than MAX_BLOCK (MAX_NAME_BLOCK for names alone)
    skipped_records: int = 0  # record slots in skipped blocks
    skipped_keys: list[str] = field(default_factory=list)  # the largest skipped, for the log
    seconds: float = 0.0
    weights: str = ""  # "learned" or "fixed" (rasid.resolve.engine)
    weights_note: str = ""  # how they were learned, or why fixed ones were used
    learned: dict[str, Any] = field(default_factory=dict)  # the learned weights, if any


def block_keys(record: Record, parsed: dict[str, list[Part]]) -> tuple[list[str], set[str]]:
    """The blocks a record goes in (see the module docstring), and its name parts' keys."""
    found: set[str] = set()
    every: set[str] = set()
    fine: set[str] = set()
    # Two parts of a name (or its one part) with the date of birth: one part alone with it
    # would pair everyone born that day who shares a common given name. A name of one key
    # (its other parts initials or alike: ``A. Hasan Al Husseini``) also meets, by its date,
    # the names whose last part (the family name, most often) it shares: ``l|`` blocks,
    # whose pairs are kept only when one side is such a name (see ``candidates``).
    last: set[str] = set()
    dated: set[str] = set()
    for name in record.names[:MAX_NAMES]:
        parts = parts_of(name, parsed)
        fine.update(p.key for p in parts)
        exact = [p.key for p in parts if p.key and not p.initial]
        if len(exact) >= 2:
            # The name's own keys, whole and by its ends (given and family name, a father's
            # or grandfather's name left out): coarse blocks of common names are too large
            # to compare, and records of one person written alike still meet here.
            found.add("w|" + "|".join(sorted(exact)))
            found.add("e|" + "|".join(sorted((exact[0], exact[-1]))))
        keys = list(dict.fromkeys(p.coarse for p in parts if p.coarse and not p.initial))
        keys = sorted(keys[:MAX_KEYS])
        every.update(keys)
        if len(keys) == 1:
            dated.add(keys[0])
        last.update([p.coarse for p in parts if p.coarse and not p.initial][-1:])
        for i, a in enumerate(keys):
            for j in range(i + 1, len(keys)):
                found.add(f"n|{a}|{keys[j]}")
                found.add(f"a|{a}|{keys[j][0]}")
                found.add(f"a|{keys[j]}|{a[0]}")
                found.update(f"t|{a}|{keys[j]}|{c}" for c in keys[j + 1 :])
                dated.add(f"{a}|{keys[j]}")
    dates = [d for d in record.birth_dates if len(d) == 10]
    found.update(f"k|{key}" for key in every)
    found.update(f"d|{d}|{both}" for d in dates for both in dated)
    found.update(f"l|{d}|{key}" for d in dates for key in last)
    if record.addresses:
        # A word of the address and a date of birth or a name part: a record whose name
        # is replaced or badly misspelt, or whose date is, still meets its other records
        # at the same address.
        words = sorted({w for a in record.addresses for w in a.split()})[:MAX_ADDRESS_WORDS]
        found.update(f"d|{d}|@{w}" for d in dates for w in words)
        found.update(f"p|{key}|@{w}" for key in every for w in words)
    found.update(f"i|{kind}|{value.partition('@')[0]}" for kind, value in record.identifiers)
    return sorted(found), fine


Pairs = npt.NDArray[np.int64]


RECORD_CHUNK = 20_000  # records a worker finds the blocks of at a time
_RECORDS: Sequence[Record] = ()  # what forked indexing workers read (inherited)
_PARSED: dict[str, list[Part]] = {}  # the run's parsed names (a forked worker fills its copy)


NAMES, DATE, IDENTIFIER, LAST = 0, 1, 2, 3  # what a block's records share
_KIND = {"d": DATE, "i": IDENTIFIER, "l": LAST}


def _lone(keys: list[str]) -> bool:
    """Whether a record's blocks show a name of one key: its last part with the date is
    also its one part with the date."""
    found = set(keys)
    return any(k[0] == "l" and "d" + k[1:] in found for k in keys)


def _index_chunk(
    bounds: tuple[int, int],
) -> tuple[Pairs, Pairs, npt.NDArray[np.int8], Counter[str], dict[str, list[Part]], list[int]]:
    """Block keys (as hashes: a forked worker hashes strings as its parent does) of the
    records ``bounds``, what each block shares, the name parts' counts, the records'
    names parsed (the parent keeps them, so that the workers that score pairs inherit them
    rather than parse every name again), and the records with a name of one key."""
    rec: list[int] = []
    lone: list[int] = []
    key: list[int] = []
    kind: list[int] = []
    df: Counter[str] = Counter()
    mine: dict[str, list[Part]] = {}
    for i in range(*bounds):
        for name in _RECORDS[i].names[:MAX_NAMES]:
            known = _PARSED.get(name)
            if known is not None:
                mine[name] = known
        keys, fine = block_keys(_RECORDS[i], mine)
        df.update(fine)
        if _lone(keys):
            lone.append(i)
        rec += [i] * len(keys)
        key += map(hash, keys)
        kind += [_KIND.get(k[0], NAMES) for k in keys]
    _PARSED.update(mine)
    return (
        np.asarray(rec, dtype=np.int64),
        np.asarray(key, dtype=np.int64),
        np.asarray(kind, dtype=np.int8),
        df,
        mine,
        lone,
    )


@dataclass
class Index:
    """Which blocks each record is in (``rec[i]`` is in block ``key[i]``), the key hash of
    each block, what each block shares (NAMES, DATE, IDENTIFIER, LAST), how many records
    carry each name part, and which records have a name of one key."""

    rec: Pairs
    key: Pairs
    hashes: Pairs
    kind: npt.NDArray[np.int8]
    df: Counter[str]
    lone: npt.NDArray[np.bool_]


def index_records(records: Sequence[Record], count: int, parsed: dict[str, list[Part]]) -> Index:
    """Every record's blocks (dense block numbers), what each block shares, and how many
    records carry each name part."""
    global _RECORDS, _PARSED
    _RECORDS, _PARSED = records, parsed
    bounds = [
        (s, min(s + RECORD_CHUNK, len(records))) for s in range(0, len(records), RECORD_CHUNK)
    ]
    try:
        chunks = list(pool_map(_index_chunk, bounds, count))
    finally:
        _RECORDS, _PARSED = (), {}
    df: Counter[str] = Counter()
    for chunk in chunks:
        df.update(chunk[3])
        parsed.update(chunk[4])
    rec = np.concatenate([c[0] for c in chunks] or [np.zeros(0, np.int64)])
    hashes = np.concatenate([c[1] for c in chunks] or [np.zeros(0, np.int64)])
    kinds = np.concatenate([c[2] for c in chunks] or [np.zeros(0, np.int8)])
    unique, key = np.unique(hashes, return_inverse=True)
    kind = np.zeros(unique.size, dtype=np.int8)
    kind[key] = kinds
    lone = np.zeros(len(records), dtype=bool)
    lone[[i for chunk in chunks for i in chunk[5]]] = True
    return Index(rec, key.astype(np.int64), unique, kind, df, lone)


def pool_map(
    func: Callable[[tuple[int, int]], R], bounds: list[tuple[int, int]], count: int
) -> Iterator[R]:
    """``func`` over the bounds, here or in ``count`` forked processes (in order)."""
    if count <= 1 or len(bounds) <= 1:
        yield from map(func, bounds)
        return
    # What the workers inherit is never collected there: frozen, the collector leaves it
    # alone, and its pages are not copied into each worker as it walks them.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            yield from pool.imap(func, bounds)
    finally:
        gc.unfreeze()


def candidates(
    records: Sequence[Record], index: Index, stats: Stats
) -> tuple[Pairs, Pairs, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Distinct candidate pairs (left and right record indices, left < right), whether
    each pair shares a block of an identifier, and whether it was found only by a name of
    one key seeking its last part (such pairs are not learned from: see rasid.resolve.engine)."""
    rec_a, key_a, ident = index.rec, index.key, index.kind == IDENTIFIER
    sizes = np.bincount(key_a, minlength=ident.size)
    big = np.flatnonzero(sizes > np.where(index.kind == NAMES, MAX_NAME_BLOCK, MAX_BLOCK))
    stats.skipped_blocks = int(big.size)
    stats.skipped_records = int(sizes[big].sum())
    if big.size:
        top = big[np.argsort(-sizes[big], kind="stable")][:10]
        stats.skipped_keys = [f"{_key_name(records, index, int(k))} ({int(sizes[k])})" for k in top]
    keep = sizes >= 2
    keep[big] = False
    stats.blocks = int(keep.sum())
    n = len(records)
    last = index.kind == LAST
    by_name = _block_pairs(rec_a, key_a, keep & ~ident & ~last, n)
    by_last = _block_pairs(rec_a, key_a, keep & last, n)
    by_last = by_last[index.lone[by_last // n] | index.lone[by_last % n]]
    by_id = _block_pairs(rec_a, key_a, keep & ident, n)
    usual = np.union1d(by_name, by_id)
    codes = np.union1d(usual, by_last)
    ident = np.isin(codes, by_id, assume_unique=True)
    return codes // n, codes % n, ident, ~np.isin(codes, usual, assume_unique=True)


def crowded(records: Sequence[Record], index: Index) -> npt.NDArray[np.bool_]:
    """Records with an identifier whose block is too large to compare (shared by more than
    MAX_BLOCK records): their pairs may share it without sharing a compared block."""
    sizes = np.bincount(index.key, minlength=index.kind.size)
    big = (index.kind == IDENTIFIER) & (sizes > MAX_BLOCK)
    found = np.zeros(len(records), dtype=bool)
    found[index.rec[big[index.key]]] = True
    return found


def _key_name(records: Sequence[Record], index: Index, block: int) -> str:
    """The key of a block, found again from one of its records (blocks are numbered)."""
    member = int(index.rec[np.flatnonzero(index.key == block)[0]])
    keys, _ = block_keys(records[member], {})
    return next((k for k in keys if hash(k) == int(index.hashes[block])), "?")


def _block_pairs(rec_a: Pairs, key_a: Pairs, wanted: npt.NDArray[np.bool_], n: int) -> Pairs:
    """Every pair of records within the wanted blocks, as distinct codes ``left * n + right``."""
    mask = wanted[key_a]
    rec_a, key_a = rec_a[mask], key_a[mask]
    order = np.argsort(key_a, kind="stable")
    rec_a, key_a = rec_a[order], key_a[order]
    starts = np.flatnonzero(np.r_[True, key_a[1:] != key_a[:-1]]) if key_a.size else key_a
    lengths = np.diff(np.r_[starts, key_a.size])
    codes = [np.zeros(0, dtype=np.int64)]
    for size in np.unique(lengths):
        block = rec_a[starts[lengths == size][:, None] + np.arange(size)]
        up, down = np.triu_indices(int(size), 1)
        a, b = block[:, up].ravel(), block[:, down].ravel()
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.unique(np.concatenate(codes))


def birth_digits(records: Sequence[Record]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Each record's one full date of birth as eight digits, and whether it has exactly one."""
    digits = np.zeros((len(records), 8), dtype=np.uint8)
    known = np.zeros(len(records), dtype=bool)
    for i, record in enumerate(records):
        full = {d for d in record.birth_dates if len(d) == 10}
        if len(full) == 1:
            text = next(iter(full)).replace("-", "")
            if text.isdigit() and len(text) == 8:
                digits[i] = np.frombuffer(text.encode(), dtype=np.uint8)
                known[i] = True
    return digits, known


SLICE = 1_000_000  # pairs compared at a time: (pairs, 8) arrays are large


def date_levels(
    digits: npt.NDArray[np.uint8], known: npt.NDArray[np.bool_], left: Pairs, right: Pairs
) -> npt.NDArray[np.int8]:
    """For each pair whose records each give one full date of birth: 0 the same date, 1 a
    typing error apart (one digit, two neighbours swapped, day and month swapped; see
    ``near_dates``), 2 other dates; -1 when either date is unknown."""
    out = np.full(left.size, -1, dtype=np.int8)
    for start in range(0, left.size, SLICE):
        a, b = left[start : start + SLICE], right[start : start + SLICE]
        da, db = digits[a], digits[b]
        diff = da != db
        count = diff.sum(axis=1)
        swapped = (count == 2) & (
            diff[:, :-1] & diff[:, 1:] & (da[:, :-1] == db[:, 1:]) & (da[:, 1:] == db[:, :-1])
        ).any(axis=1)
        months = (
            (da[:, :4] == db[:, :4]).all(axis=1)
            & (da[:, 4:6] == db[:, 6:8]).all(axis=1)
            & (da[:, 6:8] == db[:, 4:6]).all(axis=1)
        )
        level = np.where(count == 0, 0, np.where((count == 1) | swapped | months, 1, 2))
        out[start : start + a.size] = np.where(known[a] & known[b], level, -1)
    return out


def other_dates(records: Sequence[Record], left: Pairs, right: Pairs) -> npt.NDArray[np.bool_]:
    """Pairs whose records each give one full date of birth, and dates more than a typing
    error apart (see ``near_dates``)."""
    found: npt.NDArray[np.bool_] = date_levels(*birth_digits(records), left, right) == 2
    return found


def cpus() -> int:
    """The processors to share work between."""
    return os.cpu_count() or 1
