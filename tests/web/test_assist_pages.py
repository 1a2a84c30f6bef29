"""The coordination pages: a coordinator records a need through the form and sees it; a
refused form comes back with the reason, in the page's language, and the values typed (and
nothing half-saved); a partner's focal point sees only what is released to it (the summary
of a partial release, never an unreleased report); an analyst without the assist scope is
refused; the dashboard in Arabic and English; downloads; an IATI import through the form;
suggested matches with their components, accepted and undone; a roadmap with a step;
duplication flags with a note."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from rasid.access import sessions
from rasid.access.accounts import Role, get_user
from rasid.store import Store
from rasid.web.app import create_app
from rasid.web.deps import SESSION_COOKIE
from tests.web.helpers import BASE_URL, new_user

EXAMPLES = Path(__file__).parents[2] / "rasid" / "assist" / "examples"
OFFICE = "coordination"  # the state's coordination office
PARTNER = "partner_un"
TODAY = datetime(2026, 11, 24, 9, 0)
NEED = {
    "country": "ZZ",
    "region": "",
    "institution": "Financial Intelligence Unit",
    "theme": "gp-21",
    "gap": "Two analysts and no case-management system.",
    "baseline": "Reports wait a month for a first look.",
    "priority": "high",
    "cost": "200,000",
    "currency": "USD",
    "wanted_by": "2027-06-30",
    "marking": "TLP:GREEN",
    "released_to": ["*"],
    "t_title": ["Days from a report to its first analysis", ""],
    "t_direction": ["descending", "ascending"],
    "t_baseline": ["30", ""],
    "t_baseline_date": ["2026-03-01", ""],
    "t_target": ["10", ""],
    "t_target_date": ["2028-03-01", ""],
}


def _client(store: Store, user: str) -> TestClient:
    """A signed-in client (a session, as after signing in) of an app whose clock stands
    at TODAY, so that matching and progress read the same day on every run."""
    with store.uow() as uow:
        found = get_user(uow.conn, user)
        assert found is not None
        value, csrf = sessions.start(uow.conn, found, "testclient", timedelta(hours=1))
    client = TestClient(create_app(store, clock=lambda: TODAY), base_url=BASE_URL)
    client.cookies.set(SESSION_COOKIE, value)
    client.headers["X-CSRF-Token"] = csrf
    return client


@pytest.fixture
def office(store: Store) -> Iterator[tuple[TestClient, TestClient, Store]]:
    """A coordinator of the coordination office and a partner's focal point."""
    coord = _client(store, new_user(store, OFFICE, Role.COORDINATOR))
    partner = _client(store, new_user(store, PARTNER, Role.FOCAL_POINT))
    yield coord, partner, store


def _form(client: TestClient, **fields: object) -> dict[str, object]:
    return {"csrf_token": client.headers["X-CSRF-Token"], **fields}


def _post(client: TestClient, url: str, **fields: object) -> str:
    """Post a form that must work: the page it redirects to."""
    done = client.post(url, data=_form(client, **fields), follow_redirects=False)
    assert done.status_code == 303, done.text[-3000:]
    return str(done.headers["location"])


def _need(client: TestClient, **changes: object) -> int:
    where = _post(client, "/assist/needs", **{**NEED, **changes})
    return int(where.rsplit("/", 1)[1])


def _import(client: TestClient, name: str) -> str:
    with (EXAMPLES / name).open("rb") as handle:
        page = client.post(
            "/assist/import",
            data=_form(client),
            files={"file": (name, handle, "application/xml")},
        )
    assert page.status_code == 200, page.text[-3000:]
    return str(page.text)


def _nodes(html: str, path: str) -> list[Any]:
    """What an XPath finds in a page (elements, or attribute values as strings)."""
    found = etree.HTML(html).xpath(path)
    assert isinstance(found, list)
    return [str(f) if isinstance(f, str) else f for f in found]


def _words(node: Any) -> str:
    """An element's text, its spaces collapsed."""
    return " ".join("".join(node.itertext()).split())


def _text(html: str, ident: str) -> str:
    """The text of the element with this id."""
    found = _nodes(html, f'//*[@id="{ident}"]')
    assert found, ident
    return _words(found[0])


