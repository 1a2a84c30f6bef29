"""What each agency writes down about the demo world: rows and entities in its own format,
with its own record numbers, spelling habits and gaps."""

import random
from datetime import date
from typing import Any

from rasid.demo.names import MAGHREB, arabic, latin, passport
from rasid.demo.world import (
    BORDER,
    FIU,
    NATIONALITIES,
    OFFENCES,
    POLICE,
    PRISONS,
    Account,
    Codes,
    Company,
    Human,
    Party,
    World,
    spaced,
)

POLICE_COLUMNS = [
    "case_no",
    "case_date",
    "offence",
    "offence_ar",
    "case_status",
    "person_no",
    "role",
    "name_latin",
    "name_ar",
    "birth_date",
    "gender",
    "nationality",
    "national_id",
    "phone",
    "address",
    "group_code",
    "group_name",
    "group_name_ar",
    "group_role",
    "group_topics",
]
# What each group is known for, as FtM topics on the group (the police's classification).
GROUP_TOPICS = {
    "terrorist_cell": "crime.terror",
    "smuggling_network": "crime.traffick.human",
    "harbour_gang": "crime.traffick.drug",
    "saqr_group": "crime.theft",
    "bridge_crew": "crime.fraud",
}
BORDER_COLUMNS = [
    "crossing_ref",
    "crossing_date",
    "crossing_point",
    "direction",
    "from_place",
    "to_place",
    "journey_ref",
    "vehicle_plate",
    "vehicle_type",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "nationality",
    "passport_no",
    "issuing_state",
    "passport_expiry",
]
PRISON_COLUMNS = [
    "prisoner_no",
    "visitor_no",
    "name_ar",
    "name_latin",
    "birth_date",
    "gender",
    "nationality",
    "national_id",
    "facility",
    "admission_date",
    "release_date",
    "offence",
    "affiliation_note",
    "associate_no",
    "relationship",
]
DATASETS = {
    POLICE: "police_cases",
    BORDER: "border_crossings",
    FIU: "fiu_reports",
    PRISONS: "prison_register",
}
_NOTES = {
    "cell": "مصنّف: تطرف عنيف، يخضع لبرنامج المتابعة",
    "network": "مصنّف: جريمة منظمة",
}

Row = dict[str, Any]


def _styles(rng: random.Random, human: Human, weights: dict[str, float]) -> str:
    if human.nationality in MAGHREB:
        weights = weights | {"fr": weights.get("fr", 0) * 3}
    return rng.choices(list(weights), list(weights.values()))[0]


