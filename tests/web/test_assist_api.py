"""Technical-assistance coordination through the JSON API: the coordinator records a need,
imports donors' IATI files, reads suggested matches with their explained components in
Arabic or English, accepts one, sees coverage change, flags and progress; partners see only
what is released to them; callers without the assist scope are refused."""

from pathlib import Path

from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.helpers import api_client

EXAMPLES = Path(__file__).parents[2] / "rasid" / "assist" / "examples"
NEED = {
    "country": "ZZ",
    "institution": "Financial Intelligence Unit",
    "theme": "gp-21",
    "gap": "Two analysts and no case-management system.",
    "priority": "high",
    "marking": "TLP:GREEN",
    "released_to": ["*"],
    "cost": 200000,
    "wanted_by": "2027-06-30",
    "targets": [
        {
            "title": "Days from a report to its first analysis",
            "ascending": False,
            "baseline": 30,
            "baseline_date": "2026-03-01",
            "target": 10,
            "target_date": "2028-03-01",
        }
    ],
}


def test_from_need_to_accepted_match(store: Store) -> None:
    coord = api_client(store, "coordination", Role.COORDINATOR)
    partner = api_client(store, "partner_un", Role.FOCAL_POINT)
    analyst = api_client(store, "police", Role.ANALYST)
    assert analyst.get("/api/assist/needs").status_code == 403
    made = coord.post("/api/assist/needs", json=NEED)
    assert made.status_code == 201, made.text
    need = made.json()
    assert need["targets"][0]["ascending"] is False
    for name in ("donors-north.xml", "donors-south.xml"):
        with (EXAMPLES / name).open("rb") as handle:
            saved = coord.post(
                "/api/assist/projects/import?format=iati",
                files={"file": (name, handle, "application/xml")},
            )
        assert saved.status_code == 200, saved.text
        assert saved.json()["created"] == 4 and saved.json()["quarantined"] == []
    matches = coord.get(f"/api/assist/needs/{need['id']}/matches?lang=ar").json()
    assert matches and all(m["status"] == "suggested" for m in matches)
    best = matches[0]
    assert [c["name"] for c in best["components"]] == [
        "theme",
        "institution",
        "geography",
        "timing",
        "funding",
    ]
    assert all(c["explanation"] and c["explanation"] != c["reason"] for c in best["components"])
    assert any("\u0600" <= ch <= "\u06ff" for ch in best["components"][0]["explanation"])
    refused = partner.post(
        f"/api/assist/needs/{need['id']}/matches/{best['project']}", json={"status": "accepted"}
    )
    assert refused.status_code == 403
    accepted = coord.post(
        f"/api/assist/needs/{need['id']}/matches/{best['project']}",
        json={"status": "accepted", "note": "agreed"},
    )
    assert accepted.status_code == 200 and accepted.json()["decided_by"]
    after = coord.get(f"/api/assist/needs/{need['id']}/matches").json()
    assert after[0]["status"] == "accepted" and after[0]["project"] == best["project"]
    cells = coord.get("/api/assist/coverage").json()["cells"]
    assert {"country": "ZZ", "theme": "gp-21", "coverage": "covered"}.items() <= cells[0].items()
    flags = coord.get("/api/assist/duplicates").json()
    assert len(flags) == 1 and flags[0]["themes"] == ["gp-21"] and flags[0]["days"] > 90
    trace = coord.get(f"/api/assist/needs/{need['id']}/trace").json()
    assert trace["theme"]["code"] == "gp-21" and len(trace["projects"]) == 1
    exported = coord.get("/api/assist/projects.xml")
    assert exported.status_code == 200 and b'version="2.03"' in exported.content
    assert exported.content.count(b"<iati-activity ") == 8


