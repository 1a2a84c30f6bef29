"""Source documents: visit reports and consultations' findings, and what of each a state lets
partners see: nothing, the title and summary (a partial release), or all of it. The one
coordination record with a body, so every read of it is in the audit log."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, select, update

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, may_see_released, record, require
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import Document, DocumentKind, Release, Text
from rasid.assist.records import (
    country,
    released_to,
    require_coordinator,
    text,
    write_release,
)
from rasid.model.markings import Marking
from rasid.store.statements import utcnow
from rasid.store.tables import assist_document as document_t
from rasid.store.uow import insert_id

BODY_MAX = 200_000
TITLE = Text("العنوان", "the title")
SUMMARY = Text("الملخص", "the summary")
NO_PARTNERS = Text(
    "الوثيقة المتاحة تسمّي الشركاء الذين تُتاح لهم",
    "a released document names the partners it is released to",
)


def add_document(
    conn: Connection,
    principal: Principal,
    *,
    country_code: str,
    kind: DocumentKind,
    title: str,
    on: date,
    marking: Marking,
    release: Release = Release.NONE,
    recipients: Sequence[str] = (),
    summary: str = "",
    body: str = "",
) -> Document:
    """Record a visit report or a consultation's findings for the caller's agency, with what
    of it partners may see: nothing, the title and summary (partial), or all of it."""
    require_coordinator(principal, principal.agency, Text("يسجّل الوثائق", "record documents"))
    if release is not Release.NONE and not recipients:
        raise AssistError(NO_PARTNERS.en, arabic=NO_PARTNERS.ar)
    if release is Release.NONE:
        recipients = ()
    now = utcnow()
    doc_id = insert_id(
        conn,
        document_t.insert().values(
            agency=principal.agency,
            country=country(country_code),
            kind=kind.value,
            title=text(title, TITLE),
            date=on,
            marking=marking.value,
            release=release.value,
            summary=text(summary, SUMMARY, required=release is Release.PARTIAL),
            body=(body or "").strip()[:BODY_MAX],
            created_by=principal.name,
            created_at=now,
        ),
    )
    released = write_release(conn, principal, "document", doc_id, marking, recipients)
    record(
        conn,
        principal,
        "assist.document.add",
        str(doc_id),
        release=release.value,
        released_to=",".join(released),
    )
    return get_document(conn, principal, doc_id, audit=False)


def _document(row: Any, released: tuple[str, ...], view: Release) -> Document:
    return Document(
        id=row.id,
        agency=row.agency,
        country=row.country,
        kind=DocumentKind(row.kind),
        title=row.title,
        date=row.date,
        marking=Marking(row.marking),
        release=Release(row.release),
        released_to=released,
        summary=row.summary,
        body=row.body if view is Release.FULL else "",
        created_by=row.created_by,
        created_at=row.created_at,
    )


def document_view(principal: Principal, row: Any, released: tuple[str, ...]) -> Release:
    """How much of a document the caller sees: all of it (its agency), what the release
    allows (a partner it is released to), or nothing."""
    if principal.may(Scope.ASSIST) and row.agency == principal.agency:
        return Release.FULL
    if not may_see_released(principal, row.agency, Marking(row.marking), frozenset(released)):
        return Release.NONE
    return Release(row.release)


def get_document(
    conn: Connection, principal: Principal, doc_id: int, *, audit: bool = True
) -> Document:
    """A document as the caller may see it (the body withheld from a partial release); a
    document not released to the caller is unknown to them."""
    require(principal, Scope.ASSIST)
    row = conn.execute(select(document_t).where(document_t.c.id == doc_id)).first()
    released = released_to(conn, "document", [doc_id]).get(doc_id, ())
    view = Release.NONE if row is None else document_view(principal, row, released)
    if row is None or view is Release.NONE:
        raise UnknownRecord(f"no document {doc_id}", arabic=f"لا وثيقة برقم {doc_id}")
    if audit:
        record(conn, principal, "assist.document.read", str(doc_id), view=view.value)
    return _document(row, released, view)


def list_documents(
    conn: Connection, principal: Principal, *, country_code: str | None = None
) -> list[Document]:
    """The documents the caller may see, newest first (bodies are not listed)."""
    require(principal, Scope.ASSIST)
    query = select(document_t).order_by(document_t.c.date.desc(), document_t.c.id.desc())
    if country_code:
        query = query.where(document_t.c.country == country(country_code))
    rows = list(conn.execute(query))
    releases = released_to(conn, "document", [r.id for r in rows])
    out = []
    for row in rows:
        view = document_view(principal, row, releases[row.id])
        if view is not Release.NONE:
            out.append(replace(_document(row, releases[row.id], view), body=""))
    return out


def release_document(
    conn: Connection,
    principal: Principal,
    doc_id: int,
    release: Release,
    recipients: Sequence[str],
    summary: str | None = None,
) -> Document:
    """Change what partners may see of a document (the state's consent)."""
    row = conn.execute(select(document_t).where(document_t.c.id == doc_id)).first()
    if row is None or not principal.may(Scope.ASSIST) or row.agency != principal.agency:
        raise UnknownRecord(f"no document {doc_id}", arabic=f"لا وثيقة برقم {doc_id}")
    require_coordinator(principal, row.agency, Text("يتيح الوثائق", "release documents"))
    new_summary = row.summary if summary is None else text(summary, SUMMARY, required=False)
    if release is Release.PARTIAL and not new_summary:
        raise AssistError(
            "a partial release needs the summary partners will see",
            arabic="الإتاحة الجزئية تحتاج إلى الملخص الذي سيراه الشركاء",
        )
    if release is not Release.NONE and not recipients:
        raise AssistError(NO_PARTNERS.en, arabic=NO_PARTNERS.ar)
    conn.execute(
        update(document_t)
        .where(document_t.c.id == doc_id)
        .values(release=release.value, summary=new_summary)
    )
    released = write_release(
        conn,
        principal,
        "document",
        doc_id,
        Marking(row.marking),
        recipients if release is not Release.NONE else (),
    )
    record(
        conn,
        principal,
        "assist.document.release",
        str(doc_id),
        release=release.value,
        released_to=",".join(released),
    )
    return get_document(conn, principal, doc_id, audit=False)
