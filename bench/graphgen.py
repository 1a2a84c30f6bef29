"""A generated link graph for the link-analysis benchmark, as statement rows for the same
builder the store's graph goes through (``rasid.graph.build.build``).

People fall into communities whose sizes follow a power law; each person has an activity
weight drawn from a Pareto distribution, so degrees are heavy-tailed (a few hubs, many
people with one or two links). Most links stay within a community, some cross. Links are
FtM relationships (Payment with a date, Associate, Family, Membership of the community's
organisation) and shared phone numbers, spread over four agencies' datasets, a few marked
TLP:RED.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rasid.graph.build import Row
from rasid.model.keys import content_key

DATASETS = ("police", "fiu", "border", "prisons")
KINDS = ("Payment", "Associate", "Family", "Membership", "phone")
KIND_SHARE = (0.40, 0.25, 0.10, 0.10, 0.15)
CROSSING = 0.1  # share of links between two communities
RED = 0.03  # share of links marked TLP:RED


@dataclass(frozen=True)
class Spec:
    """How big a graph to generate."""

    edges: int = 1_000_000
    people: int = 300_000
    communities: int = 3_000
    seed: int = 7


@dataclass
class Generated:
    """What was generated: the rows, and the people's ids (for sampling queries)."""

    rows: list[Row]
    people: list[str]
    edges: int


def _communities(spec: Spec, rng: np.random.Generator) -> np.ndarray:
    """Each person's community: sizes by a power law (Zipf-like weights)."""
    weights = 1.0 / np.arange(1, spec.communities + 1) ** 0.9
    return rng.choice(spec.communities, size=spec.people, p=weights / weights.sum())


def generate(spec: Spec) -> Generated:
    """Rows for ``spec.edges`` links among ``spec.people`` people (deterministic)."""
    rng = np.random.default_rng(spec.seed)
    community = _communities(spec, rng)
    activity = rng.pareto(1.5, spec.people) + 1.0
    members: dict[int, np.ndarray] = {}
    order = np.argsort(community, kind="stable")
    bounds = np.searchsorted(community[order], np.arange(spec.communities + 1))
    for c in range(spec.communities):
        members[c] = order[bounds[c] : bounds[c + 1]]
    probability = activity / activity.sum()
    sources = rng.choice(spec.people, size=spec.edges, p=probability)
    kinds = rng.choice(len(KINDS), size=spec.edges, p=KIND_SHARE)
    crossing = rng.random(spec.edges) < CROSSING
    red = rng.random(spec.edges) < RED
    datasets = rng.integers(0, len(DATASETS), spec.edges)
    rows: list[Row] = []
    people = [f"p{i}" for i in range(spec.people)]
    for i, name in enumerate(people):
        ds = DATASETS[i % len(DATASETS)]
        rows += [_row(name, "Person", "id", name, ds), _row(name, "Person", "name", f"N{i}", ds)]
    for c in range(spec.communities):
        org = f"org{c}"
        rows += [_row(org, "Organization", "id", org, "police")]
    for e in range(spec.edges):
        source = int(sources[e])
        pool = members[int(community[source])]
        if crossing[e] or len(pool) < 2:
            target = int(rng.integers(spec.people))
        else:
            target = int(pool[rng.integers(len(pool))])
        if target == source:  # nobody is linked to themselves
            target = (target + 1) % spec.people
        kind = KINDS[int(kinds[e])]
        marking = "TLP:RED" if red[e] else "TLP:AMBER"
        ds = DATASETS[int(datasets[e])]
        rows += list(_link(e, kind, people[source], people[target], community[source], ds, marking))
    return Generated(rows, people, spec.edges)


def _link(
    e: int, kind: str, source: str, target: str, community: int, ds: str, marking: str
) -> Iterator[Row]:
    if kind == "phone":
        phone = f"+9627{e:09d}"
        yield _row(source, "Person", "phone", phone, ds, marking, "phone")
        yield _row(target, "Person", "phone", phone, ds, marking, "phone")
        return
    rel = f"r{e}"
    if kind == "Membership":
        yield _row(rel, kind, "member", source, ds, marking, "entity")
        yield _row(rel, kind, "organization", f"org{community}", ds, marking, "entity")
        return
    props = {"Payment": ("payer", "beneficiary"), "Associate": ("person", "associate")}
    first, second = props.get(kind, ("person", "relative"))
    yield _row(rel, kind, first, source, ds, marking, "entity")
    yield _row(rel, kind, second, target, ds, marking, "entity")
    if kind == "Payment":
        yield _row(rel, kind, "date", f"20{20 + e % 5}-0{1 + e % 9}-1{e % 10}", ds, marking)


def _row(
    entity: str,
    schema: str,
    prop: str,
    value: str,
    dataset: str,
    marking: str = "TLP:AMBER",
    prop_type: str = "",
) -> Row:
    key = content_key(dataset, entity, prop, value)  # as long as a real statement id
    return Row(key, entity, entity, schema, prop, prop_type, value, dataset, marking)
