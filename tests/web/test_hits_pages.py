"""The review queue in the browser (/hits): listing, one hit with its reasons, and the
decision form, on both databases."""

import re
from pathlib import Path

import pytest

from rasid.access.accounts import Role
from rasid.access.registry import add_agency, add_dataset, ensure_agency
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset
from rasid.screen.hits import get_hit, list_hits, record_results
from rasid.screen.model import Match, Reason, Subject
from rasid.store import Store
from rasid.travel.screening import screen_arrivals
from tests.travel.helpers import SENSITIVE_PNR, add_lists, arrive
from tests.web.helpers import session_client, share_all_with

WATCHLISTS = {"un-1": "un_sc", "fiu-7": "fiu_list"}


@pytest.fixture
def queued(store: Store) -> dict[str, int]:
    """A traveller's hits: one on the public UN list, one on the FIU's own list."""
    subject = Subject("pax-1", "عبد الرحمن الحسن", birth_date="1990-01-02", nationality="YE")
    matches = [
        Match(
            "un-1",
            0.97,
            True,
            "Abdulrahman <b>Al-Hassan</b>",
            [
                Reason("name_part", "abd al rahman = abdulrahman", 0.7),
                Reason("birth_date", "1990 ≠ 1991", -0.2),
            ],
        ),
        Match("fiu-7", 0.91, True, "Abd al-Rahman Hasan", []),
    ]
    with store.uow() as uow:
        ensure_agency(uow.conn, "un")
        ensure_agency(uow.conn, "fiu")
        add_dataset(uow.conn, Dataset("un_sc", "un", "UN", default_marking=Marking.CLEAR))
        add_dataset(uow.conn, Dataset("fiu_list", "fiu", "FIU list"))
        made = record_results(uow.conn, subject, "api", matches, WATCHLISTS)
    return {h.entity_id: h.id for h in made}


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form carries the session's CSRF token"
    return found.group(1)


def test_the_queue_lists_only_hits_the_reviewer_may_read(
    store: Store, queued: dict[str, int]
) -> None:
    with session_client(store, "border", Role.PIU_OFFICER) as officer:
        page = officer.get("/hits", params={"lang": "en"})
        assert page.status_code == 200
        assert f'href="/hits/{queued["un-1"]}"' in page.text
        assert f'href="/hits/{queued["fiu-7"]}"' not in page.text  # not shared with border
        assert 'href="/hits"' in page.text  # in the menu for reviewers
        assert officer.get(f"/hits/{queued['fiu-7']}").status_code == 404
        # The watchlist name is shown as text, never as markup.
        assert "&lt;b&gt;Al-Hassan&lt;/b&gt;" in page.text and "<b>Al-Hassan</b>" not in page.text
    with session_client(store, "border", Role.FOCAL_POINT) as focal:
        assert focal.get("/hits").status_code == 403
        assert 'href="/hits"' not in focal.get("/datasets").text


