"""Manifestations of an assessment: the suggestions the declared profiles rank
(``rasid.monitor.manifest``, with what the store says about a group from
``rasid.monitor.facts``), and the analysts' judgements, a likelihood and a confidence kept
apart (ICD 203)."""

from sqlalchemy import Connection, select

from rasid.access.policy import Principal, record
from rasid.monitor import manifest
from rasid.monitor.assessments import fetch, readable, required_text
from rasid.monitor.facts import group_facts
from rasid.monitor.history import previous
from rasid.monitor.model import (
    Confidence,
    Judgement,
    Likelihood,
    Manifestation,
    SubjectKind,
    Suggestions,
    Text,
)
from rasid.monitor.workflow import writable
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_judgement as judgement_t

RATIONALE = Text("المسوّغ", "the rationale")


def suggestions(conn: Connection, principal: Principal, assessment_id: int) -> Suggestions:
    """The ranked manifestation suggestions for an assessment, from its ratings, the
    subject's previous approved assessment (when the caller may read it) and, for a group,
    what the store says about it that the caller may read."""
    found = fetch(conn, principal, assessment_id)
    before = previous(conn, found)
    if before is not None and not readable(principal, before):
        before = None
    facts = None
    if found.subject.kind is SubjectKind.GROUP and found.subject.entity_id:
        facts = group_facts(conn, principal, found.subject.entity_id)
    record(conn, principal, "monitor.suggestions.read", str(assessment_id))
    return manifest.suggest(found, before, facts)


def judge(
    conn: Connection,
    principal: Principal,
    assessment_id: int,
    manifestation: Manifestation,
    likelihood: Likelihood,
    confidence: Confidence,
    rationale: str,
) -> Judgement:
    """Record the analyst's judgement on a manifestation for an assessment of their agency:
    a likelihood term and a confidence level (kept apart, ICD 203) and the rationale."""
    found = writable(conn, principal, assessment_id)
    text = required_text(rationale, RATIONALE)
    now = utcnow()
    conn.execute(
        judgement_t.insert().values(
            assessment=found.id,
            manifestation=Manifestation(manifestation).value,
            likelihood=Likelihood(likelihood).value,
            confidence=Confidence(confidence).value,
            rationale=text,
            by_user=principal.name,
            at=now,
        )
    )
    record(
        conn,
        principal,
        "monitor.judge",
        str(assessment_id),
        manifestation=str(manifestation),
        likelihood=str(likelihood),
    )
    return Judgement(found.id, manifestation, likelihood, confidence, text, principal.name, now)


def judgements(conn: Connection, principal: Principal, assessment_id: int) -> list[Judgement]:
    """The judgements recorded for an assessment, oldest first."""
    found = fetch(conn, principal, assessment_id)
    query = (
        select(judgement_t).where(judgement_t.c.assessment == found.id).order_by(judgement_t.c.id)
    )
    result = [
        Judgement(
            r.assessment,
            Manifestation(r.manifestation),
            Likelihood(r.likelihood),
            Confidence(r.confidence),
            r.rationale,
            r.by_user,
            r.at,
        )
        for r in conn.execute(query)
    ]
    record(conn, principal, "monitor.judgements.read", str(assessment_id), count=len(result))
    return result