def test_a_coordinator_records_a_need_and_sees_it(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    form = coord.get("/assist/needs/new")
    assert form.status_code == 200 and 'dir="rtl"' in form.text
    assert 'href="/assist"' in form.text  # the menu's entry
    assert "21 — " in form.text  # the good practice's number before its wording
    assert 'name="csrf_token"' in form.text
    need_id = _need(coord)
    page = coord.get(f"/assist/needs/{need_id}")
    assert page.status_code == 200
    assert "Financial Intelligence Unit" in page.text
    assert "Days from a report to its first analysis" in page.text
    assert "تنازلي" in page.text  # the target's direction, in Arabic
    assert 'id="target-' in page.text and "<svg" in page.text
    dashboard = coord.get("/assist")
    assert f'href="/assist/needs/{need_id}"' in dashboard.text
    assert "غير مغطى" in _text(dashboard.text, "coverage-table")  # no match accepted yet
    filtered = coord.get("/assist?theme=gp-01")
    assert f'href="/assist/needs/{need_id}"' not in filtered.text


def test_a_refused_form_keeps_the_values_and_saves_nothing(
    office: tuple[TestClient, ...],
) -> None:
    coord, _, _ = office
    no_target = {**NEED, "t_title": [""], "t_baseline": [""], "t_baseline_date": [""]}
    no_target |= {"t_target": [""], "t_target_date": [""], "t_direction": ["ascending"]}
    page = coord.post("/assist/needs", data=_form(coord, **no_target))
    assert page.status_code == 422
    assert "سجّل معيار هدف واحدًا على الأقل" in _text(page.text, "error")
    assert 'value="Financial Intelligence Unit"' in page.text  # what was typed stays
    assert "Two analysts and no case-management system." in page.text
    bad_date = {**NEED, "t_target_date": ["2028-13-40", ""]}
    page = coord.post("/assist/needs?lang=en", data=_form(coord, **bad_date))
    assert page.status_code == 422
    assert (
        _text(page.text, "error") == "Row 1: Target date is not a date (year-month-day): 2028-13-40"
    )
    assert 'value="2028-13-40"' in page.text
    # The store refuses a TLP:RED need released to partners after inserting it: the
    # page says why in the form, and nothing of the need is kept.
    red = coord.post("/assist/needs?lang=ar", data=_form(coord, **{**NEED, "marking": "TLP:RED"}))
    assert red.status_code == 422
    assert "TLP:RED" in _text(red.text, "error") and "لم يُحفظ" in red.text
    assert 'id="needs-table"' not in coord.get("/assist").text
    forged = coord.post("/assist/needs", data={**NEED, "csrf_token": "forged"})
    assert forged.status_code == 403


def test_a_refusal_reads_in_the_page_language(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    backwards = {**NEED, "t_target_date": ["2025-03-01", ""]}  # before the baseline date
    arabic = coord.post("/assist/needs?lang=ar", data=_form(coord, **backwards))
    english = coord.post("/assist/needs?lang=en", data=_form(coord, **backwards))
    assert (arabic.status_code, english.status_code) == (422, 422)
    assert _text(arabic.text, "error") == (
        "لم يُحفظ: معيار الهدف 1: يجب أن يأتي تاريخ الهدف بعد تاريخ خط الأساس"
    )
    assert _text(english.text, "error") == (
        "Not saved: target 1: the target date must come after the baseline date"
    )
    partial: dict[str, object] = {"country": "ZZ", "kind": "visit", "title": "Visit"}
    partial |= {"date": "2026-03-10"}
    partial |= {"marking": "TLP:AMBER", "release": "partial", "released_to": [PARTNER]}
    page = coord.post("/assist/documents?lang=ar", data=_form(coord, **partial))
    assert page.status_code == 422
    assert _text(page.text, "error") == "لم يُحفظ: الحقل «الملخص» مطلوب"


def _documents(coord: TestClient) -> dict[str, int]:
    made = {}
    for release, recipients in (("none", []), ("partial", [PARTNER]), ("full", ["*"])):
        where = _post(
            coord,
            "/assist/documents",
            country="ZZ",
            kind="visit",
            title=f"Visit report ({release})",
            date="2026-03-10",
            marking="TLP:AMBER",
            release=release,
            released_to=recipients,
            summary=f"Summary of the {release} report",
            body=f"Body of the {release} report",
        )
        made[release] = int(where.rsplit("/", 1)[1])
    return made


def test_a_partner_sees_what_is_released_to_it(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    made = _documents(coord)
    assert partner.get(f"/assist/documents/{made['none']}").status_code == 404
    partial = partner.get(f"/assist/documents/{made['partial']}")
    assert partial.status_code == 200
    assert _text(partial.text, "summary") == "Summary of the partial report"
    assert "Body of the partial report" not in partial.text
    assert "لم تأذن الدولة بإتاحة متن هذه الوثيقة" in _text(partial.text, "withheld")
    full = partner.get(f"/assist/documents/{made['full']}")
    assert _text(full.text, "body") == "Body of the full report"
    own = coord.get(f"/assist/documents/{made['none']}")
    assert _text(own.text, "body") == "Body of the none report"
    listed = partner.get("/assist")
    assert "Visit report (partial)" in listed.text and "Visit report (none)" not in listed.text
    # A partner records no need for the state and sees no buttons to.
    assert 'id="new-need"' not in listed.text
    assert partner.post("/assist/needs", data=_form(partner, **NEED)).status_code == 403


def test_an_analyst_without_the_assist_scope_is_refused(store: Store) -> None:
    analyst = _client(store, new_user(store, "police", Role.ANALYST))
    assert analyst.get("/assist").status_code == 403
    assert analyst.get("/assist/needs/new").status_code == 403
    assert analyst.get("/assist/coverage.csv").status_code == 403
    assert 'href="/assist"' not in analyst.get("/datasets").text


def test_the_dashboard_in_arabic_and_english(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    _need(coord)
    arabic = coord.get("/assist")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "<h1>تنسيق المساعدة التقنية</h1>" in arabic.text
    assert 'id="new-need"' in arabic.text
    assert 'role="img"' in arabic.text  # the coverage picture
    english = coord.get("/assist?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text
    assert "<h1>Technical-assistance coordination</h1>" in english.text
    assert "Uncovered" in _text(english.text, "coverage-table")
    assert coord.get("/assist").text.startswith('<!doctype html>\n<html lang="en"')  # kept


def test_downloads_answer_with_their_types(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    _need(coord)
    _import(coord, "donors-north.xml")
    table = coord.get("/assist/coverage.csv?lang=en")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(table.text.lstrip("\ufeff"))))
    assert len(rows) >= 2 and any("gp-21" in cell for row in rows for cell in row)
    report = coord.get("/assist/report.pdf")
    assert report.headers["content-type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")
    flags = coord.get("/assist/duplicates.csv")
    assert flags.headers["content-type"].startswith("text/csv")
    exported = coord.get("/assist/projects.xml")
    assert exported.headers["content-type"].startswith("application/xml")
    activities = etree.fromstring(exported.content).findall("iati-activity")
    assert len(activities) == 4


def test_an_iati_file_imported_through_the_form(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    assert 'enctype="multipart/form-data"' in coord.get("/assist/import").text
    first = _import(coord, "donors-north.xml")
    assert _text(first, "created") == "4" and _text(first, "quarantined") == "0"
    again = _import(coord, "donors-north.xml")
    assert _text(again, "created") == "0" and _text(again, "unchanged") == "4"
    listed = coord.get("/assist/projects?country=ZZ&live=1")
    assert "XM-RASID-DEMO-NO-0001" in listed.text
    broken = coord.post(
        "/assist/import",
        data=_form(coord, kind="iati"),
        files={"file": ("broken.xml", b"<iati-activities><iati-activity>", "application/xml")},
    )
    assert broken.status_code == 422 and "broken.xml" in _text(broken.text, "error")
    empty = coord.post("/assist/import?lang=en", data=_form(coord), files={"file": ("e.csv", b"")})
    assert empty.status_code == 422 and _text(empty.text, "error") == "Choose a file to import."
    # Donors' projects are released to every partner.
    assert "XM-RASID-DEMO-NO-0001" in partner.get("/assist/projects").text


def test_matches_accepted_and_undone(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    need_id = _need(coord)
    _import(coord, "donors-north.xml")
    page = coord.get(f"/assist/needs/{need_id}?lang=en")
    table = _nodes(page.text, '//table[@id="matches-table"]')[0]
    heads = [_words(th) for th in table.xpath(".//thead//th")]
    assert heads[3:8] == ["Theme", "Institution", "Geography", "Timing", "Funding"]
    first = table.xpath(".//tbody/tr")[0]
    project = int(first.get("data-project"))
    cells = first.xpath('.//td[@class="component"]')
    assert len(cells) == 5 and all(
        re.search(r"\d\.\d\d × 0\.\d\d", "".join(c.itertext())) for c in cells
    )
    assert "The project addresses the same theme: gp-21" in _words(cells[0])
    _post(
        coord, f"/assist/needs/{need_id}/decide", project=project, decision="accepted", note="Fits"
    )
    page = coord.get(f"/assist/needs/{need_id}?lang=ar")
    row = _nodes(page.text, f'//table[@id="decisions-table"]//tr[@data-project="{project}"]')
    assert row and "مقبول" in _words(row[0]) and "Fits" in _words(row[0])
    assert f'data-project="{project}"' not in _text(page.text, "matches")  # no longer suggested
    assert "مغطى" in _text(coord.get("/assist").text, "coverage-table")
    assert "غير مغطى" not in _text(coord.get("/assist").text, "coverage-table")
    # Indicators of the accepted project can be linked to the need.
    linkable = _nodes(page.text, '//section[@id="accepted"]//li/@data-indicator')
    assert linkable
    _post(coord, f"/assist/needs/{need_id}/link", indicator=linkable[0])
    assert "فك الربط" in _text(coord.get(f"/assist/needs/{need_id}").text, "accepted")
    # The partner sees the need (released to every partner) but decides nothing.
    seen = partner.get(f"/assist/needs/{need_id}")
    assert seen.status_code == 200 and "decide-form" not in seen.text
    refused = partner.post(f"/assist/needs/{need_id}/undo", data=_form(partner, project=project))
    assert refused.status_code == 403
    _post(coord, f"/assist/needs/{need_id}/undo", project=project)
    assert "غير مغطى" in _text(coord.get("/assist").text, "coverage-table")
    bad = coord.post(
        f"/assist/needs/{need_id}/decide?lang=en",
        data=_form(coord, project=project, decision="maybe"),
    )
    assert bad.status_code == 422 and "Unknown value for Decision" in _text(bad.text, "error")
    assert coord.get("/assist/needs/999999").status_code == 404


def test_a_roadmap_with_a_step(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    need_id = _need(coord)
    where = _post(
        coord,
        "/assist/roadmaps",
        country="ZZ",
        requirement="gp-09",
        title="Roadmap for the national fusion cell",
        marking="TLP:GREEN",
        released_to=["*"],
    )
    roadmap = int(where.rsplit("/", 1)[1])
    _post(
        coord,
        f"/assist/roadmaps/{roadmap}/steps",
        title="Give the FIU a case-management system",
        recommendation="Procure and configure it with the FIU's analysts.",
        institution="Financial Intelligence Unit",
        due="2027-03-31",
        needs=[str(need_id)],
        themes=["gp-21"],
    )
    page = coord.get(f"/assist/roadmaps/{roadmap}")
    step = _nodes(page.text, '//div[@class="step"]')[0]
    assert "Give the FIU a case-management system" in _words(step)
    assert f'href="/assist/needs/{need_id}"' in etree.tostring(step, encoding="unicode")
    step_id = step.get("data-step")
    _post(coord, f"/assist/roadmaps/{roadmap}/steps/{step_id}/status", status="in_progress")
    page = coord.get(f"/assist/roadmaps/{roadmap}")
    assert "جارية" in _text(page.text, f"step-{step_id}")
    assert "<svg" in _text(page.text, "progress") or 'role="img"' in page.text
    table = coord.get(f"/assist/roadmaps/{roadmap}.csv")
    assert table.headers["content-type"].startswith("text/csv")
    assert "Give the FIU a case-management system" in table.text
    refused = coord.post(
        f"/assist/roadmaps/{roadmap}/steps",
        data=_form(coord, title="", recommendation="x", institution="y"),
    )
    assert refused.status_code == 422 and "العنوان" in _text(refused.text, "error")
    assert partner.get(f"/assist/roadmaps/{roadmap}").status_code == 200
    assert "step-form" not in partner.get(f"/assist/roadmaps/{roadmap}").text


def test_duplication_flags_with_a_note(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    _import(coord, "donors-north.xml")
    _import(coord, "donors-south.xml")
    page = coord.get("/assist/duplicates")
    flags = _nodes(page.text, '//section[@class="flag"]')
    assert flags and "الإشارة دعوة إلى اجتماع تنسيق، لا قرار." in page.text
    left, right = flags[0].get("id").split("-")[1:]
    _post(coord, "/assist/duplicates/note", left=left, right=right, note="Discussed on 3 Dec")
    page = coord.get("/assist/duplicates")
    assert "Discussed on 3 Dec" in _text(page.text, f"flag-{left}-{right}")
    empty = coord.post("/assist/duplicates/note", data=_form(coord, left=left, right=right))
    assert empty.status_code == 422


def test_a_project_page_and_a_reported_value(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    _import(coord, "donors-north.xml")
    listed = coord.get("/assist/projects").text
    project = _nodes(listed, '//table[@id="projects-table"]//tr/@data-project')[0]
    page = coord.get(f"/assist/projects/{project}")
    assert page.status_code == 200 and "Government of Norway" in page.text
    indicator = _nodes(page.text, '//div[@class="target"]/@id')[0].split("-")[1]
    _post(coord, f"/assist/indicators/{indicator}/actual", on="2026-10-01", value="12")
    page = coord.get(f"/assist/projects/{project}")
    assert "12 · 2026-10-01" in _text(page.text, f"indicator-{indicator}")
    bad = coord.post(
        f"/assist/indicators/{indicator}/actual",
        data=_form(coord, on="2026-10-01", value="twelve"),
    )
    assert bad.status_code == 422 and "twelve" in _text(bad.text, "error")
    # The partner sees the project but reports nothing on it.
    seen = partner.get(f"/assist/projects/{project}")
    assert seen.status_code == 200 and "actual-form" not in seen.text


def test_what_users_type_is_escaped(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    marked = "<script>alert('x')</script> Unit & Co"
    need_id = _need(coord, institution=marked, gap=marked)
    for url in (f"/assist/needs/{need_id}", "/assist"):
        page = coord.get(url)
        assert "<script>alert" not in page.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Unit &amp; Co" in page.text


def test_a_visitor_is_sent_to_sign_in(store: Store) -> None:
    visitor = TestClient(create_app(store), base_url=BASE_URL)
    answer = visitor.get("/assist/needs/new", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=%2Fassist%2Fneeds%2Fnew"


def test_the_coordinator_changes_what_partners_see_of_a_document(
    office: tuple[TestClient, ...],
) -> None:
    coord, partner, store = office
    other = _client(store, new_user(store, "partner_donor", Role.FOCAL_POINT))
    documents = _documents(coord)
    made = documents["none"]
    page = coord.get(f"/assist/documents/{made}?lang=en")
    assert _text(page.text, "release-h") == "What partners may see"
    levels = _nodes(page.text, '//form[@id="release-form"]//input[@name="release"]')
    assert [(r.get("value"), r.get("checked") is not None) for r in levels] == [
        ("none", True),
        ("partial", False),
        ("full", False),
    ]
    assert partner.get(f"/assist/documents/{made}").status_code == 404
    full = partner.get(f"/assist/documents/{documents['full']}").text
    assert 'id="release-form"' not in full  # only the owning coordinator changes it
    _post(
        coord,
        f"/assist/documents/{made}/release",
        release="partial",
        released_to=[PARTNER],
        summary="What the state agreed to share.",
    )
    seen = partner.get(f"/assist/documents/{made}")
    assert seen.status_code == 200
    assert _text(seen.text, "summary") == "What the state agreed to share."
    assert "Body of the none report" not in seen.text and _nodes(seen.text, '//*[@id="withheld"]')
    assert other.get(f"/assist/documents/{made}").status_code == 404
    # Withdrawn: the partner no longer finds it.
    _post(coord, f"/assist/documents/{made}/release", release="none", summary="")
    assert partner.get(f"/assist/documents/{made}").status_code == 404
    # A partner cannot change the release; a forged form is refused.
    assert partner.post(
        f"/assist/documents/{made}/release", data=_form(partner, release="full")
    ).status_code in (403, 404)
    forged = coord.post(f"/assist/documents/{made}/release", data={"release": "full"})
    assert forged.status_code == 403


def test_a_refused_release_reads_in_the_page_language(office: tuple[TestClient, ...]) -> None:
    coord, partner, _ = office
    made = _documents(coord)["none"]
    fields = {"release": "partial", "released_to": [PARTNER], "summary": " "}
    arabic = coord.post(f"/assist/documents/{made}/release?lang=ar", data=_form(coord, **fields))
    english = coord.post(f"/assist/documents/{made}/release?lang=en", data=_form(coord, **fields))
    assert (arabic.status_code, english.status_code) == (422, 422)
    assert _text(arabic.text, "error") == (
        "لم يُحفظ: الإتاحة الجزئية تحتاج إلى الملخص الذي سيراه الشركاء"
    )
    assert _text(english.text, "error").endswith(
        "a partial release needs the summary partners will see"
    )
    assert partner.get(f"/assist/documents/{made}").status_code == 404  # nothing changed


def test_the_coordinator_releases_a_need_to_one_partner(office: tuple[TestClient, ...]) -> None:
    coord, partner, store = office
    other = _client(store, new_user(store, "partner_donor", Role.FOCAL_POINT))
    need_id = _need(coord, released_to=[])
    assert partner.get(f"/assist/needs/{need_id}").status_code == 404
    page = coord.get(f"/assist/needs/{need_id}")
    boxes = _nodes(page.text, '//form[@id="release-form"]//input[@name="released_to"]/@value')
    assert {"*", PARTNER, "partner_donor"} <= set(boxes)
    _post(coord, f"/assist/needs/{need_id}/release", released_to=[PARTNER])
    seen = partner.get(f"/assist/needs/{need_id}")
    assert seen.status_code == 200 and 'id="release-form"' not in seen.text
    assert other.get(f"/assist/needs/{need_id}").status_code == 404
    assert "Financial Intelligence Unit" in partner.get("/assist").text
    _post(coord, f"/assist/needs/{need_id}/release")  # nothing ticked: withdrawn
    assert partner.get(f"/assist/needs/{need_id}").status_code == 404


def test_a_project_page_shows_every_transaction(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    _import(coord, "donors-north.xml")
    listed = coord.get("/assist/projects").text
    rows = _nodes(listed, '//table[@id="projects-table"]//tr[@data-project]')
    project = next(r.get("data-project") for r in rows if "XM-RASID-DEMO-NO-0001" in _words(r))
    english = coord.get(f"/assist/projects/{project}?lang=en").text
    kinds = [_words(td) for td in _nodes(english, '//tr[@class="transaction"]/td[1]')]
    assert kinds == ["Outgoing commitment", "Disbursement", "Disbursement"]
    assert _text(english, "committed") == "1,500,000 USD"
    amounts = _nodes(english, '//tr[@class="transaction"]/td[3]')
    assert [_words(a) for a in amounts] == ["1,500,000 USD", "400,000 USD", "320,000 USD"]
    arabic = coord.get(f"/assist/projects/{project}?lang=ar").text
    kinds = [_words(td) for td in _nodes(arabic, '//tr[@class="transaction"]/td[1]')]
    assert kinds == ["التزام صادر", "صرف", "صرف"]


def test_import_problems_read_in_the_page_language(office: tuple[TestClient, ...]) -> None:
    coord, _, _ = office
    euros = (
        b'<transaction><transaction-type code="3"/><transaction-date iso-date="2026-10-01"/>'
        b'<value currency="EUR">5</value></transaction><result '
    )
    data = (EXAMPLES / "donors-south.xml").read_bytes().replace(b"<result ", euros, 1)
    for lang, reason in (
        ("ar", "معاملة بعملة EUR لا USD: لم تُحتسب في المصروف"),
        ("en", "a transaction in EUR, not USD: left out of spent"),
    ):
        page = coord.post(
            f"/assist/import?lang={lang}",
            data=_form(coord, kind="iati"),
            files={"file": ("south.xml", data, "application/xml")},
        )
        assert page.status_code == 200, page.text[-2000:]
        assert reason in page.text
