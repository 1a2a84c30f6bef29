"""In a real Chromium, in Arabic: an analyst starts an assessment of a country, rates a few
indicators (one with high confidence and an evidence item), submits it; a supervisor, another
person, approves it; the page then shows it read-only with its content hash, its scores and
its pictures, and the PNG export draws a picture in the browser.

And the whole of what monitoring promises, in a fresh app with the shipped instrument: an
analyst assesses a group in Arabic, a reviewer approves, the charts show; the analyst revises
it for the next period with one level changed, it is approved, and the pages show exactly
that change and why, in Arabic, and the group's suggested manifestation with its reasons;
once switched to English, the same in English."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.web.conftest import load_sample
from tests.web.helpers import serving
from tests.web.test_browser import CHROMIUM, browser, shots, sign_in

__all__ = ["browser", "shots"]  # fixtures shared with the other browser tests


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """A running server over the two-agency sample."""
    folder = tmp_path_factory.mktemp("monitor-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    load_sample(store, folder)
    with serving(create_app(store)) as address:
        yield address, store
    store.dispose()


def _rate(page: Any, indicator: str, level: str, confidence: str) -> None:
    """Fill one indicator's form and save it (the page comes back at that indicator)."""
    section = page.locator(f'section.indicator[data-indicator="{indicator}"]')
    section.locator(f'input[name="level"][value="{level}"]').check()
    section.locator('select[name="confidence"]').select_option(confidence)
    section.locator('textarea[name="rationale"]').fill(f"قراءة {indicator}")
    if confidence == "high":
        section.locator('input[name="ev_reference"]').first.fill("تقرير وزارة الداخلية 2025/4")
        section.locator('input[name="ev_date"]').first.fill("2025-04-02")
    with page.expect_navigation():
        section.locator("button[type=submit]").click()


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
def test_an_assessment_filled_submitted_approved_and_shown(
    browser: Any, served: tuple[str, Store], shots: Path
) -> None:
    base, _ = served
    analyst = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = analyst.new_page()
        sign_in(page, served, "police", Role.ANALYST)
        page.click('nav.main-nav a[href="/monitor"]')
        page.wait_for_url(base + "/monitor")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.goto(base + "/monitor/new")
        page.select_option("#s-kind", "country")
        page.fill("#s-name", "Testland")
        page.fill("#s-name-ar", "أرض الاختبار")
        page.fill("#s-country", "jo")
        with page.expect_navigation():
            page.click("#subject-form button[type=submit]")
        page.click("text=تقييم جديد")
        page.fill("#a-start", "2025-01-01")
        page.fill("#a-end", "2025-06-30")
        with page.expect_navigation():
            page.click("#assessment-form button[type=submit]")
        page.wait_for_url("**/monitor/assessments/*")
        url = page.url
        _rate(page, "economy.poverty", "4", "high")
        _rate(page, "geography.border_proximity", "3", "moderate")
        _rate(page, "governance.legislation", "2", "low")
        assert page.locator("section.indicator.rated").count() == 3
        page.screenshot(path=str(shots / "monitor-draft-ar.png"), full_page=True)
        with page.expect_navigation():
            page.click("#submit-form button")
        assert "قيد المراجعة" in page.inner_text("#status")

        second = reviewer.new_page()
        sign_in(second, served, "police", Role.SUPERVISOR)
        second.goto(url)
        second.fill("#note", "راجعت المصادر")
        with second.expect_navigation():
            second.click("#approve")
        assert "معتمد" in second.inner_text("#status")

        page.goto(url)
        assert page.locator("#frozen").is_visible()
        assert len(page.inner_text("#content-hash").strip()) == 64
        assert page.locator("form.rating-form").count() == 0
        assert "تقرير وزارة الداخلية 2025/4" in page.inner_text("article")
        assert page.locator(".chart-box svg").count() == 2
        assert "الاقتصاد" in page.inner_text(".chart-box")
        page.screenshot(path=str(shots / "monitor-approved-ar.png"), full_page=True)
        with page.expect_download() as download:
            page.locator(".png-export").first.click()
        saved = shots / "monitor-radar.png"
        download.value.save_as(str(saved))
        assert saved.read_bytes().startswith(b"\x89PNG")
    finally:
        analyst.close()
        reviewer.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """A running server over a new store with only the two-agency sample."""
    store = open_store(f"sqlite:///{tmp_path / 'rasid.db'}", create=True)
    load_sample(store, tmp_path)
    with serving(create_app(store)) as address:
        yield address, store
    store.dispose()


# The group's first reading: level and confidence (a high one carries an evidence item).
FIRST = {
    "capabilities.crime_funding": ("4", "moderate"),
    "capabilities.diversification": ("4", "moderate"),
    "capabilities.evolution": ("2", "moderate"),
    "capabilities.violence_crime_balance": ("1", "moderate"),
    "economy.illicit_trade": ("4", "high"),
    "recruitment.economic_incentives": ("4", "moderate"),
    "recruitment.motive_change": ("1", "moderate"),
    "recruitment.venue_change": ("3", "moderate"),
    "security.route_dependence": ("3", "moderate"),
}
CHANGED = "capabilities.evolution"  # 2 → 4 with high confidence in the next half-year


