"""The monitoring pages: subjects and assessments made through the forms, indicators rated
(a refused rating shown beside the form), submitted, approved by another person and then
read-only with the content hash; the pictures as SVG, the PDF report, a revision showing
what changed; the menu entry; CSRF and scope refusals."""

import re
from pathlib import Path

from fastapi.testclient import TestClient
from lxml import etree

from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.conftest import load_sample
from tests.web.helpers import session_client


def _form(client: TestClient, **fields: object) -> dict[str, object]:
    return {"csrf_token": client.headers["X-CSRF-Token"], **fields}


def _post(client: TestClient, url: str, **fields: object) -> str:
    """Post a form; the page it redirects to."""
    done = client.post(url, data=_form(client, **fields), follow_redirects=False)
    assert done.status_code == 303, done.text[-2000:]
    return str(done.headers["location"])


def _rate(client: TestClient, aid: int, indicator: str, level: str, **extra: object) -> int:
    data = _form(client, indicator=indicator, level=level, **extra)
    done = client.post(f"/monitor/assessments/{aid}/rate", data=data, follow_redirects=False)
    return int(done.status_code)


HIGH = {
    "confidence": "high",
    "trend": "worsening",
    "rationale": "Prices doubled",
    "ev_kind": ["citation", "citation"],
    "ev_reference": ["Statistics office bulletin 12", ""],
    "ev_date": ["2025-05-01", ""],
    "ev_source": ["1", ""],
    "ev_info": ["B", ""],
    "ev_marking": ["TLP:GREEN", "TLP:AMBER"],
    "ev_note": ["", ""],
}


def _setup(store: Store, folder: Path) -> tuple[TestClient, TestClient, int, int]:
    """An analyst and a supervisor of the police; a country subject and a draft of it."""
    load_sample(store, folder)
    analyst = session_client(store, "police", Role.ANALYST)
    supervisor = session_client(store, "police", Role.SUPERVISOR)
    where = _post(
        analyst,
        "/monitor/subjects",
        kind="country",
        name="Testland",
        name_ar="أرض الاختبار",
        country="jo",
    )
    subject = int(where.rsplit("/", 1)[1])
    where = _post(
        analyst,
        "/monitor/assessments",
        subject=subject,
        period_start="2025-01-01",
        period_end="2025-06-30",
        marking="TLP:AMBER",
    )
    return analyst, supervisor, subject, int(where.rsplit("/", 1)[1])


