"""Retention in the browser on both databases, six months after the import by the app's clock:
the entity page shows masked values and the form to ask for them; the request and the
supervisor's decision go through the requests page; the status page, in both languages."""

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from rasid.access.accounts import Role
from rasid.store import Store
from rasid.store.tables import retention_run
from tests.retention.helpers import PNR, Loaded, at, load_travel
from tests.web.helpers import session_client


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Loaded:
    return load_travel(store, tmp_path)


def browser(store: Store, role: Role, now: datetime, agency: str = "piu") -> TestClient:
    """A signed-in browser of a new user, the app's clock at ``now``."""
    made = session_client(store, agency, role)
    made.app.state.clock = lambda: now  # type: ignore[attr-defined]
    return made


@pytest.fixture
def analyst(store: Store, loaded: Loaded) -> Iterator[TestClient]:
    with browser(store, Role.PIU_OFFICER, at(loaded.masked_on)) as made:
        yield made


@pytest.fixture
def supervisor(store: Store, loaded: Loaded) -> Iterator[TestClient]:
    with browser(store, Role.SUPERVISOR, at(loaded.masked_on)) as made:
        yield made


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form carries the session's CSRF token"
    return found.group(1)


def test_the_entity_page_masks_and_offers_to_ask(analyst: TestClient, loaded: Loaded) -> None:
    page = analyst.get(f"/entities/{loaded.pnr_person}")  # Arabic by default
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "ACKARY" not in page.text and "602120901" not in page.text
    assert 'class="badge masked"' in page.text and ">محجوب<" in page.text
    assert 'action="/retention/unmask"' in page.text and f'value="{PNR}"' in page.text
    english = analyst.get(f"/entities/{loaded.pnr_person}", params={"lang": "en"})
    assert ">Masked<" in english.text and "Masked values" in english.text
    plain = analyst.get(f"/entities/{loaded.api_person}")
    assert "ACKARY" in plain.text and 'action="/retention/unmask"' not in plain.text


def test_ask_and_decide_in_the_browser(
    analyst: TestClient, supervisor: TestClient, loaded: Loaded
) -> None:
    page = analyst.get(f"/entities/{loaded.pnr_person}")
    form = {
        "csrf_token": csrf(page.text),
        "target_kind": "entity",
        "target_id": loaded.pnr_person,
        "dataset": PNR,
        "reason": "",
    }
    blank = analyst.post("/retention/unmask", data=form, follow_redirects=False)
    assert blank.status_code == 422 and "السبب مطلوب" in blank.text  # the page's language
    assert "reason is required" not in blank.text
    form["reason"] = "قضية رقم 7"
    asked = analyst.post("/retention/unmask", data=form, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/retention/unmask"
    mine = analyst.get("/retention/unmask")
    assert "قيد الانتظار" in mine.text and "قضية رقم 7" in mine.text
    assert "/decision" not in mine.text  # nobody decides on their own request

    listing = supervisor.get("/retention/unmask", params={"lang": "en"})
    [number] = re.findall(r'action="/retention/unmask/(\d+)/decision"', listing.text)
    forged = supervisor.post(
        f"/retention/unmask/{number}/decision",
        data={"csrf_token": "forged", "decision": "approve", "reason": "ok"},
    )
    assert forged.status_code == 403
    unreasoned = supervisor.post(
        f"/retention/unmask/{number}/decision",
        data={"csrf_token": csrf(listing.text), "decision": "approve", "reason": ""},
        params={"lang": "ar"},
    )
    assert unreasoned.status_code == 422 and "السبب مطلوب" in unreasoned.text
    decided = supervisor.post(
        f"/retention/unmask/{number}/decision",
        data={"csrf_token": csrf(listing.text), "decision": "approve", "reason": "justified"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    assert "Approved" in supervisor.get("/retention/unmask", params={"lang": "en"}).text
    assert "ACKARY" in analyst.get(f"/entities/{loaded.pnr_person}").text
    assert "ACKARY" not in supervisor.get(f"/entities/{loaded.pnr_person}").text
    odd = analyst.post(
        "/retention/unmask", data={**form, "target_kind": "ship"}, params={"lang": "en"}
    )
    assert odd.status_code == 422 and "unknown target kind &#39;ship&#39;" in odd.text


def test_the_status_page_in_both_languages(
    store: Store, supervisor: TestClient, analyst: TestClient, loaded: Loaded
) -> None:
    arabic = supervisor.get("/retention")
    assert arabic.status_code == 200 and "الاحتفاظ بالبيانات" in arabic.text
    assert 'href="/retention"' in arabic.text and PNR in arabic.text
    assert "أشهر: 6" in arabic.text and "سنوات: 5" in arabic.text
    english = supervisor.get("/retention", params={"lang": "en"})
    assert "Retention" in english.text and "6 month(s)" in english.text
    assert str(loaded.deleted_on) in english.text  # the next deletion
    assert analyst.get("/retention").status_code == 403
    assert 'href="/retention"' not in analyst.get("/datasets").text


def test_the_status_page_tells_a_failed_and_an_unfinished_run(
    store: Store, supervisor: TestClient, loaded: Loaded
) -> None:
    started = at(loaded.masked_on)
    common = {"started_at": started, "as_of": loaded.masked_on, "masked": 0, "deleted": 3}
    common["counts"] = "{}"
    with store.uow() as uow:
        uow.conn.execute(
            insert(retention_run),
            [
                {
                    **common,
                    "actor": "system:retention",
                    "finished_at": started,
                    "error": "<b>disk</b> full",
                },
                {**common, "actor": "cli:ops", "finished_at": None, "error": None},
            ],
        )
    english = supervisor.get("/retention", params={"lang": "en"}).text
    assert "Failed: &lt;b&gt;disk&lt;/b&gt; full" in english
    assert "Under way, or stopped" in english
    arabic = supervisor.get("/retention", params={"lang": "ar"}).text
    assert "فشل: &lt;b&gt;disk&lt;/b&gt; full" in arabic and "جارٍ، أو توقّف" in arabic
    runs = supervisor.get("/api/retention/runs").json()
    assert [(r["finished_at"] is None, r["error"]) for r in runs] == [
        (True, None),
        (False, "<b>disk</b> full"),
    ]
