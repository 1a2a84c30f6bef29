"""The link graph in a real Chromium, over a small nexus: a smuggling network, a cell, a
broker who belongs to the first and pays a member of the second, and a phone number the
broker shares with a woman the intelligence service knows. Imported through the real
importer, served by the real app and its graph API. SQLite only, as the other browser
tests."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role
from rasid.access.policy import share_dataset
from rasid.access.registry import add_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.registry import Agency
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.web.conftest import write_jsonl
from tests.web.helpers import serving
from tests.web.test_browser import CHROMIUM, browser, shots, sign_in

__all__ = ["browser", "shots"]  # fixtures shared with the other browser tests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

BROKER = "p-karim"
POLICE = [
    {
        "id": BROKER,
        "schema": "Person",
        "properties": {"name": ["كريم الحداد"], "alias": ["Karim al-Haddad"]},
    },
    {"id": "p-samir", "schema": "Person", "properties": {"name": ["سمير الزين"]}},
    {"id": "p-omar", "schema": "Person", "properties": {"name": ["عمر الفاروق"]}},
    {
        "id": "o-network",
        "schema": "Organization",
        "properties": {"name": ["شبكة التهريب الشمالية"], "topics": ["crime.traffick"]},
    },
    {
        "id": "o-cell",
        "schema": "Organization",
        "properties": {"name": ["خلية الفجر"], "topics": ["crime.terror"]},
    },
    {
        "id": "m-karim",
        "schema": "Membership",
        "properties": {"member": [BROKER], "organization": ["o-network"], "startDate": ["2017"]},
    },
    {
        "id": "m-samir",
        "schema": "Membership",
        "properties": {
            "member": ["p-samir"],
            "organization": ["o-network"],
            "startDate": ["2016-02-01"],
        },
    },
    {
        "id": "m-omar",
        "schema": "Membership",
        "properties": {"member": ["p-omar"], "organization": ["o-cell"], "startDate": ["2021"]},
    },
    {
        "id": "pay-karim-omar",
        "schema": "Payment",
        "properties": {
            "payer": [BROKER],
            "beneficiary": ["p-omar"],
            "amount": ["5000"],
            "currency": ["usd"],
            "date": ["2022-03-01"],
        },
    },
]
INTELLIGENCE = [
    {"id": BROKER, "schema": "Person", "properties": {"phone": ["+963944000111"]}},
    {
        "id": "p-nadia",
        "schema": "Person",
        "properties": {"name": ["نادية سليم"], "phone": ["+963944000111"]},
    },
]


def load_nexus(store: Store, folder: Path) -> None:
    """The two agencies' datasets, the intelligence service's shared with the police."""
    with store.uow() as uow:
        add_agency(uow.conn, Agency("police", "National Police", "الشرطة الوطنية", "police"))
        add_agency(
            uow.conn, Agency("intel", "Intelligence Service", "جهاز الاستخبارات", "intelligence")
        )
    for rows, name, agency in (
        (POLICE, "police_cases", "police"),
        (INTELLIGENCE, "intel", "intel"),
    ):
        path = write_jsonl(folder / f"{name}.jsonl", rows)
        ingest(store, IngestRequest(str(path), name, agency=agency, title=name))
    with store.uow() as uow:
        share_dataset(uow.conn, "intel", "police", "intel.admin")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """A running server over the nexus: its address and its store."""
    folder = tmp_path_factory.mktemp("graph-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    load_nexus(store, folder)
    with serving(create_app(store)) as address:
        yield address, store
    store.dispose()


def drawn(page: Any, selector: str = "node") -> list[str]:
    """The ids of the elements drawn (not hidden by a filter), sorted."""
    script = "s => window.rasidGraph.cy.$(s).not('.filtered').map(e => e.id()).sort()"
    ids: list[str] = page.evaluate(script, selector)
    return ids


def open_graph(page: Any, url: str) -> None:
    """Open a graph page and wait until its first answer is drawn."""
    page.goto(url)
    page.wait_for_function("() => window.rasidGraph !== undefined")
    page.evaluate("window.rasidGraph.ready")


def click_node(page: Any, node_id: str) -> None:
    """Click a node where it is drawn on the canvas."""
    page.evaluate(
        "id => window.rasidGraph.cy.animate({center: {eles: '#' + id}, duration: 0})", node_id
    )
    point = page.evaluate("id => window.rasidGraph.cy.$id(id).renderedPosition()", node_id)
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_an_analyst_explores_the_nexus(
    browser: Any, served: tuple[str, Store], shots: Path
) -> None:
    base, _ = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    try:
        sign_in(page, served, "police", Role.ANALYST)
        open_graph(page, f"{base}/graph?entity={BROKER}")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        # The broker, his network, the man he paid and the woman who shares his phone.
        assert drawn(page) == sorted([BROKER, "o-network", "p-nadia", "p-omar"])
        assert page.locator("#graph-canvas canvas").count() > 0
        assert "كريم الحداد" in page.locator("#graph-details h3").inner_text()
        listing = page.locator("#graph-node-list")
        assert "شبكة التهريب الشمالية" in listing.inner_text()

        # A click on a node draws its neighbours: the cell behind the man who was paid.
        click_node(page, "p-omar")
        page.wait_for_function("() => window.rasidGraph.cy.$id('o-cell').nonempty()")
        assert "عمر الفاروق" in page.locator("#graph-details h3").inner_text()
        # The details panel expands too (keyboard users have no canvas).
        listing.get_by_text("شبكة التهريب الشمالية").click()
        page.click("#graph-details button[data-action=expand]")
        page.wait_for_function("() => window.rasidGraph.cy.$id('p-samir').nonempty()")
        assert "رُسم جيرانه" in page.locator("#graph-details").inner_text()

        # A link's details: its evidence, with the dataset and the agency that gave it.
        payment = page.evaluate("window.rasidGraph.cy.edges('[type = \"Payment\"]').id()")
        page.evaluate("id => window.rasidGraph.select(id)", payment)
        details = page.locator("#graph-details")
        assert "دفعة مالية" in details.locator("h3").inner_text()
        assert details.locator(".graph-evidence li").count() >= 2  # payer and beneficiary
        assert "police_cases · الشرطة الوطنية" in details.inner_text()
        assert "2022-03-01" in details.inner_text()

        # Colours: by group (the network criminal, the cell terrorist), or by community.
        colour = "id => window.rasidGraph.cy.$id(id).data('colour')"
        assert page.evaluate(colour, "o-network") != page.evaluate(colour, "o-cell")
        before = page.evaluate(colour, "p-nadia")
        page.check("input[name=colour][value=community]")
        assert page.evaluate(colour, "p-nadia") != before
        page.check("input[name=colour][value=group]")
        page.screenshot(path=str(shots / "graph-ar.png"), full_page=True)

        # Filters: the payment goes with its type; the memberships before 2018 with the dates.
        types = page.locator("#graph-types input[type=checkbox]")
        assert sorted(types.evaluate_all("l => l.map(i => i.value)")) == [
            "Membership",
            "Payment",
            "phone",
        ]
        page.uncheck("#graph-types input[value=Payment]")
        assert page.evaluate(
            "window.rasidGraph.cy.edges('[type = \"Payment\"]').every(e => e.hasClass('filtered'))"
        )
        page.check("#graph-types input[value=Payment]")
        page.fill("#graph-since", "2018-01-01")
        page.dispatch_event("#graph-since", "change")
        kept = drawn(page)
        assert "p-samir" not in kept and "o-cell" in kept
        page.fill("#graph-since", "")
        page.dispatch_event("#graph-since", "change")

        # Export: an image and a drawing are downloaded.
        with page.expect_download() as png:
            page.click("#graph-png")
        png_path = png.value.path()
        assert png.value.suggested_filename == f"rasid-graph-{BROKER}.png"
        assert Path(png_path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with page.expect_download() as svg:
            page.click("#graph-svg")
        drawing = Path(svg.value.path()).read_text("utf-8")
        assert drawing.startswith("<svg") and "كريم الحداد" in drawing
        assert refused == [], "the page broke the Content-Security-Policy"
    finally:
        context.close()


def test_paths_bridges_and_exports_through_the_api(
    browser: Any, served: tuple[str, Store], shots: Path
) -> None:
    base, _ = served
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sign_in(page, served, "police", Role.ANALYST)
        open_graph(page, f"{base}/graph?entity=p-samir&lang=en")
        assert page.evaluate("document.documentElement.dir") == "ltr"
        page.evaluate("window.rasidGraph.expand('o-network')")
        page.evaluate(f"window.rasidGraph.expand('{BROKER}')")
        page.select_option("#graph-source", "p-samir")
        page.select_option("#graph-target", "p-omar")
        page.click("#graph-paths button[type=submit]")
        page.wait_for_selector("#graph-path-list li")
        highlighted = page.evaluate(
            "window.rasidGraph.cy.nodes('.on-path').map(n => n.id()).sort()"
        )
        assert highlighted == sorted([BROKER, "o-network", "p-omar", "p-samir"])

        page.click("#graph-load-bridges")
        bridge = page.locator(f'#graph-bridge-list li[data-entity="{BROKER}"]')
        bridge.wait_for()
        bridge.locator("button").first.click()
        label = page.evaluate(f"window.rasidGraph.cy.$id('{BROKER}').data('label')")
        assert page.locator("#graph-details h3").inner_text() == label
        page.screenshot(path=str(shots / "graph-bridges-en.png"), full_page=True)

        # An answer the API refuses is said, not drawn.
        page.evaluate("window.rasidGraph.expand('nobody').catch(() => null)")
        line = page.locator("#graph-status")
        assert "404" in line.inner_text() and "error" in (line.get_attribute("class") or "")

        for link, marker in (("#graph-graphml", "<graphml"), ("#graph-ftm", '"schema"')):
            href = page.get_attribute(link, "href")
            assert href is not None and "/api/graph/export?" in href
            answer = context.request.get(href if href.startswith("http") else base + href)
            assert answer.status == 200 and marker in answer.text(), link
    finally:
        context.close()