def test_fill_submit_approve_and_read_only(store: Store, tmp_path: Path) -> None:
    analyst, supervisor, _, aid = _setup(store, tmp_path)
    page = analyst.get(f"/monitor/assessments/{aid}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert 'href="/monitor"' in page.text  # the menu's entry
    assert 'name="level" value="5"' in page.text and 'value="na"' in page.text
    assert _rate(analyst, aid, "economy.poverty", "4", **HIGH) == 303
    assert _rate(analyst, aid, "geography.border_proximity", "3", confidence="moderate") == 303
    assert _rate(analyst, aid, "governance.legislation", "na", reason="no source") == 303
    refused = analyst.post(
        f"/monitor/assessments/{aid}/rate",
        data=_form(analyst, indicator="economy.illicit_trade", level="5", confidence="high"),
    )
    assert refused.status_code == 422 and 'id="error"' in refused.text
    assert "economy.illicit_trade" in refused.text
    assert (
        analyst.post(f"/monitor/assessments/{aid}/submit", data={"csrf_token": "x"}).status_code
        == 403
    )
    _post(analyst, f"/monitor/assessments/{aid}/submit")
    # The assessor may not approve their own assessment; the page says why.
    own = analyst.post(f"/monitor/assessments/{aid}/approve", data=_form(analyst, note="ok"))
    assert own.status_code in (403, 422)
    review = supervisor.get(f"/monitor/assessments/{aid}?lang=en").text
    assert 'id="review-form"' in review and "Approve" in review
    _post(supervisor, f"/monitor/assessments/{aid}/approve", note="checked")
    done = analyst.get(f"/monitor/assessments/{aid}?lang=en").text
    assert 'id="frozen"' in done and 'class="rating-form"' not in done
    digest = re.search(r'id="content-hash">([0-9a-f]{64})<', done)
    assert digest is not None
    assert "Statistics office bulletin 12" in done and "TLP:GREEN" in done
    assert "Prices doubled" in done and "no source" in done
    assert "Economy" in done or "economy" in done
    assert _rate(analyst, aid, "economy.poverty", "1", confidence="low") == 422
    again = analyst.get(f"/monitor/assessments/{aid}?lang=en").text
    assert digest.group(1) in again and "Prices doubled" in again


def test_pictures_report_and_revision(store: Store, tmp_path: Path) -> None:
    analyst, supervisor, subject, aid = _setup(store, tmp_path)
    for indicator, level in (("economy.poverty", "2"), ("geography.border_proximity", "3")):
        assert _rate(analyst, aid, indicator, level, **HIGH) == 303
    _post(analyst, f"/monitor/assessments/{aid}/submit")
    _post(supervisor, f"/monitor/assessments/{aid}/approve")
    for chart in ("radar", "bars", "timeline"):
        svg = analyst.get(f"/monitor/subjects/{subject}/{chart}.svg?lang=en")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        etree.fromstring(svg.content)
    radar = analyst.get(f"/monitor/assessments/{aid}/radar.svg?lang=ar").text
    assert "الاقتصاد" in radar or "اقتصاد" in radar
    pdf = analyst.get(f"/monitor/assessments/{aid}/report.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    where = _post(
        analyst,
        "/monitor/assessments",
        subject=subject,
        revises=aid,
        period_start="2025-07-01",
        period_end="2025-12-31",
    )
    revision = int(where.rsplit("/", 1)[1])
    assert revision != aid
    assert _rate(analyst, revision, "economy.poverty", "4", **HIGH) == 303
    page = analyst.get(f"/monitor/assessments/{revision}?lang=en").text
    assert 'class="change-row change-critical"' in page  # two levels up, high confidence
    _post(analyst, f"/monitor/assessments/{revision}/submit")
    _post(supervisor, f"/monitor/assessments/{revision}/approve")
    shown = analyst.get(f"/monitor/subjects/{subject}?lang=en").text
    assert "Timeline of approved assessments" in shown and 'class="change critical"' in shown
    assert "Download PNG" in shown and f"/monitor/subjects/{subject}/radar.svg" in shown
    dashboard = analyst.get("/monitor?lang=en").text
    assert "Testland" in dashboard and "Alerts" in dashboard


def test_regions_table_and_group_subject(store: Store, tmp_path: Path) -> None:
    analyst, supervisor, country, _ = _setup(store, tmp_path)
    where = _post(
        analyst,
        "/monitor/subjects",
        kind="region",
        name="North <b>",
        name_ar="الشمال",
        parent=country,
    )
    region = int(where.rsplit("/", 1)[1])
    where = _post(
        analyst,
        "/monitor/assessments",
        subject=region,
        period_start="2025-01-01",
        period_end="2025-06-30",
    )
    rid = int(where.rsplit("/", 1)[1])
    assert _rate(analyst, rid, "economy.poverty", "5", **HIGH) == 303
    _post(analyst, f"/monitor/assessments/{rid}/submit")
    _post(supervisor, f"/monitor/assessments/{rid}/approve")
    page = analyst.get(f"/monitor/subjects/{country}?lang=en").text
    assert 'class="regions-table"' in page and "North &lt;b&gt;" in page
    group = _post(
        analyst,
        "/monitor/subjects",
        kind="group",
        name="Al-Nur",
        name_ar="النور",
        entity_id="o-nur",
    )
    assert analyst.get(group).status_code == 200
    bad = analyst.post(
        "/monitor/subjects",
        data=_form(analyst, kind="group", name="X", name_ar="س", entity_id="nope"),
    )
    assert bad.status_code == 422 and "nope" in bad.text


def test_who_may_use_the_pages(store: Store, tmp_path: Path) -> None:
    load_sample(store, tmp_path)
    focal = session_client(store, "police", Role.FOCAL_POINT)
    assert focal.get("/monitor").status_code == 403
    assert 'href="/monitor"' not in focal.get("/").text
    analyst = session_client(store, "police", Role.ANALYST)
    assert analyst.get("/monitor/assessments/999").status_code == 404
    assert analyst.get("/monitor/new?lang=en").status_code == 200


def test_numbers_beyond_the_database_are_refused_not_errors(store: Store, tmp_path: Path) -> None:
    """A subject or assessment number larger than the database's integers is a clear
    refusal (422 on a form, 404/422 in a path), never a server error."""
    analyst, _, _, aid = _setup(store, tmp_path)
    huge = "99999999999"
    made = analyst.post(
        "/monitor/assessments",
        data=_form(analyst, subject=huge, period_start="2025-01-01", period_end="2025-06-30"),
    )
    assert made.status_code == 422 and "ليس رقمًا" in made.text and huge in made.text
    assert analyst.get(f"/monitor/assessments/{huge}").status_code == 422
    assert analyst.get(f"/monitor/assessments/{aid}").status_code == 200
