"""Source documents in the store, on SQLite and PostgreSQL: a partner sees a partial
report's summary, never its body, and nothing unreleased; every read is audited; a partial
release without a summary is refused in both languages."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from rasid.assist import documents
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import DocumentKind, Release
from rasid.model.markings import Marking
from rasid.store import Store
from rasid.store.tables import audit_event
from tests.assist.helpers import World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_a_partner_sees_the_summary_of_a_partial_release_never_the_body(world: World) -> None:
    doc = world.loaded.document
    assert doc is not None and doc.id is not None
    with world.store.uow() as uow:
        mine = documents.get_document(uow.conn, world.who(uow.conn, "coord"), doc.id)
        theirs = documents.get_document(uow.conn, world.who(uow.conn, "un"), doc.id)
        assert "withheld" in mine.body
        assert theirs.body == "" and "consents" in theirs.summary
        # A partner it was not released to does not know it exists.
        with pytest.raises(UnknownRecord) as unknown:
            documents.get_document(uow.conn, world.who(uow.conn, "donor"), doc.id)
        assert unknown.value.worded("ar") == f"لا وثيقة برقم {doc.id}"
        assert documents.list_documents(uow.conn, world.who(uow.conn, "donor")) == []
    with world.store.uow() as uow:  # the audit log is written on commit
        reads = uow.conn.execute(
            select(audit_event.c.actor).where(audit_event.c.action == "assist.document.read")
        ).scalars()
        assert sorted(reads) == ["coord", "un"]


def test_an_unreleased_report_is_unknown_to_every_partner(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        doc = documents.add_document(
            uow.conn,
            coord,
            country_code="ZZ",
            kind=DocumentKind.CONSULTATION,
            title="Consultation on border management",
            on=date(2026, 5, 1),
            marking=Marking.AMBER,
            body="Everything said in the consultation.",
        )
        assert doc.id is not None and doc.release is Release.NONE
        for partner in ("un", "donor"):
            with pytest.raises(UnknownRecord):
                documents.get_document(uow.conn, world.who(uow.conn, partner), doc.id)
        # Released in full later: the partner named sees the body.
        documents.release_document(uow.conn, coord, doc.id, Release.FULL, ["partner_donor"])
        seen = documents.get_document(uow.conn, world.who(uow.conn, "donor"), doc.id)
        assert seen.body == "Everything said in the consultation."
        with pytest.raises(UnknownRecord):
            documents.get_document(uow.conn, world.who(uow.conn, "un"), doc.id)


def test_a_release_is_refused_in_both_languages(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        doc = documents.add_document(
            uow.conn,
            coord,
            country_code="ZZ",
            kind=DocumentKind.VISIT,
            title="Second visit",
            on=date(2026, 6, 1),
            marking=Marking.RED,
        )
        assert doc.id is not None
        refusals = []
        for release, to in [(Release.PARTIAL, ["*"]), (Release.FULL, []), (Release.FULL, ["*"])]:
            with pytest.raises(AssistError) as refused:
                documents.release_document(uow.conn, coord, doc.id, release, to)
            refusals.append((str(refused.value), refused.value.worded("ar")))
    assert refusals == [
        (
            "a partial release needs the summary partners will see",
            "الإتاحة الجزئية تحتاج إلى الملخص الذي سيراه الشركاء",
        ),
        (
            "a released document names the partners it is released to",
            "الوثيقة المتاحة تسمّي الشركاء الذين تُتاح لهم",
        ),
        (
            "a TLP:RED record is not released: send it to named people through the exchange",
            "لا يُتاح للشركاء سجلٌّ موسوم TLP:RED: أرسله إلى أشخاص بأسمائهم عبر التبادل",
        ),
    ]
