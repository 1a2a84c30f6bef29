"""What the monitoring pages share: the subject or assessment asked for (a 404 in the page's
language otherwise), its scores, the explanations worded in the page's language with the
indicators named by their labels, and the assessment page and the new-subject page as the
forms show them again beside a refusal."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import Request
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.policy import Principal
from rasid.model.errors import worded
from rasid.model.markings import Marking
from rasid.monitor import (
    alerts,
    assessments,
    charts,
    history,
    instrument,
    judgements,
    scoring,
    wording,
)
from rasid.monitor import subjects as subject_store
from rasid.monitor.errors import UnknownAssessment
from rasid.monitor.model import (
    Assessment,
    Change,
    EvidenceKind,
    Instrument,
    Pillar,
    Reason,
    Scores,
    Status,
    Subject,
    SubjectKind,
    Text,
)
from rasid.monitor.wording import say, sentences
from rasid.web.deps import Uow
from rasid.web.errors import NotFound
from rasid.web.render import page_lang, render


def subject_or_404(conn: Connection, caller: Principal, subject_id: int, lang: str) -> Subject:
    """A subject the caller may see, else a 404 worded in ``lang``."""
    try:
        return subject_store.get_subject(conn, caller, subject_id)
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc


def assessment_or_404(
    conn: Connection, caller: Principal, assessment_id: int, lang: str
) -> Assessment:
    """An assessment the caller may read, else a 404 worded in ``lang``."""
    try:
        return assessments.get_assessment(conn, caller, assessment_id)
    except UnknownAssessment as exc:
        raise NotFound(worded(exc, lang)) from exc


def scored(assessment: Assessment) -> tuple[Instrument, Scores]:
    """The assessment's instrument version and its scores."""
    used = instrument.load(assessment.instrument_version)
    return used, scoring.score(used, assessment.subject.kind, assessment.ratings)


def latest_approved(found: list[Assessment]) -> Assessment | None:
    """The first approved assessment of a list (newest period first)."""
    return next((a for a in found if a.status == Status.APPROVED), None)


@cache
def labels(version: str) -> dict[str, Text]:
    """The indicators' labels of an instrument version, by id, for explanations."""
    return wording.labels(instrument.load(version))


@dataclass(frozen=True)
class Words:
    """Monitoring's explanations in the page's language, the indicators named by their
    labels in the instrument version given (the templates call these)."""

    lang: str

    def label(self, indicator: str, version: str) -> str:
        """An indicator's label ("" when the version does not know it)."""
        found = labels(version).get(indicator)
        return found.get(self.lang) if found is not None else ""

    def change(self, change: Change, version: str) -> str:
        """Why a change is what it is."""
        if not change.reasons:
            return change.explanation
        return sentences(change.reasons, self.lang, labels(version))

    def reason(self, reason: Reason | None, english: str, version: str | None = None) -> str:
        """A reason (a signal's, a suggestion's, a series advice's); the English text when
        there is none."""
        if reason is None:
            return english
        return say(reason, self.lang, labels(version) if version else None)


def alert_messages(
    conn: Connection, caller: Principal, found: list[alerts.Alert], lang: str
) -> dict[int, str]:
    """Each alert's message in ``lang``: its change explained again from the approved
    assessments it compares (frozen, so the same change), the stored English otherwise."""
    messages = {a.id: a.message for a in found}
    for assessment_id in sorted({a.assessment for a in found}):
        try:
            changes = history.previous_changes(conn, caller, assessment_id)
        except UnknownAssessment:
            continue
        if changes is None:
            continue
        by_indicator = {c.indicator: c for c in changes.changes}
        for alert in (a for a in found if a.assessment == assessment_id):
            change = by_indicator.get(alert.indicator)
            if change is not None:
                messages[alert.id] = Words(lang).change(change, changes.instrument_after)
    return messages


def _groups(used: Instrument, kind: SubjectKind) -> list[dict[str, Any]]:
    """The applicable indicators grouped by pillar, then factor, in the instrument's order."""
    wanted = {i.id for i in instrument.applicable(used, kind)}
    grouped = []
    for pillar in Pillar:
        factors = []
        for factor in used.factors:
            if factor.pillar != pillar:
                continue
            indicators = [used.indicators[i] for i in factor.indicators if i in wanted]
            if indicators:
                factors.append({"factor": factor, "indicators": indicators})
        if factors:
            grouped.append({"pillar": pillar, "label": used.pillars[pillar], "factors": factors})
    return grouped


def assessment_page(
    request: Request,
    uow: Uow,
    caller: Principal,
    assessment_id: int,
    error: str = "",
    status: int = 200,
) -> Response:
    """An assessment's page (with ``error`` beside the forms after a refusal)."""
    conn = uow.conn
    lang = page_lang(request)
    found = assessment_or_404(conn, caller, assessment_id, lang)
    used, scores = scored(found)
    context = {
        "nav": "monitor",
        "a": found,
        "instrument": used,
        "groups": _groups(used, found.subject.kind),
        "scores": scores,
        "bars": Markup(charts.bars(scores, used, lang)),  # escaped by charts
        "radar": Markup(charts.radar(scores, used, lang)),
        "changeset": history.previous_changes(conn, caller, assessment_id),
        "suggestions": judgements.suggestions(conn, caller, assessment_id),
        "judgements": judgements.judgements(conn, caller, assessment_id),
        "editable": found.status == Status.DRAFT and found.agency == caller.agency,
        "may_review": found.status == Status.IN_REVIEW and found.assessor != caller.user.name,
        "error": error,
        "markings": list(Marking),
        "evidence_kinds": list(EvidenceKind),
        "blank_rows": 2,
        "words": Words(lang),
    }
    return render(request, "monitor_assessment.html", context, status=status)


def new_page(
    request: Request, uow: Uow, caller: Principal, error: str = "", status: int = 200
) -> Response:
    """The forms for a new subject and a new assessment (with ``error`` after a refusal)."""
    found = subject_store.list_subjects(uow.conn, caller)
    context: Mapping[str, Any] = {
        "nav": "monitor",
        "subjects": found,
        "countries": [s for s in found if s.kind == SubjectKind.COUNTRY],
        "kinds": list(SubjectKind),
        "markings": list(Marking),
        "chosen": request.query_params.get("subject", ""),
        "error": error,
    }
    return render(request, "monitor_new.html", context, status=status)
