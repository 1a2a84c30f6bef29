"""The demo world: who the people are and how they are linked, before any agency writes it down.

A smuggling network and a terrorist cell are linked only through two criminal brokers (the
toolkit's *alliance* manifestation): one visits a jailed cell member, travels with another and
trades money with the network; the other forges documents paid by the cell and travels with a
smuggler. Several hundred ordinary offenders, travellers and account holders surround them.
Every draw comes from one seeded generator in a fixed order, so a seed always yields one world.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasid.demo.names import PersonName, compose

POLICE, BORDER, FIU, PRISONS = "police", "border", "fiu", "prisons"

# ISO alpha-2 -> (alpha-3, English name, weight)
NATIONALITIES = {
    "jo": ("JOR", "Jordan", 10),
    "tn": ("TUN", "Tunisia", 10),
    "dz": ("DZA", "Algeria", 8),
    "ma": ("MAR", "Morocco", 8),
    "ly": ("LBY", "Libya", 8),
    "eg": ("EGY", "Egypt", 8),
    "iq": ("IRQ", "Iraq", 8),
    "sy": ("SYR", "Syria", 8),
    "lb": ("LBN", "Lebanon", 5),
    "sd": ("SDN", "Sudan", 5),
    "ps": ("PSE", "Palestine", 5),
    "ye": ("YEM", "Yemen", 4),
    "mr": ("MRT", "Mauritania", 3),
}
# Mobile numbers: calling code, valid leading digits, digits that follow.
_PHONES = {
    "jo": ("962", ("79",), 7),
    "tn": ("216", ("2", "5", "9"), 7),
    "dz": ("213", ("55", "66", "77", "69"), 7),
    "ma": ("212", ("61", "65", "66", "67"), 7),
    "ly": ("218", ("91", "92", "94"), 7),
    "eg": ("20", ("10", "11", "12"), 8),
    "iq": ("964", ("77", "78", "79"), 8),
    "sy": ("963", ("93", "94", "95"), 7),
    "lb": ("961", ("3",), 6),
    "sd": ("249", ("91", "92"), 7),
    "ps": ("970", ("597", "599"), 6),
    "ye": ("967", ("71", "73", "77"), 7),
    "mr": ("222", ("22", "33", "44"), 6),
}
# IBAN: BBAN as (letters, digits); length checked by the standard check digits only.
_IBANS = {"jo": (4, 22), "tn": (0, 20), "lb": (0, 24), "ae": (0, 19), "eg": (0, 25)}
_IBANS |= {"iq": (4, 15), "ly": (0, 21), "mr": (0, 23), "sa": (0, 22), "ps": (4, 21)}
CURRENCIES = {"jo": "JOD", "tn": "TND", "lb": "USD", "ae": "AED", "eg": "EGP", "iq": "IQD"}
CURRENCIES |= {"ly": "LYD", "mr": "MRU", "sa": "SAR", "ps": "USD"}
BANKS = ("Oasis Commercial Bank", "Crescent Trade Bank", "Palm Savings Bank", "Coastal Union Bank")

START = date(2019, 1, 1)


@dataclass(frozen=True)
class Account:
    iban: str
    bank: str
    country: str


@dataclass(eq=False)
class Human:
    """One real (fictional) person; ``number`` is the ground-truth identity."""

    role: str  # cell | network | broker | fringe | background
    name: PersonName
    birth: date
    nationality: str
    national_id: str
    passport: str
    phone: str  # E.164
    agencies: tuple[str, ...]
    number: str = ""
    address: str | None = None
    account: Account | None = None

    @property
    def female(self) -> bool:
        return self.name.female


@dataclass(eq=False)
class Company:
    key: str
    name: str
    name_ar: str
    registration: str
    country: str
    owner: Human | None
    account: Account


Party = Human | Company


@dataclass
class Group:
    key: str
    code: str
    name: str
    name_ar: str
    members: list[tuple[Human, str]] = field(default_factory=list)


@dataclass
class Case:
    number: str
    opened: date
    offence: str
    status: str
    suspects: list[Human]


@dataclass
class Custody:
    inmate: Human
    facility: str
    admitted: date
    released: date | None
    offence: str


@dataclass
class Visit:
    person: Human  # visitor or fellow inmate
    inmate: Human
    relationship: str


@dataclass
class Journey:
    ref: str
    day: date
    point: str
    entry: bool
    plate: str | None
    travellers: list[Human]


@dataclass
class Transfer:
    payer: Party
    beneficiary: Party
    amount: int  # in cents
    currency: str
    day: date
    purpose: str
    report: str  # the suspicious transaction report that carries it


@dataclass
class World:
    people: list[Human] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    custodies: list[Custody] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    journeys: list[Journey] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)

    def role(self, role: str) -> list[Human]:
        return [h for h in self.people if h.role == role]


class Codes:
    """Unique random identifiers (record numbers, plates, accounts)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, prefix: str, digits: int, letters: int = 0) -> str:
        while True:
            head = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(letters))
            tail = "".join(self.rng.choice("0123456789") for _ in range(digits))
            code = f"{prefix}{head}{tail}"
            if code not in self.used:
                self.used.add(code)
                return code


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def iban(codes: Codes, country: str) -> str:
    """A syntactically valid IBAN (ISO 13616 check digits) for a fictional account."""
    letters, digits = _IBANS[country]
    bban = codes.new("", digits, letters)
    numeric = "".join(str(int(c, 36)) for c in bban + country.upper() + "00")
    return f"{country.upper()}{98 - int(numeric) % 97:02d}{bban}"


