"""In a real Chromium, in Arabic: an analyst starts an assessment of a country, rates a few
indicators (one with high confidence and an evidence item), submits it; a supervisor, another
person, approves it; the page then shows it read-only with its content hash, its scores and
its pictures, and the PNG export draws a picture in the browser."""

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
