"""Signed-in test clients: an API client with a bearer token, a browser-like client with a
session, each for a new user of a given agency and role."""

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from rasid.access import sessions
from rasid.access.accounts import Role, Scope, add_user, create_token, get_user
from rasid.access.policy import share_dataset
from rasid.access.registry import ensure_agency
from rasid.store import Store
from rasid.store.tables import dataset
from rasid.web.app import create_app
from rasid.web.deps import PURPOSE_HEADER, SESSION_COOKIE

PURPOSE = "test case 2026/1"
PASSWORD = "a long test passphrase"
BASE_URL = "https://testserver"  # the session cookie is Secure
_numbers = itertools.count(1)


def new_user(
    store: Store, agency: str = "police", role: Role = Role.ANALYST, name: str | None = None
) -> str:
    """Add a user (and the agency if needed) with the test password; returns the name."""
    user = name or f"{agency}.{role.value}.{next(_numbers)}".replace("_", "-")
    with store.uow() as uow:
        ensure_agency(uow.conn, agency)
        add_user(uow.conn, user, agency, role, "test", password=PASSWORD)
    return user


def share_all_with(store: Store, agency: str) -> None:
    """Share every dataset another agency owns with ``agency`` (for tests that are not
    about need-to-know)."""
    with store.uow() as uow:
        ensure_agency(uow.conn, agency)
        owned = uow.conn.execute(select(dataset.c.name, dataset.c.agency)).all()
        for name, owner in owned:
            if owner != agency:
                share_dataset(uow.conn, name, agency, "test")


def token_for(store: Store, user: str, scopes: frozenset[Scope] | None = None) -> str:
    """A new API token of ``user`` (all scopes unless given)."""
    with store.uow() as uow:
        _, text = create_token(uow.conn, user, scopes or frozenset(Scope), "test")
    return text


def api_client(
    store: Store,
    agency: str = "police",
    role: Role = Role.ANALYST,
    scopes: frozenset[Scope] | None = None,
    purpose: str | None = PURPOSE,
) -> TestClient:
    """A client of a new app over ``store`` whose calls carry a new user's token (and a
    purpose)."""
    user = new_user(store, agency, role)
    headers = {"Authorization": f"Bearer {token_for(store, user, scopes)}"}
    if purpose:
        headers[PURPOSE_HEADER] = purpose
    return TestClient(create_app(store), base_url=BASE_URL, headers=headers)


def session_client(
    store: Store,
    agency: str = "police",
    role: Role = Role.ANALYST,
    purpose: str = PURPOSE,
    user: str | None = None,
) -> TestClient:
    """A client of a new app over ``store`` with a session cookie of a new user (or
    ``user``), as after signing in, working under ``purpose``."""
    name = user or new_user(store, agency, role)
    with store.uow() as uow:
        found = get_user(uow.conn, name)
        assert found is not None
        value, csrf = sessions.start(uow.conn, found, "testclient", timedelta(hours=1))
        if purpose:
            sessions.set_purpose(uow.conn, value, purpose)
    client = TestClient(create_app(store), base_url=BASE_URL)
    client.cookies.set(SESSION_COOKIE, value)
    client.headers["X-CSRF-Token"] = csrf
    if purpose:
        client.headers[PURPOSE_HEADER] = purpose
    return client


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port, in a thread, while the block runs;
    yields the server's address (for browser tests)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
