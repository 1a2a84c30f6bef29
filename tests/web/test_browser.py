"""The pages in a real Chromium (Debian's), against a uvicorn server on a free local port.

SQLite only: these tests check what the reader sees (direction, layout, language switch);
the API and page tests cover both databases.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from rasid.access.accounts import Role, totp_secret
from rasid.access.policy import share_dataset
from rasid.access.totp import code_at
from rasid.screen.hits import get_hit, record_results
from rasid.screen.model import Match, Reason, Subject
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.web.conftest import load_sample
from tests.web.helpers import PASSWORD, PURPOSE, new_user, serving

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """A running server over the sample data: its address and its store. The police share
    their records with the FIU, whose analysts sign in below."""
    folder = tmp_path_factory.mktemp("browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    load_sample(store, folder)
    with store.uow() as uow:
        share_dataset(uow.conn, "police_records", "fiu", "police.admin")
    with serving(create_app(store)) as address:
        yield address, store
    store.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, shared by the module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where screenshots are kept as test artefacts: $RASID_TEST_ARTIFACTS/screenshots, or
    test-artifacts/screenshots in the checkout (replaced by each run)."""
    default = Path(__file__).parents[2] / "test-artifacts"
    root = Path(os.environ.get("RASID_TEST_ARTIFACTS") or default)
    folder = root / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def base_url(served: tuple[str, Store]) -> str:
    """The server's address."""
    return served[0]


def sign_in(
    page: Any, served: tuple[str, Store], agency: str = "fiu", role: Role = Role.ANALYST
) -> str:
    """Sign a new user in through the form (password and TOTP code), state a purpose, and
    return the user's name."""
    base, store = served
    user = new_user(store, agency, role)
    with store.uow() as uow:
        secret = totp_secret(uow.conn, user)
    page.goto(base + "/")
    page.wait_for_url("**/sign-in?next=*")
    page.fill("#user", user)
    page.fill("#password", PASSWORD)
    page.fill("#code", code_at(secret))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(base + "/")
    page.goto(base + "/?" + urlencode({"purpose": PURPOSE}))
    return user