def _submit_and_approve(page: Any, reviewer: Any, url: str) -> None:
    """The analyst submits the draft at ``url``; the reviewer approves it."""
    page.goto(url)
    with page.expect_navigation():
        page.click("#submit-form button")
    assert "قيد المراجعة" in page.inner_text("#status")
    reviewer.goto(url)
    reviewer.fill("#note", "راجعت الأدلة والمصادر")
    with reviewer.expect_navigation():
        reviewer.click("#approve")
    assert "معتمد" in reviewer.inner_text("#status")


def _new_group_assessment(page: Any, base: str) -> str:
    """The group subject (the sample's charity) and a draft for the first half-year."""
    page.goto(base + "/monitor/new")
    page.select_option("#s-kind", "group")
    page.fill("#s-name", "Al-Nur Society")
    page.fill("#s-name-ar", "جمعية النور")
    page.fill("#s-entity", "o-nur")
    with page.expect_navigation():
        page.click("#subject-form button[type=submit]")
    page.click("text=تقييم جديد")
    page.fill("#a-start", "2025-01-01")
    page.fill("#a-end", "2025-06-30")
    with page.expect_navigation():
        page.click("#assessment-form button[type=submit]")
    page.wait_for_url("**/monitor/assessments/*")
    return str(page.url)


def _revise(page: Any, url: str) -> str:
    """The analyst revises the approved assessment at ``url`` for the next half-year."""
    page.goto(url)
    page.fill('#revise-form input[name="period_start"]', "2025-07-01")
    page.fill('#revise-form input[name="period_end"]', "2025-12-31")
    with page.expect_navigation():
        page.click("#revise-form button[type=submit]")
    page.wait_for_url("**/monitor/assessments/*")
    assert page.url != url
    return str(page.url)


def _why(page: Any, indicator: str) -> str:
    """The change rows shown, and why the one of ``indicator`` is what it is."""
    rows = page.locator("#changes tr.change-row")
    assert rows.count() == 1  # exactly the change made
    return str(page.locator(f'#changes tr[data-indicator="{indicator}"] td.why').inner_text())


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
def test_done_when_a_group_assessed_reviewed_revised_and_explained(
    browser: Any, fresh: tuple[str, Store], shots: Path
) -> None:
    base, _ = fresh
    analyst = browser.new_context(viewport={"width": 1280, "height": 900})
    supervisor = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, reviewer = analyst.new_page(), supervisor.new_page()
        sign_in(page, fresh, "police", Role.ANALYST)
        sign_in(reviewer, fresh, "police", Role.SUPERVISOR)
        first = _new_group_assessment(page, base)
        for indicator, (level, confidence) in FIRST.items():
            _rate(page, indicator, level, confidence)
        _submit_and_approve(page, reviewer, first)
        page.goto(first)
        assert page.locator("#frozen").is_visible()
        assert page.locator(".chart-box svg").count() == 2  # radar and bars
        page.click(".kicker a >> nth=1")  # the subject's page: pictures and the timeline
        assert page.locator(".chart-box svg").count() == 3
        page.screenshot(path=str(shots / "monitor-group-first-ar.png"), full_page=True)

        revision = _revise(page, first)
        _rate(page, CHANGED, "4", "high")
        _submit_and_approve(page, reviewer, revision)
        page.goto(revision + "#changes")
        why = _why(page, CHANGED)
        assert "ارتفع المستوى من 2 إلى 4 (بمستويين أو أكثر)" in why, why
        assert "(متوسطة، عالية)" in why and CHANGED not in why
        ranked = page.locator("#suggestions li.suggestion")
        assert ranked.first.get_attribute("data-manifestation") == "adoption"
        reasons = ranked.first.locator(".matched .why").all_inner_texts()
        assert any("في المستوى 4 بثقة عالية" in r for r in reasons), reasons
        page.screenshot(path=str(shots / "monitor-group-revised-ar.png"), full_page=True)

        page.click(".lang-switch")
        page.wait_for_url("**lang=en")
        why = _why(page, CHANGED)
        assert "rose from 2 to 4 (two levels or more)" in why and "(moderate, high)" in why
        reasons = page.locator("#suggestions li.suggestion").first.locator(".matched .why")
        assert any("rated 4 with high confidence" in r for r in reasons.all_inner_texts())
        page.screenshot(path=str(shots / "monitor-group-revised-en.png"), full_page=True)
        page.click(".kicker a >> nth=1")
        history = page.locator(f'#history tr[data-indicator="{CHANGED}"] td.why').inner_text()
        assert "rose from 2 to 4" in history
    finally:
        analyst.close()
        supervisor.close()