class Records:
    """Renders the world per agency and keeps the ground truth: record key -> person."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.codes = Codes(rng)
        self.truth: list[tuple[str, str, str]] = []
        self.keys: dict[tuple[str, Human], str] = {}

    def key(self, agency: str, human: Human, prefix: str, digits: int) -> str:
        """The agency's own record number for a person (one per person and agency)."""
        if (agency, human) not in self.keys:
            self.record(agency, human, self.codes.new(prefix, digits))
        return self.keys[agency, human]

    def record(self, agency: str, human: Human, key: str) -> None:
        self.keys[agency, human] = key
        self.truth.append((DATASETS[agency], key, human.number))

    # -- national police --------------------------------------------------------------------

    def police(self) -> list[Row]:
        people: dict[Human, Row] = {}
        groups: dict[Human, Row] = {}
        for group in self.world.groups.values():
            for human, role in group.members:
                groups[human] = {
                    "group_code": group.code,
                    "group_name": group.name,
                    "group_name_ar": group.name_ar,
                    "group_role": role,
                    "group_topics": GROUP_TOPICS.get(group.key, "crime"),
                }
        rows = []
        for case in sorted(self.world.cases, key=lambda c: c.number):
            for human in case.suspects:
                if human not in people:
                    people[human] = self.police_person(human)
                row = {
                    "case_no": case.number,
                    "case_date": case.opened.isoformat(),
                    "offence": OFFENCES[case.offence][0],
                    "offence_ar": OFFENCES[case.offence][1],
                    "case_status": case.status,
                    "role": "suspect",
                }
                rows.append(row | people[human] | groups.get(human, {}))
        return [{c: row.get(c, "") for c in POLICE_COLUMNS} for row in rows]

    def police_person(self, human: Human) -> Row:
        rng = self.rng
        style = _styles(rng, human, {"en": 0.55, "en_short": 0.15, "fr": 0.1, "abbr": 0.1})
        script = rng.random()
        known = human.role != "background"
        return {
            "person_no": self.key(POLICE, human, "NP-", 6),
            "name_latin": latin(human.name, style, rng) if known or script > 0.12 else "",
            "name_ar": arabic(
                human.name,
                rng,
                vocalised=rng.random() < 0.1,
                tatweel=rng.random() < 0.08,
                clerk=rng.random() < 0.25,
                full=rng.random() < 0.5,
            )
            if known or script < 0.88
            else "",
            "birth_date": human.birth.isoformat(),
            "gender": "female" if human.female else "male",
            "nationality": NATIONALITIES[human.nationality][1],
            "national_id": human.national_id if rng.random() < 0.8 else "",
            "phone": spaced(human.phone) if rng.random() < 0.75 else "",
            "address": human.address or "",
        }

    # -- border police ----------------------------------------------------------------------

    def border(self) -> list[Row]:
        people: dict[Human, Row] = {}
        rows = []
        for journey in sorted(self.world.journeys, key=lambda j: (j.day, j.ref)):
            abroad = NATIONALITIES[journey.travellers[0].nationality][1]
            for human in journey.travellers:
                if human not in people:
                    people[human] = self.border_person(human)
                row = {
                    "crossing_ref": self.codes.new("BX-", 8),
                    "crossing_date": journey.day,
                    "crossing_point": journey.point,
                    "direction": "entry" if journey.entry else "exit",
                    "from_place": abroad if journey.entry else journey.point,
                    "to_place": journey.point if journey.entry else abroad,
                    "journey_ref": journey.ref,
                    "vehicle_plate": journey.plate,
                    "vehicle_type": "car" if journey.plate else None,
                }
                rows.append(row | people[human])
        return [{c: row.get(c) for c in BORDER_COLUMNS} for row in rows]

    def border_person(self, human: Human) -> Row:
        given, surname = passport(human.name, human.nationality, self.rng)
        iso3 = NATIONALITIES[human.nationality][0]
        expiry = date(
            self.rng.randint(2025, 2031), self.rng.randint(1, 12), self.rng.randint(1, 28)
        )
        self.record(BORDER, human, human.passport)
        return {
            "surname": surname,
            "given_names": given,
            "birth_date": human.birth,
            "sex": "F" if human.female else "M",
            "nationality": iso3,
            "passport_no": human.passport,
            "issuing_state": iso3,
            "passport_expiry": expiry,
        }

    # -- financial intelligence unit --------------------------------------------------------

    def fiu(self) -> list[Row]:
        entities: list[Row] = []
        ids: dict[Party, str] = {}
        accounts: dict[Account, str] = {}
        holders = [h for h in self.world.people if FIU in h.agencies]
        for human in holders:
            ids[human] = self.key(FIU, human, "fiu-subj-", 5)
        # File order follows the FIU's own ids, so it tells nothing about the plot.
        holders.sort(key=lambda h: ids[h])
        entities.extend(self.fiu_person(human, ids[human]) for human in holders)
        companies = sorted(self.world.companies, key=lambda c: c.key)
        for company in companies:
            ids[company] = company.key
            entities.append(self.fiu_company(company))
        parties: list[Party] = [*holders, *companies]
        for party in parties:
            account = party.account
            if account is None:
                continue
            if account not in accounts:
                accounts[account] = self.codes.new("fiu-acct-", 5)
                props = {"iban": [account.iban], "bankName": [account.bank]}
                props["country"] = [account.country]
                entities.append(_entity(accounts[account], "BankAccount", props))
            props = {"owner": [ids[party]], "asset": [accounts[account]], "role": ["holder"]}
            entities.append(_entity(self.codes.new("fiu-own-", 5), "Ownership", props))
        for company in self.world.companies:
            if company.owner is not None:
                props = {"owner": [ids[company.owner]], "asset": [company.key]}
                props |= {"percentage": ["100"], "role": ["owner"]}
                entities.append(_entity(self.codes.new("fiu-own-", 5), "Ownership", props))
        for t in sorted(self.world.transfers, key=lambda t: (t.report, t.day)):
            props = {
                "payer": [ids[t.payer]],
                "beneficiary": [ids[t.beneficiary]],
                "amount": [f"{t.amount // 100}.{t.amount % 100:02d}"],
                "currency": [t.currency],
                "date": [t.day.isoformat()],
                "purpose": [t.purpose],
                "summary": [f"Reported in {t.report}"],
            }
            for prop, party in (("payerAccount", t.payer), ("beneficiaryAccount", t.beneficiary)):
                if party.account is not None:
                    props[prop] = [accounts[party.account]]
            entities.append(_entity(self.codes.new("fiu-txn-", 6), "Payment", props))
        return entities

    def fiu_person(self, human: Human, entity_id: str) -> Row:
        rng = self.rng
        weights = {"en": 0.25, "abbr": 0.2, "surname_first": 0.3, "fr": 0.1, "en_short": 0.1}
        style = _styles(rng, human, weights)
        names = [latin(human.name, style, rng)]
        if rng.random() < 0.7:
            names.append(arabic(human.name, rng, clerk=rng.random() < 0.3, full=False))
        props: dict[str, list[str]] = {"name": names, "nationality": [human.nationality]}
        if rng.random() < 0.8:
            props["birthDate"] = [human.birth.isoformat()]
        if rng.random() < 0.7:
            props["phone"] = [human.phone]
        if rng.random() < 0.4:
            first = latin(human.name, "en_short", rng).split(" ")
            user = f"{first[0]}.{first[-1]}".lower().replace("-", "")
            props["email"] = [f"{user}{rng.randint(1, 99)}@example.com"]
        if rng.random() < 0.4:
            props["idNumber"] = [human.national_id]
        if rng.random() < 0.2:
            props["passportNumber"] = [human.passport]
        props["gender"] = ["female" if human.female else "male"]
        return _entity(entity_id, "Person", props)

    def fiu_company(self, company: Company) -> Row:
        props = {"name": [company.name, company.name_ar], "country": [company.country]}
        props["registrationNumber"] = [company.registration]
        return _entity(company.key, "Company", props)

    # -- prisons ----------------------------------------------------------------------------

    def prisons(self) -> list[Row]:
        rows: dict[Human, Row] = {}
        for custody in self.world.custodies:
            inmate = custody.inmate
            rows[inmate] = self.prison_person(inmate) | {
                "prisoner_no": self.key(PRISONS, inmate, f"PR-{custody.admitted:%y}-", 5),
                "facility": custody.facility,
                "admission_date": custody.admitted.isoformat(),
                "release_date": custody.released.isoformat() if custody.released else "",
                "offence": OFFENCES[custody.offence][1],
                "affiliation_note": _NOTES.get(inmate.role, ""),
            }
        for visit in self.world.visits:
            person = visit.person
            if person not in rows:
                key = self.key(PRISONS, person, "VS-", 5)
                rows[person] = self.prison_person(person) | {"visitor_no": key}
            rows[person]["associate_no"] = rows[visit.inmate]["prisoner_no"]
            rows[person]["relationship"] = visit.relationship
        ordered = sorted(rows.values(), key=lambda r: r.get("prisoner_no") or r["visitor_no"])
        return [{c: row.get(c, "") for c in PRISON_COLUMNS} for row in ordered]

    def prison_person(self, human: Human) -> Row:
        rng = self.rng
        name_ar = arabic(
            human.name,
            rng,
            vocalised=rng.random() < 0.3,
            tatweel=rng.random() < 0.2,
            clerk=rng.random() < 0.15,
        )
        year_only = rng.random() < 0.3
        return {
            "name_ar": name_ar,
            "name_latin": latin(human.name, "sch", rng) if rng.random() < 0.6 else "",
            "birth_date": str(human.birth.year) if year_only else human.birth.isoformat(),
            "gender": "F" if human.female else "M",
            "nationality": NATIONALITIES[human.nationality][1],
            "national_id": human.national_id if rng.random() < 0.6 else "",
        }


def _entity(entity_id: str, schema: str, properties: dict[str, list[str]]) -> Row:
    return {"id": entity_id, "schema": schema, "properties": properties}
