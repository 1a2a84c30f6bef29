"""The resolution pages: the queue with its filters, the review screen (both records side by
side, values labelled by agency, the explanation), judging with a reason, undo, and in a real
Chromium a judgement by keyboard shortcut in the Arabic interface."""

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from rasid.resolve.judgements import get_pair, record_proposals
from rasid.resolve.model import Status
from rasid.store import Store, open_store
from rasid.web.app import create_app
from tests.resolve.conftest import DATASETS, PAIRS, load_people
from tests.web.helpers import session_client, share_all_with
from tests.web.test_browser import CHROMIUM, browser, shots, sign_in

__all__ = ["browser", "shots"]  # fixtures shared with the other browser tests


def people(store: Store, folder: Path) -> Store:
    load_people(store, folder)
    with store.uow() as uow:
        record_proposals(uow.conn, PAIRS, DATASETS, "run-1")
    share_all_with(store, "police")
    return store


def test_the_queue_and_its_filters(store: Store, tmp_path: Path) -> None:
    client = session_client(people(store, tmp_path), "police")
    page = client.get("/resolve")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "pol-1" in page.text and "brd-3" in page.text
    assert 'href="/resolve"' in page.text  # the menu's entry
    filtered = client.get("/resolve?lang=en&dataset=police_files&min_score=0.9").text
    assert "Who is who across agencies" in filtered and "brd-2" not in filtered
    assert "brd-1" in filtered


def test_the_review_screen_judge_and_undo(store: Store, tmp_path: Path) -> None:
    client = session_client(people(store, tmp_path), "police")
    page = client.get("/resolve/pair?left=brd-1&right=pol-1&lang=en")
    assert page.status_code == 200
    text = page.text
    assert "Samer Khalil al-Najjar" in text and "سامر خليل النجار" in text
    assert "Border · " in text and "Police · " in text  # each value labelled by agency
    assert "names agree" in text and "+0.930" in text
    assert 'data-key="s"' in text and "s same, n not the same" in text
    csrf = client.headers["X-CSRF-Token"]
    undo = {"csrf_token": csrf, "left": "brd-1", "right": "pol-1"}
    early = client.post("/resolve/undo", data=undo, params={"lang": "ar"})
    assert (
        early.status_code == 422 and "لا حكم يمكن التراجع عنه في الزوج brd-1 / pol-1" in early.text
    )
    early = client.post("/resolve/undo", data=undo, params={"lang": "en"})
    assert early.status_code == 422 and "nothing to undo on brd-1 / pol-1" in early.text
    form = {"csrf_token": csrf, "left": "brd-1", "right": "pol-1", "judgement": "same",
            "reason": "same birth date"}  # fmt: skip
    done = client.post("/resolve/judge", data=form, follow_redirects=False)
    assert done.status_code == 303
    with store.uow() as uow:
        assert get_pair(uow.conn, "brd-1", "pol-1").status == Status.SAME
    entity = client.get("/entities/pol-1?lang=en", follow_redirects=False)
    assert entity.status_code == 303 and entity.headers["location"] == "/entities/brd-1"
    merged = client.get("/entities/brd-1?lang=en").text
    assert "Merged from" in merged and "pol-1" in merged
    assert client.post("/resolve/undo", data=undo, follow_redirects=False).status_code == 303
    with store.uow() as uow:
        assert get_pair(uow.conn, "brd-1", "pol-1").status == Status.PROPOSED
    forged = client.post("/resolve/judge", data={**form, "csrf_token": "x"})
    assert forged.status_code == 403


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """A running server over the people and their proposed pairs."""
    folder = tmp_path_factory.mktemp("resolve-browser")
    store = open_store(f"sqlite:///{folder / 'rasid.db'}", create=True)
    people(store, folder)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", store
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    store.dispose()


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
def test_an_analyst_judges_a_pair_with_the_keyboard_in_arabic(
    browser: Any, served: tuple[str, Store], shots: Path
) -> None:
    base, store = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, served, "police")
        page.click("nav.main-nav >> text=مَن هو مَن")
        page.wait_for_url(base + "/resolve")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.click('a[href="/resolve/pair?left=brd-1&right=pol-1"]')
        page.wait_for_url("**/resolve/pair?left=brd-1&right=pol-1")
        assert "لوحة المفاتيح" in page.inner_text("#shortcuts")
        page.screenshot(path=str(shots / "resolve-pair-ar.png"), full_page=True)
        page.fill("#reason", "تاريخ الميلاد نفسه")
        page.keyboard.press("Escape")
        page.keyboard.press("s")  # same
        page.wait_for_url("**/resolve/pair?left=brd-2&right=pol-2")  # on to the next pair
        with store.uow() as uow:
            found = get_pair(uow.conn, "brd-1", "pol-1")
        assert found.status == Status.SAME
        assert found.history[-1].reason == "تاريخ الميلاد نفسه"
        page.goto(base + "/resolve/pair?left=brd-1&right=pol-1")
        with page.expect_navigation():  # the undo posts, then shows the pair again
            page.keyboard.press("z")
        page.wait_for_url("**/resolve/pair?left=brd-1&right=pol-1")
        with store.uow() as uow:
            assert get_pair(uow.conn, "brd-1", "pol-1").status == Status.PROPOSED
    finally:
        context.close()
