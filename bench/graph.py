"""Link-analysis benchmark: a generated graph of 1,000,000 links (``graphgen.py``) built by
the store's graph builder, then neighbour (depth 1 and 2) and shortest-path queries through
the functions the API answers with (``rasid.graph.analysis`` and ``rasid.graph.answer``),
on the view of a reader whose policy withholds an agency's data and TLP:RED statements;
Leiden communities on it, and networkx's Louvain for comparison (in a child process, given
up after a timeout).

    .venv/bin/python bench/graph.py [--edges N] [--output results.json]
"""

import argparse
import gc
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import graphgen

from rasid.graph import analysis
from rasid.graph.answer import render
from rasid.graph.build import build
from rasid.graph.cache import View, make_view
from rasid.store.visibility import Visibility

# A police analyst: the police data whole, the FIU's and the border's shared without
# TLP:RED, nothing of the prisons.
READER = Visibility(
    frozenset({"police"}), {"fiu": frozenset({"TLP:RED"}), "border": frozenset({"TLP:RED"})}
)


def rss_mib() -> float:
    """The process's resident memory now (MiB)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentiles(times: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max, in milliseconds."""
    ordered = sorted(times)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": at(1.0), "n": len(times)}


def timed(ask: Callable[[], Any], n: int) -> dict[str, float]:
    """Time ``n`` calls of ``ask``."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        ask()
        times.append(time.perf_counter() - start)
    return percentiles(times)


def queries(view: View, people: list[str], n: int, rng: random.Random) -> dict[str, Any]:
    """Neighbour and path queries from randomly chosen entities the reader sees."""
    visible = [p for p in people if view.node_visible[view.graph.index[p]]]
    pick = iter(rng.choices(visible, k=10 * n))

    def neighbours(depth: int) -> Callable[[], Any]:
        return lambda: render(view, analysis.neighbours(view, next(pick), depth), READER)

    def paths(k: int) -> Callable[[], Any]:
        return lambda: render(view, analysis.paths(view, next(pick), next(pick), 4, k), READER)

    return {
        "neighbours_depth_1": timed(neighbours(1), n),
        "neighbours_depth_2": timed(neighbours(2), n),
        "path_shortest": timed(paths(1), n),
        "paths_3_shortest": timed(paths(3), n),
    }


def _louvain(edges: list[tuple[int, int]], queue: Any) -> None:
    import networkx as nx

    graph = nx.Graph()
    graph.add_edges_from(edges)
    start = time.perf_counter()
    parts = nx.community.louvain_communities(graph, seed=1)
    queue.put((time.perf_counter() - start, len(parts)))


def louvain(view: View, timeout: float) -> dict[str, Any]:
    """networkx's Louvain on the same view, in a child process, given up after ``timeout``."""
    edges = [tuple(p) for p in view.graph.pairs[view.edge_ids].tolist()]
    queue: Any = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_louvain, args=(edges, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"finished": False, "timeout_s": timeout}
    seconds, count = queue.get()
    return {"finished": True, "seconds": round(seconds, 1), "communities": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000, help="links to generate")
    parser.add_argument("--queries", type=int, default=1000, help="queries of each kind")
    parser.add_argument("--louvain-timeout", type=float, default=600, help="seconds (0: skip)")
    parser.add_argument("--output", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    people = max(1000, int(args.edges * 0.3))
    spec = graphgen.Spec(args.edges, people, max(10, people // 100))
    base = rss_mib()
    start = time.perf_counter()
    generated = graphgen.generate(spec)
    results: dict[str, Any] = {"generate_s": round(time.perf_counter() - start, 1)}
    results["rows"] = len(generated.rows)
    start = time.perf_counter()
    graph = build(generated.rows)
    results["build_s"] = round(time.perf_counter() - start, 1)
    del generated.rows
    gc.collect()
    results["graph_rss_mib"] = round(rss_mib() - base)
    results |= {"nodes": len(graph.ids), "edges": len(graph.edges)}
    start = time.perf_counter()
    view = make_view(graph, READER)
    results["view_s"] = round(time.perf_counter() - start, 2)
    results["visible_edges"] = len(view.edge_ids)
    start = time.perf_counter()
    communities = analysis.membership(view)
    results["leiden_s"] = round(time.perf_counter() - start, 1)
    results["leiden_communities"] = len({c for c in communities if c >= 0})
    results["queries"] = queries(view, generated.people, args.queries, random.Random(1))
    everything = make_view(graph, None)  # every link: the operator's view
    start = time.perf_counter()
    found = analysis.membership(everything)
    results["leiden_all_s"] = round(time.perf_counter() - start, 1)
    results["leiden_all_communities"] = len({c for c in found if c >= 0})
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.louvain_timeout:
        results["networkx_louvain"] = louvain(view, args.louvain_timeout)
        results["networkx_louvain_all"] = louvain(everything, args.louvain_timeout)
    text = json.dumps(results, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
