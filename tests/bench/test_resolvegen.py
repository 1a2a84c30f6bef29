"""The resolution benchmark's generator: three agencies' records of the same people."""

import importlib
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from rasid.names.keys import is_arabic

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _resolvegen() -> ModuleType:
    # The benchmark's modules import each other as scripts do, from their own directory.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("resolvegen")


def test_records_truth_and_splink_rows_agree() -> None:
    gen = _resolvegen()
    made = gen.generate(300, seed=3)
    ids = [r.entity_id for r in made.records]
    assert len(ids) == len(set(ids)) == len(made.truth) == len(made.splink_rows)
    assert set(made.truth) == set(ids)
    assert [row["unique_id"] for row in made.splink_rows] == ids
    per_person = Counter(made.truth.values())
    assert set(per_person.values()) <= {1, 2, 3} and len(per_person) == 300
    assert {r.dataset for r in made.records} == set(gen.AGENCIES)
    # Each agency writes people its own way: prisons in Arabic script, border in capitals.
    prisons = [r for r in made.records if r.dataset == "prisons"]
    assert all(is_arabic(r.names[0]) for r in prisons)
    border = [r for r in made.records if r.dataset == "border"]
    assert all(r.names[0] == r.names[0].upper() and r.names[0].isascii() for r in border)
    pairs = gen.true_pairs(made.truth)
    assert len(pairs) == sum(n * (n - 1) // 2 for n in per_person.values())
    assert all(a < b for a, b in pairs)


def test_the_same_seed_gives_the_same_records() -> None:
    gen = _resolvegen()
    assert gen.generate(50, seed=9).records == gen.generate(50, seed=9).records
    assert gen.generate(50, seed=9).records != gen.generate(50, seed=10).records


def test_clerks_errors() -> None:
    gen = _resolvegen()
    rng = random.Random(1)
    for _ in range(200):
        changed = gen.date_typo("1980-03-12", rng)
        assert changed != "1980-03-12" and changed[:4] == "1980"
        month, day = int(changed[5:7]), int(changed[8:10])
        assert 1 <= month <= 12 and 1 <= day <= 28
        word = gen.typo("Abdallah", rng)
        assert word != "Abdallah"
        assert word[0] == "A" and abs(len(word) - 8) <= 1
