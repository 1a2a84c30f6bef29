"""Only a confirmed traveller hit becomes an alert, sent through the exchange to border and
police agencies (SQLite and PostgreSQL)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.access.accounts import Role, Scope, User, add_user
from rasid.access.policy import Denied, Principal
from rasid.access.registry import add_agency
from rasid.exchange.messages import Kind, inbox, sent_box
from rasid.model.registry import Agency
from rasid.screen.hits import HitStatus, get_hit, list_hits, record_results
from rasid.screen.model import Match, Subject
from rasid.settings import get_settings
from rasid.store import Store
from rasid.store.tables import audit_event, message
from rasid.travel.alerts import alert_recipients, decide_and_alert
from rasid.travel.screening import screen_arrivals
from tests.travel.helpers import API_UA988, SENSITIVE_PNR, add_lists, arrive

OFFICER = Principal(User("piu.officer", "piu", Role.PIU_OFFICER))
AGENCIES = {"piu": "piu", "border": "border", "police": "police", "fiu": "fiu"}


@pytest.fixture
def cell(store: Store, tmp_path: Path) -> Store:
    """Agencies of four kinds, a PIU officer, the lists, and two screened travel files."""
    with store.uow() as uow:
        for name, kind in AGENCIES.items():
            add_agency(uow.conn, Agency(name, name.upper(), kind=kind))
        add_user(
            uow.conn,
            "piu.officer",
            "piu",
            Role.PIU_OFFICER,
            "test",
            password="a long test passphrase",
        )
        add_user(
            uow.conn,
            "border.duty",
            "border",
            Role.ANALYST,
            "test",
            password="a long test passphrase",
        )
    add_lists(store, tmp_path)
    for name, data in (("pnr.edi", SENSITIVE_PNR), ("api.edi", API_UA988)):
        screen_arrivals(store, arrive(store, tmp_path, name, data))
    return store


def _hit(store: Store, kind: str) -> int:
    with store.uow() as uow:
        return next(h.id for h in list_hits(uow.conn) if h.kind == kind)


def test_confirming_sends_a_report_to_border_and_police(cell: Store) -> None:
    hit_id = _hit(cell, "name")
    with cell.uow() as uow:
        found, sent = decide_and_alert(uow.conn, OFFICER, hit_id, "confirmed", "same DOB, photo")
    assert found.status is HitStatus.CONFIRMED
    assert sent is not None and sent.kind is Kind.REPORT
    assert sorted(r.agency for r in sent.receipts) == ["border", "police"]  # not the FIU
    assert sent.sender == "piu.officer" and sent.sender_agency == "piu"
    assert (sent.source_grade, sent.info_grade) == ("2", "C")  # the scale's system grades
    assert "wl-hassan" in sent.entity_ids and len(sent.entity_ids) == 2
    assert "HASSAN" in sent.subject and "XY123 CAI-DXB" in sent.subject
    assert "Confirmed by piu.officer: same DOB, photo" in sent.body
    assert "Documents: P A1234567 (EGY)" in sent.body
    border = Principal(User("border.duty", "border", Role.ANALYST))
    with cell.uow() as uow:
        assert [m.id for m in inbox(uow.conn, border)] == [sent.id]
        actions = list(uow.conn.execute(select(audit_event.c.action)).scalars())
    assert "hit.decide" in actions and "exchange.report" in actions


def test_a_listed_document_alert_names_the_list_entry(cell: Store) -> None:
    with cell.uow() as uow:
        _, sent = decide_and_alert(uow.conn, OFFICER, _hit(cell, "document"), "confirmed", "ok")
    assert sent is not None and "sltd-1" in sent.entity_ids
    assert "listed lost/stolen document: 602120901" in sent.body


@pytest.mark.parametrize("status", ["dismissed", "escalated"])
def test_no_alert_without_a_confirmation(cell: Store, status: str) -> None:
    with cell.uow() as uow:
        found, sent = decide_and_alert(uow.conn, OFFICER, _hit(cell, "name"), status, "why")
        assert sent is None and found.status == status
        assert sent_box(uow.conn, OFFICER) == []


def test_a_hit_not_on_a_traveller_sends_nothing(cell: Store) -> None:
    with cell.uow() as uow:
        [opened] = record_results(
            uow.conn,
            Subject("x", "Zayd Qurashi"),
            "api",
            [Match("wl-other", 0.99, True, "Zayd Qurashi")],
            {"wl-other": "national"},
        )
        _, sent = decide_and_alert(uow.conn, OFFICER, opened.id, "confirmed", "it is him")
    assert sent is None


def test_recipients_may_be_named(cell: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASID_TRAVEL_ALERT_AGENCIES", "fiu, piu,fiu")
    get_settings.cache_clear()
    try:
        with cell.uow() as uow:
            assert [r.agency for r in alert_recipients(uow.conn, "piu")] == ["fiu"]
    finally:
        monkeypatch.delenv("RASID_TRAVEL_ALERT_AGENCIES")
        get_settings.cache_clear()


def test_without_the_exchange_scope_nothing_is_recorded(cell: Store) -> None:
    reviewer = Principal(OFFICER.user, token_scopes=frozenset({Scope.REVIEW}))
    hit_id = _hit(cell, "name")
    with pytest.raises(Denied), cell.uow() as uow:
        decide_and_alert(uow.conn, reviewer, hit_id, "confirmed", "sure")
    with cell.uow() as uow:
        assert get_hit(uow.conn, hit_id).status is HitStatus.NEW  # rolled back with it
        assert uow.conn.execute(select(message.c.id)).first() is None
