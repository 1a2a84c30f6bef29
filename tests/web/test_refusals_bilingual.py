"""The refusals of the exchange, screening, resolution, retention, link analysis and travel
are worded in Arabic as well as English; rebasing their errors on ``ModelError`` keeps
their HTTP statuses; the pages show them in the page's language, the API in English."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rasid.access.accounts import Role
from rasid.exchange.errors import ExchangeError, UnknownMessage
from rasid.graph.errors import GraphError
from rasid.model.errors import ModelError, Worded, worded
from rasid.resolve.errors import Conflict, ResolveError, UnknownPair
from rasid.resolve.judgements import ordered, parse_judgement
from rasid.retention.errors import RetentionError, UnknownUnmaskRequest
from rasid.screen.batch import BadLine, subject_from
from rasid.screen.errors import ScreenError, UnknownHit
from rasid.screen.hits import parse_status
from rasid.store import Store
from rasid.travel.criteria import Problem, RuleRefused
from rasid.travel.schedule import ScheduleError, read_schedule
from rasid.travel.vocabulary import Label
from rasid.web.errors import status_for
from tests.bilingual import package_files, unworded
from tests.web.helpers import api_client, session_client

ROOT = Path(__file__).resolve().parents[2]
WEB = [  # the web modules that raise or show these refusals
    "exchange",
    "exchange_pages",
    "graph",
    "graph_pages",
    "hits",
    "hits_pages",
    "resolve",
    "resolve_pages",
    "retention",
    "retention_pages",
    "travel",
    "travel_pages",
    "rules",
    "rules_pages",
    "screen",
]
ERRORS = [
    "ExchangeError",
    "UnknownMessage",
    "ScreenError",
    "UnknownHit",
    "ResolveError",
    "UnknownPair",
    "Conflict",
    "RetentionError",
    "UnknownUnmaskRequest",
    "GraphError",
    "UnknownNode",
    "ScheduleError",
    "ModelError",
    "Denied",  # the policy's, where these modules refuse on its behalf
]
ARABIC = re.compile(r"[\u0600-\u06ff]")


def test_every_refusal_is_worded_in_arabic() -> None:
    packages = ("exchange", "graph", "resolve", "retention", "screen")
    files = [f for p in packages for f in package_files(p)]
    files += [ROOT / "rasid" / "web" / f"{m}.py" for m in WEB]
    files += [ROOT / "rasid" / "travel" / f for f in ("schedule.py", "criteria.py")]
    files += [ROOT / "rasid" / "cli" / f for f in ("hits_cmd.py", "retention_cmd.py")]
    assert unworded(files, ERRORS) == []


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (UnknownMessage, 404),
        (ExchangeError, 422),
        (UnknownHit, 404),
        (ScreenError, 422),
        (UnknownPair, 404),
        (Conflict, 422),
        (ResolveError, 422),
        (UnknownUnmaskRequest, 404),
        (RetentionError, 422),
        (GraphError, 422),
    ],
)
def test_the_statuses_did_not_change(error: type[Worded], status: int) -> None:
    made = error("why", arabic="لماذا")
    assert status_for(made) == status
    assert made.worded("ar") == "لماذا" and made.worded("en") == "why"


def test_the_bases_stay_what_callers_catch() -> None:
    # Unknown records stay lookup errors (never a form's refusal); the judgement workflow
    # and retention stay out of ValueError, which the CLI turns into exit status 2 before
    # their own handlers could answer an unknown pair or request with 1.
    assert issubclass(UnknownMessage, LookupError) and issubclass(UnknownHit, LookupError)
    assert not issubclass(UnknownMessage, ValueError) and not issubclass(UnknownHit, ValueError)
    assert not issubclass(ResolveError, ValueError) and not issubclass(RetentionError, ValueError)
    assert issubclass(ExchangeError, ModelError) and issubclass(ScreenError, ModelError)


def _raised(call: Callable[..., object], *args: object) -> Worded:
    with pytest.raises(Worded) as caught:
        call(*args)
    return caught.value


@pytest.mark.parametrize(
    ("call", "args", "english", "arabic"),
    [
        (parse_status, ("maybe",), "unknown status 'maybe'", "حالة غير معروفة 'maybe'"),
        (parse_judgement, ("perhaps",), "unknown judgement", "حكم غير معروف 'perhaps'"),
        (ordered, ("p-1", "p-1"), "two different records", "سجلين مختلفين"),
        (read_schedule, (b"",), "the file is empty", "الملف فارغ"),
        (read_schedule, (b"carrier\n",), "column flight_number", "العمود flight_number"),
    ],
)
def test_refusals_carry_both_wordings(
    call: Callable[..., object], args: tuple[object, ...], english: str, arabic: str
) -> None:
    refused = _raised(call, *args)
    assert english in worded(refused, "en") and arabic in worded(refused, "ar")


def test_a_refused_rule_is_worded_from_its_problems() -> None:
    problems = [Problem(Label("no criteria", "لا معايير")), Problem(Label("too many", "كثيرة"))]
    refused = RuleRefused(problems)
    assert str(refused) == "no criteria; too many"
    assert refused.worded("ar") == "لا معايير؛ كثيرة"
    assert isinstance(refused, ModelError) and not isinstance(refused, ScheduleError)


def test_a_bad_subject_says_why_in_both_languages() -> None:
    bad = subject_from({"name": "Ali", "birth_date": "1990-13"})
    assert isinstance(bad, BadLine)
    assert "is not YYYY" in bad.reason and ARABIC.search(bad.arabic)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_compose_form_refuses_in_the_page_language(loaded: Store) -> None:
    police = session_client(loaded, "police")
    form = police.get("/messages/new", params={"entity": "o-nur"})  # Arabic by default
    fields = {
        "csrf_token": csrf(form.text),
        "kind": "report",
        "subject": "الجمعية",
        "recipients": ["fiu"],
        "marking": "TLP:AMBER",
        "source_grade": "",
        "info_grade": "B",
    }
    arabic = police.post("/messages/new", data=fields)
    assert arabic.status_code == 422 and 'dir="rtl"' in arabic.text
    assert "التقييم مطلوب: درجة موثوقية المصدر ودرجة مصداقية المعلومة" in arabic.text
    assert "an evaluation is required" not in arabic.text
    late = police.post("/messages/new", data={**fields, "kind": "rfi", "source_grade": "2"})
    assert late.status_code == 422 and "يحتاج طلب المعلومات إلى موعد نهائي" in late.text
    badly_due = {**fields, "kind": "rfi", "source_grade": "2", "due_at": "soon"}
    assert "ليس تاريخًا ووقتًا" in police.post("/messages/new", data=badly_due).text
    english = police.post("/messages/new?lang=en", data=fields)  # English from here on
    assert english.status_code == 422 and 'dir="ltr"' in english.text
    assert "an evaluation is required: source and information grades" in english.text
    assert "التقييم مطلوب" not in english.text


def test_the_api_refuses_in_english(loaded: Store) -> None:
    police = api_client(loaded, "police", Role.ANALYST)
    report = {
        "kind": "report",
        "subject": "Al-Nur",
        "body": "",
        "recipients": ["fiu"],
        "marking": "TLP:AMBER",
        "source_grade": "2",
        "info_grade": "B",
    }
    refused = police.post("/api/messages", json={**report, "recipients": ["nowhere"]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "unknown agency 'nowhere'"
