"""The monitoring pages speak the page's language all through: why a change is what it is,
why a manifestation is suggested, the alerts and the refusals, in Arabic on the Arabic page
(no English word of the wording table in them) and in English on the English page; and a
nexus bridge stored after a page view shows on the next view of a group's assessment."""

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from lxml import etree, html

from rasid.access.accounts import Role
from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store
from tests.monitor.test_facts import POLICE
from tests.monitor.test_wording import _no_english
from tests.web.conftest import load_sample
from tests.web.helpers import session_client
from tests.web.test_monitor_pages import HIGH, _form, _post, _rate

ROUTES = "security.smuggling_routes"
MODERATE = {"confidence": "moderate", "rationale": "تقارير خفر السواحل"}


def _texts(page: str, xpath: str) -> list[str]:
    """The text of each element the path finds, its spaces tidied."""
    found = html.fromstring(page).xpath(xpath)
    assert isinstance(found, list)
    elements = [e for e in found if isinstance(e, etree._Element)]
    return [" ".join("".join(str(t) for t in e.itertext()).split()) for e in elements]


def _revised_country(store: Store, folder: Path) -> tuple[TestClient, int, int]:
    """A country assessed, approved, revised with the smuggling routes one level up (high
    confidence), approved again: the analyst, the subject and the revision."""
    load_sample(store, folder)
    analyst = session_client(store, "police", Role.ANALYST)
    supervisor = session_client(store, "police", Role.SUPERVISOR)
    where = _post(
        analyst, "/monitor/subjects", kind="country", name="Testland", name_ar="أرض", country="jo"
    )
    subject = int(where.rsplit("/", 1)[1])
    period = {"period_start": "2025-01-01", "period_end": "2025-06-30"}
    first = int(_post(analyst, "/monitor/assessments", subject=subject, **period).rsplit("/", 1)[1])
    for indicator, level in (("geography.ungoverned_area", "4"), (ROUTES, "3")):
        assert _rate(analyst, first, indicator, level, **MODERATE) == 303
    assert _rate(analyst, first, "governance.law_enforcement_capacity", "4", **MODERATE) == 303
    _post(analyst, f"/monitor/assessments/{first}/submit")
    _post(supervisor, f"/monitor/assessments/{first}/approve")
    period = {"period_start": "2025-07-01", "period_end": "2025-12-31"}
    where = _post(analyst, "/monitor/assessments", subject=subject, revises=first, **period)
    second = int(where.rsplit("/", 1)[1])
    assert _rate(analyst, second, ROUTES, "4", **HIGH) == 303
    _post(analyst, f"/monitor/assessments/{second}/submit")
    _post(supervisor, f"/monitor/assessments/{second}/approve")
    return analyst, subject, second


def test_changes_and_suggestions_in_the_page_language(store: Store, tmp_path: Path) -> None:
    analyst, subject, revision = _revised_country(store, tmp_path)
    row = f'//tr[@data-indicator="{ROUTES}"]/td[@class="why"]'
    arabic = analyst.get(f"/monitor/assessments/{revision}?lang=ar").text
    (why,) = _texts(arabic, row)
    assert "ارتفع المستوى من 3 إلى 4" in why and "(متوسطة، عالية)" in why
    assert ROUTES not in why  # the indicator is named by its label
    _no_english(why)
    reasons = _texts(arabic, '//li[@data-manifestation="black_hole"]//bdi[@class="why"]')
    assert any("في المستوى 4 بثقة متوسطة" in r for r in reasons), reasons
    for reason in reasons:
        _no_english(reason)
    english = analyst.get(f"/monitor/assessments/{revision}?lang=en").text
    (why,) = _texts(english, row)
    assert "rose from 3 to 4 with at least moderate confidence on both sides" in why
    assert "(moderate, high)" in why
    reasons = _texts(english, '//li[@data-manifestation="black_hole"]//bdi[@class="why"]')
    assert any("rated 4 with moderate confidence" in r for r in reasons), reasons
    # The subject's page lists the same change, and the dashboard's alert says it too.
    history = _texts(analyst.get(f"/monitor/subjects/{subject}?lang=ar").text, row)
    assert history and "ارتفع المستوى من 3 إلى 4" in history[0]
    alerts = _texts(
        analyst.get("/monitor?lang=ar").text, '//ul[@class="monitor-alerts"]//bdi[@class="why"]'
    )
    assert any("ارتفع المستوى من 3 إلى 4" in a for a in alerts), alerts


