"""A PIU officer's flights in a real Chromium: from the list to a flight's manifest, where
the traveller with an open hit stands out (a tinted row with a marked edge, and a text
badge), then on to the hit's review page. SQLite only, as the other browser tests."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.web.helpers import serving
from tests.web.test_browser import CHROMIUM, browser, shots, sign_in
from tests.web.test_travel_api import UA988, load_travel

__all__ = ["browser", "shots"]  # fixtures shared with the other browser tests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, dict]]:
    """A running server over the travel data: its address, its store and the hit ids."""
    folder = tmp_path_factory.mktemp("travel-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    loaded = load_travel(store, folder)
    with serving(create_app(store)) as address:
        yield address, store, loaded["hits"]
    store.dispose()


def test_an_officer_goes_from_a_flight_to_a_hit(
    browser: Any, served: tuple[str, Store, dict], shots: Path
) -> None:
    base, store, hits = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, (base, store), "piu", Role.PIU_OFFICER)
        page.goto(base + "/flights?start=2018-05-01&end=2018-05-31")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.click("nav.main-nav >> text=الرحلات")  # the menu's link, to the default range
        page.wait_for_url(base + "/flights")
        page.goto(base + "/flights?start=2018-05-01&end=2018-05-31")
        page.click(f'a[href="/flights/{UA988}"]')
        page.wait_for_url(f"**/flights/{UA988}")
        flagged = page.locator("table.manifest tr.alert")
        assert flagged.count() == 1
        assert "نتيجة مفتوحة" in flagged.locator(".badge").inner_text()
        confirmed = page.locator("table.manifest tbody tr", has_text="نتيجة مؤكَّدة")
        background = "e => getComputedStyle(e).backgroundColor"
        assert flagged.evaluate(background) != confirmed.evaluate(background)
        edge = "e => getComputedStyle(e).borderInlineStartWidth"
        assert flagged.locator("td").first.evaluate(edge) == "4px"
        assert confirmed.locator("td").first.evaluate(edge) != "4px"
        assert confirmed.locator(".badge").count() == 0  # outlined, not the open hit's badge
        page.screenshot(path=str(shots / "flight-manifest-ar.png"), full_page=True)
        page.goto(base + "/travel/quality?start=2018-05-12&end=2018-05-12")
        assert page.locator("table.quality tbody tr").count() == 1  # one carrier: UA
        page.screenshot(path=str(shots / "travel-quality-ar.png"), full_page=True)
        page.go_back()
        flagged.locator(f'a[href="/hits/{hits["un-1"]}"]').click()
        page.wait_for_url(f"**/hits/{hits['un-1']}")
        assert page.locator("h1").count() == 1
    finally:
        context.close()
