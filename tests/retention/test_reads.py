"""Masking on every read, with a fake clock, on both databases: a PNR imported on day 0 reads
in full until the day before six months have passed, and masked from that day on (entities,
name search, the command line's view, travel rows); API data is never masked."""

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from rasid.access.accounts import Role
from rasid.access.policy import operator_visibility
from rasid.model.keys import content_key
from rasid.retention.mask import MASKED
from rasid.screen.hits import HitRecord, get_hit, list_hits, record_batch
from rasid.screen.model import Match, Reason, Subject
from rasid.store import Store
from rasid.store.entities import get_entity, search_entity_ids
from rasid.store.tables import booking
from rasid.travel.store import find_booking, list_travellers, list_versions
from tests.retention.helpers import (
    API,
    ONE_DAY,
    PNR,
    SECRETS,
    Loaded,
    at,
    load_travel,
    traveller_ids,
)
from tests.retention.helpers import seen_by as seen
from tests.web.helpers import new_user

UA988 = content_key("flight", "UA", "988", "FRA", "2018-05-12")  # in the PNR and the API


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


def values(store: Store, entity_id: str, now: datetime, user: str) -> dict[str, list[str]]:
    with store.uow() as uow:
        found = get_entity(uow.conn, entity_id, seen(store, user, now))
    assert found is not None
    return {k: sorted(v) for k, v in found.proxy.properties.items()}


def test_the_day_before_six_months_nothing_is_masked(store: Store, loaded: Loaded) -> None:
    officer = new_user(store, "piu", Role.PIU_OFFICER)
    now = at(loaded.masked_on - ONE_DAY, 23)
    person = values(store, loaded.pnr_person, now, officer)
    assert person["lastName"] == ["ACKARY"]
    assert person["email"] == ["CHARLES.ACKARY@yahoo.com"]
    with store.uow() as uow:
        readable = seen(store, officer, now)
        assert loaded.pnr_person in search_entity_ids(uow.conn, "ackary", readable)
        rows = list_travellers(uow.conn, booking_id=_booking(uow.conn), masking=readable.masking)
    assert {r["surname"] for r in rows} == {"ACKARY"}
    assert not any(r["masked"] for r in rows)


def test_from_six_months_every_read_is_masked(store: Store, loaded: Loaded) -> None:
    officer = new_user(store, "piu", Role.PIU_OFFICER)
    now = at(loaded.masked_on, 0)
    person = values(store, loaded.pnr_person, now, officer)
    for prop in ("name", "firstName", "lastName", "email", "passportNumber", "birthDate"):
        assert person[prop] == [MASKED], prop
    assert person["gender"] == ["male"]  # not identifying: kept for analysis
    # API data has no mask period: the same man from the manifest reads in full.
    assert values(store, loaded.api_person, now, officer)["lastName"] == ["ACKARY"]
    readable = seen(store, officer, now)
    with store.uow() as uow:
        # A masked name finds nothing; the API name still does.
        assert search_entity_ids(uow.conn, "ackary", readable) == [loaded.api_person]
        assert search_entity_ids(uow.conn, "charlesmr", readable) == []
        operator = operator_visibility(uow.conn, now.date())
        assert search_entity_ids(uow.conn, "ackary", operator) == [loaded.api_person]
        shown = get_entity(uow.conn, loaded.pnr_person, operator)
    assert shown is not None and shown.caption == MASKED
    assert all(s.value == MASKED for s in shown.statements if s.prop == "lastName")


def test_travel_rows_are_masked_but_keep_what_analysis_needs(store: Store, loaded: Loaded) -> None:
    officer = new_user(store, "piu", Role.PIU_OFFICER)
    masking = seen(store, officer, at(loaded.masked_on)).masking
    with store.uow() as uow:
        found = find_booking(uow.conn, PNR, "06A9FD", masking=masking)
        assert found is not None
        versions = list_versions(uow.conn, found["id"], masking)
        pnr_rows = list_travellers(uow.conn, booking_id=found["id"], masking=masking)
        on_flight = list_travellers(uow.conn, flight_id=UA988, masking=masking)
    assert found["masked"] and found["record_locator"] == "06A9FD"
    assert all(v["masked"] for v in versions)
    text = json.dumps([found, versions, pnr_rows], default=str)
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret
    assert "UA" in json.dumps(json.loads(versions[0]["data"])["itinerary"])  # flights stay
    for row in pnr_rows:
        assert (row["surname"], row["birth_date"], row["masked"]) == (MASKED, None, True)
        assert (row["sex"], row["booking_reference"]) == ("M", "06A9FD")
        documents = json.loads(row["documents"])
        assert [(d["type"], d["issuing_state"]) for d in documents] == [("P", "GBR"), ("V", "")]
    shown = sorted((r["dataset"], r["surname"], r["masked"]) for r in on_flight)
    assert shown == [(API, "ACKARY", False), (PNR, MASKED, True)]


def test_reads_without_masking_are_as_stored(store: Store, loaded: Loaded) -> None:
    # The import itself and the run read rows as stored: masking is the policy's, per read.
    with store.uow() as uow:
        found = find_booking(uow.conn, PNR, "06A9FD")
    assert found is not None and "masked" not in found
    assert "YAHOO.COM" in found["contacts"]


def _booking(conn: Connection) -> str:
    return str(conn.execute(select(booking.c.id)).scalar_one())


def test_a_travellers_hit_is_masked_with_the_traveller(store: Store, loaded: Loaded) -> None:
    officer = new_user(store, "piu", Role.PIU_OFFICER)
    traveller_id = traveller_ids(store, PNR)[0]
    subject = Subject(traveller_id, "CHARLES ACKARY", "1948-12-26", document_number="602120901")
    because = [Reason("name_part", "ACKARY ~ Ackary: same spelling", 1.0)]
    match = Match("un-1", 0.93, True, "Charles Ackary", explanation=because)
    with store.uow() as uow:
        record_batch(uow.conn, [(subject, [match])], "travel", {"un-1": "un_sc"}, PNR)

    def shown(day: datetime) -> tuple[HitRecord, list[HitRecord]]:
        readable = seen(store, officer, day)
        readable = replace(readable, whole=readable.whole | {"un_sc"})  # the list, too
        with store.uow() as uow:
            listed = list_hits(uow.conn, datasets=readable)
            return get_hit(uow.conn, listed[0].id, readable), listed

    before, _ = shown(at(loaded.masked_on - ONE_DAY, 23))
    assert (before.subject.name, before.subject.birth_date) == ("CHARLES ACKARY", "1948-12-26")
    assert before.explanation[0].detail.startswith("ACKARY")
    after, listed = shown(at(loaded.masked_on))
    for found in (after, listed[0]):
        assert (found.subject.name, found.subject.document_number) == (MASKED, MASKED)
        assert found.explanation[0] == Reason("name_part", MASKED, 1.0)  # effect kept
        assert found.matched_name == "Charles Ackary"  # the listed person is not masked
        assert found.subject.nationality is None and found.score == 0.93