def test_a_partner_sees_only_what_is_released(store: Store) -> None:
    coord = api_client(store, "coordination", Role.COORDINATOR)
    partner = api_client(store, "partner_un", Role.FOCAL_POINT)
    other = api_client(store, "partner_donor", Role.FOCAL_POINT)
    report = coord.post(
        "/api/assist/documents",
        json={
            "country": "ZZ",
            "kind": "visit",
            "title": "Visit report",
            "date": "2026-03-10",
            "marking": "TLP:AMBER",
            "release": "partial",
            "released_to": ["partner_un"],
            "summary": "What the state released.",
            "body": "What it did not.",
        },
    )
    assert report.status_code == 201, report.text
    doc = report.json()["id"]
    seen = partner.get(f"/api/assist/documents/{doc}")
    assert seen.status_code == 200
    assert seen.json()["body"] == "" and seen.json()["summary"] == "What the state released."
    assert other.get(f"/api/assist/documents/{doc}").status_code == 404
    hidden = coord.post("/api/assist/needs", json=NEED | {"released_to": []}).json()
    assert partner.get(f"/api/assist/needs/{hidden['id']}").status_code == 404
    assert partner.get("/api/assist/needs").json() == []
    released = coord.post(f"/api/assist/needs/{hidden['id']}", json={"released_to": ["partner_un"]})
    assert released.status_code == 200
    assert [n["id"] for n in partner.get("/api/assist/needs").json()] == [hidden["id"]]
    assert other.get("/api/assist/needs").json() == []


def test_bad_input_is_refused_with_the_reason(store: Store) -> None:
    coord = api_client(store, "coordination", Role.COORDINATOR)
    wrong = coord.post("/api/assist/needs", json=NEED | {"theme": "gp-99"})
    assert wrong.status_code == 422 and "gp-99" in wrong.json()["detail"]
    bad_file = coord.post(
        "/api/assist/projects/import?format=iati",
        files={"file": ("bad.xml", b"<not-iati/>", "application/xml")},
    )
    assert bad_file.status_code == 422 and "bad.xml" in bad_file.json()["detail"]
    assert coord.get("/api/assist/projects").json() == []


def _funding(client: TestClient, need: int) -> dict[str, str]:
    """The funding component of the first suggestion for a need."""
    matches = client.get(f"/api/assist/needs/{need}/matches?lang=en").json()
    return next(c for c in matches[0]["components"] if c["name"] == "funding")


def test_exchange_rates_convert_funding_and_transactions(store: Store) -> None:
    coord = api_client(store, "coordination", Role.COORDINATOR)
    partner = api_client(store, "partner_un", Role.FOCAL_POINT)
    need = coord.post("/api/assist/needs", json=NEED | {"currency": "EUR"}).json()["id"]
    with (EXAMPLES / "donors-north.xml").open("rb") as handle:
        coord.post(
            "/api/assist/projects/import?format=iati",
            files={"file": ("donors-north.xml", handle, "application/xml")},
        )
    assert _funding(coord, need)["reason"] == "match.funding.currency"
    rate = {"base": "EUR", "quote": "USD", "rate": 1.25, "on": "2026-01-01", "source": "demo"}
    assert partner.post("/api/assist/rates", json=rate).status_code == 403
    made = coord.post("/api/assist/rates", json=rate)
    assert made.status_code == 201, made.text
    assert {"base": "EUR", "quote": "USD", "rate": 1.25, "on": "2026-01-01"}.items() <= (
        made.json().items()
    )
    refused = coord.post("/api/assist/rates", json=rate | {"rate": 0})
    assert refused.status_code == 422 and "greater than 0" in refused.json()["detail"]
    unknown = coord.post("/api/assist/rates", json=rate | {"quote": "QQQ"})
    assert unknown.status_code == 422 and "QQQ" in unknown.json()["detail"]
    listed = partner.get("/api/assist/rates").json()
    assert [(r["base"], r["source"], r["agency"]) for r in listed] == [
        ("EUR", "demo", "coordination")
    ]
    assert partner.get("/api/assist/rates?agency=partner_un").json() == []
    funding = _funding(coord, need)
    assert funding["reason"] == "match.funding.converted"
    assert "1 USD = 0.8 EUR" in funding["explanation"] and "source: demo" in funding["explanation"]
    projects = coord.get("/api/assist/projects").json()
    fiu = next(p for p in projects if p["identifier"] == "XM-RASID-DEMO-NO-0001")
    assert [t["type"] for t in fiu["transactions"]] == [2, 3, 3]
    assert fiu["spent"] == 720000