def test_a_reviewer_decides_with_a_reason(store: Store, queued: dict[str, int]) -> None:
    hit_id = queued["un-1"]
    with session_client(store, "border", Role.PIU_OFFICER) as officer:
        page = officer.get(f"/hits/{hit_id}")  # Arabic by default
        assert page.status_code == 200 and 'dir="rtl"' in page.text
        assert "abd al rahman = abdulrahman" in page.text and "-0.200" in page.text
        token = csrf(page.text)
        # No reason: refused, nothing recorded, the form shown again with the choice kept.
        refused = officer.post(
            f"/hits/{hit_id}/decision",
            data={"csrf_token": token, "status": "dismissed", "reason": " "},
        )
        assert refused.status_code == 422 and 'value="dismissed" required checked' in refused.text
        assert "السبب مطلوب في كل قرار بشأن نتيجة" in refused.text  # in the page's language
        odd = officer.post(
            f"/hits/{hit_id}/decision",
            data={"csrf_token": token, "status": "maybe", "reason": "x"},
            params={"lang": "en"},
        )
        assert odd.status_code == 422 and "unknown status &#39;maybe&#39;" in odd.text
        # A forged form (no token) is refused.
        forged = officer.post(
            f"/hits/{hit_id}/decision", data={"status": "dismissed", "reason": "x"}
        )
        assert forged.status_code == 403
        done = officer.post(
            f"/hits/{hit_id}/decision",
            data={"csrf_token": token, "status": "dismissed", "reason": "born 1991, other man"},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == f"/hits/{hit_id}"
        shown = officer.get(f"/hits/{hit_id}", params={"lang": "en"}).text
        assert "born 1991, other man" in shown and "Dismissed" in shown
    with store.uow() as uow:
        decided = get_hit(uow.conn, hit_id)
    assert decided.status == "dismissed"
    assert decided.history is not None and decided.history[0].reviewer.startswith("border.")


@pytest.fixture
def travel_hit(store: Store, tmp_path: Path) -> int:
    """A traveller's watchlist hit, screened on arrival of a PNR."""
    with store.uow() as uow:
        for name, kind in (("piu", "piu"), ("police", "police"), ("border", "border")):
            add_agency(uow.conn, Agency(name, name, kind=kind))
    add_lists(store, tmp_path)
    screen_arrivals(store, arrive(store, tmp_path, "pnr.edi", SENSITIVE_PNR))
    share_all_with(store, "piu")
    with store.uow() as uow:
        [found] = list_hits(uow.conn)
    return found.id


def test_confirming_a_traveller_hit_sends_the_alert(store: Store, travel_hit: int) -> None:
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        page = officer.get(f"/hits/{travel_hit}", params={"lang": "en"})
        assert page.status_code == 200
        assert "Watchlist name" in page.text
        # The traveller's flight, its codes kept left to right (Unicode isolates).
        assert "\u2066XY123 CAI-DXB\u2069 on \u20662024-03-05\u2069" in page.text
        assert "sends an alert to the border and police agencies" in page.text
        form = {"csrf_token": csrf(page.text), "status": "confirmed", "reason": "same person"}
        done = officer.post(f"/hits/{travel_hit}/decision", data=form, follow_redirects=False)
        assert done.status_code == 303
        inbox = officer.get("/inbox", params={"lang": "en"})
    assert "Traveller alert: MUHAMMAD HASSAN" in inbox.text  # in the sent messages
    with store.uow() as uow:
        assert get_hit(uow.conn, travel_hit).status.value == "confirmed"


def test_a_hit_is_explained_in_the_readers_language(store: Store, travel_hit: int) -> None:
    with store.uow() as uow:
        hit = get_hit(uow.conn, travel_hit)
    assert hit.subject.nationality and hit.subject.gender
    with session_client(store, "piu", Role.PIU_OFFICER) as officer:
        arabic = officer.get(f"/hits/{travel_hit}", params={"lang": "ar"}).text
        english = officer.get(f"/hits/{travel_hit}", params={"lang": "en"}).text
    # Every step of the explanation in Arabic, with what it compared; none left in English.
    # (Names and codes inside a step are Unicode isolates, left out here.)
    flight = "\u2066XY123 CAI-DXB\u2069 بتاريخ \u20662024-03-05\u2069"
    assert flight in arabic  # the flight's codes left to right in an Arabic sentence
    english, arabic = (re.sub("[\u2068\u2069]", "", page) for page in (english, arabic))
    for step in hit.explanation:
        assert step.detail in english
        assert step.detail not in arabic
    assert "جزء من الاسم" in arabic and "تاريخ الميلاد" in arabic
    assert "name part" in english and "date of birth" in english
    # The subject's facts as words: the country and the gender, and who screened them.
    assert "تدقيق المسافرين" in arabic and "Traveller screening" in english
    assert ">ذكر<" in arabic or ">أنثى<" in arabic


def test_a_hit_stored_before_steps_had_codes_reads_as_its_details(store: Store) -> None:
    subject = Subject("s-old", "Old Subject")
    reasons = [Reason("name_part", "old ~ old: identical", 1.0)]  # no code, as stored before
    with store.uow() as uow:
        ensure_agency(uow.conn, "border")
        add_dataset(uow.conn, Dataset("wl", "border", "A watchlist", kind="watchlist"))
        [hit] = record_results(
            uow.conn, subject, "api", [Match("e1", 0.9, True, "Old", reasons)], {"e1": "wl"}
        )
    share_all_with(store, "border")
    with session_client(store, "border", Role.PIU_OFFICER) as officer:
        arabic = officer.get(f"/hits/{hit.id}", params={"lang": "ar"}).text
    assert "old ~ old: identical" in arabic and "جزء من الاسم" in arabic
    assert "تدقيق عبر واجهة البرمجة" in arabic
