"""Records for the resolution benchmark: the same people as three agencies write them.

Each generated person (name from ``rasid.demo.names``, gender, nationality, date of birth,
national id, passport, phone, e-mail) is registered by one to three agencies, each in its
own way:

* ``police``: an English transliteration and the Arabic script, national id, phone;
* ``border``: the passport's upper-case ASCII name (French spelling for the Maghreb), the
  passport number with its issuing state, date of birth, gender, nationality;
* ``prisons``: the Arabic script (vocalised, a clerk's spelling or stretched) and, for one
  record in three only, a scholarly or abbreviated Latin form; national id.

Then clerks err: a letter of a Latin name changed, dropped or doubled; a date of birth one
digit off or missing; identifiers missing. ``truth`` gives each record's person, so
precision and recall can be counted; ``splink_rows`` gives Splink the same records as the
flat Latin-string columns it compares.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from rasid.demo.names import PersonName, arabic, compose, latin, passport
from rasid.resolve.model import Record
from rasid.resolve.records import document

NATIONALITIES = ("jo", "sy", "iq", "eg", "tn", "ma", "dz", "ly", "ye", "sd", "lb", "ps")
AGENCIES = ("police", "border", "prisons")
STYLES = ("en", "en", "fr", "en_short", "surname_first", "abbr")


@dataclass(frozen=True)
class Person:
    """The truth about one generated person."""

    number: int
    name: PersonName
    female: bool
    nationality: str
    birth_date: str
    national_id: str
    passport: str
    phone: str
    email: str


@dataclass
class Generated:
    """Records, the person each belongs to, and Splink's view of the same records."""

    records: list[Record]
    truth: dict[str, int]  # record id -> person number
    splink_rows: list[dict[str, str | None]]


def person(rng: random.Random, number: int) -> Person:
    """One person with every fact known."""
    female = rng.random() < 0.3
    nationality = rng.choice(NATIONALITIES)
    name = compose(rng, female, nationality)
    born = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    digits = "".join(rng.choice("0123456789") for _ in range(10))
    doc = rng.choice("ABCNPZ") + "".join(rng.choice("0123456789") for _ in range(7))
    user = f"{name.given.en[0].lower()}{number}"
    return Person(
        number,
        name,
        female,
        nationality,
        born,
        digits,
        doc,
        f"9{rng.randint(10**10, 10**11 - 1)}",
        f"{user}@example.com",
    )


def typo(text: str, rng: random.Random) -> str:
    """One letter of a Latin word changed, dropped or doubled (never the first)."""
    spots = [i for i, c in enumerate(text) if c.isalpha() and c.isascii() and i > 0]
    if not spots:
        return text
    at = rng.choice(spots)
    kind = rng.random()
    if kind < 0.4:
        letter = rng.choice([c for c in "aeioulnrstmhdk" if c != text[at].lower()])
        return text[:at] + (letter.upper() if text[at].isupper() else letter) + text[at + 1 :]
    if kind < 0.7:
        return text[:at] + text[at + 1 :]
    return text[:at] + text[at] + text[at:]


def date_typo(date: str, rng: random.Random) -> str:
    """A clerk's slip on a date: one digit of the day or month changed, or day and month
    swapped (the date stays valid)."""
    year, month, day = date.split("-")
    if int(day) <= 12 and day != month and rng.random() < 0.3:
        return f"{year}-{day}-{month}"
    if rng.random() < 0.5:
        other = rng.choice(
            [d for d in range(1, 29) if d != int(day) and str(d).zfill(2)[0] == day[0]]
        )
        return f"{year}-{month}-{other:02d}"
    other = rng.choice(
        [m for m in range(1, 13) if m != int(month) and str(m).zfill(2)[0] == month[0]]
    )
    return f"{year}-{other:02d}-{day}"


def _maybe(value: str, rng: random.Random, keep: float) -> tuple[str, ...]:
    return (value,) if rng.random() < keep else ()


def _dob(who: Person, rng: random.Random, missing: float) -> tuple[str, ...]:
    roll = rng.random()
    if roll < missing:
        return ()
    return (date_typo(who.birth_date, rng),) if roll < missing + 0.04 else (who.birth_date,)