@pytest.fixture
def page(browser: Any, served: tuple[str, Store]) -> Iterator[Any]:
    """A fresh page (own cookies) at a desktop size, signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fresh = context.new_page()
    sign_in(fresh, served)
    yield fresh
    context.close()


def box(page: Any, selector: str) -> dict[str, float]:
    """The bounding box of the first element matching ``selector``."""
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return dict(found)


def style(page: Any, selector: str, name: str) -> str:
    """A computed style property of the first element matching ``selector``."""
    return str(page.locator(selector).first.evaluate(f"e => getComputedStyle(e)['{name}']"))


def test_arabic_search_then_entity(page: Any, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.input_value("#purpose") == PURPOSE  # remembered for the session
    page.fill("#q", "محمد")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")
    captions = page.locator("ol.results .caption").all_inner_texts()
    assert set(captions) == {"مُحَمَّد عبد الله الأحمد", "محمّد يوسف"}
    page.screenshot(path=str(shots / "search-ar.png"), full_page=True)
    page.click("text=مُحَمَّد عبد الله الأحمد")
    page.wait_for_url("**/entities/p-ahmad")
    assert page.locator("h1").inner_text() == "مُحَمَّد عبد الله الأحمد"
    red = page.locator(".tlp-red").first
    assert red.inner_text() == "TLP:RED"
    assert red.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
    assert red.evaluate("e => getComputedStyle(e).color") == "rgb(255, 43, 43)"
    assert style(page, ".tlp-amber", "color") == "rgb(255, 192, 0)"
    assert page.locator("text=موثوق").count() > 0
    page.screenshot(path=str(shots / "entity-ar.png"), full_page=True)


def test_arabic_layout_runs_right_to_left(page: Any, base_url: str) -> None:
    page.goto(base_url + "/entities/p-ahmad")
    width = page.viewport_size["width"]
    assert style(page, "nav.main-nav", "direction") == "rtl"
    assert style(page, "h1", "text-align") in ("start", "right")
    brand, switch = box(page, ".brand"), box(page, ".lang-switch")
    assert brand["x"] + brand["width"] > width * 0.8  # the brand sits on the right
    assert switch["x"] < width * 0.2  # the language switch on the left
    links = page.locator("nav.main-nav a")
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert first["x"] > last["x"]  # the menu reads from right to left
    # Values keep their own direction: a phone number starts with its "+".
    phone = page.locator("#prop-phone .text bdi").first
    assert phone.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert phone.inner_text() == "+963115550100"
    heading, value = box(page, "#prop-name h3"), box(page, "#prop-name li.value")
    assert heading["x"] + heading["width"] == pytest.approx(value["x"] + value["width"], abs=2)


def test_switch_to_english(page: Any, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/entities/p-ahmad")
    page.click(".lang-switch")
    page.wait_for_url("**lang=en")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "Mohamed Abdallah Al Ahmad"
    width = page.viewport_size["width"]
    assert box(page, ".brand")["x"] < width * 0.2
    assert box(page, ".lang-switch")["x"] > width * 0.8
    page.screenshot(path=str(shots / "entity-en.png"), full_page=True)
    # The choice is remembered: the next page is English too.
    page.click("nav.main-nav >> text=Datasets")
    page.wait_for_url("**/datasets")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.locator("h1").inner_text() == "Datasets"


def test_datasets_and_docs_pages(page: Any, base_url: str, shots: Path) -> None:
    page.goto(base_url + "/datasets")
    assert page.locator("h1").inner_text() == "مجموعات البيانات"
    assert page.locator("table.datasets tbody tr").count() == 2
    page.screenshot(path=str(shots / "datasets-ar.png"), full_page=True)
    page.click("nav.main-nav >> text=توثيق الواجهة البرمجية")
    page.wait_for_url("**/api/docs")
    spec = page.request.get(base_url + "/api/openapi.json").json()
    operations = sum(len(item) for item in spec["paths"].values())
    assert page.locator("section.operation").count() == operations >= 10
    page.screenshot(path=str(shots / "apidocs-ar.png"))


def test_narrow_screen_has_no_sideways_scroll(
    browser: Any, served: tuple[str, Store], base_url: str, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    sign_in(phone, served)
    for path in ("/?q=محمد", "/entities/p-ahmad"):
        phone.goto(base_url + path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    phone.screenshot(path=str(shots / "entity-ar-narrow.png"), full_page=True)
    context.close()


def test_a_report_sent_and_acknowledged(
    browser: Any, served: tuple[str, Store], base_url: str, shots: Path
) -> None:
    """The police find a man by his Arabic name and send a report on him to the FIU; an FIU
    analyst reads and acknowledges it; the police see the receipt."""
    police_context = browser.new_context(viewport={"width": 1280, "height": 900})
    police = police_context.new_page()
    sign_in(police, served, "police")
    police.fill("#q", "محمد")
    police.press("#q", "Enter")
    police.wait_for_url("**/?q=*")
    police.click("text=محمّد يوسف")
    police.wait_for_url("**/entities/p-yusuf")
    police.click("a.button[href^='/messages/new']")
    police.wait_for_url("**/messages/new?entity=p-yusuf")
    police.check("input[name=recipients][value=fiu]")
    police.fill("#subject", "محمد يوسف: سفر إلى الحدود")
    police.fill("#body", "رُصد في المعبر الحدودي مرتين هذا الشهر.")
    police.select_option("#source_grade", "2")
    police.select_option("#info_grade", "B")
    police.screenshot(path=str(shots / "compose-ar.png"), full_page=True)
    police.click("form.compose button[type=submit]")
    police.wait_for_url("**/messages/*")
    message_url = police.url
    assert police.locator("h1").inner_text() == "محمد يوسف: سفر إلى الحدود"
    assert police.locator("td.ack").inner_text() == ""

    fiu_context = browser.new_context(viewport={"width": 1280, "height": 900})
    fiu = fiu_context.new_page()
    fiu_user = sign_in(fiu, served, "fiu")
    fiu.click("nav.main-nav >> text=صندوق الوارد")
    fiu.wait_for_url("**/inbox")
    fiu.click("text=محمد يوسف: سفر إلى الحدود")
    fiu.wait_for_url(message_url)
    assert "رُصد في المعبر الحدودي" in fiu.locator(".body").inner_text()
    fiu.click("text=الإقرار بالاستلام")
    fiu.wait_for_url(message_url)
    assert fiu.locator("form[action$='/acknowledge']").count() == 0
    fiu.screenshot(path=str(shots / "message-fiu-ar.png"), full_page=True)

    police.reload()
    assert police.locator("td.ack").inner_text().endswith(fiu_user)
    police.screenshot(path=str(shots / "receipts-ar.png"), full_page=True)
    police_context.close()
    fiu_context.close()


def test_a_hit_reviewed_in_the_browser(
    browser: Any, served: tuple[str, Store], base_url: str, shots: Path
) -> None:
    """A PIU officer opens the queue from the menu, reads why the engine proposed a match,
    and dismisses it with a reason, by keyboard-reachable controls."""
    _, store = served
    subject = Subject("pax-77", "Salim Hadad", birth_date="1981-03-04")
    match = Match("p-ahmad", 0.91, True, "سالم الحداد", [Reason("name_part", "salim = سالم", 0.6)])
    with store.uow() as uow:
        [made] = record_results(uow.conn, subject, "api", [match], {"p-ahmad": "police_records"})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = context.new_page()
    sign_in(officer, served, role=Role.PIU_OFFICER)
    officer.click('nav.main-nav a[href="/hits"]')
    officer.click(f'a[href="/hits/{made.id}"] >> nth=0')
    officer.wait_for_url(f"{base_url}/hits/{made.id}")
    assert "salim = سالم" in officer.inner_text("table.explanation")
    officer.check('input[name="status"][value="dismissed"]')
    officer.fill("#reason", "تاريخ الميلاد مختلف")
    officer.screenshot(path=str(shots / "hit-ar.png"), full_page=True)
    officer.click(".hit form button[type=submit]")
    officer.wait_for_url(f"{base_url}/hits/{made.id}")
    assert "تاريخ الميلاد مختلف" in officer.inner_text("ol.history")
    context.close()
    with store.uow() as uow:
        assert get_hit(uow.conn, made.id).status == "dismissed"
