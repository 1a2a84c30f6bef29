"""The API and pages over the real UN Security Council consolidated list (bundled with Rasid).

SQLite only: importing the whole list takes a few seconds; the database-specific paths are
covered by the sample-based tests on both databases.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rasid.data import un_sc_path
from rasid.ingest.run import IngestRequest, ingest
from rasid.store import open_store
from tests.web.helpers import session_client, share_all_with

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def un_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of the app over a store holding the UN list."""
    folder = tmp_path_factory.mktemp("un")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    request = IngestRequest(
        str(un_sc_path()),
        "un_sc",
        agency="un",
        fmt="un-sc",
        kind="watchlist",
        title="UN Security Council consolidated list",
    )
    ingest(store, request)
    # The list is shared with the police (as the demo shares its public copy, marked
    # TLP:CLEAR, with every agency).
    share_all_with(store, "police")
    with session_client(store, "police") as client:
        yield client
    store.dispose()


def search(client: TestClient, q: str, **params: Any) -> list[dict[str, Any]]:
    """The results of a name search."""
    found = client.get("/api/entities", params={"q": q, **params})
    assert found.status_code == 200
    return list(found.json()["results"])


def test_arabic_and_latin_spellings_find_the_same_entity(un_client: TestClient) -> None:
    arabic = search(un_client, "القاعدة", schema="Organization")
    assert arabic[0]["caption"] == "AL-QAIDA"
    for spelling in ("Al-Qaida", "AL QAIDA", "القاعده"):
        assert search(un_client, spelling, schema="Organization")[0]["id"] == arabic[0]["id"]


def test_stats_and_datasets(un_client: TestClient) -> None:
    stats = un_client.get("/api/stats").json()
    assert stats["entities_by_schema"]["Person"] > 500
    assert stats["entities_by_schema"]["Organization"] > 100
    (dataset,) = un_client.get("/api/datasets").json()
    assert dataset["kind"] == "watchlist"
    assert dataset["entities"] == stats["entities"]


def test_entity_page_shows_the_arabic_name(un_client: TestClient) -> None:
    org = search(un_client, "القاعدة", schema="Organization")[0]
    html = un_client.get(f"/entities/{org['id']}").text
    assert "<h1><bdi>القاعدة</bdi></h1>" in html
    assert "خاضع للجزاءات" in html  # the topic, in Arabic
    assert "UN Security Council consolidated list" in html
    english = un_client.get(f"/entities/{org['id']}?lang=en").text
    un_client.cookies.delete("rasid_lang")  # the client is shared: forget the language
    assert "<h1><bdi>AL-QAIDA</bdi></h1>" in english


def test_search_page_lists_arabic_names(un_client: TestClient) -> None:
    html = un_client.get("/", params={"q": "أسامة"}).text
    assert 'lang="ar" dir="rtl"' in html
    assert html.count('class="result"') >= 1
    assert "أسامة" in html or "اسامة" in html
