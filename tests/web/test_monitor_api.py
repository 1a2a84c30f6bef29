"""The monitoring JSON API end to end, on SQLite and PostgreSQL: subjects, the workflow
with a second person approving, a revision's changes and alerts, access by agency and
marking, suggestions, judgements and series."""

from typing import Any

from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.monitor import instrument
from rasid.monitor.model import SubjectKind
from rasid.store import Store
from tests.web.helpers import api_client

BASE = "/api/monitor"


def _rating(indicator: str, level: int, confidence: str = "moderate") -> dict[str, Any]:
    return {
        "indicator": indicator,
        "level": level,
        "confidence": confidence,
        "trend": "worsening",
        "rationale": "reported",
        "evidence": [
            {"kind": "citation", "reference": "Report 7", "source_grade": "2", "info_grade": "B"}
        ],
    }


def _approved(
    ana: TestClient, rev: TestClient, subject: int, levels: dict[str, int], **extra: Any
) -> dict[str, Any]:
    body = {"subject": subject, "period_start": "2026-01-01", "period_end": "2026-03-31", **extra}
    draft = ana.post(f"{BASE}/assessments", json=body)
    assert draft.status_code == 200, draft.text
    number = draft.json()["assessment"]["id"]
    for key, level in levels.items():
        rated = ana.put(f"{BASE}/assessments/{number}/ratings", json=_rating(key, level))
        assert rated.status_code == 200, rated.text
    assert ana.post(f"{BASE}/assessments/{number}/submit").status_code == 200
    refused = ana.post(f"{BASE}/assessments/{number}/approve", json={"note": "mine"})
    assert refused.status_code == 422 and "another person" in refused.json()["detail"]
    done = rev.post(f"{BASE}/assessments/{number}/approve", json={"note": "agreed"})
    assert done.status_code == 200, done.text
    found: dict[str, Any] = done.json()
    return found


def test_the_workflow_through_the_api(store: Store) -> None:
    ana, rev = api_client(store, "police"), api_client(store, "police")
    fia = api_client(store, "fiu")
    keys = [i.id for i in instrument.applicable(instrument.load(), SubjectKind.COUNTRY)]
    assert ana.get(f"{BASE}/instrument").json()["version"] == instrument.load().version
    assert ana.get(f"{BASE}/instrument", params={"version": "0.0"}).status_code == 422
    made = ana.post(
        f"{BASE}/subjects",
        json={"kind": "country", "name": "Testland", "name_ar": "أرض الاختبار", "country": "tl"},
    )
    assert made.status_code == 200, made.text
    subject = made.json()["id"]
    assert [s["id"] for s in ana.get(f"{BASE}/subjects").json()] == [subject]

    first = _approved(ana, rev, subject, {keys[0]: 2, keys[1]: 3})
    number = first["assessment"]["id"]
    assert first["assessment"]["status"] == "approved" and first["hash_verified"] is True
    assert first["scores"]["overall"]["assessed"] == 2
    again = ana.put(f"{BASE}/assessments/{number}/ratings", json=_rating(keys[0], 5))
    assert again.status_code == 422 and "cannot be changed" in again.json()["detail"]
    assert fia.get(f"{BASE}/assessments/{number}").status_code == 404  # TLP:AMBER

    second = _approved(ana, rev, subject, {keys[0]: 4}, revises=number, marking="TLP:GREEN")
    assert second["assessment"]["ratings"][keys[1]]["level"] == 3  # carried over
    shown = ana.get(f"{BASE}/assessments/{number}").json()
    assert shown["assessment"]["status"] == "superseded"
    changes = ana.get(f"{BASE}/subjects/{subject}/changes").json()
    assert [(c["before"], c["after"]) for c in changes] == [(number, second["assessment"]["id"])]
    (change,) = changes[0]["changes"]
    assert change["explanation"].startswith(f"{keys[0]} rose from 2 to 4")
    assert change["reasons"][0]["code"] == "change.critical"  # the page words it from these
    expected = {"indicator": keys[0], "before": "2", "after": "4", "direction": "rose"}
    assert expected.items() <= change["reasons"][0]["args"].items()
    assert fia.get(f"{BASE}/subjects/{subject}/changes").json() == []  # one readable only
    assert fia.get(f"{BASE}/assessments/{second['assessment']['id']}").status_code == 200

    alerts = rev.get(f"{BASE}/alerts").json()
    assert [(a["indicator"], a["change_kind"]) for a in alerts] == [(keys[0], "critical")]
    assert fia.get(f"{BASE}/alerts").json() == []
    assert fia.post(f"{BASE}/alerts/{alerts[0]['id']}/dismiss").status_code == 404
    assert ana.post(f"{BASE}/alerts/{alerts[0]['id']}/dismiss").status_code == 204
    assert rev.get(f"{BASE}/alerts").json() == []


