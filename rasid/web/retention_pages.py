"""Retention in the browser: where it stands per dataset (next mask and delete dates, the
latest runs), and requests to see masked data again, asked and decided with a reason.

The pages use the same services as the API (``rasid.retention``); forms carry the session's
CSRF token. A request made from an entity's page comes back here, where the requester sees
its status and a supervisor of the owning agency decides.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import Denied
from rasid.model.errors import worded
from rasid.retention.errors import RetentionError
from rasid.retention.status import dataset_status, list_runs, watched_datasets
from rasid.retention.unmask import (
    KINDS,
    REASON_MAX,
    decide_unmask,
    get_request,
    list_requests,
    request_unmask,
    to_decide,
)
from rasid.settings import get_settings
from rasid.web.deps import Caller, Now, Readable, Uow, check_form
from rasid.web.models import MAX_ID
from rasid.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

PAGE = 100
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[str, Form(max_length=REASON_MAX)]
Short = Annotated[str, Form(max_length=255)]


@router.get("/retention", name="retention")
def status_page(request: Request, uow: Uow, caller: Caller, now: Now) -> Response:
    """Per dataset the caller follows: retention class, what is masked and due now, the
    next mask and delete dates; and the latest runs."""
    datasets = watched_datasets(uow.conn, caller)
    context = {
        "nav": "retention",
        "as_of": now.date(),
        "datasets": dataset_status(uow.conn, now.date(), datasets),
        "runs": list_runs(uow.conn, 10),
    }
    return render(request, "retention.html", context)


@router.get("/retention/unmask", name="unmask_requests")
def requests_page(request: Request, uow: Uow, caller: Caller, now: Now) -> Response:
    """The caller's requests to see masked data again, and (for a supervisor) those about
    their agency's data, the pending ones with the form to decide."""
    return _requests(request, uow, caller, now)


def _requests(
    request: Request,
    uow: Uow,
    caller: Caller,
    now: Now,
    error: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if not (caller.may(Scope.READ) or caller.may(Scope.RETENTION)):
        raise Denied(
            "requests to see masked data need the read or the retention scope",
            arabic="طلبات الاطلاع على البيانات المحجوبة تتطلب صلاحية القراءة أو الاحتفاظ",
        )
    found = list_requests(uow.conn, caller, None, PAGE)
    context = {
        "nav": "retention",
        "requests": found,
        "deciding": {r.id for r in to_decide(found, caller)},
        "now": now,
        "kinds": KINDS,
        "may_request": caller.may(Scope.READ),
        "error": error,
        "values": values or {},
        "reason_max": REASON_MAX,
        "hours": get_settings().unmask_hours,
    }
    return render(request, "retention_unmask.html", context, status=status)


@router.post("/retention/unmask")
def request_submit(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    now: Now,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    target_kind: Annotated[str, Form(max_length=16)] = "",
    target_id: Short = "",
    dataset: Short = "",
    reason: Text = "",
) -> Response:
    """Record a request to see a masked target again, then show the requests (or the form
    with the problem, nothing recorded)."""
    check_form(request, uow, csrf_token)
    try:
        request_unmask(
            uow.conn, caller, target_kind, target_id, reason, now, readable, dataset or None
        )
    except RetentionError as exc:
        values = {"target_kind": target_kind, "target_id": target_id, "dataset": dataset}
        values["reason"] = reason
        shown = worded(exc, page_lang(request))
        return _requests(request, uow, caller, now, shown, values, status=422)
    return RedirectResponse("/retention/unmask", status_code=303)


@router.post("/retention/unmask/{request_id}/decision")
def decision_submit(
    request: Request,
    request_id: RequestId,
    uow: Uow,
    caller: Caller,
    now: Now,
    csrf_token: Annotated[str, Form(max_length=64)] = "",
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Text = "",
) -> Response:
    """Record a supervisor's decision on a request, then show the requests again."""
    check_form(request, uow, csrf_token)
    get_request(uow.conn, request_id, caller)  # 404 for one the caller may not see
    hours = get_settings().unmask_hours
    try:
        if decision not in ("approve", "refuse"):
            raise RetentionError(
                "the decision must be approve or refuse", arabic="القرار إما موافقة أو رفض"
            )
        decide_unmask(uow.conn, caller, request_id, decision == "approve", reason, now, hours)
    except RetentionError as exc:
        shown = worded(exc, page_lang(request))
        return _requests(request, uow, caller, now, shown, status=422)
    return RedirectResponse("/retention/unmask", status_code=303)