def test_refusals_in_the_page_language(store: Store, tmp_path: Path) -> None:
    analyst, subject, revision = _revised_country(store, tmp_path)
    period = {"period_start": "2026-01-01", "period_end": "2026-06-30", "revises": revision}
    where = _post(analyst, "/monitor/assessments", subject=subject, **period)
    draft = int(where.rsplit("/", 1)[1])
    no_level = _form(analyst, indicator=ROUTES, level="", confidence="moderate")
    late = _form(analyst, subject=subject, period_start="2026-02-01", period_end="2026-01-01")
    for lang, first, second in (
        ("ar", "اختر مستوى أو «غير مقيّم»", "تسبق بدايتها"),
        ("en", "choose a level or not assessed", "before it starts"),
    ):
        refused = analyst.post(f"/monitor/assessments/{draft}/rate?lang={lang}", data=no_level)
        assert refused.status_code == 422 and first in " ".join(
            _texts(refused.text, '//*[@id="error"]')
        )
        bad = analyst.post(f"/monitor/assessments?lang={lang}", data=late)
        assert bad.status_code == 422 and second in " ".join(_texts(bad.text, '//*[@id="error"]'))


GANG = [r for r in POLICE if r["id"] in ("o-gang", "o-cell", "p-both", "m-gang")]
LINK = [r for r in POLICE if r["id"] == "m-cell"]  # the double member in the cell: a bridge
GROUP_LEVELS = {
    "capabilities.crime_funding": "4",
    "capabilities.diversification": "4",
    "capabilities.evolution": "2",
    "capabilities.violence_crime_balance": "1",
    "economy.illicit_trade": "4",
    "recruitment.economic_incentives": "4",
    "recruitment.motive_change": "1",
    "security.route_dependence": "3",
}


def _ingest(store: Store, folder: Path, name: str, rows: list[dict[str, Any]]) -> None:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    ingest(store, IngestRequest(str(path), name, agency="police", title=name))


def test_a_new_bridge_shows_on_the_next_view(store: Store, tmp_path: Path) -> None:
    load_sample(store, tmp_path)
    _ingest(store, tmp_path, "police_gangs", GANG)
    analyst = session_client(store, "police", Role.ANALYST)
    made = _post(
        analyst,
        "/monitor/subjects",
        kind="group",
        name="Gang",
        name_ar="العصابة",
        entity_id="o-gang",
    )
    subject = int(made.rsplit("/", 1)[1])
    period = {"period_start": "2025-01-01", "period_end": "2025-06-30"}
    aid = int(_post(analyst, "/monitor/assessments", subject=subject, **period).rsplit("/", 1)[1])
    for indicator, level in GROUP_LEVELS.items():
        assert _rate(analyst, aid, indicator, level, **MODERATE) == 303
    bridge = '//li[@data-manifestation="alliance"]//bdi[@class="why"]'
    first = _texts(analyst.get(f"/monitor/assessments/{aid}?lang=ar").text, bridge)
    assert "لم يكشف تحليل الروابط أي جسر ترابط" in first, first
    _ingest(store, tmp_path, "police_links", LINK)  # the double member joins the cell
    shown = _texts(analyst.get(f"/monitor/assessments/{aid}?lang=ar").text, bridge)
    found = [s for s in shown if s.startswith("كشف تحليل الروابط")]
    assert found and "p-both" in found[0], shown
