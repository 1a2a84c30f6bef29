"""Rendering pages: the Jinja2 environment, the reader's language and the error page.

The language comes from ``?lang=`` (which also sets the ``rasid_lang`` cookie for a year),
else from that cookie, else Arabic.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.web.i18n import COOKIE, DEFAULT_LANG, Translator, pick_lang

ONE_YEAR = 365 * 24 * 3600


def number(value: int) -> str:
    """An integer with thousands separated (readable in either direction)."""
    return f"{value:,}"


def day(value: str | date | None) -> str:
    """The date part of an ISO date or timestamp."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def segment(value: str) -> str:
    """A value quoted as one URL path segment (an id may contain a slash)."""
    return quote(value, safe="")


def tlp_class(marking: str) -> str:
    """The CSS class of a TLP marking: ``TLP:AMBER+STRICT`` gives ``tlp-amber-strict``."""
    return "tlp-" + marking.lower().removeprefix("tlp:").replace("+", "-")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("rasid.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = number
    env.filters["day"] = day
    env.filters["segment"] = segment
    env.filters["tlp_class"] = tlp_class
    return env


templates = Jinja2Templates(env=_environment())


def page_lang(request: Request) -> str:
    """The language to render in: ``?lang=``, else the cookie, else Arabic."""
    asked = pick_lang(request.query_params.get("lang"))
    return asked or pick_lang(request.cookies.get(COOKIE)) or DEFAULT_LANG


def url_with(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes and k != "lang"}
    params.update({k: v for k, v in changes.items() if v is not None and v != ""})
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


def _may(request: Request, scope: Scope) -> bool:
    principal = getattr(request.state, "principal", None)
    return principal is not None and bool(principal.may(scope))


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Render a template in the reader's language; ``?lang=`` is remembered in a cookie."""
    t = Translator(page_lang(request))
    full = {
        "t": t,
        "lang": t.lang,
        "dir": t.dir,
        "switch_url": url_with(request, lang=t.other),
        "url_with": lambda **changes: url_with(request, **changes),
        "me": getattr(getattr(request.state, "principal", None), "user", None),
        "may_audit": _may(request, Scope.AUDIT),
        "may_review": _may(request, Scope.REVIEW),
        "csrf_token": getattr(getattr(request.state, "session", None), "csrf_token", ""),
        **context,
    }
    response = templates.TemplateResponse(
        request, name, full, status_code=status, headers=dict(headers or {})
    )
    if pick_lang(request.query_params.get("lang")):
        response.set_cookie(COOKIE, t.lang, max_age=ONE_YEAR, httponly=True, samesite="lax")
    return response


ERROR_TITLES = {
    401: "error.unauthorised",
    403: "error.forbidden",
    404: "error.not_found",
    422: "error.invalid",
    503: "error.unavailable",
}
OTHER_ERROR_TITLE = "error.generic"


def render_error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """The HTML error page for a status, with the error's message."""
    title = ERROR_TITLES.get(status, OTHER_ERROR_TITLE)
    context = {"status": status, "title_key": title, "message": message, "nav": ""}
    return render(request, "error.html", context, status=status, headers=headers)
