"""A visit's findings loaded from YAML, on SQLite and PostgreSQL: the document, the needs and
the roadmap written whole; a bad file names the entry, in both languages, and writes
nothing."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Principal
from rasid.access.registry import ensure_agency
from rasid.assist import documents, needs, visit
from rasid.assist.errors import AssistError
from rasid.assist.model import Release
from rasid.store import Store
from tests.assist.helpers import VISIT, World, make_world


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """The demo's visit, loaded."""
    yield make_world(store)


def test_the_visit_loads_whole(world: World) -> None:
    loaded = world.loaded
    assert loaded.document is not None and loaded.document.release is Release.PARTIAL
    assert set(loaded.needs) == {
        "fusion-cell",
        "fiu-analysis",
        "border-api",
        "prison-intel",
        "judicial-training",
        "coast-resilience",
        "cyber",
    }
    fiu = loaded.needs["fiu-analysis"]
    assert fiu.theme == "gp-21" and fiu.country == "ZZ" and fiu.priority.value == "high"
    assert fiu.document == loaded.document.id
    assert [t.ascending for t in fiu.targets] == [False, True]
    assert fiu.targets[0].baseline == 30 and fiu.targets[0].target == 10
    assert loaded.roadmap is not None
    steps = loaded.roadmap.steps
    assert [s.position for s in steps] == [1, 2, 3, 4]
    assert steps[1].needs == (fiu.id,)
    assert steps[3].themes == ("gp-24", "gp-11")


def _office(store: Store) -> None:
    with store.uow() as uow:
        ensure_agency(uow.conn, "coordination")
        ensure_agency(uow.conn, "partner_un")
        add_user(
            uow.conn,
            "coord",
            "coordination",
            Role.COORDINATOR,
            "t",
            password="a long test passphrase",
        )


def _load_bad(store: Store, tmp_path: Path, change: dict[str, object]) -> AssistError:
    """Load the demo's visit with one need changed; the refusal."""
    data = yaml.safe_load(VISIT.read_text("utf-8"))
    data["needs"][1].update(change)
    bad = tmp_path / "visit.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(AssistError) as refused, store.uow() as uow:
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        visit.load_file(uow.conn, coord, bad)
    return refused.value


def test_a_bad_visit_file_names_the_entry_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    data = yaml.safe_load(VISIT.read_text("utf-8"))
    data["roadmap"]["steps"][2]["needs"] = ["no-such-need"]
    bad = tmp_path / "visit.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    _office(store)
    expected = r"visit.yml: roadmap.steps\[2\].needs: no need"
    with pytest.raises(AssistError, match=expected) as refused, store.uow() as uow:
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        visit.load_file(uow.conn, coord, bad)
    assert refused.value.worded("ar") == (
        "visit.yml: roadmap.steps[2].needs: لا احتياج بالمفتاح 'no-such-need' في هذا الملف"
    )
    with store.uow() as uow:
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        assert needs.list_needs(uow.conn, coord) == []
        assert documents.list_documents(uow.conn, coord) == []


def test_a_file_that_is_not_yaml_says_where(store: Store, tmp_path: Path) -> None:
    _office(store)
    bad = tmp_path / "broken.yml"
    bad.write_text("needs:\n  - key: [unclosed\n", "utf-8")
    with (
        pytest.raises(AssistError, match=r"broken\.yml: cannot be read") as refused,
        store.uow() as uow,
    ):
        coord = Principal(get_user(uow.conn, "coord"))  # type: ignore[arg-type]
        visit.load_file(uow.conn, coord, bad)
    assert refused.value.worded("ar").startswith("broken.yml: تعذرت قراءة الملف (السطر 3، العمود")


@pytest.mark.parametrize(
    ("change", "english", "arabic"),
    [
        (
            {"gap": " "},
            "visit.yml: needs[1]: the gap found is required",
            "visit.yml: needs[1]: الحقل «الفجوة المكتشفة» مطلوب",
        ),
        (
            {"priority": "urgent"},
            "visit.yml: needs[1].priority: 'urgent' is not one of high, medium, low",
            "visit.yml: needs[1].priority: 'urgent' ليس من القيم المقبولة (high, medium, low)",
        ),
        (
            {"cost": "a lot"},
            "visit.yml: needs[1].cost: 'a lot' is not a number",
            "visit.yml: needs[1].cost: 'a lot' ليس رقمًا",
        ),
    ],
)
def test_a_bad_entry_is_refused_in_both_languages(
    store: Store, tmp_path: Path, change: dict[str, object], english: str, arabic: str
) -> None:
    _office(store)
    refused = _load_bad(store, tmp_path, change)
    assert (str(refused), refused.worded("ar")) == (english, arabic)
