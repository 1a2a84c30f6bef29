"""Server-rendered pages: Arabic first, English on request, escaped, self-contained."""

import re

import pytest
from fastapi.testclient import TestClient

from rasid.access.accounts import Role
from rasid.store import Store
from rasid.web import pages
from tests.web.conftest import XSS_NAME
from tests.web.helpers import session_client

PAGES = ["/", "/?q=محمد", "/entities/p-ahmad", "/datasets", "/api/docs"]


def html_tag(html: str) -> str:
    """The opening <html> tag of a page."""
    found = re.search(r"<html[^>]*>", html)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_arabic_and_rtl_by_default(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert html_tag(response.text) == '<html lang="ar" dir="rtl">'
    assert "راصد" in response.text
    assert "مجموعات البيانات" in response.text  # the navigation
    assert "lang=en" in response.text  # the language switch


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<script" not in html.replace("&lt;script", "")


def test_english_by_query_then_by_cookie(client: TestClient) -> None:
    response = client.get("/?lang=en")
    assert html_tag(response.text) == '<html lang="en" dir="ltr">'
    assert "Search entities" in response.text
    assert "rasid_lang=en" in response.headers["set-cookie"]
    # The cookie is kept: the next page is English without asking.
    assert html_tag(client.get("/datasets").text) == '<html lang="en" dir="ltr">'
    assert "lang=ar" in client.get("/datasets").text
    back = client.get("/datasets?lang=ar")
    assert html_tag(back.text) == '<html lang="ar" dir="rtl">'
    assert html_tag(client.get("/").text) == '<html lang="ar" dir="rtl">'


def test_cookie_alone_and_unknown_languages(client: TestClient) -> None:
    client.cookies.set("rasid_lang", "en")
    assert 'lang="en"' in html_tag(client.get("/").text)
    client.cookies.set("rasid_lang", "fr")
    assert 'lang="ar"' in html_tag(client.get("/?lang=xx").text)


def test_language_switch_keeps_the_query(client: TestClient) -> None:
    html = client.get("/?q=محمد&schema=Person").text
    switch = re.search(r'class="lang-switch" href="([^"]+)"', html)
    assert switch is not None
    assert "lang=en" in switch.group(1) and "schema=Person" in switch.group(1)


def test_search_page_in_arabic(client: TestClient) -> None:
    html = client.get("/", params={"q": "محمد"}).text
    assert "مُحَمَّد عبد الله الأحمد" in html  # the Arabic name is shown on Arabic pages
    assert "محمّد يوسف" in html
    assert "شخص" in html  # the schema label
    assert "سوريا" in html  # nationality in Arabic
    assert "Police records" in html
    assert 'value="محمد"' in html


def test_search_page_in_english(client: TestClient) -> None:
    html = client.get("/", params={"q": "محمد", "lang": "en"}).text
    assert "Mohamed Abdallah Al Ahmad" in html
    assert ">Person<" in html
    assert "Syria" in html


def test_search_page_schema_filter_and_empty_results(client: TestClient) -> None:
    html = client.get("/", params={"schema": "Organization"}).text
    assert "جمعية النور الخيرية" in html
    assert "محمّد يوسف" not in html
    assert '<option value="Organization" selected>' in html
    none = client.get("/", params={"q": "zzzz"}).text
    assert "لا يوجد كيان يطابق هذا البحث" in none


def test_search_page_pagination(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    first = client.get("/", params={"schema": "LegalEntity"}).text
    assert 'rel="next" href="/?schema=LegalEntity&amp;offset=2"' in first
    assert 'rel="prev"' not in first
    second = client.get("/", params={"schema": "LegalEntity", "offset": 2}).text
    assert 'rel="prev" href="/?schema=LegalEntity"' in second
    assert 'start="3"' in second


def test_entity_page_shows_provenance_in_arabic(client: TestClient, fiu_client: TestClient) -> None:
    html = client.get("/entities/p-ahmad").text
    assert "<h1><bdi>مُحَمَّد عبد الله الأحمد</bdi></h1>" in html
    assert "الجنسية" in html and "سوريا" in html
    assert "وحدة التحريات المالية" in html and "الشرطة الوطنية" in html
    assert 'class="tlp tlp-amber-strict"' in html
    # The FIU's TLP:RED phone number reaches the FIU only.
    assert 'class="tlp tlp-red"' not in html and "+963115550100" not in html
    html = fiu_client.get("/entities/p-ahmad").text
    assert 'class="tlp tlp-red"' in html
    assert "موثوق" in html  # source grade 1 on the UK scale
    assert "معروفة للمصدر بشكل غير مباشر ومؤكدة" in html  # information grade B
    assert "no onward sharing without FIU consent" in html
    # The condition Rasid enforces is named in the page's language, before the text.
    assert 'class="condition" title="no-onward"' in html
    assert '<bdi dir="ltr">+963115550100</bdi>' in html  # the "+" stays in front


def test_entity_page_in_english(client: TestClient, fiu_client: TestClient) -> None:
    html = client.get("/entities/p-ahmad?lang=en").text
    assert "<h1><bdi>Mohamed Abdallah Al Ahmad</bdi></h1>" in html
    assert "Financial Intelligence Unit" in html
    assert "Syria" in html and "Nationality" in html
    assert "Reliable" in fiu_client.get("/entities/p-ahmad?lang=en").text


def test_entity_page_links_related_entities(client: TestClient) -> None:
    html = client.get("/entities/m-ahmad-nur").text
    assert 'href="/entities/o-nur"' in html
    assert 'href="/entities/p-ahmad"' in html
    assert "جمعية النور الخيرية" in html
    slashed = client.get("/?schema=Organization").text
    assert 'href="/entities/case%2F2024%2F7"' in slashed
    assert client.get("/entities/case%2F2024%2F7").status_code == 200


def test_markup_in_data_is_escaped(client: TestClient) -> None:
    entity = client.get("/entities/p-evil").text
    assert XSS_NAME not in entity
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Evil" in entity
    listing = client.get("/", params={"schema": "Person"}).text
    assert "<script>" not in listing
    reflected = client.get("/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in reflected
    assert "&#34;&gt;&lt;script&gt;" in reflected


def test_unknown_entity_page_is_404_html(client: TestClient) -> None:
    response = client.get("/entities/no-such-entity")
    assert response.status_code == 404
    assert html_tag(response.text) == '<html lang="ar" dir="rtl">'
    assert "غير موجود" in response.text
    assert client.get("/no/such/page").status_code == 404


def test_invalid_page_parameter_is_422_html(client: TestClient) -> None:
    response = client.get("/", params={"offset": "x"})
    assert response.status_code == 422
    assert "الطلب غير صالح" in response.text
    assert client.get("/", params={"schema": "Spaceship"}).status_code == 422


def test_datasets_page(client: TestClient) -> None:
    html = client.get("/datasets").text
    assert "Police records" in html and "police_records" in html
    assert "الشرطة الوطنية" in html
    assert "Police Act art. 12" in html
    assert 'class="tlp tlp-amber"' in html
    assert "السجلات المعزولة" in html


def test_empty_store_pages(empty_client: TestClient) -> None:
    assert "rasid ingest" in empty_client.get("/").text
    assert "لم تُسجَّل أي مجموعة بيانات بعد" in empty_client.get("/datasets").text


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/static/rasid.css")
    assert css.status_code == 200
    assert "margin-inline" in css.text
    assert client.get("/static/favicon.svg").status_code == 200


def test_a_refusal_reads_in_the_page_language(loaded: Store) -> None:
    client = session_client(loaded, role=Role.PIU_OFFICER)  # no audit work
    arabic = client.get("/audit")
    assert arabic.status_code == 403
    assert "لا يسمح بعمل «audit»" in arabic.text and "does not allow" not in arabic.text
    english = client.get("/audit", params={"lang": "en"})
    assert english.status_code == 403 and "does not allow audit" in english.text