def new_human(
    rng: random.Random,
    codes: Codes,
    role: str,
    agencies: tuple[str, ...],
    female: bool | None = None,
    nationality: str | None = None,
) -> Human:
    """A person with a name, birth date, documents and a phone."""
    if nationality is None:
        keys = list(NATIONALITIES)
        nationality = rng.choices(keys, [NATIONALITIES[k][2] for k in keys])[0]
    if female is None:
        female = rng.random() < 0.15
    code, leads, rest = _PHONES[nationality]
    phone = "+" + code + codes.new(rng.choice(leads), rest)
    return Human(
        role=role,
        name=compose(rng, female, nationality),
        birth=day_between(rng, date(1960, 1, 1), date(2003, 12, 31)),
        nationality=nationality,
        national_id=codes.new("", 10),
        passport=codes.new("", 7, 1),
        phone=phone,
        agencies=agencies,
    )


def spaced(phone: str) -> str:
    """+21622345678 -> +216 22 345 678, as typed into a form."""
    code = next(c for c, _, _ in _PHONES.values() if phone[1:].startswith(c))
    rest = phone[1 + len(code) :]
    return f"+{code} {rest[:2]} {rest[2:5]} {rest[5:]}"


def open_account(rng: random.Random, codes: Codes, nationality: str) -> Account:
    country = nationality if nationality in _IBANS else rng.choice(("ae", "lb", "jo"))
    return Account(iban(codes, country), rng.choice(BANKS), country)


# Offences as police and prisons record them: key -> (English, Arabic).
OFFENCES = {
    "migrant_smuggling": ("smuggling of migrants", "تهريب المهاجرين"),
    "drug_trafficking": ("drug trafficking", "الاتجار بالمخدرات"),
    "arms_trafficking": ("arms trafficking", "الاتجار بالأسلحة"),
    "fraud": ("fraud", "الاحتيال"),
    "theft": ("theft", "السرقة"),
    "car_theft": ("vehicle theft", "سرقة المركبات"),
    "robbery": ("armed robbery", "السطو المسلح"),
    "forgery": ("forgery of travel documents", "تزوير وثائق السفر"),
    "money_laundering": ("money laundering", "غسل الأموال"),
    "assault": ("assault", "الاعتداء"),
    "unlicensed_exchange": ("unlicensed money exchange", "الصرافة دون ترخيص"),
    "terrorist_membership": ("membership of a terrorist organisation", "الانتماء إلى تنظيم إرهابي"),
    "terrorist_financing": ("financing of terrorism", "تمويل الإرهاب"),
}
ORDINARY = {"theft": 6, "drug_trafficking": 5, "fraud": 4, "car_theft": 3, "assault": 3}
ORDINARY |= {"robbery": 2, "money_laundering": 1, "arms_trafficking": 1, "forgery": 1}
ORDINARY |= {"migrant_smuggling": 1}


def ordinary_offence(rng: random.Random) -> str:
    return rng.choices(list(ORDINARY), list(ORDINARY.values()))[0]
