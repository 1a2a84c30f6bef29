"""Messages, requests for information, reports, receipts, disseminations and re-share
approvals between agencies (SQLite and PostgreSQL)."""

from datetime import datetime, timedelta

import pytest

from rasid.access import audit
from rasid.access.accounts import Role, User, add_user
from rasid.access.policy import Denied, Principal, visibility
from rasid.access.registry import add_agency, add_dataset
from rasid.exchange import reshare
from rasid.exchange.errors import ExchangeError, UnknownMessage
from rasid.exchange.messages import (
    Draft,
    Kind,
    Recipient,
    acknowledge,
    get_message,
    inbox,
    overdue,
    send,
    sent_box,
)
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset
from rasid.store import Store
from rasid.store.entities import get_entities
from tests.store.helpers import stmt, write

PEOPLE = {
    "police.analyst": ("police", Role.ANALYST),
    "police.chief": ("police", Role.SUPERVISOR),
    "fiu.analyst": ("fiu", Role.ANALYST),
    "fiu.colleague": ("fiu", Role.ANALYST),
    "border.analyst": ("border", Role.ANALYST),
}


def who(name: str) -> Principal:
    agency, role = PEOPLE[name]
    return Principal(User(name, agency, role))


@pytest.fixture
def cell(store: Store) -> Store:
    """Three agencies and their people; the police know a man (AMBER and RED values), and
    the FIU knows something of him too."""
    with store.uow() as uow:
        for agency in ("police", "fiu", "border"):
            add_agency(uow.conn, Agency(agency, agency))
        for name, (agency, role) in PEOPLE.items():
            add_user(uow.conn, name, agency, role, "test", password="a long test passphrase")
        add_dataset(uow.conn, Dataset("police_files", "police", "Police files"))
        add_dataset(uow.conn, Dataset("fiu_reports", "fiu", "FIU reports"))
        write(
            uow.conn,
            stmt("p-1", "name", "سالم الحداد", dataset="police_files"),
            stmt("p-1", "birthDate", "1980-01-01", dataset="police_files"),
            stmt("p-1", "phone", "+96170000000", dataset="police_files", marking=Marking.RED),
            stmt("p-1", "name", "Salim Haddad", dataset="fiu_reports"),
        )
    return store


def draft(*recipients: str, marking: Marking = Marking.AMBER, **extra: object) -> Draft:
    values: dict[str, object] = {
        "kind": Kind.REPORT,
        "subject": "Salim al-Haddad: travel and payments",
        "body": "تقرير عن سالم الحداد",
        "recipients": [Recipient.parse(r) for r in recipients],
        "marking": marking,
        "source_grade": "2",
        "info_grade": "B",
        "entity_ids": ["p-1"],
        **extra,
    }
    return Draft(**values)  # type: ignore[arg-type]


def values(store: Store, name: str) -> set[str]:
    """The values of p-1 that ``name`` may read."""
    with store.uow() as uow:
        found = get_entities(uow.conn, ["p-1"], visibility(uow.conn, who(name)))
    if not found:
        return set()
    return {v for vs in found[0].to_dict()["properties"].values() for v in vs}


def post(store: Store, sender: str, message: Draft) -> str:
    with store.uow() as uow:
        return send(uow.conn, who(sender), message).id


def test_a_report_discloses_exactly_what_it_carries(cell: Store) -> None:
    assert values(cell, "fiu.analyst") == {"Salim Haddad"}
    with cell.uow() as uow:
        sent = send(uow.conn, who("police.analyst"), draft("fiu"))
    # The police's AMBER values go; their RED phone does not (above the message's
    # marking), nor the FIU's own statement (not the police's to give).
    assert sent.withheld == {"marking_above_message": 1, "other_agency": 2}
    assert sent.disclosed == 3  # name, birth date and the id statement
    assert values(cell, "fiu.analyst") == {"Salim Haddad", "سالم الحداد", "1980-01-01"}
    assert values(cell, "fiu.colleague") == values(cell, "fiu.analyst")  # the whole agency
    assert values(cell, "border.analyst") == set()


def test_red_goes_to_named_people_only(cell: Store) -> None:
    with cell.uow() as uow, pytest.raises(ExchangeError, match="named people"):
        send(uow.conn, who("police.analyst"), draft("fiu", marking=Marking.RED))
    with cell.uow() as uow:
        sent = send(uow.conn, who("police.analyst"), draft("fiu/fiu.analyst", marking=Marking.RED))
    assert sent.withheld == {"other_agency": 2}
    assert "+96170000000" in values(cell, "fiu.analyst")
    assert "+96170000000" not in values(cell, "fiu.colleague")
    with cell.uow() as uow:
        assert [m.id for m in inbox(uow.conn, who("fiu.analyst"))] == [sent.id]
        assert inbox(uow.conn, who("fiu.colleague")) == []
        with pytest.raises(UnknownMessage):
            get_message(uow.conn, who("fiu.colleague"), sent.id)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"subject": "  "}, "subject"),
        ({"recipients": []}, "at least one recipient"),
        ({"source_grade": "9"}, "9"),
        ({"info_grade": ""}, "evaluation"),
        ({"recipients": [Recipient("customs")]}, "unknown agency"),
        ({"recipients": [Recipient("fiu", "border.analyst")]}, "no active user"),
        ({"recipients": [Recipient("police")]}, "other agencies"),
        ({"kind": Kind.RFI}, "deadline"),
    ],
)
def test_what_a_message_must_have(cell: Store, change: dict[str, object], reason: str) -> None:
    values_ = {**vars(draft("fiu")), **change}
    with cell.uow() as uow, pytest.raises(ExchangeError, match=reason):
        send(uow.conn, who("police.analyst"), Draft(**values_))  # type: ignore[arg-type]


