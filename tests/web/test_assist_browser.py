"""In a real Chromium, in Arabic, from need to accepted match: a coordinator signs in,
imports a donor's IATI file through the import form, records a need with a target through
the need form, opens it, sees the suggested matches with every component of their scores,
accepts the best one, sees it listed as accepted, and sees the needs-coverage matrix on the
dashboard change from uncovered to covered."""

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role
from rasid.access.registry import ensure_agency
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.web.helpers import serving
from tests.web.test_browser import CHROMIUM, browser, shots, sign_in

__all__ = ["browser", "shots"]  # fixtures shared with the other browser tests

EXAMPLE = Path(__file__).parents[2] / "rasid" / "assist" / "examples" / "donors-north.xml"
TODAY = datetime(2026, 11, 24, 9, 0)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """A running server over an empty store with the state's coordination office and a
    partner agency, its clock standing at TODAY."""
    folder = tmp_path_factory.mktemp("assist-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    with store.uow() as uow:
        ensure_agency(uow.conn, "coordination")
        ensure_agency(uow.conn, "partner_un")
    with serving(create_app(store, clock=lambda: TODAY)) as address:
        yield address, store
    store.dispose()


def _coverage(page: Any, theme: str, country: str) -> str:
    """The coverage state of one cell of the dashboard's table."""
    cell = page.locator(f'#coverage-table tr[data-theme="{theme}"] td[data-country="{country}"]')
    return str(cell.get_attribute("data-coverage"))


def _record_need(page: Any) -> None:
    """Fill the need form, with one descending target, and save it."""
    page.fill("#n-country", "ZZ")
    page.fill("#n-institution", "Financial Intelligence Unit")
    page.select_option("#n-theme", "gp-21")
    page.fill("#n-gap", "محللان اثنان فقط ولا نظام لإدارة القضايا")
    page.select_option("#n-priority", "high")
    page.fill("#n-cost", "200000")
    page.fill("#n-wanted", "2027-06-30")
    page.select_option("#n-marking", "TLP:GREEN")
    page.check('input[name="released_to"][value="*"]')
    row = page.locator("tr.target-row").first
    row.locator('input[name="t_title"]').fill("أيام من ورود البلاغ إلى أول تحليل")
    row.locator('select[name="t_direction"]').select_option("descending")
    row.locator('input[name="t_baseline"]').fill("30")
    row.locator('input[name="t_baseline_date"]').fill("2026-03-01")
    row.locator('input[name="t_target"]').fill("10")
    row.locator('input[name="t_target_date"]').fill("2028-03-01")
    with page.expect_navigation():
        page.click("#need-form button[type=submit]")


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
def test_from_need_to_accepted_match(browser: Any, served: tuple[str, Store], shots: Path) -> None:
    base, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, served, "coordination", Role.COORDINATOR)
        page.click('nav.main-nav a[href="/assist"]')
        page.wait_for_url(base + "/assist")
        assert page.evaluate("document.documentElement.dir") == "rtl"

        page.click('a[href="/assist/import"]')
        page.set_input_files("#i-file", str(EXAMPLE))
        with page.expect_navigation():
            page.click("#import-form button[type=submit]")
        assert page.inner_text("#created").strip() == "4"

        page.goto(base + "/assist")
        page.click("#new-need")
        _record_need(page)
        page.wait_for_url("**/assist/needs/*")
        need_url = page.url
        assert "أيام من ورود البلاغ إلى أول تحليل" in page.inner_text("#targets")

        page.goto(base + "/assist")
        assert _coverage(page, "gp-21", "ZZ") == "uncovered"
        page.goto(need_url)
        rows = page.locator("#matches-table tbody tr.match")
        assert rows.count() >= 1
        best = rows.first
        assert best.locator("td.component").count() == 5
        assert (
            "يعالج المشروع الموضوع نفسه" in best.locator('td[data-component="theme"]').inner_text()
        )
        chosen = best.get_attribute("data-project")
        page.screenshot(path=str(shots / "assist-matches-ar.png"), full_page=True)
        best.locator('input[name="note"]').fill("يلبي الاحتياج")
        with page.expect_navigation():
            best.locator("button.accept").click()

        accepted = page.locator(f'#decisions-table tr[data-project="{chosen}"]')
        assert "مقبول" in accepted.locator(".decision-status").inner_text()
        assert page.locator(f'#matches-table tr[data-project="{chosen}"]').count() == 0
        assert page.locator("#trace-projects li").count() == 1

        page.goto(base + "/assist")
        assert _coverage(page, "gp-21", "ZZ") == "covered"
        page.screenshot(path=str(shots / "assist-dashboard-ar.png"), full_page=True)
    finally:
        context.close()
