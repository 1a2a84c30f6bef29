"""What the coordination records share: the checks of their fields, worded in both
languages (a field named in English only keeps its message English), release lists naming
known agencies, and the taxonomy extended by a state's requirements (SQLite and
PostgreSQL)."""

from collections.abc import Iterator

import pytest

from rasid.assist import needs, records
from rasid.assist.errors import AssistError
from rasid.assist.model import Text
from rasid.store import Store
from tests.assist.helpers import World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def _refusal(call: object) -> tuple[str, str]:
    assert callable(call)
    with pytest.raises(AssistError) as refused:
        call()
    return str(refused.value), refused.value.worded("ar")


def test_text_is_collapsed_and_checked_in_both_languages() -> None:
    summary = Text("الملخص", "the summary")
    assert records.text("  two\n words ", summary) == "two words"
    assert records.text("", summary, required=False) == ""
    assert _refusal(lambda: records.text(" ", summary)) == (
        "the summary is required",
        "الحقل «الملخص» مطلوب",
    )
    assert _refusal(lambda: records.text("abcd", summary, limit=3)) == (
        "the summary is longer than 3 characters",
        "الحقل «الملخص» يتجاوز الحد الأقصى لعدد الأحرف (3)",
    )


def test_a_field_named_in_english_only_keeps_its_message_english() -> None:
    english, arabic = _refusal(lambda: records.text("", "the title"))
    assert english == arabic == "the title is required"
    place = records.within("project 'P-1'", Text("العنوان", "the title"))
    assert place == Text("", "project 'P-1': the title")


def test_codes_are_checked() -> None:
    assert (records.country(" zz "), records.currency("eur")) == ("ZZ", "EUR")
    assert _refusal(lambda: records.currency("€")) == (
        "a currency is an ISO 4217 code, not '€'",
        "رمز العملة '€' غير صالح: العملة تُكتب برمز من ثلاثة أحرف (ISO 4217)",
    )


def test_a_release_names_known_agencies(world: World) -> None:
    fiu = world.loaded.needs["fiu-analysis"]
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        refused = _refusal(
            lambda: needs.update_need(uow.conn, coord, fiu.id or 0, recipients=["nobody"])
        )
    assert refused == ("no agency 'nobody' to release to", "لا جهة باسم 'nobody' لإتاحة السجل لها")


def test_requirements_extend_the_taxonomy(world: World) -> None:
    with world.store.uow() as uow:
        coord = world.who(uow.conn, "coord")
        theme = records.add_requirement(
            uow.conn,
            coord,
            "res-2396-op12",
            "D",
            "Resolution 2396 (2017), paragraph 12: collect and analyse API and PNR data",
            "القرار 2396 (2017)، الفقرة 12: جمع بيانات المسافرين وتحليلها",
            ["15136"],
        )
        assert records.taxonomy(uow.conn).themes[-1] == theme
        with pytest.raises(AssistError, match="already"):
            records.add_requirement(uow.conn, coord, "res-2396-op12", "D", "again", "مرة أخرى", [])
        with pytest.raises(AssistError, match="gp-") as refused:
            records.add_requirement(uow.conn, coord, "gp-26", "D", "no", "لا", [])
        assert refused.value.worded("ar").startswith("المتطلب 'gp-26': الرمز")
        with pytest.raises(AssistError) as refused:
            records.add_requirement(uow.conn, coord, "res-1", "D", "One", "", [])
        assert refused.value.worded("ar") == "الحقل «الصياغة العربية» مطلوب"
        with pytest.raises(AssistError) as refused:
            records.add_requirement(uow.conn, coord, "res-1", "D", "One", "واحد", ["151"])
        assert refused.value.worded("ar") == (
            "المتطلب 'res-1': رمز غاية لجنة المساعدة الإنمائية '151' ليس من خمسة أرقام"
        )
