"""The plot of the demo: who belongs to the cell and the network, who the brokers are, and
what each agency gets to see of them and of several hundred ordinary people."""

import dataclasses
import random
from datetime import date, timedelta

from rasid.demo.names import compose
from rasid.demo.world import (
    BORDER,
    CURRENCIES,
    FIU,
    POLICE,
    PRISONS,
    START,
    Case,
    Codes,
    Company,
    Custody,
    Group,
    Human,
    Journey,
    Party,
    Transfer,
    Visit,
    World,
    day_between,
    new_human,
    open_account,
    ordinary_offence,
)

END = date(2024, 6, 30)

# Which agencies hold a record of each member (comments say what links them).
CELL = (
    (POLICE, BORDER, FIU),  # 0 leader
    (POLICE, PRISONS, BORDER),  # 1 jailed, visited by broker 0
    (POLICE, BORDER),  # 2 travels with broker 0
    (POLICE, PRISONS),  # 3 jailed
    (POLICE, FIU),  # 4 financier, pays broker 1
    (POLICE, BORDER),
    (POLICE,),
    (BORDER, FIU),  # 7 unknown to the police
)
NETWORK = (
    (POLICE, FIU, BORDER),  # 0 leader, owns the front company
    (POLICE, FIU),
    (POLICE, BORDER),  # 2 travels with broker 1
    (POLICE, FIU),  # 3 pays broker 0, paid by broker 1
    (POLICE, FIU, PRISONS),
    (POLICE, PRISONS),
    (POLICE, BORDER),
    (POLICE,),
    (POLICE, FIU),
    (POLICE, BORDER),
    (FIU, BORDER),
    (FIU,),
    (BORDER,),
    (PRISONS, FIU),
    (FIU,),
)
BROKERS = ((POLICE, PRISONS, FIU, BORDER), (POLICE, FIU, BORDER))
BACKGROUND = (
    ((POLICE,), 120),
    ((BORDER,), 123),
    ((FIU,), 70),
    ((PRISONS,), 62),
    ((POLICE, PRISONS), 34),
    ((POLICE, BORDER), 26),
    ((BORDER, FIU), 26),
    ((POLICE, FIU), 12),
    ((POLICE, BORDER, PRISONS), 8),
    ((BORDER, PRISONS), 8),
    ((FIU, PRISONS), 4),
    ((POLICE, BORDER, FIU), 5),
    ((POLICE, BORDER, FIU, PRISONS), 3),
)
GROUPS = {
    "terrorist_cell": ("Al-Wadi cell", "خلية الوادي"),
    "smuggling_network": ("Al-Murjan network", "شبكة المرجان"),
    "harbour_gang": ("Harbour gang", "عصابة الميناء"),
    "saqr_group": ("Al-Saqr group", "مجموعة الصقر"),
    "bridge_crew": ("Bridge crew", "جماعة الجسر"),
}
_STREETS = (
    ("Olive Street", "شارع الزيتون"),
    ("Market Road", "طريق السوق"),
    ("Harbour Street", "شارع الميناء"),
    ("Palm Avenue", "جادة النخيل"),
    ("Station Road", "طريق المحطة"),
    ("Fountain Street", "شارع النافورة"),
)
_QUARTERS = (
    ("Al-Nakheel quarter", "حي النخيل"),
    ("Old Town", "المدينة القديمة"),
    ("Al-Salam quarter", "حي السلام"),
    ("Al-Rimal quarter", "حي الرمال"),
)
_CITIES = (("Al-Sahel City", "مدينة الساحل"), ("Al-Waha", "الواحة"), ("Al-Marfa", "المرفأ"))
FACILITIES = ("سجن الواحة المركزي", "سجن الساحل", "مؤسسة الإصلاح والتأهيل ببئر الرمال")
POINTS = (
    ("Bir al-Rimal land crossing", 0.8),  # (name, share of journeys with a vehicle)
    ("Ras al-Wadi land crossing", 0.8),
    ("Al-Marfa seaport", 0.4),
    ("Al-Sahel international airport", 0.0),
)
COMPANIES = (
    ("Al-Noor Trading Co.", "شركة النور التجارية"),
    ("Green Palm Foods LLC", "شركة النخلة الخضراء للأغذية"),
    ("Horizon Auto Parts", "الأفق لقطع غيار السيارات"),
    ("Sahel Building Materials", "الساحل لمواد البناء"),
    ("Blue Wave Travel Agency", "وكالة الموجة الزرقاء للسفر"),
    ("Al-Amal Mobile Phones", "الأمل للهواتف المحمولة"),
    ("Golden Key Real Estate", "المفتاح الذهبي للعقارات"),
    ("Star Exchange House", "دار النجمة للصرافة"),
)
FRONT = ("Murjan Transport & Freight LLC", "شركة المرجان للنقل والشحن")