def test_receipts_delivered_read_acknowledged(cell: Store) -> None:
    message_id = post(cell, "police.analyst", draft("fiu", "border"))
    with cell.uow() as uow:
        [fiu, border] = get_message(uow.conn, who("police.analyst"), message_id).receipts
    assert fiu.delivered_at and fiu.read_at is None and fiu.acknowledged_at is None
    with cell.uow() as uow:
        opened = get_message(uow.conn, who("fiu.analyst"), message_id)
        assert opened.body == "تقرير عن سالم الحداد"
        acknowledge(uow.conn, who("fiu.colleague"), message_id)
        with pytest.raises(ExchangeError, match="acknowledged already"):
            acknowledge(uow.conn, who("fiu.analyst"), message_id)
    with cell.uow() as uow:
        [fiu, border] = sent_box(uow.conn, who("police.chief"))[0].receipts
        records = [r.action for r in audit.search(uow.conn, target=message_id)]
    assert (fiu.read_by, fiu.acknowledged_by) == ("fiu.analyst", "fiu.colleague")
    assert border.read_at is None
    assert records == ["exchange.acknowledge", "exchange.read", "exchange.read", "exchange.report"]


def test_requests_for_information_and_overdue_answers(cell: Store) -> None:
    now = datetime(2026, 11, 24, 12, 0)
    due = now - timedelta(hours=1)
    rfi = post(cell, "police.analyst", draft("fiu", kind=Kind.RFI, due_at=due, entity_ids=()))
    with cell.uow() as uow:
        assert [m.id for m in overdue(uow.conn, who("fiu.analyst"), now)] == [rfi]
        assert [m.id for m in overdue(uow.conn, who("police.chief"), now)] == [rfi]
        assert overdue(uow.conn, who("border.analyst"), now) == []
        assert overdue(uow.conn, who("fiu.analyst"), due - timedelta(hours=1)) == []
    answer = draft("police", kind=Kind.ANSWER, in_reply_to=rfi, entity_ids=())
    post(cell, "fiu.analyst", answer)
    with cell.uow() as uow:
        assert overdue(uow.conn, who("fiu.analyst"), now) == []
        closed = get_message(uow.conn, who("police.analyst"), rfi)
    assert closed.closed_at is not None and not closed.overdue(now)
    with cell.uow() as uow, pytest.raises(UnknownMessage):
        send(uow.conn, who("border.analyst"), draft("police", in_reply_to=rfi))


def test_resharing_asks_the_originator(cell: Store) -> None:
    sent = post(cell, "police.analyst", draft("fiu"))
    with cell.uow() as uow:
        asked = reshare.request(uow.conn, who("fiu.analyst"), sent, "border", "joint case 7")
        with pytest.raises(UnknownMessage):  # border never received it
            reshare.request(uow.conn, who("border.analyst"), sent, "fiu", "x")
        with pytest.raises(ExchangeError, match="sent this message"):
            reshare.request(uow.conn, who("police.analyst"), sent, "border", "x")
    assert values(cell, "border.analyst") == set()
    with cell.uow() as uow:
        assert [r.id for r in reshare.pending(uow.conn, who("police.chief"))] == [asked.id]
        assert reshare.pending(uow.conn, who("fiu.analyst")) == []
        with pytest.raises(Denied, match="supervisor"):
            reshare.decide(uow.conn, who("police.analyst"), asked.id, True, "ok")
        with pytest.raises(UnknownMessage):
            reshare.decide(uow.conn, who("fiu.analyst"), asked.id, True, "ok")
        done = reshare.decide(uow.conn, who("police.chief"), asked.id, True, "agreed for case 7")
        with pytest.raises(ExchangeError, match="approved already"):
            reshare.decide(uow.conn, who("police.chief"), asked.id, False, "changed my mind")
    assert done.status is reshare.Status.APPROVED and done.decided_by == "police.chief"
    assert values(cell, "border.analyst") == {"سالم الحداد", "1980-01-01"}
    with cell.uow() as uow:
        assert [m.id for m in inbox(uow.conn, who("border.analyst"))] == [sent]
        actions = [r.action for r in audit.search(uow.conn, action="reshare.*")]
    assert actions == ["reshare.approved", "reshare.request"]


def test_a_refused_reshare_changes_nothing(cell: Store) -> None:
    sent = post(cell, "police.analyst", draft("fiu"))
    with cell.uow() as uow:
        asked = reshare.request(uow.conn, who("fiu.analyst"), sent, "border", "joint case 8")
        refused = reshare.decide(uow.conn, who("police.chief"), asked.id, False, "not yet")
    assert refused.status is reshare.Status.REFUSED
    assert values(cell, "border.analyst") == set()
    with cell.uow() as uow:
        assert inbox(uow.conn, who("border.analyst")) == []


def test_a_no_share_handling_condition_keeps_a_value_home(cell: Store) -> None:
    with cell.uow() as uow:
        write(
            uow.conn,
            stmt(
                "p-1", "email", "salim@example.org", "police_files", handling="No-Share: a source"
            ),
        )
        sent = send(uow.conn, who("police.analyst"), draft("fiu"))
    assert sent.withheld == {"marking_above_message": 1, "other_agency": 2, "handling": 1}
    assert "salim@example.org" not in values(cell, "fiu.analyst")
    assert "salim@example.org" in values(cell, "police.analyst")
