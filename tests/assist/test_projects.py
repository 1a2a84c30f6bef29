"""Projects in the store: every transaction kept in order through saving and loading, a
re-import that changes nothing left unchanged, and an identifier another agency recorded
quarantined with the reason in both languages (SQLite and PostgreSQL)."""

from collections.abc import Iterator
from dataclasses import replace

import pytest

from rasid.assist import projects
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import ProjectImport, Transaction, TransactionType
from rasid.store import Store
from tests.assist.helpers import World, make_world
from tests.assist.test_iati_money import TRANSACTIONS, project


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_a_project_keeps_its_transactions_in_the_store(world: World) -> None:
    stored = replace(project(), agency="", source="")
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        saved = projects.save_projects(uow.conn, coord, ProjectImport((stored,)))
        assert saved.created == ("XM-EX-RASID-0100",)
        found = world.project(uow.conn, "XM-EX-RASID-0100")
        assert found.transactions == TRANSACTIONS and found.committed == 800_000.0
        again = projects.save_projects(uow.conn, coord, ProjectImport((stored,)))
        assert again.unchanged == ("XM-EX-RASID-0100",)
        fewer = replace(stored, transactions=TRANSACTIONS[:2])
        assert projects.save_projects(uow.conn, coord, ProjectImport((fewer,))).updated
    with world.store.uow() as uow:
        found = world.project(uow.conn, "XM-EX-RASID-0100")
    assert found.transactions == TRANSACTIONS[:2]


def test_another_agency_identifier_is_quarantined_in_both_languages(world: World) -> None:
    stored = replace(project(), agency="", source="")
    with world.store.uow() as uow:
        projects.save_projects(uow.conn, world.who(uow.conn, "coord"), ProjectImport((stored,)))
    with world.store.uow() as uow:
        saved = projects.save_projects(
            uow.conn, world.who(uow.conn, "donor"), ProjectImport((stored,)), origin="d.xml"
        )
    (problem,) = saved.quarantined
    assert (problem.where, problem.reason) == (
        "d.xml, activity XM-EX-RASID-0100",
        "the identifier is already recorded by coordination",
    )
    assert (problem.place("ar"), problem.why("ar")) == (
        "d.xml، النشاط XM-EX-RASID-0100",
        "المعرّف مسجَّل من قبل لدى coordination",
    )


def _refused(world: World, **changes: object) -> tuple[str, str]:
    bad = replace(project(), agency="", source="", **changes)  # type: ignore[arg-type]
    with world.store.uow() as uow, pytest.raises(AssistError) as refused:
        projects.save_projects(uow.conn, world.who(uow.conn, "coord"), ProjectImport((bad,)))
    return str(refused.value), refused.value.worded("ar")


def test_bad_projects_are_refused_in_both_languages(world: World) -> None:
    nan = Transaction(TransactionType.DISBURSEMENT, TRANSACTIONS[0].date, float("nan"), "USD")
    assert _refused(world, transactions=(nan,)) == (
        "project 'XM-EX-RASID-0100', transaction of 2025-06-01: the value is not a number",
        "المشروع 'XM-EX-RASID-0100'، المعاملة بتاريخ 2025-06-01: القيمة ليست عددًا",
    )
    assert _refused(world, themes=("gp-99",)) == (
        "project 'XM-EX-RASID-0100': unknown thematic area 'gp-99'",
        "المشروع 'XM-EX-RASID-0100': مجال موضوعي غير معروف 'gp-99'",
    )
    assert _refused(world, title=" ") == (
        "project 'XM-EX-RASID-0100': the title is required",
        "الحقل «المشروع 'XM-EX-RASID-0100': العنوان» مطلوب",
    )


def test_an_unknown_project_is_worded_in_both_languages(world: World) -> None:
    with world.store.uow() as uow, pytest.raises(UnknownRecord) as missing:
        projects.get_project(uow.conn, world.who(uow.conn, "coord"), 999)
    assert (str(missing.value), missing.value.worded("ar")) == (
        "no project 999",
        "لا مشروع برقم 999",
    )
