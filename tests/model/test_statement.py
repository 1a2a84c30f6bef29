from datetime import date

from followthemoney.statement import Statement

from rasid.model.markings import Marking
from rasid.model.statement import RasidStatement


def test_id_is_content_derived_and_ignores_marking() -> None:
    a = RasidStatement("p1", "name", "Person", "Ali", "police", marking=Marking.RED)
    b = RasidStatement("p1", "name", "Person", "Ali", "police", marking=Marking.GREEN)
    c = RasidStatement("p1", "name", "Person", "Ali", "border")
    assert a.id == b.id == Statement.make_key("police", "p1", "name", "Ali", False)
    assert a.id != c.id


def test_rasid_columns_serialise_beside_ftm_fields() -> None:
    stmt = RasidStatement(
        "p1",
        "name",
        "Person",
        "علي",
        "police",
        lang="ara",
        first_seen="2026-01-01",
        marking=Marking.AMBER_STRICT,
        source_grade="2",
        delete_after=date(2031, 1, 1),
    )
    base = Statement("p1", "name", "Person", "علي", "police", lang="ara")
    data = stmt.to_full_dict()
    assert (data["id"], data["lang"], data["first_seen"]) == (base.id, "ara", "2026-01-01")
    assert data["marking"] == "TLP:AMBER+STRICT"
    assert data["delete_after"] == "2031-01-01"
    assert data["source_grade"] == "2"
    assert data["mask_after"] is None