class Story:
    """Builds the world step by step; every step draws from the same generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.codes = Codes(rng)
        self.world = World()
        self.first_case: dict[Human, Case] = {}
        self.custody: dict[Human, Custody] = {}

    def build(self) -> World:
        self.cell = [self.add("cell", a) for a in CELL]
        self.net = [self.add("network", a) for a in NETWORK]
        self.brokers = [self.add("broker", a) for a in BROKERS]
        self.fringe = [self.relative(self.cell[i]) for i in (1, 1, 3, 3)]
        for agencies, count in BACKGROUND:
            for _ in range(count):
                self.add("background", agencies)
        numbers = list(range(1, len(self.world.people) + 1))
        self.rng.shuffle(numbers)
        for human, number in zip(self.world.people, numbers, strict=True):
            human.number = f"H{number:04d}"
        self.police()
        self.prisons()
        self.border()
        self.fiu()
        return self.world

    def add(self, role: str, agencies: tuple[str, ...]) -> Human:
        human = new_human(self.rng, self.codes, role, agencies)
        self.world.people.append(human)
        return human

    def relative(self, inmate: Human) -> Human:
        """A brother or sister of an inmate (same father and family name) who visits."""
        female = self.rng.random() < 0.5
        human = new_human(self.rng, self.codes, "fringe", (PRISONS,), female, inmate.nationality)
        human.name = dataclasses.replace(
            compose(self.rng, female, inmate.nationality),
            father=inmate.name.father,
            grandfather=inmate.name.grandfather,
            family=inmate.name.family,
        )
        self.world.people.append(human)
        return human

    def background(self, agency: str, only: bool = False) -> list[Human]:
        return [
            h
            for h in self.world.role("background")
            if agency in h.agencies and (not only or len(h.agencies) == 1)
        ]

    # -- police: cases, groups, addresses ---------------------------------------------------

    def police(self) -> None:
        cell, net, brokers = self.cell, self.net, self.brokers
        people = self.background(POLICE)
        self.rng.shuffle(people)
        self.group(
            "terrorist_cell", [(h, "member") for h in cell[:7]], {0: "leader", 4: "financier"}
        )
        roles = ("driver", "guide", "logistics", "member")
        members = [(h, self.rng.choice(roles)) for h in net[:10]]
        self.group("smuggling_network", members, {0: "leader", 1: "recruiter", 3: "financier"})
        self.case("terrorist_membership", [cell[i] for i in (0, 1, 2, 3, 5)])
        self.case("terrorist_financing", [cell[4], cell[6]])
        self.case("migrant_smuggling", [net[i] for i in (0, 1, 2, 5, 6)])
        self.case("migrant_smuggling", [net[i] for i in (3, 4, 8)])
        self.case("drug_trafficking", [net[7], net[9]])
        self.case("unlicensed_exchange", [brokers[0]])
        self.case("forgery", [brokers[1], people.pop()])
        for key, size, offence in (
            ("harbour_gang", 6, "drug_trafficking"),
            ("saqr_group", 5, "car_theft"),
            ("bridge_crew", 4, "fraud"),
        ):
            gang = [people.pop() for _ in range(size)]
            self.group(key, [(h, "member") for h in gang], {0: "leader"})
            self.case(offence, gang)
            self.case(offence, gang[1:3])
        while people:
            self.case(
                ordinary_offence(self.rng), [people.pop() for _ in range(min(3, len(people)))]
            )
        for human in self.background(POLICE):
            if self.rng.random() < 0.1:
                self.case(ordinary_offence(self.rng), [human])
        self.addresses()

    def group(self, key: str, members: list[tuple[Human, str]], roles: dict[int, str]) -> None:
        prefix = "TG-" if key == "terrorist_cell" else "OCG-"
        name, name_ar = GROUPS[key]
        group = Group(key, self.codes.new(prefix, 3), name, name_ar)
        for i, (human, role) in enumerate(members):
            group.members.append((human, roles.get(i, role)))
        self.world.groups[key] = group

    def case(self, offence: str, suspects: list[Human]) -> None:
        opened = day_between(self.rng, START, date(2024, 3, 31))
        number = self.codes.new(f"{opened.year}/CR/", 5)
        status = self.rng.choice(("under investigation", "referred to prosecution", "closed"))
        case = Case(number, opened, offence, status, suspects)
        self.world.cases.append(case)
        for human in suspects:
            self.first_case.setdefault(human, case)

    def addresses(self) -> None:
        police = [h for h in self.world.people if POLICE in h.agencies]
        for human in police:
            if self.rng.random() < 0.75 or human.role in ("cell", "network", "broker"):
                human.address = self.address()
        for sharers in ([self.net[i] for i in (1, 2, 6)], [self.cell[2], self.cell[5]]):
            for human in sharers[1:]:
                human.address = sharers[0].address  # a safe house, a shared flat
        pool = [h for h in police if h.role == "background"]
        for _ in range(10):
            first, second = self.rng.sample(pool, 2)
            first.address = first.address or self.address()
            second.address = first.address  # relatives, flatmates

    def address(self) -> str:
        street, quarter, city = (self.rng.choice(t) for t in (_STREETS, _QUARTERS, _CITIES))
        number = self.rng.randint(1, 240)
        if self.rng.random() < 0.25:
            return f"{number} {street[1]}، {quarter[1]}، {city[1]}"
        return f"{number} {street[0]}, {quarter[0]}, {city[0]}"

    # -- prisons: custody and visits -------------------------------------------------------

    def prisons(self) -> None:
        cell, net = self.cell, self.net
        for human, facility in ((cell[1], 0), (cell[3], 0), (net[4], 1), (net[5], 1), (net[13], 2)):
            case = self.first_case.get(human)
            self.jail(human, case.offence if case else "migrant_smuggling", FACILITIES[facility])
        visitors: list[Human] = []
        for human in self.background(PRISONS):
            case = self.first_case.get(human)
            if case is not None or self.rng.random() < 0.6:
                offence = case.offence if case else ordinary_offence(self.rng)
                self.jail(human, offence, self.rng.choice(FACILITIES))
            else:
                visitors.append(human)
        for relative, inmate in zip(self.fringe, (cell[1], cell[1], cell[3], cell[3]), strict=True):
            self.visit(relative, inmate, "sister" if relative.female else "brother")
        self.visit(self.brokers[0], cell[1], "friend")
        inmates = [c.inmate for c in self.world.custodies if c.inmate.role == "background"]
        self.visit(visitors.pop(), net[5], "cousin")
        relations = ("brother", "cousin", "wife", "friend", "friend", "lawyer", "uncle")
        for visitor in visitors:
            relation = "wife" if visitor.female else self.rng.choice(relations[:2] + relations[3:])
            self.visit(visitor, self.rng.choice(inmates), relation)
        pairs = self.rng.sample(inmates, 20)
        for a, b in zip(pairs[::2], pairs[1::2], strict=True):
            self.visit(a, b, self.rng.choice(("cellmate", "co-accused")))

    def jail(self, human: Human, offence: str, facility: str) -> None:
        case = self.first_case.get(human)
        after = case.opened if case else START
        admitted = day_between(self.rng, after, after + timedelta(days=300))
        until = admitted + timedelta(days=self.rng.randint(365, 1500))
        serving = human.role != "background" or self.rng.random() < 0.6 or until > END
        released = None if serving else until
        custody = Custody(human, facility, admitted, released, offence)
        self.world.custodies.append(custody)
        self.custody[human] = custody

    def visit(self, person: Human, inmate: Human, relationship: str) -> None:
        self.world.visits.append(Visit(person, inmate, relationship))

    # -- border: journeys ------------------------------------------------------------------

    def border(self) -> None:
        cell, net, brokers = self.cell, self.net, self.brokers
        for group in (
            [brokers[0], cell[2]],  # the broker travels with a cell member
            [brokers[0]],
            [brokers[1], net[2]],  # and the forger with a smuggler
            [cell[0], cell[5]],
            [cell[0]],
            [cell[1]],
            [cell[7]],
            [cell[7]],
            [net[0]],
            [net[0], net[6]],
            [net[0]],
            [net[9]],
            [net[10], net[12]],
            [net[10]],
        ):
            self.journey(group, land=True, car=len(group) > 1)
        alone = self.background(BORDER, only=True)
        for human in self.background(BORDER):
            for _ in range(self.rng.choice((1, 1, 2, 3))):
                group = [human]
                if len(human.agencies) == 1 and self.rng.random() < 0.25:
                    others = [h for h in alone if h is not human]
                    group += self.rng.sample(others, self.rng.choice((1, 1, 2)))  # family, friends
                self.journey(group, land=False)

    def journey(self, travellers: list[Human], land: bool, car: bool = False) -> None:
        point, vehicles = self.rng.choice(POINTS[:2] if land else POINTS)
        day = self.free_day(travellers)
        plate = None
        if car or self.rng.random() < vehicles:
            plate = self.codes.new(f"{self.rng.randint(10, 99)}-", 5)
        ref = self.codes.new("BJ-", 7)
        entry = self.rng.random() < 0.5
        self.world.journeys.append(Journey(ref, day, point, entry, plate, travellers))

    def free_day(self, travellers: list[Human]) -> date:
        """A day in 2019-2024 on which none of the travellers is in prison."""
        for _ in range(50):
            day = day_between(self.rng, START, END)
            if not any(self.in_custody(h, day) for h in travellers):
                return day
        admitted = min(self.custody[h].admitted for h in travellers if h in self.custody)
        return admitted - timedelta(days=self.rng.randint(10, 300))

    def in_custody(self, human: Human, day: date) -> bool:
        custody = self.custody.get(human)
        if custody is None or day < custody.admitted:
            return False
        return custody.released is None or day <= custody.released

    # -- FIU: accounts, companies, transfers -----------------------------------------------

    def fiu(self) -> None:
        cell, net, brokers = self.cell, self.net, self.brokers
        holders = [h for h in self.world.people if FIU in h.agencies]
        for human in holders:
            human.account = open_account(self.rng, self.codes, human.nationality)
        net[11].account = net[8].account  # a mule account used by two smugglers
        general = self.background(FIU)
        for _ in range(6):
            first, second = self.rng.sample(general, 2)
            second.account = first.account  # joint accounts
        front = self.company(FRONT, net[0])
        companies = [self.company(c, self.rng.choice([None, *general])) for c in COMPANIES]
        insiders: list[Party] = [h for h in net if FIU in h.agencies]
        insiders.append(front)
        self.transfers([(self.rng.sample(insiders, 2), 1500, 25000) for _ in range(30)])
        pays = [([c, self.rng.choice((front, net[3], net[8]))], 800, 4000) for c in general[:20]]
        self.transfers(pays)  # migrants paying for the crossing
        self.transfers([([brokers[0], net[0]], 5000, 40000) for _ in range(2)])
        self.transfers([([net[3], brokers[0]], 5000, 40000) for _ in range(2)])
        self.transfers([([front, brokers[0]], 5000, 20000)])
        self.transfers([([cell[4], brokers[1]], 2000, 9000) for _ in range(2)])
        self.transfers([([brokers[1], net[3]], 1000, 5000)])
        self.transfers([([cell[0], cell[7]], 500, 3000), ([cell[0], cell[4]], 500, 3000)])
        self.transfers([([cell[7], cell[4]], 500, 3000), ([cell[0], cell[7]], 500, 3000)])
        parties: list[Party] = [*general, *companies]
        self.transfers([(self.rng.sample(parties, 2), 50, 5000) for _ in range(200)])

    def company(self, names: tuple[str, str], owner: Human | None) -> Company:
        country = "ae" if owner is None else owner.nationality
        account = open_account(self.rng, self.codes, country)
        registration = self.codes.new("CR-", 6)
        key = self.codes.new("fiu-co-", 4)
        company = Company(key, names[0], names[1], registration, account.country, owner, account)
        self.world.companies.append(company)
        return company

    def transfers(self, specs: list[tuple[list[Party], int, int]]) -> None:
        """Transfers between parties, reported together in batches of up to six."""
        report = ""
        for i, (parties, low, high) in enumerate(specs):
            day = day_between(self.rng, date(2022, 1, 1), END)
            if i % 6 == 0:
                report = self.codes.new("STR-", 6)
            payer, beneficiary = parties
            account = payer.account
            currency = CURRENCIES.get(account.country, "USD") if account else "USD"
            if self.rng.random() < 0.4:
                currency = self.rng.choice(("USD", "EUR"))
            amount = self.rng.randint(low, high) * 100 + self.rng.choice((0, 0, 50, 99))
            purpose = self.rng.choice(PURPOSES)
            self.world.transfers.append(
                Transfer(payer, beneficiary, amount, currency, day, purpose, report)
            )


PURPOSES = (
    "family support",
    "rent",
    "goods purchase",
    "loan repayment",
    "transport services",
    "consultancy fees",
    "vehicle purchase",
    "دعم عائلي",
    "سداد دين",
    "ثمن بضاعة",
)
