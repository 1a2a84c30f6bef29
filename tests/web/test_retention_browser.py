"""Seeing masked data again, in a real Chromium against a server whose clock stands six months
after a PNR came in: a PIU officer finds the man masked and asks with a reason, a supervisor
approves in the browser, and the officer sees the name again (SQLite only, as the other
browser tests)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.retention.helpers import Loaded, at, load_travel
from tests.web import test_browser
from tests.web.helpers import serving
from tests.web.test_browser import CHROMIUM, sign_in

# The browser tests' fixtures, shared: a headless Chromium and the screenshots' folder.
browser = test_browser.browser
shots = test_browser.shots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, Loaded]]:
    """A server over a PNR imported today, its clock six months later."""
    folder = tmp_path_factory.mktemp("retention-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    loaded = load_travel(store, folder)
    app = create_app(store, clock=lambda: at(loaded.masked_on))
    with serving(app) as address:
        yield address, store, loaded
    store.dispose()


def signed_in(browser: Any, served: tuple[str, Store, Loaded], role: Role) -> Any:
    """A new page of a new PIU user of ``role``, signed in through the form."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, (served[0], served[1]), "piu", role)
    return page


def test_an_officer_asks_and_a_supervisor_approves(
    browser: Any, served: tuple[str, Store, Loaded], shots: Path
) -> None:
    base, _, loaded = served
    officer = signed_in(browser, served, Role.PIU_OFFICER)
    officer.goto(f"{base}/entities/{loaded.pnr_person}")
    assert officer.locator("h1 .masked").inner_text() == "محجوب"
    assert "ACKARY" not in officer.content()
    officer.screenshot(path=str(shots / "entity-masked-ar.png"), full_page=True)
    officer.fill(".masked-note textarea", "قضية رقم 7: التحقق من هوية مسافر")
    officer.click(".masked-note button[type=submit]")
    officer.wait_for_url("**/retention/unmask")
    assert officer.locator("table.unmask-requests .badge").inner_text() == "قيد الانتظار"

    supervisor = signed_in(browser, served, Role.SUPERVISOR)
    supervisor.goto(f"{base}/retention/unmask?lang=en")
    supervisor.check("input[value=approve]")
    supervisor.fill("table.unmask-requests textarea", "Identity check for case 7")
    supervisor.click("table.unmask-requests button[type=submit]")
    supervisor.wait_for_url("**/retention/unmask")
    assert supervisor.locator("table.unmask-requests .badge").inner_text() == "Approved"
    supervisor.screenshot(path=str(shots / "unmask-requests-en.png"), full_page=True)

    officer.goto(f"{base}/entities/{loaded.pnr_person}")
    assert "ACKARY" in officer.locator("h1").inner_text()
    assert officer.locator(".masked-note").count() == 0
