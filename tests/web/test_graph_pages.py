"""The link graph page: signed-in users only, a purpose first, Arabic by default and
English on request, no inline script, and only the readable datasets' labels given to the
script. (What the script draws is tested in a real Chromium, test_graph_browser.py.)"""

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from rasid.access import audit
from rasid.store import Store
from rasid.web.app import create_app
from rasid.web.graph_pages import CLIENT_MESSAGES
from tests.web.conftest import XSS_NAME
from tests.web.helpers import BASE_URL, PURPOSE, session_client

WEB = Path(str(resources.files("rasid.web")))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def config_of(html: str) -> dict[str, Any]:
    """The JSON the page hands to graph.js."""
    found = re.search(
        r'<script type="application/json" id="graph-config">(.*?)</script>', html, re.S
    )
    assert found, "no graph configuration on the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_graph_page_in_arabic_by_default(client: TestClient) -> None:
    page = client.get("/graph", params={"entity": "p-ahmad"})
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "شبكة الروابط" in page.text and "جسور التقاطع" in page.text
    assert "<h1><bdi>مُحَمَّد عبد الله الأحمد</bdi></h1>" in page.text
    assert 'aria-current="page">الشبكة</a>' in page.text
    config = config_of(page.text)
    assert config["entity"] == "p-ahmad" and config["purpose"] == PURPOSE
    assert config["lang"] == "ar" and config["api"] == "/api/graph"
    assert config["schemata"]["Person"] == "شخص"
    assert config["types"]["Membership"] == "عضوية"
    assert config["types"]["phone"] == "رقم هاتف مشترك"
    assert config["messages"]["expand"] == "ارسم جيرانه"
    assert set(config["messages"]) == {k.removeprefix("graph.js.") for k in CLIENT_MESSAGES}
    assert config["datasets"]["police_records"] == {
        "title": "Police records",
        "agency": "الشرطة الوطنية",
    }
    assert config["agencies"]["fiu"] == "وحدة التحريات المالية"


def test_the_graph_page_in_english(client: TestClient) -> None:
    page = client.get("/graph", params={"entity": "p-ahmad", "lang": "en"})
    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in page.text
    assert "Nexus bridges" in page.text and "Relationship types" in page.text
    assert "<h1><bdi>Mohamed Abdallah Al Ahmad</bdi></h1>" in page.text  # in Latin script
    config = config_of(page.text)
    assert config["lang"] == "en" and config["schemata"]["Person"] == "Person"
    assert config["messages"]["expand"] == "Draw its neighbours"
    assert config["datasets"]["police_records"]["agency"] == "National Police"
    assert page.cookies.get("rasid_lang") == "en"


def test_the_page_loads_its_scripts_from_the_server_only(client: TestClient) -> None:
    page = client.get("/graph", params={"entity": "p-ahmad"})
    assert "default-src 'self'" in page.headers["content-security-policy"]
    tags = SCRIPT_TAG.findall(page.text)
    sources = [re.search(r'src="([^"]+)"', tag) for tag in tags]
    # Every script is a file of the server, or data the browser does not run.
    assert all(
        s is not None or 'type="application/json"' in tag
        for s, tag in zip(sources, tags, strict=True)
    )
    files = [s.group(1) for s in sources if s is not None]
    assert files == ["/static/vendor/cytoscape/cytoscape.min.js", "/static/graph.js"]
    for path in [*files, "/static/graph.css"]:
        served = client.get(path)
        assert served.status_code == 200 and len(served.content) > 1000, path
    assert "Cytoscape" in client.get("/static/vendor/cytoscape/LICENSE").text


def test_without_sign_in_the_page_sends_to_sign_in(loaded: Store) -> None:
    anonymous = TestClient(create_app(loaded), base_url=BASE_URL, follow_redirects=False)
    page = anonymous.get("/graph", params={"entity": "p-ahmad"})
    assert page.status_code == 303
    assert page.headers["location"].startswith("/sign-in?next=%2Fgraph%3Fentity%3Dp-ahmad")


def test_the_page_asks_for_a_purpose_first(loaded: Store) -> None:
    client = session_client(loaded, "police", purpose="")
    asked = client.get("/graph", params={"entity": "p-ahmad"})
    assert asked.status_code == 428
    assert 'name="purpose"' in asked.text and 'action="/graph"' in asked.text
    assert 'name="entity" value="p-ahmad"' in asked.text
    assert "مُحَمَّد" not in asked.text and "graph-config" not in asked.text
    stated = client.get("/graph", params={"entity": "p-ahmad", "purpose": "case 2026/31"})
    assert stated.status_code == 200 and config_of(stated.text)["purpose"] == "case 2026/31"
    again = client.get("/graph", params={"entity": "p-ahmad"})  # remembered in the session
    assert again.status_code == 200 and config_of(again.text)["purpose"] == "case 2026/31"


def test_viewing_a_graph_is_audited_with_its_purpose(loaded: Store) -> None:
    client = session_client(loaded, "police", purpose="case 2026/32")
    assert client.get("/graph", params={"entity": "o-nur"}).status_code == 200
    assert client.get("/graph", params={"entity": "nobody"}).status_code == 404
    with loaded.uow() as uow:
        records = audit.search(uow.conn, agency="police", action="graph.view", limit=2)
    assert [(r.target, r.outcome, r.purpose) for r in records] == [
        ("nobody", "not_found", "case 2026/32"),
        ("o-nur", "ok", "case 2026/32"),
    ]


def test_only_readable_data_reaches_the_page(fiu_client: TestClient) -> None:
    # The charity is in the police's records, which are not shared with the FIU.
    assert fiu_client.get("/graph", params={"entity": "o-nur"}).status_code == 404
    page = fiu_client.get("/graph", params={"entity": "p-ahmad"})
    assert page.status_code == 200
    assert set(config_of(page.text)["datasets"]) == {"fiu_reports"}


def test_without_an_entity_the_page_offers_the_nexus_bridges(client: TestClient) -> None:
    page = client.get("/graph")
    assert page.status_code == 200
    assert 'id="graph-load-bridges"' in page.text
    assert 'id="graph-graphml"' not in page.text  # an export needs an entity to start from
    assert config_of(page.text)["entity"] == ""


def test_names_and_ids_are_escaped(client: TestClient) -> None:
    page = client.get("/graph", params={"entity": "p-evil"})
    assert page.status_code == 200
    assert XSS_NAME not in page.text and "&lt;script&gt;" in page.text
    slashed = client.get("/graph", params={"entity": "case/2024/7"})
    assert slashed.status_code == 200
    assert 'href="/entities/case%2F2024%2F7"' in slashed.text


def test_the_entity_page_links_to_its_graph(client: TestClient) -> None:
    page = client.get("/entities/p-ahmad")
    assert 'href="/graph?entity=p-ahmad"' in page.text and "عرض في شبكة الروابط" in page.text


def test_the_graph_stylesheet_uses_logical_properties_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", (WEB / "static" / "graph.css").read_text("utf-8"), flags=re.S)
    assert re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", css) == []
