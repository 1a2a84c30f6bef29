"""Targeting rules in the JSON API (/api/rules), on both databases: the life of a rule,
refusals with every problem in English and Arabic (and in the audit log), and the scopes:
reading needs `read`, writing `rules` and the rule's own agency."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from rasid.access.accounts import Role, Scope
from rasid.store import Store
from rasid.store.tables import audit_event, targeting_rule
from tests.travel.rulehelpers import JUSTIFICATION
from tests.web.helpers import api_client

REVIEW = (date.today() + timedelta(days=60)).isoformat()


def body(**changes: Any) -> dict[str, Any]:
    rule = {
        "name": "Late cash bookings",
        "justification": JUSTIFICATION,
        "review_date": REVIEW,
        "criteria": {
            "all": [
                {"field": "payment_type", "op": "in", "value": ["cash"]},
                {"field": "booked_hours_before_departure", "op": "lt", "value": 24},
            ]
        },
    }
    return rule | changes


def test_the_life_of_a_rule(store: Store) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        made = officer.post("/api/rules", json=body(note="from the risk assessment"))
        assert made.status_code == 201, made.text
        rule = made.json()
        rule_id = rule["id"]
        assert (rule["agency"], rule["status"], rule["version"]) == ("piu", "active", 1)
        assert rule["owner"].startswith("piu.")  # the caller
        assert (rule["review_overdue"], rule["applies"]) == (False, True)
        assert rule["versions"][0]["note"] == "from the risk assessment"
        wider = body(
            name="Cash bookings",
            criteria={"all": [{"field": "payment_type", "op": "in", "value": "cash, cheque"}]},
            note="cheques too",
            version=1,
        )
        updated = officer.put(f"/api/rules/{rule_id}", json=wider)
        assert updated.status_code == 200, updated.text
        assert updated.json()["criteria"]["all"][0]["value"] == ["cash", "cheque"]
        stale = officer.put(f"/api/rules/{rule_id}", json=wider)  # version 1 is no more
        assert stale.status_code == 422 and "changed meanwhile" in stale.json()["detail"]
        off = officer.post(f"/api/rules/{rule_id}/disable", json={"note": "paused"})
        assert off.status_code == 200 and off.json()["status"] == "disabled"
        on = officer.post(f"/api/rules/{rule_id}/enable", json={"note": "resumed", "version": 3})
        assert on.status_code == 200 and on.json()["applies"] is True
        got = officer.get(f"/api/rules/{rule_id}").json()
        assert [v["note"] for v in got["versions"]] == [
            "from the risk assessment",
            "cheques too",
            "paused",
            "resumed",
        ]
        listed = officer.get("/api/rules", params={"status": "active"}).json()
        assert [r["id"] for r in listed] == [rule_id]
        assert officer.get("/api/rules", params={"status": "disabled"}).json() == []
        assert officer.get("/api/rules/4242").status_code == 404
        assert officer.post("/api/rules/4242/disable", json={"note": "x"}).status_code == 404


def test_a_sensitive_rule_is_refused_naming_it_and_audited(store: Store) -> None:
    criteria = {
        "all": [{"field": "route", "op": "in", "value": ["CAI-IST"]}],
        "any": [
            {"field": "remark_contains", "op": "contains_any", "value": ["MOML"]},
            {"field": "ethnicity", "op": "in", "value": "x"},
        ],
    }
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        refused = officer.post("/api/rules", json=body(criteria=criteria, justification="short"))
    assert refused.status_code == 422
    problems = refused.json()["problems"]
    assert [(p["criterion"], p["field"], p["trait"]) for p in problems] == [
        (None, "", None),
        (2, "remark_contains", "religion"),
        (3, "ethnicity", "ethnicity"),
    ]
    assert problems[1]["en"].startswith('criterion 2 (remark_contains): refused: the value "MOML"')
    assert problems[1]["ar"].startswith("المعيار 2 (remark_contains): مرفوض")
    with store.uow() as uow:
        assert uow.conn.execute(select(targeting_rule)).all() == []
        [row] = uow.conn.execute(
            select(audit_event).where(audit_event.c.action == "rule.create")
        ).all()
    assert row.outcome == "refused"
    assert json.loads(row.detail)["traits"] == ["ethnicity", "religion"]


def test_malformed_bodies_are_refused_not_crashed(store: Store) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        assert officer.post("/api/rules", json={"name": "x"}).status_code == 422
        no_date = body(review_date="someday")
        assert officer.post("/api/rules", json=no_date).status_code == 422
        weird = body(criteria={"all": [{"field": "age", "op": "between", "value": [True, "x"]}]})
        answer = officer.post("/api/rules", json=weird)
        assert answer.status_code == 422 and answer.json()["problems"][0]["criterion"] == 1


@pytest.mark.parametrize(
    ("role", "scopes", "read", "write"),
    [
        (Role.PIU_OFFICER, None, 200, 201),
        (Role.SUPERVISOR, None, 200, 201),
        (Role.PIU_OFFICER, frozenset({Scope.READ}), 200, 403),  # a token without `rules`
        (Role.ANALYST, None, 200, 403),
        (Role.DPO, None, 200, 403),
        (Role.ADMIN, None, 403, 403),
    ],
)
def test_reading_needs_read_and_writing_needs_rules(
    store: Store, role: Role, scopes: frozenset[Scope] | None, read: int, write: int
) -> None:
    with api_client(store, "piu", role, scopes) as caller:
        assert caller.get("/api/rules").status_code == read
        assert caller.get("/api/rules/vocabulary").status_code == read
        made = caller.post("/api/rules", json=body())
        assert made.status_code == write, made.text
    if write == 403:
        with store.uow() as uow:
            refusals = uow.conn.execute(
                select(audit_event).where(audit_event.c.action == "request.refused")
            ).all()
        assert refusals and refusals[-1].outcome == "denied"


def test_a_rule_is_changed_only_by_its_agency(store: Store) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        rule_id = officer.post("/api/rules", json=body()).json()["id"]
    with api_client(store, "border", Role.PIU_OFFICER) as other:
        assert other.get(f"/api/rules/{rule_id}").status_code == 200  # rules are not secret
        assert other.put(f"/api/rules/{rule_id}", json=body(note="mine")).status_code == 403
        off = other.post(f"/api/rules/{rule_id}/disable", json={"note": "no"})
        assert off.status_code == 403


def test_the_vocabulary(store: Store) -> None:
    with api_client(store, "piu", Role.PIU_OFFICER) as officer:
        found = officer.get("/api/rules/vocabulary").json()
    fields = {f["name"]: f for f in found["fields"]}
    assert fields["one_way"]["ops"] == ["is"]
    assert fields["payment_type"]["values"][0] == "cash"
    assert fields["nationality"]["label_ar"] == "الجنسية"
    assert {t["name"] for t in found["sensitive_traits"]} >= {"religion", "health", "sex_life"}
