"""Flights in the browser, on both databases: the list, a manifest with its hits marked
(a row style and a text badge) and linked to the review page, the purpose asked first and
the read audited, the data-quality report, in Arabic (right to left) and English."""

import re
from pathlib import Path
from typing import Any

import pytest

from rasid.access import audit
from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.helpers import PURPOSE, session_client
from tests.web.test_travel_api import UA988, UA989, load_travel


@pytest.fixture
def travel(store: Store, tmp_path: Path) -> dict[str, Any]:
    return load_travel(store, tmp_path)


def row_of(html: str, text: str) -> str:
    """The table row holding ``text``."""
    rows = [r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S) if text in r]
    assert len(rows) == 1, f"one row holds {text!r}"
    return rows[0]


def test_the_flights_list(store: Store, travel: dict[str, Any]) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        arabic = officer.get("/flights", params={"start": "2018-05-01", "end": "2018-05-31"})
        english = officer.get(
            "/flights", params={"start": "2018-05-01", "end": "", "lang": "en", "carrier": "UA"}
        )
        default = officer.get("/flights", params={"lang": "ar"})  # from yesterday on
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.text and 'lang="ar"' in arabic.text
    assert 'href="/flights"' in arabic.text and "الرحلات" in arabic.text  # in the menu
    ua988 = row_of(arabic.text, f'href="/flights/{UA988}"')
    assert 'class="alert"' in ua988 and "1 مفتوحة" in ua988 and "1 مؤكَّدة" in ua988
    assert UA989 not in arabic.text  # the border police's
    assert 'dir="ltr"' in english.text and "Flights" in english.text
    assert "1 open" in row_of(english.text, f'href="/flights/{UA988}"')
    assert UA988 not in default.text  # these flights of 2018 are long gone
    assert "لا توجد رحلة" in default.text


def test_a_manifest_asks_the_purpose_then_marks_the_hits(
    store: Store, travel: dict[str, Any]
) -> None:
    hits = travel["hits"]
    with session_client(store, "piu", Role.PIU_OFFICER, purpose="") as officer:
        asked = officer.get(f"/flights/{UA988}")
        assert asked.status_code == 428 and 'name="purpose"' in asked.text
        with store.uow() as uow:
            assert audit.search(uow.conn, action="flight.read") == []
        page = officer.get(f"/flights/{UA988}", params={"purpose": PURPOSE, "lang": "en"})
        arabic = officer.get(f"/flights/{UA988}", params={"lang": "ar"})  # purpose remembered
    assert page.status_code == 200, page.text
    open_row = row_of(page.text, f'href="/hits/{hits["un-1"]}"')
    assert 'class="alert"' in open_row and "Open hit" in open_row and "ACKARY" in open_row
    assert "Watchlist, New, <span" in open_row  # the hit's kind, status and score
    assert f'href="/hits/{hits["fiu-7"]}"' not in page.text  # on the FIU's own list
    confirmed_row = row_of(page.text, f'href="/hits/{hits["un-2"]}"')
    assert 'class="alert"' not in confirmed_row and "Confirmed hit" in confirmed_row
    assert "Open hit" not in confirmed_row and "23K" in confirmed_row
    assert arabic.status_code == 200 and "نتيجة مفتوحة" in arabic.text
    with store.uow() as uow:
        reads = audit.search(uow.conn, action="flight.read", target=UA988)
    assert [r.purpose for r in reads] == [PURPOSE, PURPOSE]


def test_a_flight_the_officer_may_not_see_is_not_found(
    store: Store, travel: dict[str, Any]
) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        assert officer.get(f"/flights/{UA989}").status_code == 404
    with store.uow() as uow:
        [read] = audit.search(uow.conn, action="flight.read", target=UA989)
    assert read.outcome == "not_found"


def test_the_quality_report_page(store: Store, travel: dict[str, Any]) -> None:
    params = {"start": "2018-05-12", "end": "2018-05-12", "lang": "en"}
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        page = officer.get("/travel/quality", params=params)
        arabic = officer.get("/travel/quality", params={**params, "lang": "ar"})
        bad = officer.get("/travel/quality", params={**params, "offsets": "soon"})
    assert page.status_code == 200, page.text
    ua = row_of(page.text, '<th scope="row" dir="ltr">UA</th>')
    assert "1 / 1" in ua  # API manifests received / expected
    problem = row_of(page.text, f'href="/flights/{UA988}"')
    # Today the flight of 2018 has long gone: the 24 h and departure pushes are missing.
    assert problem.count("missing") == 2 and "on time" in problem
    assert arabic.status_code == 200 and "جودة بيانات السفر" in arabic.text
    assert bad.status_code == 422 and "soon" in bad.text


def test_flights_are_not_for_a_focal_point(store: Store, travel: dict[str, Any]) -> None:
    with session_client(store, "piu", Role.FOCAL_POINT) as focal:
        assert focal.get("/flights").status_code == 403
        assert focal.get("/travel/quality").status_code == 403
        assert 'href="/flights"' not in focal.get("/datasets").text
