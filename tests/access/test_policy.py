"""The policy decision point: what each caller may read and do, on SQLite and PostgreSQL."""

import pytest

from rasid.access import audit
from rasid.access.accounts import Role, Scope, User
from rasid.access.errors import AccessError
from rasid.access.policy import (
    ROLE_SCOPES,
    Denied,
    Principal,
    PurposeMissing,
    check_purpose,
    list_shares,
    require,
    share_dataset,
    unshare_dataset,
    visibility,
)
from rasid.access.registry import add_agency, add_dataset
from rasid.model.handling import conditions
from rasid.model.markings import Marking
from rasid.model.registry import Agency, Dataset
from rasid.store import Store
from rasid.store.entities import get_entities, search_entity_ids
from tests.store.helpers import stmt, write


def person(role: Role = Role.ANALYST, agency: str = "police") -> Principal:
    return Principal(User("u", agency, role))


@pytest.fixture
def federation(store: Store) -> Store:
    """Three agencies; the police and the FIU each hold a statement of each marking about
    one man, and the UN list is public."""
    with store.uow() as uow:
        for name in ("police", "fiu", "prisons", "un"):
            add_agency(uow.conn, Agency(name, name, kind=name))
        add_dataset(uow.conn, Dataset("police_files", "police", "Police files"))
        add_dataset(uow.conn, Dataset("fiu_reports", "fiu", "FIU reports"))
        add_dataset(uow.conn, Dataset("prison_register", "prisons", "Prison register"))
        add_dataset(
            uow.conn,
            Dataset("un_sc", "un", "UN list", default_marking=Marking.CLEAR, kind="watchlist"),
        )
        rows = [
            stmt("nk-1", "name", f"{dataset} {marking.name}", dataset=dataset, marking=marking)
            for dataset in ("police_files", "fiu_reports", "prison_register", "un_sc")
            for marking in Marking
        ]
        write(uow.conn, *rows)
    return store


def names(store: Store, principal: Principal) -> set[str]:
    with store.uow() as uow:
        seen = visibility(uow.conn, principal)
        found = get_entities(uow.conn, ["nk-1"], seen)
    return set(found[0].to_dict()["properties"].get("name", [])) if found else set()


BY_NAME = {m.name for m in Marking if m is not Marking.RED}
TO_EVERY_AGENCY = BY_NAME - {Marking.AMBER_STRICT.name}


def shown(found: set[str], dataset: str) -> set[str]:
    """The markings of ``dataset``'s statements in ``found``."""
    return {n.split()[1] for n in found if n.startswith(dataset + " ")}


def test_own_data_whole_shared_data_without_red_public_lists_for_all(federation: Store) -> None:
    police = names(federation, person())
    assert shown(police, "police_files") == {m.name for m in Marking}
    assert not shown(police, "fiu_reports") and not shown(police, "prison_register")
    # A public list is shared with every agency, so AMBER+STRICT stays with its owner.
    assert shown(police, "un_sc") == TO_EVERY_AGENCY
    with federation.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
        share_dataset(uow.conn, "prison_register", "*", "prisons.head")
    police = names(federation, person())
    assert shown(police, "fiu_reports") == BY_NAME
    assert shown(police, "prison_register") == TO_EVERY_AGENCY
    # The FIU still reads none of the police's files, and all of its own.
    fiu = names(federation, person(agency="fiu"))
    assert not any(n.startswith("police_files") for n in fiu)
    assert f"fiu_reports {Marking.RED.name}" in fiu
    with federation.uow() as uow:
        assert unshare_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
        assert not unshare_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
        assert [(s.dataset, s.agency) for s in list_shares(uow.conn)] == [("prison_register", "*")]
    with federation.uow() as uow:
        actions = [r.action for r in audit.search(uow.conn, action="dataset.*")]
    assert actions == ["dataset.unshare", "dataset.share", "dataset.share"]
    assert not any(n.startswith("fiu_reports") for n in names(federation, person()))


def test_amber_strict_reaches_only_an_agency_named_in_a_share(federation: Store) -> None:
    with federation.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "*", "fiu.head")
    assert shown(names(federation, person()), "fiu_reports") == TO_EVERY_AGENCY
    assert shown(names(federation, person(agency="prisons")), "fiu_reports") == TO_EVERY_AGENCY
    with federation.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
    # Named now: the police read AMBER+STRICT; the prisons, still only shared with as
    # every agency, do not.
    assert shown(names(federation, person()), "fiu_reports") == BY_NAME
    assert shown(names(federation, person(agency="prisons")), "fiu_reports") == TO_EVERY_AGENCY
    with federation.uow() as uow:
        unshare_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
    assert shown(names(federation, person()), "fiu_reports") == TO_EVERY_AGENCY


def test_a_change_of_shares_reaches_a_remembered_decision_at_once(federation: Store) -> None:
    """What the policy decided is remembered per policy epoch; every share, unshare and
    new dataset moves the epoch, so no read sees the old decision."""
    assert not shown(names(federation, person()), "fiu_reports")
    with federation.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
    assert shown(names(federation, person()), "fiu_reports") == BY_NAME
    with federation.uow() as uow:
        add_dataset(uow.conn, Dataset("fiu_more", "fiu", "More"))
        write(uow.conn, stmt("nk-1", "name", "fiu_more GREEN", "fiu_more", marking=Marking.GREEN))
        share_dataset(uow.conn, "fiu_more", "police", "fiu.head")
        unshare_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
    police = names(federation, person())
    assert not shown(police, "fiu_reports")
    assert shown(police, "fiu_more") == {"GREEN"}


def test_no_share_handling_and_withheld_names_stay_with_the_owner(federation: Store) -> None:
    """A statement whose handling says ``no-share`` is withheld from every share, and a
    name the reader may not see does not find its entity in a search."""
    with federation.uow() as uow:
        write(
            uow.conn,
            stmt("nk-1", "name", "fiu_reports kept", "fiu_reports", handling="NO-SHARE (source)"),
            stmt("nk-2", "name", "Qasim Redname", "fiu_reports", marking=Marking.RED),
            stmt("nk-2", "nationality", "lb", "fiu_reports"),
        )
        share_dataset(uow.conn, "fiu_reports", "police", "fiu.head")
    assert "fiu_reports kept" not in names(federation, person())
    assert "fiu_reports kept" in names(federation, person(agency="fiu"))
    with federation.uow() as uow:
        police = visibility(uow.conn, person())
        fiu = visibility(uow.conn, person(agency="fiu"))
        assert search_entity_ids(uow.conn, "Redname", police) == []
        assert search_entity_ids(uow.conn, "kept", police) == []
        assert search_entity_ids(uow.conn, "Redname", fiu) == ["nk-2"]
        assert search_entity_ids(uow.conn, "kept", fiu) == ["nk-1"]
        assert search_entity_ids(uow.conn, "fiu_reports AMBER", police) == ["nk-1"]


def test_handling_conditions_are_read_from_the_text() -> None:
    assert [c.code for c in conditions("no-onward; No-Evidence until trial")] == [
        "no-onward",
        "no-evidence",
    ]
    assert conditions("") == [] and conditions(None) == []
    assert conditions("no-share")[0].ar  # labelled in Arabic too


def test_sharing_is_checked(federation: Store) -> None:
    with federation.uow() as uow:
        with pytest.raises(AccessError, match="unknown dataset"):
            share_dataset(uow.conn, "nope", "police", "x")
        with pytest.raises(AccessError, match="unknown agency"):
            share_dataset(uow.conn, "fiu_reports", "customs", "x")
        with pytest.raises(AccessError, match="owns"):
            share_dataset(uow.conn, "fiu_reports", "fiu", "x")
        share_dataset(uow.conn, "fiu_reports", "police", "x")
        share_dataset(uow.conn, "fiu_reports", "police", "x")  # twice: one share
        assert len(list_shares(uow.conn, "fiu_reports")) == 1


def test_roles_that_do_not_read_see_nothing(federation: Store) -> None:
    assert names(federation, person(Role.ADMIN)) == set()
    token = Principal(User("u", "police", Role.ANALYST), frozenset({Scope.SCREEN}))
    assert names(federation, token) == set()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("scope", list(Scope))
def test_scopes_by_role_and_token(role: Role, scope: Scope) -> None:
    session = person(role)
    assert session.may(scope) == (scope in ROLE_SCOPES[role])
    narrowed = Principal(User("u", "police", role), frozenset({Scope.READ}))
    assert narrowed.may(scope) == (scope is Scope.READ and Scope.READ in ROLE_SCOPES[role])
    if not narrowed.may(scope):
        with pytest.raises(Denied):
            require(narrowed, scope)


def test_every_role_has_a_job_and_no_token_widens_it() -> None:
    assert all(ROLE_SCOPES[role] for role in Role)
    assert Scope.AUDIT in ROLE_SCOPES[Role.DPO] and Scope.READ not in ROLE_SCOPES[Role.ADMIN]
    everything = Principal(User("u", "police", Role.FOCAL_POINT), frozenset(Scope))
    assert everything.scopes == ROLE_SCOPES[Role.FOCAL_POINT]


@pytest.mark.parametrize("given", [None, "", "   ", "x" * 501])
def test_a_purpose_is_required(given: str | None) -> None:
    with pytest.raises(PurposeMissing):
        check_purpose(given)


def test_a_purpose_is_kept_tidy() -> None:
    assert check_purpose("  case\n 2026/17  ") == "case 2026/17"


def test_a_piu_officer_does_not_read_prison_intelligence(federation: Store) -> None:
    with federation.uow() as uow:
        share_dataset(uow.conn, "prison_register", "*", "prisons.head")
        share_dataset(uow.conn, "fiu_reports", "*", "fiu.head")
    analyst = names(federation, person(Role.ANALYST, "border"))
    officer = names(federation, person(Role.PIU_OFFICER, "border"))
    assert any(n.startswith("prison_register") for n in analyst)
    assert not any(n.startswith("prison_register") for n in officer)
    # Everything else the agency may read, the officer reads too.
    assert {n for n in officer if not n.startswith("prison_register")} == {
        n for n in analyst if not n.startswith("prison_register")
    }
