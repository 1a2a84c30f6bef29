"""Seeing masked data again, with a fake clock, on both databases: a user asks with a reason,
a supervisor of the owning agency (not the requester) decides; the approval shows the data
to the requester alone until it expires; every step and every unmasked read is audited."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.access.accounts import Role
from rasid.access.policy import Denied
from rasid.retention.errors import RetentionError, UnknownUnmaskRequest
from rasid.retention.mask import MASKED
from rasid.retention.unmask import (
    UnmaskRequest,
    UnmaskStatus,
    decide_unmask,
    get_request,
    list_requests,
    record_unmasked,
    request_unmask,
)
from rasid.store import Store
from rasid.store.entities import get_entity, search_entity_ids
from rasid.store.tables import audit_event, booking, statement
from rasid.travel.store import list_travellers, list_versions
from tests.retention.helpers import ONE_DAY, Loaded, at, load_travel, principal, seen_by
from tests.web.helpers import new_user

HOURS = 24


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    """An officer who asks, a colleague who does not, the PIU's supervisor, the police's."""
    return {
        "analyst": new_user(store, "piu", Role.PIU_OFFICER),
        "colleague": new_user(store, "piu", Role.PIU_OFFICER),
        "supervisor": new_user(store, "piu", Role.SUPERVISOR),
        "police": new_user(store, "police", Role.SUPERVISOR),
    }


def ask(
    store: Store, user: str, kind: str, target: str, now: datetime, reason: str = "case 7"
) -> UnmaskRequest:
    readable = seen_by(store, user, now)
    with store.uow() as uow:
        return request_unmask(uow.conn, principal(store, user), kind, target, reason, now, readable)


def decide(store: Store, user: str, request_id: int, approve: bool, now: datetime) -> UnmaskRequest:
    with store.uow() as uow:
        who = principal(store, user)
        return decide_unmask(uow.conn, who, request_id, approve, "justified", now, HOURS)


def last_name(store: Store, user: str, entity_id: str, now: datetime) -> list[str]:
    readable = seen_by(store, user, now)
    with store.uow() as uow:
        found = get_entity(uow.conn, entity_id, readable)
        record_unmasked(uow.conn, principal(store, user), readable, "case 7")
    assert found is not None
    return list(found.proxy.get("lastName"))


def actions(store: Store) -> list[tuple[str, str, str]]:
    with store.uow() as uow:
        rows = uow.conn.execute(
            select(audit_event.c.action, audit_event.c.actor, audit_event.c.target)
            .where(audit_event.c.action.like("unmask.%"))
            .order_by(audit_event.c.seq)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_an_approval_shows_the_entity_to_the_requester_alone_until_it_expires(
    store: Store, loaded: Loaded, people: dict[str, str]
) -> None:
    asked_at = at(loaded.masked_on, 9)
    analyst, colleague = people["analyst"], people["colleague"]
    request = ask(store, analyst, "entity", loaded.pnr_person, asked_at)
    assert (request.status, request.dataset, request.agency) == (
        UnmaskStatus.PENDING,
        "piu_pnr",
        "piu",
    )
    assert last_name(store, analyst, loaded.pnr_person, asked_at) == [MASKED]  # pending

    approved = decide(store, people["supervisor"], request.id, True, asked_at + timedelta(hours=1))
    assert approved.expires_at == asked_at + timedelta(hours=1 + HOURS)
    later = asked_at + timedelta(hours=2)
    assert last_name(store, analyst, loaded.pnr_person, later) == ["ACKARY"]
    assert last_name(store, colleague, loaded.pnr_person, later) == [MASKED]
    with store.uow() as uow:
        # The requester may find the man by his name again; nobody else may.
        found = search_entity_ids(uow.conn, "charlesmr", seen_by(store, analyst, later))
        other = search_entity_ids(uow.conn, "charlesmr", seen_by(store, colleague, later))
    assert (found, other) == ([loaded.pnr_person], [])
    expired = asked_at + timedelta(hours=1 + HOURS)
    assert last_name(store, analyst, loaded.pnr_person, expired) == [MASKED]
    target = f"entity:{loaded.pnr_person}"
    assert actions(store) == [
        ("unmask.request", analyst, target),
        ("unmask.approve", people["supervisor"], target),
        ("unmask.read", analyst, target),  # once, by the requester, while it lasted
    ]


def test_a_booking_approval_unmasks_its_versions_and_travellers(
    store: Store, loaded: Loaded, people: dict[str, str]
) -> None:
    now = at(loaded.masked_on)
    with store.uow() as uow:
        booking_id = str(uow.conn.execute(select(booking.c.id)).scalar_one())
    request = ask(store, people["analyst"], "booking", booking_id, now)
    decide(store, people["supervisor"], request.id, True, now)
    for user, shown in ((people["analyst"], "ACKARY"), (people["colleague"], MASKED)):
        masking = seen_by(store, user, now).masking
        with store.uow() as uow:
            rows = list_travellers(uow.conn, booking_id=booking_id, masking=masking)
            versions = list_versions(uow.conn, booking_id, masking)
        assert {r["surname"] for r in rows} == {shown}
        assert ("ACKARY" in versions[0]["data"]) == (shown == "ACKARY")
    # The person of the booking's traveller comes with it.
    assert last_name(store, people["analyst"], loaded.pnr_person, now) == ["ACKARY"]


def test_a_traveller_can_be_asked_for(store: Store, loaded: Loaded, people: dict[str, str]) -> None:
    now = at(loaded.masked_on)
    masking = seen_by(store, people["analyst"], now).masking
    with store.uow() as uow:
        row = next(r for r in list_travellers(uow.conn, masking=masking) if r["masked"])
    request = ask(store, people["analyst"], "traveller", row["id"], now)
    decide(store, people["supervisor"], request.id, True, now)
    for user, shown in ((people["analyst"], {"ACKARY"}), (people["colleague"], {MASKED})):
        masking = seen_by(store, user, now).masking
        with store.uow() as uow:
            rows = list_travellers(uow.conn, booking_id=row["booking_id"], masking=masking)
        # The traveller's person is unmasked with them, so their rows on the booking's
        # other flights (the same man) read in full too.
        assert {r["surname"] for r in rows} == shown


def test_who_may_decide(store: Store, loaded: Loaded, people: dict[str, str]) -> None:
    now = at(loaded.masked_on)
    request = ask(store, people["supervisor"], "entity", loaded.pnr_person, now)
    with pytest.raises(Denied, match="own request"):
        decide(store, people["supervisor"], request.id, True, now)
    with pytest.raises(Denied, match="its supervisor decides"):
        decide(store, people["police"], request.id, True, now)
    with pytest.raises(Denied, match="retention"):
        decide(store, people["colleague"], request.id, True, now)
    other = new_user(store, "piu", Role.SUPERVISOR)
    refused = decide(store, other, request.id, False, now)
    assert refused.status is UnmaskStatus.REFUSED and refused.expires_at is None
    with pytest.raises(RetentionError, match="refused already"):
        decide(store, other, request.id, True, now)
    assert last_name(store, people["supervisor"], loaded.pnr_person, now) == [MASKED]


def test_what_cannot_be_asked(store: Store, loaded: Loaded, people: dict[str, str]) -> None:
    analyst = people["analyst"]
    with pytest.raises(RetentionError, match="is masked"):  # not yet
        ask(store, analyst, "entity", loaded.pnr_person, at(loaded.masked_on - ONE_DAY))
    now = at(loaded.masked_on)
    with pytest.raises(RetentionError, match="is masked"):  # API data is never masked
        ask(store, analyst, "entity", loaded.api_person, now)
    with pytest.raises(RetentionError, match="is masked"):  # the police do not read it
        ask(store, people["police"], "entity", loaded.pnr_person, now)
    with pytest.raises(RetentionError, match="reason is required"):
        ask(store, analyst, "entity", loaded.pnr_person, now, reason="  ")
    with pytest.raises(RetentionError, match="unknown target kind"):
        ask(store, analyst, "flight", "x", now)
    first = ask(store, analyst, "entity", loaded.pnr_person, now)
    with pytest.raises(RetentionError, match=f"request {first.id} for this is pending"):
        ask(store, analyst, "entity", loaded.pnr_person, now)


def test_who_sees_which_requests(store: Store, loaded: Loaded, people: dict[str, str]) -> None:
    request = ask(store, people["analyst"], "entity", loaded.pnr_person, at(loaded.masked_on))
    with store.uow() as uow:
        mine = list_requests(uow.conn, principal(store, people["analyst"]))
        theirs = list_requests(uow.conn, principal(store, people["colleague"]))
        deciding = list_requests(uow.conn, principal(store, people["supervisor"]))
        police = list_requests(uow.conn, principal(store, people["police"]))
        assert get_request(uow.conn, request.id, principal(store, people["supervisor"]))
        with pytest.raises(UnknownUnmaskRequest):
            get_request(uow.conn, request.id, principal(store, people["colleague"]))
    assert [r.id for r in mine] == [r.id for r in deciding] == [request.id]
    assert theirs == police == []


def test_a_persons_approval_covers_the_documents_it_holds(
    store: Store, loaded: Loaded, people: dict[str, str]
) -> None:
    now = at(loaded.masked_on)
    with store.uow() as uow:
        held = select(statement.c.entity_id).where(
            statement.c.prop == "holder", statement.c.value == loaded.pnr_person
        )
        documents = sorted(set(uow.conn.scalars(held)))
    assert documents  # the PNR's passport (and visa)

    def numbers(user: str) -> set[str]:
        readable = seen_by(store, user, now)
        with store.uow() as uow:
            found = [get_entity(uow.conn, d, readable) for d in documents]
        return {n for f in found if f is not None for n in f.proxy.get("number")}

    assert numbers(people["analyst"]) == {MASKED}
    request = ask(store, people["analyst"], "entity", loaded.pnr_person, now)
    decide(store, people["supervisor"], request.id, True, now)
    assert "602120901" in numbers(people["analyst"])  # the passport number, unmasked
    assert numbers(people["colleague"]) == {MASKED}
