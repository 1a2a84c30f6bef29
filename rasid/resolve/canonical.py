"""Canonical ids follow from judgements alone.

The entities people judged the same (and the pairs the auto-accept rule accepted) form
clusters: the connected components of those pairs. Two rules keep clusters honest:

- a ``same`` judgement that would join two clusters holding a pair a person judged
  ``not_same`` is refused, naming that pair (``check_same``); and a ``not_same`` between two
  records already joined by people's ``same`` judgements is refused too (``check_not_same``):
  people undo the judgement they no longer hold, nothing splits silently;
- the rule's pairs never override a person: they join clusters only where no ``not_same``
  judgement stands between them (a pair the rule accepted but a person's ``not_same`` holds
  apart is left out of the clusters).

A cluster's canonical id is its **smallest member id**: it depends on the judgements only,
so applying the same judgements on another database gives the same ids, and it is always
the id of one of the members, so every id a link ever used still names an entity. Each
member's statements carry the cluster's id in ``statement.canonical_id`` (and its names in
the name index); ``resolution_canonical`` lists each entity merged into another, and reads
of a member id find the entity it was merged into (``rasid.store.entities``). Undoing a
merge gives every entity its own id back.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, select, update

from rasid.resolve.errors import Conflict
from rasid.resolve.model import Status
from rasid.store.chunks import chunks
from rasid.store.statements import of_entities, utcnow
from rasid.store.tables import name_index, resolution_canonical, resolution_pair, statement

Edge = tuple[str, str]


class _Forest:
    """Union-find over entity ids; each set knows its members."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        self.members.setdefault(item, {item})
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a == b:
            return
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members.pop(b)


@dataclass(frozen=True)
class Judged:
    """The pairs that decide clusters: people's same and not_same, the rule's (best first)."""

    same: tuple[Edge, ...]
    not_same: tuple[Edge, ...]
    auto: tuple[Edge, ...]


def _separated(forest: _Forest, a: str, b: str, not_same: Mapping[str, set[str]]) -> Edge | None:
    """A not_same pair that joining a's and b's sets would put in one cluster, if any."""
    left, right = forest.members[forest.find(a)], forest.members[forest.find(b)]
    small, large = (left, right) if len(left) <= len(right) else (right, left)
    for member in sorted(small):
        for other in sorted(not_same.get(member, set()) & large):
            return (member, other) if member < other else (other, member)
    return None


def _apart(not_same: Iterable[Edge]) -> dict[str, set[str]]:
    apart: dict[str, set[str]] = {}
    for a, b in not_same:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    return apart


def clusters(judged: Judged) -> dict[str, str]:
    """Each entity of a cluster of two or more, to the cluster's canonical id (its smallest
    member id). People's ``same`` pairs join first; then the rule's, each only where no
    ``not_same`` stands between the two clusters."""
    forest = _Forest()
    for a, b in judged.same:
        forest.union(a, b)
    apart = _apart(judged.not_same)
    for a, b in judged.auto:
        if _separated(forest, a, b, apart) is None:
            forest.union(a, b)
    found: dict[str, str] = {}
    for root, members in forest.members.items():
        if forest.parent.get(root, root) == root and len(members) > 1:
            canonical = min(members)
            found.update((m, canonical) for m in members)
    return found


def load_judged(conn: Connection) -> Judged:
    """The pairs of the store whose status decides clusters."""
    rows = conn.execute(
        select(resolution_pair.c.left_id, resolution_pair.c.right_id, resolution_pair.c.status)
        .where(resolution_pair.c.status.in_([Status.SAME, Status.NOT_SAME, Status.AUTO]))
        .order_by(
            resolution_pair.c.score.desc(), resolution_pair.c.left_id, resolution_pair.c.right_id
        )
    ).all()
    by_status: dict[str, list[Edge]] = {s: [] for s in (Status.SAME, Status.NOT_SAME, Status.AUTO)}
    for left, right, status in rows:
        by_status[status].append((left, right))
    return Judged(
        tuple(by_status[Status.SAME]),
        tuple(by_status[Status.NOT_SAME]),
        tuple(by_status[Status.AUTO]),
    )


def check_same(judged: Judged, left: str, right: str) -> None:
    """Conflict when judging ``left`` and ``right`` the same would put in one cluster two
    records a person judged not the same."""
    forest = _Forest()
    for a, b in judged.same + judged.auto:
        forest.union(a, b)
    if forest.find(left) == forest.find(right):
        return
    found = _separated(forest, left, right, _apart(judged.not_same))
    if found is not None:
        raise Conflict(
            f"{left} and {right} cannot be one entity: {found[0]} and {found[1]} were judged "
            f"not the same, and this judgement would merge them (undo that judgement first, "
            f"or judge this pair not the same)",
            arabic=f"لا يمكن أن يكون {left} و{right} كيانًا واحدًا: حُكم بأن {found[0]} "
            f"و{found[1]} ليسا الشخص نفسه، وهذا الحكم يدمجهما (تراجع عن ذلك الحكم أولًا، "
            f"أو احكم بأن هذا الزوج ليس الشخص نفسه)",
        )


