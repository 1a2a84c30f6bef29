"""The application factory: ``create_app(store)`` builds the FastAPI app (`rasid serve` runs it).

app = create_app(open_store(get_settings().database_url))

``app_from_settings`` does the same from the settings alone: the factory each worker
process of ``rasid serve --workers N`` calls.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

import rasid
from rasid.retention.schedule import Clock, RetentionSchedule, scheduled
from rasid.settings import get_settings
from rasid.store import Store, open_store
from rasid.store.statements import utcnow
from rasid.web import (
    account,
    api,
    apidocs,
    assist,
    assist_pages,
    audit,
    errors,
    exchange,
    exchange_pages,
    graph,
    graph_pages,
    hits,
    hits_pages,
    monitor,
    monitor_pages,
    pages,
    resolve,
    resolve_pages,
    retention,
    retention_pages,
    rules,
    rules_pages,
    screen,
    travel,
    travel_pages,
)

DESCRIPTION = """\
Rasid (راصد) is a fusion-cell platform for counter-terrorism and the crime–terror nexus.
Every value carries its provenance: the dataset and agency that asserted it, its TLP marking,
its evaluation grades and its retention dates. Every answer is limited to the datasets the
caller may read.
"""

# Everything the pages need is served by Rasid itself (it must work air-gapped), so the
# browser is told to load nothing from anywhere else.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


async def security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Add the security headers to every response."""
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


PUBLIC_API = frozenset({"/api/health"})  # the API routes that need no caller


def document_security(app: FastAPI) -> None:
    """Declare in the OpenAPI document that API routes take a bearer token (a browser's
    session cookie works too, with its CSRF token on writes)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearer"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made with `rasid tokens create USER`.",
        }
        for path, item in schema.get("paths", {}).items():
            if path not in PUBLIC_API:
                for operation in item.values():
                    operation["security"] = [{"bearer": []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


class Admission:
    """At most ``limit`` requests inside the application at once; the others wait their turn
    in order of arrival. A request holds a database connection from its first dependency to
    its response, and runs its parts on the server's threads: admitting more requests than
    there are threads lets the admitted ones hold every connection while they wait for a
    thread that is itself waiting for a connection."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._gates: dict[int, anyio.Semaphore] = {}  # per event loop (tests start several)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = id(asyncio.get_running_loop())
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = anyio.Semaphore(self.limit)
        async with gate:
            await self.app(scope, receive, send)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the pool of threads that run requests (RASID_SERVER_THREADS), and keep the
    retention schedule running while the app serves (when it has one)."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = get_settings().server_threads
    async with scheduled(app.state.retention_schedule):
        yield


def create_app(store: Store, clock: Clock = utcnow, schedule: bool = False) -> FastAPI:
    """The web application (JSON API and pages) over ``store``. ``clock`` tells the time
    (masking and unmasking go by it); with ``schedule`` the app runs retention at start-up
    and daily (RASID_RETENTION_HOUR), as `rasid serve` does."""
    app = FastAPI(
        title="Rasid API",
        version=rasid.__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.clock = clock
    hour = get_settings().retention_hour
    app.state.retention_schedule = RetentionSchedule(store, clock, hour) if schedule else None
    app.mount("/static", StaticFiles(packages=[("rasid.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(screen.router)
    app.include_router(hits.router)
    app.include_router(audit.router)
    app.include_router(exchange.router)
    app.include_router(apidocs.router)
    app.include_router(account.router)
    app.include_router(exchange_pages.router)
    app.include_router(hits_pages.router)
    app.include_router(travel.router)
    app.include_router(travel_pages.router)
    app.include_router(retention.router)
    app.include_router(retention_pages.router)
    app.include_router(rules.router)
    app.include_router(rules_pages.router)
    app.include_router(resolve.router)
    app.include_router(resolve_pages.router)
    app.include_router(graph.router)
    app.include_router(monitor.router)
    app.include_router(assist.router)
    app.include_router(graph_pages.router)
    app.include_router(monitor_pages.router)
    app.include_router(assist_pages.router)
    app.include_router(pages.router)
    app.middleware("http")(security_headers)
    app.add_middleware(Admission, limit=get_settings().server_threads)
    document_security(app)
    errors.install(app)
    return app


def app_from_settings() -> FastAPI:
    """The web application over the database of ``RASID_DATABASE_URL`` (already
    initialised): one per worker process of ``rasid serve --workers N``, each with the
    retention schedule unless RASID_RETENTION_SCHEDULE is off."""
    settings = get_settings()
    return create_app(open_store(settings.database_url), schedule=settings.retention_schedule)
