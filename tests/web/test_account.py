"""Signing in and out in the browser: the form, TOTP, cookies, CSRF, time-outs, throttling,
one-time passwords; and what the audit log keeps of reads (SQLite and PostgreSQL)."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from rasid.access import audit
from rasid.access.accounts import Role, add_user, revoke_token, totp_secret
from rasid.access.totp import code_at
from rasid.store import Store
from rasid.store.statements import utcnow
from rasid.store.tables import web_session
from rasid.web.account import safe_next
from rasid.web.app import create_app
from tests.web.helpers import BASE_URL, PASSWORD, PURPOSE, new_user, session_client, token_for


def browser(store: Store) -> TestClient:
    """A client with no session, that does not follow redirects."""
    return TestClient(create_app(store), base_url=BASE_URL, follow_redirects=False)


def form_token(client: TestClient, next_url: str = "/") -> str:
    page = client.get("/sign-in", params={"next": next_url})
    assert page.status_code == 200
    found = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def sign_in(
    client: TestClient,
    store: Store,
    user: str,
    password: str = PASSWORD,
    code: str | None = None,
    next_url: str = "/",
) -> object:
    with store.uow() as uow:
        secret = totp_secret(uow.conn, user)
    data = {
        "user": user,
        "password": password,
        "code": code if code is not None else code_at(secret),
        "form_token": form_token(client, next_url),
        "next": next_url,
    }
    return client.post("/sign-in", data=data)


def test_pages_send_strangers_to_the_sign_in_form(loaded: Store) -> None:
    client = browser(loaded)
    response = client.get("/entities/p-ahmad?lang=en")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fentities%2Fp-ahmad%3Flang%3Den"
    form = client.get("/sign-in").text
    assert 'autocomplete="one-time-code"' in form and 'dir="rtl"' in form


def test_sign_in_with_password_and_code_opens_a_session(loaded: Store) -> None:
    user = new_user(loaded, "police")
    client = browser(loaded)
    response = sign_in(client, loaded, user, next_url="/datasets")
    assert response.status_code == 303 and response.headers["location"] == "/datasets"
    cookie = response.headers["set-cookie"]
    assert "rasid_session=" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    page = client.get("/datasets")
    assert page.status_code == 200 and user in page.text  # the header names the user
    with loaded.uow() as uow:
        [record] = audit.search(uow.conn, action="sign_in", actor=user)
    assert record.outcome == "ok" and record.agency == "police"


@pytest.mark.parametrize(
    ("password", "code"), [("wrong password!!", None), (PASSWORD, "000000"), (PASSWORD, "")]
)
def test_wrong_credentials_fail_without_saying_which(
    loaded: Store, password: str, code: str | None
) -> None:
    user = new_user(loaded, "police")
    client = browser(loaded)
    response = sign_in(client, loaded, user, password, code)
    assert response.status_code == 401
    assert "تعذّر تسجيل الدخول. تحقق من اسم المستخدم وكلمة المرور والرمز." in response.text
    assert "rasid_session" not in response.headers.get("set-cookie", "")


def test_the_form_must_come_from_this_site(loaded: Store) -> None:
    user = new_user(loaded, "police")
    client = browser(loaded)
    with loaded.uow() as uow:
        code = code_at(totp_secret(uow.conn, user))
    forged = client.post(
        "/sign-in", data={"user": user, "password": PASSWORD, "code": code, "form_token": "x"}
    )
    assert forged.status_code == 400 and "rasid_session" not in forged.headers.get("set-cookie", "")


def test_one_address_is_throttled_after_many_failures_in_every_process(loaded: Store) -> None:
    # Two apps on one store stand for two server processes: the count is in the store.
    first, second = (
        TestClient(
            create_app(loaded),
            base_url=BASE_URL,
            follow_redirects=False,
            client=("192.0.2.7", 50000),
        )
        for _ in range(2)
    )
    for i in range(20):
        client = first if i % 2 else second
        assert sign_in(client, loaded, new_user(loaded, "police"), "wrong!").status_code == 401
    user = new_user(loaded, "police")
    assert sign_in(first, loaded, user).status_code == 429
    assert sign_in(second, loaded, user).status_code == 429
    assert sign_in(browser(loaded), loaded, user).status_code == 303  # another address


def test_a_one_time_password_must_be_changed_first(loaded: Store) -> None:
    with loaded.uow() as uow:
        made = add_user(uow.conn, "newcomer", "police", Role.ANALYST, "test")
    client = browser(loaded)
    response = sign_in(client, loaded, "newcomer", made.password)
    assert response.headers["location"] == "/account/password"
    assert client.get("/").headers["location"] == "/account/password"
    assert client.get("/api/stats").status_code == 401
    page = client.get("/account/password")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {"current": made.password, "csrf_token": csrf.group(1)}
    mismatch = client.post("/account/password", data={**form, "new": "x" * 14, "repeat": "y" * 14})
    assert mismatch.status_code == 422
    weak = client.post("/account/password", data={**form, "new": "short", "repeat": "short"})
    assert weak.status_code == 422 and "12" in weak.text
    forged = client.post(
        "/account/password",
        data={
            **form,
            "csrf_token": "nope",
            "new": "my own long passphrase",
            "repeat": "my own long passphrase",
        },
    )
    assert forged.status_code == 303 and forged.headers["location"].startswith("/sign-in")
    done = client.post(
        "/account/password",
        data={**form, "new": "my own long passphrase", "repeat": "my own long passphrase"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/datasets").status_code == 200


def test_sign_out_needs_the_csrf_token_and_ends_the_session(loaded: Store) -> None:
    client = session_client(loaded, "police")
    client.follow_redirects = False
    token = client.headers["X-CSRF-Token"]
    value = client.cookies["rasid_session"]
    assert client.post("/sign-out", data={"csrf_token": "forged"}).status_code == 303
    client.cookies.set("rasid_session", value)
    assert client.get("/datasets").status_code == 200  # a forged sign-out ends nothing
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    client.cookies.set("rasid_session", value)  # the old cookie, replayed
    assert client.get("/datasets").status_code == 303


def test_api_writes_with_the_cookie_need_the_csrf_header(loaded: Store) -> None:
    client = session_client(loaded, "police")
    del client.headers["X-CSRF-Token"]
    refused = client.post("/api/hits/1/decision", json={"status": "confirmed", "reason": "x"})
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]


def test_idle_and_absolute_time_outs(loaded: Store) -> None:
    idle = session_client(loaded, "police")
    idle.follow_redirects = False
    with loaded.uow() as uow:
        uow.conn.execute(
            update(web_session)
            .where(web_session.c.ended_at.is_(None))
            .values(last_seen=utcnow() - timedelta(minutes=31))
        )
    assert idle.get("/datasets").status_code == 303
    late = session_client(loaded, "police")
    late.follow_redirects = False
    with loaded.uow() as uow:
        uow.conn.execute(
            update(web_session)
            .where(web_session.c.ended_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert late.get("/datasets").status_code == 303


def test_tokens_on_the_api(loaded: Store) -> None:
    user = new_user(loaded, "police")
    text = token_for(loaded, user)
    client = TestClient(create_app(loaded), base_url=BASE_URL)
    headers = {"Authorization": f"Bearer {text}", "X-Rasid-Purpose": PURPOSE}
    assert client.get("/api/stats", headers=headers).status_code == 200
    assert client.get("/datasets", headers=headers).status_code == 200  # pages too
    with loaded.uow() as uow:
        revoke_token(uow.conn, text.split("_")[1], "test")
    refused = client.get("/api/stats", headers=headers)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"


def test_reads_and_searches_are_audited_with_their_purpose(loaded: Store) -> None:
    client = session_client(loaded, "police", purpose="case 2026/17")
    assert client.get("/api/entities", params={"q": "محمد"}).status_code == 200
    assert client.get("/api/entities/p-ahmad").status_code == 200
    assert client.get("/api/entities/guessed-id").status_code == 404
    assert client.get("/entities/p-ahmad").status_code == 200
    del client.headers["X-Rasid-Purpose"]
    missing = client.get("/api/entities/p-ahmad")
    assert missing.status_code == 422 and "purpose" in missing.json()["detail"]
    with loaded.uow() as uow:
        records = audit.search(uow.conn, agency="police", action="entity.read", limit=3)
        [search] = audit.search(uow.conn, agency="police", action="search", limit=1)
        assert audit.verify(uow.conn).ok
    assert [(r.target, r.outcome) for r in records] == [
        ("p-ahmad", "ok"),
        ("guessed-id", "not_found"),
        ("p-ahmad", "ok"),
    ]
    assert all(r.purpose == "case 2026/17" for r in [*records, search])
    assert records[2].detail["datasets"] == ["fiu_reports", "police_records"]
    assert search.target == "محمد" and "p-ahmad" in search.detail["results"]


def test_pages_ask_for_a_purpose_before_showing_personal_data(loaded: Store) -> None:
    client = session_client(loaded, "police", purpose="")
    page = client.get("/entities/p-ahmad")
    assert page.status_code == 428 and 'name="purpose"' in page.text
    assert "مُحَمَّد" not in page.text
    search = client.get("/", params={"q": "محمد"})
    assert 'class="result"' not in search.text
    stated = client.get("/", params={"q": "محمد", "purpose": "case 9"})
    assert 'class="result"' in stated.text
    assert client.get("/entities/p-ahmad").status_code == 200  # remembered


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/datasets?lang=en", "/datasets?lang=en"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\\\evil.example", "/"),
        ("", "/"),
    ],
)
def test_after_sign_in_only_local_paths(target: str, safe: str) -> None:
    assert safe_next(target) == safe
