"""Questions asked of a reader's view: what the reader may not read is not in the answer,
and the demo's brokers come out as the nexus bridges once its people are resolved."""

import pytest
import yaml

from rasid.access.accounts import Role, User
from rasid.access.policy import Principal, visibility
from rasid.demo.build import build_demo
from rasid.graph import analysis
from rasid.graph.answer import render
from rasid.graph.cache import View, current_view
from rasid.graph.errors import GraphError, UnknownNode
from rasid.store import Store
from tests.graph.helpers import resolve_demo

SCENARIO = "rasid/demo/data/scenario.yml"


def _view(store: Store, agency: str | None) -> View:
    with store.uow() as uow:
        if agency is None:
            return current_view(uow.conn, None)
        user = User(f"{agency}.analyst", agency, Role.ANALYST, "", False)
        return current_view(uow.conn, visibility(uow.conn, Principal(user)))


def _types(view: View, found: analysis.Subgraph) -> set[str]:
    return {view.graph.edges[e].id for e in found.edges}


def test_a_reader_sees_only_links_they_may_read(linked: Store) -> None:
    everyone = _view(linked, None)
    police = _view(linked, "police")
    all_links = _types(everyone, analysis.neighbours(everyone, "p-gang", 1))
    assert {"a-prison", "pay-red", "pay-2", "m-gang"} <= all_links
    # The prisons share nothing; the FIU's TLP:RED dataset is withheld from its share.
    seen = _types(police, analysis.neighbours(police, "p-gang", 1))
    assert seen == {"pay-2", "m-gang"}
    answer = render(police, analysis.neighbours(police, "p-gang", 1), None)
    assert all(e["evidence"] for e in answer["edges"])
    assert {d for n in answer["nodes"] for d in n["datasets"]} <= {"police_cases", "fiu_reports"}
    with pytest.raises(UnknownNode):
        analysis.neighbours(_view(linked, "prisons"), "p-broker", 1)  # unshared with prisons


def test_neighbours_follow_depth_types_and_dates(linked: Store) -> None:
    view = _view(linked, None)
    ids = view.graph.ids
    one = analysis.neighbours(view, "cell", 1)
    assert {ids[n] for n in one.nodes} == {"cell", "p-cell"}
    two = analysis.neighbours(view, "cell", 2)
    assert {ids[n] for n in two.nodes} == {"cell", "p-cell", "p-brother", "p-broker", "p-gang"}
    payments = analysis.Filter(frozenset({"Payment"}))
    found = analysis.neighbours(view, "p-broker", 1, payments)
    assert _types(view, found) == {"pay-1", "pay-2"}
    may = analysis.Filter(since="2023-05-01", until="2023-05-31")
    assert _types(view, analysis.neighbours(view, "p-broker", 1, may)) == {"pay-2"}
    assert analysis.neighbours(view, "cell", 3, limit=3).extra["truncated"] is True
    with pytest.raises(GraphError):
        analysis.neighbours(view, "cell", 4)


def test_paths_are_shortest_first_and_bounded(linked: Store) -> None:
    view = _view(linked, "police")
    found = analysis.paths(view, "cell", "gang", max_length=4, k=3)
    assert found.extra["paths"][0] == ["cell", "p-cell", "p-broker", "p-gang", "gang"]
    assert all(len(p) <= 5 for p in found.extra["paths"])
    assert analysis.paths(view, "cell", "gang", max_length=3).extra["paths"] == []
    # With the prison register the cellmates are linked directly.
    direct = analysis.paths(_view(linked, None), "cell", "gang", k=0)
    assert direct.extra["paths"] == [["cell", "p-cell", "p-gang", "gang"]]


def test_communities_centrality_and_timeline(linked: Store) -> None:
    view = _view(linked, None)
    summary = analysis.communities(view).extra["communities"]
    assert sum(c["size"] for c in summary) == 6  # every node has a link
    assert sum(c["terror"] for c in summary) == 2 and sum(c["crime"] for c in summary) == 2
    ranking = analysis.centrality(view, "degree", 2).extra["ranking"]
    assert {(r["entity_id"], r["score"]) for r in ranking} == {("p-gang", 4.0), ("p-cell", 4.0)}
    between = analysis.centrality(view, "betweenness").extra["ranking"]
    assert between[0]["entity_id"] in {"p-cell", "p-gang"}
    assert analysis.centrality(view, "pagerank").extra["ranking"][0]["score"] > 0
    with pytest.raises(GraphError):
        analysis.centrality(view, "closeness")
    events = analysis.timeline(view, "p-broker").extra["timeline"]
    assert [e["start"] for e in events] == ["2023-04-01", "2023-05-02"]


def test_bridges_need_the_links_that_make_them(linked: Store) -> None:
    everyone = render(_view(linked, None), analysis.nexus(_view(linked, None), 2), None)
    kinds = {(b["entity_id"], b["kind"]) for b in everyone["bridges"]}
    assert ("p-gang", "alliance") in kinds  # cellmates: a direct tie between the groups
    assert ("p-broker", "broker") in kinds
    police = _view(linked, "police")
    bridges = render(police, analysis.nexus(police, 2), None)["bridges"]
    assert [(b["entity_id"], b["kind"]) for b in bridges] == [("p-broker", "broker")]
    broker = bridges[0]
    assert broker["path"] == ["p-gang", "p-broker", "p-cell"]
    assert (broker["crime_cluster"], broker["terror_cluster"]) == ("gang", "cell")
    assert {e["entity_id"] for e in broker["evidence"]} == {"pay-1", "pay-2"}
    groups = {n["id"]: n["group"] for n in render(police, analysis.nexus(police), None)["nodes"]}
    assert groups == {"p-gang": "crime", "p-broker": None, "p-cell": "terror"}


def test_the_demo_brokers_are_its_nexus_bridges(store: Store) -> None:
    build_demo(store)
    canonical = resolve_demo(store)
    with open(SCENARIO, encoding="utf-8") as handle:
        scenario = yaml.safe_load(handle)
    brokers = {canonical[b["person"]] for b in scenario["brokers"]}
    view = _view(store, "national_police")
    answer = render(view, analysis.nexus(view, 2), None)
    found = {b["entity_id"]: b for b in answer["bridges"]}
    assert set(found) == brokers
    cell = scenario["groups"]["terrorist_cell"]["entity_id"]
    network = scenario["groups"]["smuggling_network"]["entity_id"]
    for bridge in found.values():
        assert bridge["kind"] == "broker" and bridge["evidence"]
        assert (bridge["crime_cluster"], bridge["terror_cluster"]) == (network, cell)
