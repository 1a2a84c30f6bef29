"""What monitoring assesses: countries, regions inside them, and groups (Organizations in the
store). A subject belongs to the agency that added it; another agency sees it once it may
read one of its assessments."""

from typing import Any

from followthemoney import model as ftm
from sqlalchemy import Connection, select

from rasid.access.accounts import Scope
from rasid.access.policy import Principal, may_read_assessment, record, require
from rasid.access.policy import visibility as policy_visibility
from rasid.model.markings import Marking
from rasid.monitor.assessments import required_text
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import Subject, SubjectKind, Text
from rasid.monitor.wording import value
from rasid.store.entities import get_entity
from rasid.store.statements import utcnow
from rasid.store.tables import monitor_assessment as assessment_t
from rasid.store.tables import monitor_subject as subject_t
from rasid.store.uow import insert_id

ENGLISH_NAME = Text("الاسم بالإنجليزية", "the English name")
ARABIC_NAME = Text("الاسم بالعربية", "the Arabic name")


def add_subject(
    conn: Connection,
    principal: Principal,
    kind: SubjectKind,
    name: str,
    name_ar: str,
    *,
    country: str | None = None,
    entity_id: str | None = None,
    parent: int | None = None,
) -> Subject:
    """Add a subject for the caller's agency: a country (ISO 3166-1 alpha-2 code), a region
    (inside a country subject, ``parent``) or a group (an Organization in the store the
    caller may read, ``entity_id``). Names are required in English and Arabic."""
    require(principal, Scope.MONITOR)
    name, name_ar = required_text(name, ENGLISH_NAME), required_text(name_ar, ARABIC_NAME)
    country = country.strip().lower() if country else None
    if kind is SubjectKind.COUNTRY:
        country, entity_id, parent = _country(country), None, None
    elif kind is SubjectKind.REGION:
        country, parent = _region_country(conn, principal, parent), parent
        entity_id = None
    else:
        country, parent = (_country(country) if country else None), None
        entity_id = _group_entity(conn, principal, entity_id)
    _unique_name(conn, principal.agency, kind, name)
    subject_id = insert_id(
        conn,
        subject_t.insert().values(
            kind=kind.value,
            name=name,
            name_ar=name_ar,
            country=country,
            entity_id=entity_id,
            parent=parent,
            created_by=principal.name,
            agency=principal.agency,
            created_at=utcnow(),
        ),
    )
    record(conn, principal, "monitor.subject.add", str(subject_id), kind=kind.value, name=name)
    return Subject(subject_id, kind, name, name_ar, country, entity_id, parent)


def _country(code: str | None) -> str:
    if not code or len(code) != 2 or not code.isascii() or not code.isalpha():
        raise MonitorError(
            f"a country is an ISO 3166-1 alpha-2 code, not {code!r}",
            arabic=f"البلد يُعرَّف برمز ISO 3166-1 من حرفين، لا {code!r}",
        )
    return code


def _region_country(conn: Connection, principal: Principal, parent: int | None) -> str | None:
    """The country code of a region's country subject (``parent``), once it is one."""
    if parent is None:
        raise MonitorError(
            "a region names its country subject (parent)",
            arabic="المنطقة تحتاج إلى تحديد موضوع البلد الذي تتبعه",
        )
    above = get_subject(conn, principal, parent)
    if above.kind is not SubjectKind.COUNTRY:
        kind = value("kind", above.kind.value)
        raise MonitorError(
            f"subject {parent} is a {kind.en}, not a country",
            arabic=f"الموضوع {parent} من نوع {kind.ar}، وليس بلدًا",
        )
    return above.country


def _group_entity(conn: Connection, principal: Principal, entity_id: str | None) -> str:
    """The group's entity id, once it is known as an Organization the caller may read."""
    if not entity_id:
        raise MonitorError(
            "a group subject names its Organization entity (entity_id)",
            arabic="موضوع الجماعة يحتاج إلى معرّف كيان المنظمة التي يمثلها",
        )
    found = get_entity(conn, entity_id, policy_visibility(conn, principal))
    organization = ftm.get("Organization")
    if found is None or organization is None or not found.schema.is_a(organization):
        raise MonitorError(
            f"no Organization {entity_id!r} that you may read",
            arabic=f"لا توجد منظمة بالمعرّف {entity_id!r} مما يحق لك الاطلاع عليه",
        )
    return found.id


def _unique_name(conn: Connection, agency: str, kind: SubjectKind, name: str) -> None:
    query = select(subject_t.c.id, subject_t.c.name).where(
        subject_t.c.agency == agency, subject_t.c.kind == kind.value
    )
    for found_id, found_name in conn.execute(query):
        if found_name.casefold() == name.casefold():
            words = value("kind", kind.value)
            raise MonitorError(
                f"your agency already has a {words.en} named {name!r}: {found_id}",
                arabic=f"لدى جهتك موضوع من نوع {words.ar} باسم {name!r}: {found_id}",
            )


def list_subjects(conn: Connection, principal: Principal) -> list[Subject]:
    """The subjects the caller may see: their agency's, and those of which they may read an
    assessment; by kind and name."""
    require(principal, Scope.MONITOR)
    shared = _subjects_with_readable(conn, principal)
    rows = conn.execute(select(subject_t).order_by(subject_t.c.kind, subject_t.c.name))
    found = [_subject(r) for r in rows if r.agency == principal.agency or r.id in shared]
    record(conn, principal, "monitor.subjects.list", count=len(found))
    return found


def get_subject(conn: Connection, principal: Principal, subject_id: int) -> Subject:
    """One subject the caller may see (UnknownAssessment otherwise)."""
    require(principal, Scope.MONITOR)
    row = conn.execute(select(subject_t).where(subject_t.c.id == subject_id)).first()
    visible = row is not None and (
        row.agency == principal.agency or subject_id in _subjects_with_readable(conn, principal)
    )
    record(conn, principal, "monitor.subject.read", str(subject_id), found=visible)
    if row is None or not visible:
        raise UnknownAssessment(
            f"no subject {subject_id}", arabic=f"لا يوجد موضوع برقم {subject_id}"
        )
    return _subject(row)


def _subjects_with_readable(conn: Connection, principal: Principal) -> set[int]:
    query = select(assessment_t.c.subject, assessment_t.c.agency, assessment_t.c.marking)
    return {
        s
        for s, agency, marking in conn.execute(query)
        if may_read_assessment(principal, agency, Marking(marking))
    }


def _subject(row: Any) -> Subject:
    return Subject(
        row.id, SubjectKind(row.kind), row.name, row.name_ar, row.country, row.entity_id, row.parent
    )
