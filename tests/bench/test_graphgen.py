"""The link benchmark's generator: the links it says, heavy-tailed degrees, some of them
hidden from the benchmark's reader."""

import importlib
import sys
from pathlib import Path
from types import ModuleType

from rasid.graph.build import build
from rasid.graph.cache import make_view

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


def test_the_generated_graph_has_the_links_asked_for_and_hubs() -> None:
    graphgen = _module("graphgen")
    generated = graphgen.generate(graphgen.Spec(edges=5000, people=1500, communities=30))
    graph = build(generated.rows)
    assert 4950 <= len(graph.edges) <= 5000  # two phones of one pair make one link
    assert {e.type for e in graph.edges} == {
        "Payment",
        "Associate",
        "Family",
        "Membership",
        "phone",
    }
    degree = [0] * len(graph.ids)
    for e in graph.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    people = sorted(d for d, i in zip(degree, graph.ids, strict=True) if i.startswith("p"))
    assert people[-1] > 10 * max(1, people[len(people) // 2])  # hubs, and many with few links
    assert graphgen.generate(graphgen.Spec(5000, 1500, 30)).rows == generated.rows
    view = make_view(graph, _module("graph").READER)
    assert 0 < len(view.edge_ids) < len(graph.edges)  # the reader's policy hides some
