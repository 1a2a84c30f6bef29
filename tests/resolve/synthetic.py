"""Generated registers for the learned weights' tests (invented names, no real person).

``register`` writes people once and some of them again, as a second clerk would: a letter
of the name changed now and then, and, in a share of the copies, the date of birth replaced
by another one (a register where dates are unreliable, as in FEBRL). The truth says which
records are one person.
"""

import random
from dataclasses import dataclass

from rasid.resolve.model import Record

SYLLABLES = tuple(c + v for v in "aio" for c in "bdfklmnrst")[:26]
STREETS = ("olive", "cedar", "harbour", "station", "market", "garden", "mill", "bridge")


@dataclass(frozen=True)
class Register:
    """The records, and the pairs of records of one person (ordered ids)."""

    records: list[Record]
    truth: set[tuple[str, str]]


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word))
    return word[:at] + rng.choice("aeioulnrst") + word[at + 1 :]


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _word(rng: random.Random, syllables: int, among: int) -> str:
    """A name of ``syllables`` syllables, from the first ``among`` syllables."""
    return "".join(rng.choice(SYLLABLES[:among]) for _ in range(syllables))


def register(
    people: int,
    seed: int = 1,
    copies: float = 0.5,
    replaced: float = 0.4,
    among: int = 26,
    addresses: bool = True,
) -> Register:
    """``people`` persons, a share ``copies`` of them written twice; a share ``replaced``
    of the copies with another date of birth. Names are made of the first ``among``
    syllables: few of them make many namesakes. Without ``addresses``, none."""
    rng = random.Random(seed)
    records: list[Record] = []
    truth: set[tuple[str, str]] = set()
    for n in range(people):
        given, family = _word(rng, 2, among), _word(rng, 3, among)
        born = _date(rng)
        place = f"{rng.randint(1, 200)} {rng.choice(STREETS)} street {rng.randint(1000, 9999)}"
        places = (place,) if addresses else ()
        facts = {"genders": (rng.choice(("male", "female")),),
                 "nationalities": (rng.choice(("jo", "sy", "lb", "iq", "eg", "ps")),)}  # fmt: skip
        name = f"{given} {family}"
        records.append(
            Record(f"p{n:05d}-a", "register", "Person", (name,), (born,), addresses=places, **facts)
        )
        if rng.random() >= copies:
            continue
        name = f"{_typo(given, rng) if rng.random() < 0.3 else given} {family}"
        date = _date(rng) if rng.random() < replaced else born
        records.append(
            Record(f"p{n:05d}-b", "register", "Person", (name,), (date,), addresses=places, **facts)
        )
        truth.add((f"p{n:05d}-a", f"p{n:05d}-b"))
    return Register(records, truth)