def test_send_back_judgements_and_suggestions(store: Store) -> None:
    ana, rev = api_client(store, "police"), api_client(store, "police")
    key = instrument.applicable(instrument.load(), SubjectKind.COUNTRY)[0].id
    subject = ana.post(
        f"{BASE}/subjects",
        json={"kind": "country", "name": "Otherland", "name_ar": "بلد آخر", "country": "ol"},
    ).json()["id"]
    body = {"subject": subject, "period_start": "2026-01-01", "period_end": "2026-03-31"}
    number = ana.post(f"{BASE}/assessments", json=body).json()["assessment"]["id"]
    bare = {**_rating(key, 4, "high"), "evidence": []}
    assert ana.put(f"{BASE}/assessments/{number}/ratings", json=bare).status_code == 422
    ana.put(f"{BASE}/assessments/{number}/ratings", json=_rating(key, 4, "high"))
    ana.post(f"{BASE}/assessments/{number}/submit")
    assert rev.post(f"{BASE}/assessments/{number}/send-back", json={}).status_code == 422
    back = rev.post(f"{BASE}/assessments/{number}/send-back", json={"note": "add sources"})
    assert back.json()["assessment"]["status"] == "draft"
    suggested = ana.get(f"{BASE}/assessments/{number}/suggestions")
    assert suggested.status_code == 200 and "ranked" in suggested.json()
    assert suggested.json()["why"]["code"] == "suggest.insufficient"  # one rating only
    assert suggested.json()["reason"].startswith("insufficient evidence: 0 of the 6")
    judgement = {
        "manifestation": "alliance",
        "likelihood": "roughly_even",
        "confidence": "low",
        "rationale": "too early to say",
    }
    made = ana.post(f"{BASE}/assessments/{number}/judgements", json=judgement)
    assert made.status_code == 200, made.text
    listed = rev.get(f"{BASE}/assessments/{number}/judgements").json()
    assert [(j["likelihood"], j["confidence"]) for j in listed] == [("roughly_even", "low")]
    assert ana.get(f"{BASE}/assessments", params={"status": "draft"}).json()[0]["id"] == number
    assert ana.get(f"{BASE}/assessments/999999").status_code == 404


def test_the_monitor_scope_is_required(store: Store) -> None:
    focal = api_client(store, "police", Role.FOCAL_POINT)
    assert focal.get(f"{BASE}/subjects").status_code == 403
    assert focal.get(f"{BASE}/alerts").status_code == 403


def test_series_upload_and_advice(store: Store) -> None:
    ana = api_client(store, "police")
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 60]
    periods = [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01"]
    lines = [f"events.riots,east,{p},{v}" for p, v in zip(periods, values, strict=True)]
    text = "series,region,period,value\n" + "\n".join(lines) + "\nevents.riots,east,2026-13,x\n"
    sent = ana.post(f"{BASE}/series", files={"file": ("riots.csv", text.encode(), "text/csv")})
    assert sent.status_code == 200, sent.text
    assert sent.json()["stored"] == 13 and sent.json()["rejected"][0].startswith("riots.csv:")
    advice = ana.get(f"{BASE}/series/advice", params={"region": "east"}).json()
    assert [(a["period"], a["value"]) for a in advice] == [("2026-01", 60.0)]
    assert advice[0]["reason"]["code"] == "advice.review"
    assert advice[0]["reason"]["args"]["side"] == "above"


def test_numbers_beyond_the_database_are_refused(store: Store) -> None:
    """Path and body numbers larger than the database's integers are refused as bad input."""
    ana = api_client(store, "police")
    huge = 2**63
    assert ana.get(f"/api/monitor/assessments/{huge}").status_code == 422
    rating = {"indicator": "economy.poverty", "level": None, "reason": "no data"}
    assert ana.put(f"/api/monitor/assessments/{huge}/ratings", json=rating).status_code == 422
    body = {"subject": huge, "period_start": "2025-01-01", "period_end": "2025-06-30"}
    assert ana.post("/api/monitor/assessments", json=body).status_code == 422
    assert ana.get("/api/monitor/assessments", params={"subject": huge}).status_code == 422
