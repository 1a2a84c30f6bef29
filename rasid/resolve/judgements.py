"""The judgement queue: pairs the engine proposed, and what people decided about them.

A run stores its proposals (``record_proposals``): a new pair is ``proposed``; a pair still
undecided takes the new score and explanation; a judged pair keeps its status (and the
evidence it was judged on). People judge a pair ``same``, ``not_same`` or ``unsure``
(``judge``), with their name, the time and a reason; ``undo`` marks their last judgement
undone. The history is append-only: nothing is deleted, an undo only stamps the judgement
it takes back, and a pair's status is always its last judgement still standing (or
``proposed``). Every judgement and undo is in the audit log, in the same transaction.

A user sees and judges only pairs both of whose records come from datasets they may read
(``readable``, the policy's ``Visibility``; None: the command line, which sees all).

Decisions are data: ``export_judgements`` writes each pair's standing judgement by a
person, and ``apply_judgements`` takes such lines on another database; applying them
twice changes nothing the second time.
"""

import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from rasid.access import audit
from rasid.model.markings import Marking
from rasid.resolve import canonical
from rasid.resolve.errors import ResolveError, UnknownPair
from rasid.resolve.model import Pair, Status
from rasid.store.statements import utcnow
from rasid.store.tables import resolution_judgement, resolution_pair
from rasid.store.visibility import Visibility

AMBER_STRICT = Marking.AMBER_STRICT.value

RULE_ACTOR = "rule:auto-accept"
"""Who the history names for the auto-accept rule's judgements."""
JUDGEMENTS = (Status.SAME, Status.NOT_SAME, Status.UNSURE)
REASON_MAX = 2000
JUDGEMENT_WORDS = {"same": Status.SAME, "not-same": Status.NOT_SAME, "not_same": Status.NOT_SAME}


@dataclass(frozen=True)
class JudgementRecord:
    """One judgement in a pair's history."""

    id: int
    judgement: Status
    by: str
    at: datetime
    reason: str
    undone_at: datetime | None
    undone_by: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "judgement": str(self.judgement),
            "by": self.by,
            "at": self.at,
            "reason": self.reason,
            "undone_at": self.undone_at,
            "undone_by": self.undone_by,
        }


@dataclass(frozen=True)
class PairRecord:
    """A stored pair: the proposal, where it stands and (when asked for) its history."""

    left_id: str
    right_id: str
    left_dataset: str
    right_dataset: str
    score: float
    explanation: list[dict[str, Any]]
    shared_identifiers: list[tuple[str, str]]
    status: Status
    proposed_at: datetime
    updated_at: datetime
    run_id: str | None
    history: tuple[JudgementRecord, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (history included when it was loaded)."""
        return {
            "left_id": self.left_id,
            "right_id": self.right_id,
            "left_dataset": self.left_dataset,
            "right_dataset": self.right_dataset,
            "score": self.score,
            "explanation": self.explanation,
            "shared_identifiers": [list(i) for i in self.shared_identifiers],
            "status": str(self.status),
            "proposed_at": self.proposed_at,
            "updated_at": self.updated_at,
            "run_id": self.run_id,
            "history": [j.to_dict() for j in self.history],
        }


def ordered(left: str, right: str) -> tuple[str, str]:
    """A pair's ids in their stored order (the smaller first); ResolveError for one id."""
    if left == right:
        raise ResolveError(
            f"a pair needs two different records, got {left!r} twice",
            arabic=f"يحتاج الزوج إلى سجلين مختلفين، وقد ورد {left!r} مرتين",
        )
    return (left, right) if left < right else (right, left)


def parse_judgement(value: str) -> Status:
    """``same``, ``not-same`` (or ``not_same``) or ``unsure``; ResolveError otherwise."""
    word = value.strip().lower()
    found = JUDGEMENT_WORDS.get(word) or (Status.UNSURE if word == "unsure" else None)
    if found is None:
        raise ResolveError(
            f"unknown judgement {value!r}: same, not-same or unsure",
            arabic=f"حكم غير معروف {value!r}: الحكم same أو not-same أو unsure",
        )
    return found


# Proposals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """What storing a run's proposals did."""

    new: int = 0  # pairs proposed for the first time
    updated: int = 0  # undecided pairs given the new score
    kept: int = 0  # judged pairs, left as they were


def record_proposals(
    conn: Connection,
    pairs: Iterable[Pair],
    datasets: Mapping[str, str],
    run_id: str | None = None,
    now: datetime | None = None,
    strict: Collection[str] = (),
) -> Stored:
    """Store a run's proposals. ``datasets`` names the dataset of each record
    (``Record.entity_id`` to ``Record.dataset``: a record is one dataset's view);
    ``strict``, the records built with TLP:AMBER+STRICT statements."""
    now = now or utcnow()
    strict = frozenset(strict)
    known = {
        (r.left_id, r.right_id): r.status
        for r in conn.execute(
            select(resolution_pair.c.left_id, resolution_pair.c.right_id, resolution_pair.c.status)
        )
    }
    new: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for pair in pairs:
        status = known.get((pair.left_id, pair.right_id))
        row = _proposal_row(pair, datasets, run_id, now)
        row["strict"] = pair.left_id in strict or pair.right_id in strict
        if status is None:
            new.append(row | {"status": str(Status.PROPOSED), "proposed_at": now})
            known[(pair.left_id, pair.right_id)] = Status.PROPOSED
        elif status == Status.PROPOSED:
            fresh.append(row)
        else:
            kept.append({"b_left": pair.left_id, "b_right": pair.right_id, "run_id": run_id})
    if new:
        conn.execute(resolution_pair.insert(), new)
    _update_many(conn, fresh, ("left_dataset", "right_dataset", "score", "explanation",
                               "shared_identifiers", "updated_at", "run_id", "strict"))  # fmt: skip
    _update_many(conn, kept, ("run_id",))
    return Stored(len(new), len(fresh), len(kept))


def _proposal_row(
    pair: Pair, datasets: Mapping[str, str], run_id: str | None, now: datetime
) -> dict[str, Any]:
    return {
        "left_id": pair.left_id,
        "right_id": pair.right_id,
        "left_dataset": datasets.get(pair.left_id, ""),
        "right_dataset": datasets.get(pair.right_id, ""),
        "score": float(pair.score),
        "explanation": json.dumps([asdict(r) for r in pair.explanation], ensure_ascii=False),
        "shared_identifiers": json.dumps([list(i) for i in pair.shared_identifiers]),
        "updated_at": now,
        "run_id": run_id,
    }


def _update_many(conn: Connection, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Update the pairs of ``rows`` (keys left_id/right_id or b_left/b_right), one statement."""
    if not rows:
        return
    if "b_left" not in rows[0]:
        rows = [{"b_left": r["left_id"], "b_right": r["right_id"], **r} for r in rows]
    values: dict[str, Any] = {c: bindparam(c) for c in columns}
    statement = (
        update(resolution_pair)
        .where(
            resolution_pair.c.left_id == bindparam("b_left"),
            resolution_pair.c.right_id == bindparam("b_right"),
        )
        .values(values)
    )
    keep = ("b_left", "b_right", *columns)
    conn.execute(statement, [{k: r[k] for k in keep} for r in rows])


# Reading ---------------------------------------------------------------------------------


def visible_pairs(readable: Visibility | None) -> ColumnElement[bool] | None:
    """Pairs whose both records come from datasets the reader may read (None: all).

    The engine never reads what a share withholds from everyone (TLP:RED, the no-sharing
    handling code, masked data: see rasid.resolve.records), but it does read TLP:AMBER+STRICT
    statements, which a dataset shared with every agency withholds from them: a pair built
    with such statements (``strict``) is shown only to readers of its datasets that see
    them."""
    if readable is None:
        return None
    sees_strict = set(readable.whole) | {
        name for name, withheld in readable.partial.items() if AMBER_STRICT not in withheld
    }
    names = sorted(readable.datasets)
    full = sorted(sees_strict)
    pair = resolution_pair.c
    return (
        pair.left_dataset.in_(names)
        & pair.right_dataset.in_(names)
        & (~pair.strict | (pair.left_dataset.in_(full) & pair.right_dataset.in_(full)))
    )


def _pair(row: Any, history: tuple[JudgementRecord, ...] = ()) -> PairRecord:
    return PairRecord(
        left_id=row.left_id,
        right_id=row.right_id,
        left_dataset=row.left_dataset,
        right_dataset=row.right_dataset,
        score=row.score,
        explanation=json.loads(row.explanation),
        shared_identifiers=[(k, v) for k, v in json.loads(row.shared_identifiers)],
        status=Status(row.status),
        proposed_at=row.proposed_at,
        updated_at=row.updated_at,
        run_id=row.run_id,
        history=history,
    )


def history(conn: Connection, left: str, right: str) -> tuple[JudgementRecord, ...]:
    """Every judgement on a pair, oldest first (the undone ones too)."""
    rows = conn.execute(
        select(resolution_judgement)
        .where(resolution_judgement.c.left_id == left, resolution_judgement.c.right_id == right)
        .order_by(resolution_judgement.c.id)
    )
    return tuple(
        JudgementRecord(
            r.id, Status(r.judgement), r.by_user, r.at, r.reason, r.undone_at, r.undone_by
        )
        for r in rows
    )


def get_pair(
    conn: Connection, left: str, right: str, readable: Visibility | None = None
) -> PairRecord:
    """One pair with its history; UnknownPair when there is none the reader may see."""
    left, right = ordered(left, right)
    query = select(resolution_pair).where(
        resolution_pair.c.left_id == left, resolution_pair.c.right_id == right
    )
    visible = visible_pairs(readable)
    if visible is not None:
        query = query.where(visible)
    row = conn.execute(query).first()
    if row is None:
        raise UnknownPair(f"no pair {left} / {right}", arabic=f"لا يوجد زوج {left} / {right}")
    return _pair(row, history(conn, left, right))


@dataclass(frozen=True)
class QueueFilter:
    """Which pairs a queue lists."""

    statuses: tuple[Status, ...] = ()  # none: every status
    dataset: str | None = None  # one side from this dataset
    min_score: float | None = None
    max_score: float | None = None
    entity: str | None = None  # one side is this record


def _filtered(query: Any, where: QueueFilter, readable: Visibility | None) -> Any:
    pair = resolution_pair.c
    if where.statuses:
        query = query.where(pair.status.in_([str(s) for s in where.statuses]))
    if where.dataset:
        query = query.where(
            (pair.left_dataset == where.dataset) | (pair.right_dataset == where.dataset)
        )
    if where.min_score is not None:
        query = query.where(pair.score >= where.min_score)
    if where.max_score is not None:
        query = query.where(pair.score <= where.max_score)
    if where.entity:
        query = query.where((pair.left_id == where.entity) | (pair.right_id == where.entity))
    visible = visible_pairs(readable)
    return query if visible is None else query.where(visible)


def list_pairs(
    conn: Connection,
    where: QueueFilter = QueueFilter(),
    readable: Visibility | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[PairRecord]:
    """The queue: proposed pairs first, best score first, then the others by score."""
    pair = resolution_pair.c
    first = case((pair.status == str(Status.PROPOSED), 0), else_=1)
    query = _filtered(select(resolution_pair), where, readable)
    query = query.order_by(first, pair.score.desc(), pair.left_id, pair.right_id)
    return [_pair(r) for r in conn.execute(query.limit(limit).offset(offset))]


def iter_pairs(
    conn: Connection, where: QueueFilter = QueueFilter(), readable: Visibility | None = None
) -> Iterator[PairRecord]:
    """Every pair of the queue, in its order, a page at a time."""
    offset = 0
    while True:
        page = list_pairs(conn, where, readable, 1000, offset)
        yield from page
        if len(page) < 1000:
            return
        offset += 1000


def count_by_status(
    conn: Connection, readable: Visibility | None = None, where: QueueFilter = QueueFilter()
) -> dict[str, int]:
    """How many pairs each status holds (every status named, zero included)."""
    query = _filtered(
        select(resolution_pair.c.status, func.count()).group_by(resolution_pair.c.status),
        QueueFilter(dataset=where.dataset, min_score=where.min_score, max_score=where.max_score),
        readable,
    )
    counts = {str(s): 0 for s in Status}
    counts.update({status: n for status, n in conn.execute(query)})
    return counts


# Judging ---------------------------------------------------------------------------------


def standing(history: Iterable[JudgementRecord]) -> Status:
    """A pair's status: its last judgement not undone, else proposed."""
    last = [j for j in history if j.undone_at is None]
    return last[-1].judgement if last else Status.PROPOSED


def judge(
    conn: Connection,
    left: str,
    right: str,
    judgement: Status | str,
    user: str,
    reason: str = "",
    *,
    readable: Visibility | None = None,
    agency: str | None = None,
    at: datetime | None = None,
) -> PairRecord:
    """Record a person's judgement on a pair and recompute canonical ids.

    ``same`` is refused when it would merge records a person judged not the same;
    ``not_same`` when people's ``same`` judgements already join the two (undo those
    first); a person's ``not_same`` wins over the auto-accept rule."""
    decided = parse_judgement(judgement) if isinstance(judgement, str) else judgement
    if decided not in JUDGEMENTS:
        raise ResolveError(
            f"a person judges same, not_same or unsure, not {decided}",
            arabic=f"يحكم الشخص بـ same أو not_same أو unsure، وليس بـ {decided}",
        )
    user, reason = user.strip(), " ".join(reason.split())
    if not user:
        raise ResolveError(
            "a judgement needs the name of who judges",
            arabic="يحتاج الحكم إلى اسم من يصدره",
        )
    if len(reason) > REASON_MAX:
        raise ResolveError(
            f"the reason is longer than {REASON_MAX} characters",
            arabic=f"السبب أطول من {REASON_MAX} حرف",
        )
    found = get_pair(conn, left, right, readable)
    judged = canonical.load_judged(conn)
    if decided == Status.SAME:
        canonical.check_same(judged, found.left_id, found.right_id)
    elif decided == Status.NOT_SAME:
        canonical.check_not_same(judged, found.left_id, found.right_id)
    now = at or utcnow()
    _add_judgement(conn, found, decided, user, reason, now)
    audit.append(
        conn,
        user,
        "resolve.judge",
        f"pair:{found.left_id}|{found.right_id}",
        agency=agency,
        detail={
            "from": str(found.status),
            "to": str(decided),
            "reason": reason,
            "score": found.score,
            "datasets": sorted({found.left_dataset, found.right_dataset}),
        },
    )
    _settle(conn, found.status, decided)
    return get_pair(conn, found.left_id, found.right_id)


def _add_judgement(
    conn: Connection, pair: PairRecord, judgement: Status, by: str, reason: str, at: datetime
) -> None:
    conn.execute(
        resolution_judgement.insert().values(
            left_id=pair.left_id,
            right_id=pair.right_id,
            judgement=str(judgement),
            by_user=by,
            at=at,
            reason=reason,
        )
    )
    _set_status(conn, pair.left_id, pair.right_id, judgement, at)


def _set_status(conn: Connection, left: str, right: str, status: Status, at: datetime) -> None:
    conn.execute(
        update(resolution_pair)
        .where(resolution_pair.c.left_id == left, resolution_pair.c.right_id == right)
        .values(status=str(status), updated_at=at)
    )


MERGING = frozenset({Status.SAME, Status.AUTO, Status.NOT_SAME})


def _settle(conn: Connection, before: Status, after: Status) -> None:
    """Recompute canonical ids when a change of status can change clusters."""
    if before != after and (before in MERGING or after in MERGING):
        canonical.recompute(conn)


def undo(
    conn: Connection,
    left: str,
    right: str,
    user: str,
    *,
    readable: Visibility | None = None,
    agency: str | None = None,
) -> PairRecord:
    """Take back the last standing judgement of a person on a pair: it stays in the history
    stamped undone (by whom, when) and the pair goes back to the judgement before it (or to
    proposed). The rule's acceptances are taken back with ``rasid resolve auto --undo``."""
    user = user.strip()
    if not user:
        raise ResolveError(
            "an undo needs the name of who takes the judgement back",
            arabic="يحتاج التراجع إلى اسم من يتراجع عن الحكم",
        )
    found = get_pair(conn, left, right, readable)
    standing_ = [j for j in found.history if j.undone_at is None]
    if not standing_:
        raise ResolveError(
            f"nothing to undo on {found.left_id} / {found.right_id}",
            arabic=f"لا حكم يمكن التراجع عنه في الزوج {found.left_id} / {found.right_id}",
        )
    last = standing_[-1]
    if last.by == RULE_ACTOR:
        raise ResolveError(
            "the auto-accept rule accepted this pair: judge it (a person's not_same wins "
            "over the rule) or take the rule back with `rasid resolve auto --undo`",
            arabic="قبلت قاعدة القبول التلقائي هذا الزوج: احكم فيه (حكم الشخص بأنهما ليسا "
            "نفسه يتقدّم على القاعدة) أو تراجع عن القاعدة بالأمر `rasid resolve auto --undo`",
        )
    now = utcnow()
    conn.execute(
        update(resolution_judgement)
        .where(resolution_judgement.c.id == last.id)
        .values(undone_at=now, undone_by=user)
    )
    after = standing(j for j in standing_[:-1])
    _set_status(conn, found.left_id, found.right_id, after, now)
    audit.append(
        conn,
        user,
        "resolve.undo",
        f"pair:{found.left_id}|{found.right_id}",
        agency=agency,
        detail={"undone": last.id, "judgement": str(last.judgement), "to": str(after)},
    )
    _settle(conn, found.status, after)
    return get_pair(conn, found.left_id, found.right_id)


# Decisions as data -----------------------------------------------------------------------


def export_judgements(conn: Connection) -> Iterator[dict[str, Any]]:
    """Each pair's standing judgement by a person, one dict per pair (by ids): the pair,
    its datasets and score, the judgement, who, when and why."""
    rows = conn.execute(
        select(resolution_judgement, resolution_pair)
        .join(
            resolution_pair,
            (resolution_pair.c.left_id == resolution_judgement.c.left_id)
            & (resolution_pair.c.right_id == resolution_judgement.c.right_id),
        )
        .where(resolution_judgement.c.undone_at.is_(None))
        .order_by(
            resolution_judgement.c.left_id,
            resolution_judgement.c.right_id,
            resolution_judgement.c.id,
        )
    ).all()
    last: dict[tuple[str, str], Any] = {}
    for row in rows:
        last[(row.left_id, row.right_id)] = row
    for row in last.values():
        if row.by_user == RULE_ACTOR:
            continue  # the rule's acceptances follow from the rule, not from a person
        yield {
            "left_id": row.left_id,
            "right_id": row.right_id,
            "left_dataset": row.left_dataset,
            "right_dataset": row.right_dataset,
            "score": row.score,
            "judgement": row.judgement,
            "user": row.by_user,
            "at": row.at.isoformat(),
            "reason": row.reason,
        }


@dataclass
class Applied:
    """What applying exported judgements did."""

    applied: int = 0  # judgements taken
    unchanged: int = 0  # the pair already stood so
    created: int = 0  # pairs this database had not proposed, added to take the judgement
    refused: list[str] = field(default_factory=list)  # "line N: why"


def apply_judgements(
    conn: Connection, lines: Iterable[tuple[int, dict[str, Any]]], actor: str
) -> Applied:
    """Take exported judgements (line number, object) on this database. A pair already
    standing as the line says is left alone, so applying a file twice changes nothing; a
    judgement this database refuses (a conflict, a bad line) is reported, not taken."""
    done = Applied()
    for number, line in lines:
        try:
            _apply_one(conn, line, done)
        except (ResolveError, KeyError, TypeError, ValueError) as exc:
            done.refused.append(f"line {number}: {exc}")
    audit.append(
        conn,
        actor,
        "resolve.apply",
        "judgements",
        detail={
            "applied": done.applied,
            "unchanged": done.unchanged,
            "created": done.created,
            "refused": len(done.refused),
        },
    )
    return done


def _apply_one(conn: Connection, line: dict[str, Any], done: Applied) -> None:
    left, right = ordered(str(line["left_id"]), str(line["right_id"]))
    judgement = parse_judgement(str(line["judgement"]))
    at = datetime.fromisoformat(str(line["at"])) if line.get("at") else None
    try:
        found = get_pair(conn, left, right)
    except UnknownPair:
        datasets = {
            left: str(line.get("left_dataset", "")),
            right: str(line.get("right_dataset", "")),
        }
        pair = Pair(left, right, float(line.get("score", 0.0)))
        record_proposals(conn, [pair], datasets)
        done.created += 1
        found = get_pair(conn, left, right)
    if found.status == judgement:
        done.unchanged += 1
        return
    judge(conn, left, right, judgement, str(line["user"]), str(line.get("reason", "")), at=at)
    done.applied += 1