def _latin(who: Person, style: str, rng: random.Random, err: float) -> str:
    text = latin(who.name, style, rng)
    return typo(text, rng) if rng.random() < err else text


def write(who: Person, agency: str, rng: random.Random, err: float) -> Record:
    """The record ``agency`` keeps on ``who``."""
    rid = f"{agency}-{who.number:07d}-{rng.randint(0, 999):03d}"
    gender = ("female" if who.female else "male",)
    if agency == "police":
        names = (_latin(who, rng.choice(STYLES), rng, err), arabic(who.name, rng))
        ids = [("document", document(v)) for v in _maybe(who.national_id, rng, 0.5)]
        ids += [("phone", v) for v in _maybe(who.phone, rng, 0.5)]
        return Record(
            rid,
            agency,
            "Person",
            names,
            _dob(who, rng, 0.15),
            gender,
            (who.nationality,),
            tuple(ids),
        )
    if agency == "border":
        given, surname = passport(who.name, who.nationality, rng)
        name = f"{given} {surname}"
        name = typo(name, rng) if rng.random() < err else name
        ids = [("document", document(who.passport, who.nationality))]
        ids += [("email", v) for v in _maybe(who.email, rng, 0.3)]
        return Record(
            rid,
            agency,
            "Person",
            (name,),
            _dob(who, rng, 0.02),
            gender,
            (who.nationality,),
            tuple(ids) if rng.random() < 0.6 else (),
        )
    script = arabic(
        who.name,
        rng,
        vocalised=rng.random() < 0.3,
        clerk=rng.random() < 0.3,
        tatweel=rng.random() < 0.2,
        full=rng.random() < 0.7,
    )
    names = (script,)
    if rng.random() < 0.33:
        names += (_latin(who, rng.choice(("sch", "abbr", "fr")), rng, err),)
    ids = [("document", document(v)) for v in _maybe(who.national_id, rng, 0.4)]
    return Record(rid, agency, "Person", names, _dob(who, rng, 0.25), gender, (), tuple(ids))


def people_records(people: int, seed: int = 6, err: float = 0.15) -> Iterator[tuple[Record, int]]:
    """Each person in one to three agencies (two or three for most)."""
    rng = random.Random(seed)
    for number in range(people):
        who = person(rng, number)
        roll = rng.random()
        count = 1 if roll < 0.2 else 2 if roll < 0.65 else 3
        for agency in rng.sample(AGENCIES, count):
            yield write(who, agency, rng, err), number


def splink_row(record: Record) -> dict[str, str | None]:
    """Splink's columns: the first Latin name (else the first name as written) cut into
    first name and surname, and the facts as plain strings."""
    latin_names = [n for n in record.names if n.isascii()] or list(record.names)
    words = latin_names[0].replace(",", " ").split()
    if latin_names[0].split(" ", 1)[0].endswith(","):  # FAMILY, given father
        words = words[1:] + words[:1]
    ids = dict(record.identifiers)

    def first(values: tuple[str, ...]) -> str | None:
        return values[0] if values else None

    return {
        "unique_id": record.entity_id,
        "source_dataset": record.dataset,
        "first_name": words[0].lower() if words else None,
        "surname": words[-1].lower() if len(words) > 1 else None,
        "dob": first(record.birth_dates),
        "gender": first(record.genders),
        "nationality": first(record.nationalities),
        "document": ids.get("document"),
        "phone": ids.get("phone"),
        "email": ids.get("email"),
    }


def generate(people: int, seed: int = 6, err: float = 0.15) -> Generated:
    """The records of ``people`` persons, with the truth and Splink's rows."""
    records: list[Record] = []
    truth: dict[str, int] = {}
    for record, number in people_records(people, seed, err):
        if record.entity_id in truth:  # the random suffix met another: keep ids unique
            record = replace(record, entity_id=f"{record.entity_id}x{len(truth)}")
        records.append(record)
        truth[record.entity_id] = number
    return Generated(records, truth, [splink_row(r) for r in records])


def true_pairs(truth: dict[str, int]) -> set[tuple[str, str]]:
    """Every pair of records of one person, ordered."""
    by_person: dict[int, list[str]] = {}
    for rid, number in truth.items():
        by_person.setdefault(number, []).append(rid)
    pairs = set()
    for ids in by_person.values():
        ids.sort()
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs
