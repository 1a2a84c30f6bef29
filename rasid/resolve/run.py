"""A resolution run: read the records, let the engine propose, store the proposals, apply
the auto-accept rule and recompute canonical ids, all in the caller's transaction.

The run is recorded (``resolution_run``, with its statistics) and in the audit log.
"""

import json
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection

from rasid.access import audit
from rasid.resolve import canonical
from rasid.resolve.engine import WEIGHTS, Stats, propose
from rasid.resolve.errors import ResolveError
from rasid.resolve.judgements import record_proposals
from rasid.resolve.records import load_records
from rasid.resolve.rules import apply_rule, auto_kinds
from rasid.store.statements import utcnow
from rasid.store.tables import resolution_run


@dataclass(frozen=True)
class RunResult:
    """What a run did: the engine's statistics, then what the queue and the rule made of
    them."""

    id: str
    records: int
    candidates: int
    proposed: int
    new: int
    updated: int
    kept: int
    auto_accepted: int
    auto_reverted: int
    skipped_blocks: int
    clusters: int
    seconds: float
    weights: str  # "learned" or "fixed"
    weights_note: str  # how they were learned, or why fixed ones were used
    # The learned weights (rasid.resolve.weights.Weights.to_dict), or empty.
    learned: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


def resolve(
    conn: Connection,
    actor: str,
    datasets: Collection[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    kinds: frozenset[str] | None = None,
    weights: str = WEIGHTS[0],
) -> RunResult:
    """Resolve the records of ``datasets`` (every dataset when None), the evidence weighed
    as ``weights`` says (``learned`` or ``fixed``, see ``rasid.resolve.engine``). The run's
    record keeps the learned weights, if any."""
    if weights not in WEIGHTS:
        raise ResolveError(
            f"unknown weights {weights!r}: {', '.join(WEIGHTS)}",
            arabic=f"أوزان غير معروفة: {weights}؛ المقبولة: {'، '.join(WEIGHTS)}",
        )
    started, clock = utcnow(), time.perf_counter()
    kinds = auto_kinds() if kinds is None else kinds
    records = load_records(conn, datasets)
    dataset_of: dict[str, str] = {}
    for record in records:
        dataset_of.setdefault(record.entity_id, record.dataset)
    stats = Stats()
    run_id = uuid.uuid4().hex
    pairs = propose(records, progress=progress, stats=stats, weights=weights)
    strict = {r.entity_id for r in records if r.strict}
    stored = record_proposals(conn, pairs, dataset_of, run_id, started, strict)
    rule = apply_rule(conn, kinds, actor, started)
    clusters = canonical.recompute(conn).clusters
    result = RunResult(
        id=run_id,
        records=stats.records,
        candidates=stats.candidates,
        proposed=stats.proposed,
        new=stored.new,
        updated=stored.updated,
        kept=stored.kept,
        auto_accepted=rule.accepted,
        auto_reverted=rule.reverted,
        skipped_blocks=stats.skipped_blocks,
        clusters=clusters,
        seconds=round(time.perf_counter() - clock, 3),
        weights=stats.weights,
        weights_note=stats.weights_note,
        learned=stats.learned,
    )
    names = sorted(datasets or [])
    conn.execute(
        resolution_run.insert().values(
            id=run_id,
            started_at=started,
            finished_at=utcnow(),
            actor=actor,
            datasets=json.dumps(names),
            stats=json.dumps(result.to_dict()),
        )
    )
    summary = {k: v for k, v in result.to_dict().items() if k != "learned"}
    audit.append(conn, actor, "resolve.run", run_id, detail={"datasets": names, **summary})
    return result
