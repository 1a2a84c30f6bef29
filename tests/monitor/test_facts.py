"""What the store says about a group, as the asking user may read it: nexus bridges, and
criminal and terrorist topics decided as the graph's nexus analysis decides them; the bridges
looked for once per view of the graph, and again as soon as the store changes."""

import json
from pathlib import Path
from typing import Any

import pytest

from rasid.access.accounts import Role, add_user, get_user
from rasid.access.policy import Principal, share_dataset
from rasid.access.registry import ensure_agency
from rasid.graph.nexus import Bridge, bridges
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.markings import Marking
from rasid.monitor.facts import group_facts
from rasid.store import Store

POLICE = [
    {
        "id": "o-gang",
        "schema": "Organization",
        "properties": {"name": ["Gang"], "topics": ["crime"]},
    },
    {
        "id": "o-cell",
        "schema": "Organization",
        "properties": {"name": ["Cell"], "topics": ["crime.terror"]},
    },
    {"id": "o-quiet", "schema": "Organization", "properties": {"name": ["Quiet Trading"]}},
    {"id": "p-both", "schema": "Person", "properties": {"name": ["Double Member"]}},
    {
        "id": "m-gang",
        "schema": "Membership",
        "properties": {"member": ["p-both"], "organization": ["o-gang"]},
    },
    {
        "id": "m-cell",
        "schema": "Membership",
        "properties": {"member": ["p-both"], "organization": ["o-cell"]},
    },
    {
        "id": "o-hybrid",
        "schema": "Organization",
        "properties": {"name": ["Hybrid Front"], "topics": ["crime.traffick.drug"]},
    },
]
LIST = [
    {
        "id": "o-hybrid",
        "schema": "Organization",
        "properties": {"name": ["Hybrid Front"], "topics": ["crime.terror"]},
    }
]


def _load(store: Store, folder: Path, name: str, agency: str, rows: list[dict[str, Any]]) -> None:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    request = IngestRequest(str(path), name, agency=agency, title=name, marking=Marking.AMBER)
    ingest(store, request)


def _principal(store: Store, name: str, agency: str) -> Principal:
    with store.uow() as uow:
        ensure_agency(uow.conn, agency)
        add_user(uow.conn, name, agency, Role.ANALYST, "test", password="a long test passphrase")
        user = get_user(uow.conn, name)
    assert user is not None
    return Principal(user)


def test_group_facts(store: Store, tmp_path: Path) -> None:
    police = _principal(store, "ana", "police")
    other = _principal(store, "fia", "fiu")
    _principal(store, "un", "un")
    _load(store, tmp_path, "police_cases", "police", POLICE)
    _load(store, tmp_path, "sanctions", "un", LIST)
    with store.uow() as uow:
        gang = group_facts(uow.conn, police, "o-gang")
        hybrid = group_facts(uow.conn, police, "o-hybrid")
        quiet = group_facts(uow.conn, police, "o-quiet")
        unseen = group_facts(uow.conn, other, "o-gang")
    assert gang.nexus_bridges >= 1 and gang.in_criminal_data and not gang.on_terrorism_list
    assert any("p-both" in path.args["path"] for path in gang.bridge_evidence)
    assert gang.datasets == ("police_cases",)
    # The police do not read the sanctions list (not shared): the terrorist topic is unseen.
    assert hybrid.in_criminal_data and not hybrid.on_terrorism_list
    assert quiet.nexus_bridges == 0 and not quiet.in_criminal_data
    assert unseen.nexus_bridges == 0 and unseen.datasets == ()


def test_a_group_on_both_kinds_of_list(store: Store, tmp_path: Path) -> None:
    police = _principal(store, "ana", "police")
    _principal(store, "un", "un")
    _load(store, tmp_path, "police_cases", "police", POLICE)
    _load(store, tmp_path, "sanctions", "un", LIST)
    with store.uow() as uow:
        share_dataset(uow.conn, "sanctions", "police", "test")
    with store.uow() as uow:
        hybrid = group_facts(uow.conn, police, "o-hybrid")
    assert hybrid.in_criminal_data and hybrid.on_terrorism_list
    assert hybrid.datasets == ("police_cases", "sanctions")


def test_bridges_are_looked_for_once_until_the_store_changes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    police = _principal(store, "ana", "police")
    quiet = [r for r in POLICE if r["id"] != "m-cell"]  # the double member is not in the cell yet
    _load(store, tmp_path, "police_cases", "police", quiet)
    searches = []

    def counted(*args: Any) -> list[Bridge]:  # the real search, counted
        searches.append(args)
        return bridges(*args)

    monkeypatch.setattr("rasid.monitor.facts.bridges", counted)
    with store.uow() as uow:
        before = group_facts(uow.conn, police, "o-gang")
        again = group_facts(uow.conn, police, "o-cell")
    assert before.nexus_bridges == 0 and again.nexus_bridges == 0
    assert len(searches) == 1  # one search for the reader's view, shared by every group
    cell = [r for r in POLICE if r["id"] == "m-cell"]
    _load(store, tmp_path, "police_links", "police", cell)  # a new link: the bridge
    with store.uow() as uow:
        after = group_facts(uow.conn, police, "o-gang")
    assert after.nexus_bridges >= 1 and len(searches) == 2
    assert any("p-both" in path.args["path"] for path in after.bridge_evidence)
