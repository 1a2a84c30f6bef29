"""Targeting rules in the browser (/rules), on both databases: the list with overdue reviews
flagged, the editor's round trip, a refused criterion shown in the form in Arabic and in
English, versions, disabling, and who sees what."""

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from rasid.access.accounts import Role
from rasid.store import Store
from rasid.store.tables import audit_event, targeting_rule
from rasid.web.app import create_app
from tests.travel.rulehelpers import JUSTIFICATION
from tests.web.helpers import BASE_URL, session_client

REVIEW = (date.today() + timedelta(days=30)).isoformat()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form carries the session's CSRF token"
    return found.group(1)


def form(client: TestClient, path: str, **changes: Any) -> dict[str, Any]:
    """The editor's fields as a person fills them in: two criteria and an empty row."""
    page = client.get(path)
    assert page.status_code == 200
    data: dict[str, Any] = {
        "csrf_token": csrf(page.text),
        "name": "Late cash bookings",
        "justification": JUSTIFICATION,
        "review_date": REVIEW,
        "group": ["all", "all", "all"],
        "field": ["payment_type", "booked_hours_before_departure", ""],
        "op": ["in", "lt", "in"],
        "value": ["cash", "24", ""],
    }
    return data | changes


def test_a_rule_written_in_the_editor_and_shown(store: Store) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        listing = officer.get("/rules")
        assert listing.status_code == 200 and 'dir="rtl"' in listing.text
        assert 'href="/rules"' in listing.text  # in the menu for rule writers
        assert "لا توجد أي قاعدة استهداف بعد." in listing.text
        editor = officer.get("/rules/new")
        assert "مطار المغادرة" in editor.text  # the field labels, in Arabic
        saved = officer.post("/rules/new", data=form(officer, "/rules/new"), follow_redirects=False)
        assert saved.status_code == 303, saved.text
        assert saved.headers["location"] == "/rules/1"
        shown = officer.get("/rules/1")
        assert "طريقة الدفع" in shown.text and "أقل من" in shown.text
        english = officer.get("/rules/1", params={"lang": "en"}).text
        assert 'dir="ltr"' in english
        assert "Form of payment" in english and "Hours between booking and departure" in english
        assert "created" in english  # the first version's note
        assert "Late cash bookings" in officer.get("/rules").text


def test_a_sensitive_criterion_is_shown_in_the_form_in_both_languages(store: Store) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        data = form(
            officer,
            "/rules/new",
            field=["payment_type", "remark_contains", ""],
            op=["in", "contains_any", "in"],
            value=["cash", "halal meal", ""],
        )
        refused = officer.post("/rules/new", data=data)
        assert refused.status_code == 422
        assert "لم تُحفظ القاعدة:" in refused.text
        assert (
            "المعيار 2 (remark_contains): مرفوض: القيمة &#34;halal meal&#34; تكشف" in refused.text
        )
        assert 'value="halal meal"' in refused.text  # what was written is kept
        assert 'value="Late cash bookings"' in refused.text
        officer.cookies.set("rasid_lang", "en")
        english = officer.post("/rules/new", data=data)
        assert english.status_code == 422
        assert "The rule was not saved:" in english.text
        assert "reveals religion or philosophical beliefs" in english.text
        field = officer.post("/rules/new", data=data | {"field": ["religion", "", ""]})
        assert "refused: &#34;religion&#34; is a criterion on religion" in field.text
    with store.uow() as uow:
        assert uow.conn.execute(select(targeting_rule)).all() == []
        refusals = uow.conn.execute(
            select(audit_event).where(
                audit_event.c.action == "rule.create", audit_event.c.outcome == "refused"
            )
        ).all()
    assert len(refusals) == 3


def test_edit_disable_and_an_overdue_review(store: Store) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        officer.post("/rules/new", data=form(officer, "/rules/new"))
        editor = officer.get("/rules/1/edit")
        assert (
            'value="Late cash bookings"' in editor.text
            and 'name="version" value="1"' in editor.text
        )
        data = form(officer, "/rules/1/edit", name="Cash bookings", version="1")
        no_note = officer.post("/rules/1/edit", data=data | {"note": ""})
        assert no_note.status_code == 422 and "يلزم ذكر ملاحظة" in no_note.text
        saved = officer.post("/rules/1/edit", data=data | {"note": "wider"}, follow_redirects=False)
        assert saved.status_code == 303
        stale = officer.post("/rules/1/edit", data=data | {"note": "again"})
        assert stale.status_code == 422  # edited from version 1, now at 2
        page = officer.get("/rules/1", params={"lang": "en"})
        assert "Cash bookings" in page.text and "wider" in page.text
        disable = {
            "csrf_token": csrf(page.text),
            "status": "disabled",
            "note": "paused",
            "version": "2",
        }
        done = officer.post("/rules/1/status", data=disable, follow_redirects=False)
        assert done.status_code == 303
        assert "Disabled" in officer.get("/rules", params={"lang": "en"}).text
        no_reason = officer.post(
            "/rules/1/status", data=disable | {"note": "", "status": "active", "version": "3"}
        )
        assert no_reason.status_code == 422 and "a note saying why" in no_reason.text
        with store.uow() as uow:
            uow.conn.execute(update(targeting_rule).values(review_date=date.today() - timedelta(1)))
        listing = officer.get("/rules", params={"lang": "en"}).text
        assert "Review overdue" in listing
        assert "is past its review date" in officer.get("/rules/1").text


def test_who_sees_and_writes_rules(store: Store) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        officer.post("/rules/new", data=form(officer, "/rules/new"))
        token = csrf(officer.get("/rules/new").text)
    with session_client(store, "piu", Role.ANALYST) as analyst:
        assert analyst.get("/rules").status_code == 200  # reading needs `read`
        assert 'href="/rules/new"' not in analyst.get("/rules").text
        assert 'href="/rules"' not in analyst.get("/datasets").text  # no menu entry
        assert analyst.get("/rules/new").status_code == 403
        assert analyst.get("/rules/1/edit").status_code == 403
    with session_client(store, "border", Role.PIU_OFFICER) as other:
        page = other.get("/rules/1")
        assert page.status_code == 200 and "/rules/1/edit" not in page.text
        data = {"csrf_token": csrf(page.text), "status": "disabled", "note": "mine now"}
        assert other.post("/rules/1/status", data=data).status_code == 403
    with session_client(store, "piu", Role.PIU_OFFICER) as forger:
        forged = forger.post("/rules/new", data={"csrf_token": token, "name": "x"})
        assert forged.status_code == 403  # another session's token
    with session_client(store, "piu", Role.ADMIN) as admin:
        assert admin.get("/rules").status_code == 403  # an administrator reads no data
    with TestClient(create_app(store), base_url=BASE_URL) as anonymous:
        signed_out = anonymous.get("/rules", follow_redirects=False)
        assert signed_out.status_code == 303 and "/sign-in" in signed_out.headers["location"]


def test_an_unknown_rule_is_not_found_in_the_page_language(store: Store) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        arabic = officer.get("/rules/999")
        assert arabic.status_code == 404 and "لا توجد قاعدة استهداف رقم 999" in arabic.text
        english = officer.get("/rules/999", params={"lang": "en"})
        assert english.status_code == 404 and "no targeting rule 999" in english.text