def check_not_same(judged: Judged, left: str, right: str) -> None:
    """Conflict when people's ``same`` judgements already join ``left`` and ``right`` (the
    rule's do not count: a person's not_same wins over it)."""
    forest = _Forest()
    for a, b in judged.same:
        if (a, b) != (left, right):
            forest.union(a, b)
    if forest.find(left) == forest.find(right):
        path = sorted(forest.members[forest.find(left)])
        raise Conflict(
            f"{left} and {right} are one entity through other same judgements (among "
            f"{', '.join(path)}): undo the one that is wrong first",
            arabic=f"{left} و{right} كيان واحد بأحكام تطابق أخرى (بين "
            f"{'، '.join(path)}): تراجع أولًا عن الحكم الخاطئ منها",
        )


@dataclass(frozen=True)
class Recomputed:
    """What a recomputation changed: entities given another entity's id (merged), entities
    given their own id back (split), and the clusters now standing."""

    merged: int
    split: int
    clusters: int


def stored(conn: Connection) -> dict[str, str]:
    """The canonical id of each entity merged into another, as recorded."""
    rows = conn.execute(
        select(resolution_canonical.c.entity_id, resolution_canonical.c.canonical_id)
    )
    return {e: c for e, c in rows}


def recompute(conn: Connection, now: datetime | None = None) -> Recomputed:
    """Derive clusters from the judgements and write what changed: each member's statements
    and names take the cluster's id; an entity that left a cluster takes its own back."""
    now = now or utcnow()
    wanted = clusters(load_judged(conn))
    before = stored(conn)
    changed = {e: c for e, c in wanted.items() if before.get(e) != c}
    restored = sorted(e for e in before if e not in wanted)
    targets: dict[str, list[str]] = {}
    for entity, canonical in changed.items():
        targets.setdefault(canonical, []).append(entity)
    for entity in restored:
        targets.setdefault(entity, []).append(entity)
    for canonical, entities in sorted(targets.items()):
        for batch in chunks(sorted(entities)):
            _write(conn, canonical, batch)
    for batch in chunks(restored):
        conn.execute(
            delete(resolution_canonical).where(resolution_canonical.c.entity_id.in_(batch))
        )
    for batch in chunks(sorted(e for e in changed if e in before)):
        conn.execute(
            delete(resolution_canonical).where(resolution_canonical.c.entity_id.in_(batch))
        )
    rows = [
        {"entity_id": e, "canonical_id": c, "updated_at": now} for e, c in sorted(changed.items())
    ]
    if rows:
        conn.execute(resolution_canonical.insert(), rows)
    return Recomputed(len(changed), len(restored), len(set(wanted.values())))


def _write(
    conn: Connection, canonical: str, entities: list[str], dataset: str | None = None
) -> int:
    """Give the statements (and indexed names) of ``entities`` the id ``canonical``, only
    those of ``dataset`` when it is given; the number of statements changed."""
    where = of_entities(entities)
    if dataset is not None:
        where = and_(where, statement.c.dataset == dataset)
    changed = conn.execute(
        update(statement)
        .where(where, statement.c.canonical_id != canonical)
        .values(canonical_id=canonical)
    ).rowcount
    ids = select(statement.c.id).where(where)
    conn.execute(
        update(name_index)
        .where(name_index.c.statement_id.in_(ids), name_index.c.entity_id != canonical)
        .values(entity_id=canonical)
    )
    return changed


def reapply(conn: Connection, dataset: str | None = None) -> int:
    """Give statements added since the last merge (an import of more about a merged
    entity) their cluster's id; the number of statements changed."""
    merged = stored(conn)
    changed = 0
    targets: dict[str, list[str]] = {}
    for entity, canonical in merged.items():
        targets.setdefault(canonical, []).append(entity)
    for canonical, entities in sorted(targets.items()):
        for batch in chunks(sorted(entities)):
            changed += _write(conn, canonical, batch, dataset)
    return changed


def canonical_of(conn: Connection, entity_id: str) -> str:
    """The id of the entity ``entity_id`` was merged into (itself when it was not)."""
    found = conn.execute(
        select(resolution_canonical.c.canonical_id).where(
            resolution_canonical.c.entity_id == entity_id
        )
    ).scalar()
    return str(found) if found is not None else entity_id


def members(conn: Connection, canonical_id: str) -> list[str]:
    """The entities merged into ``canonical_id`` (itself included), by id; [] if none."""
    rows = conn.execute(
        select(resolution_canonical.c.entity_id)
        .where(resolution_canonical.c.canonical_id == canonical_id)
        .order_by(resolution_canonical.c.entity_id)
    )
    return [r[0] for r in rows]
