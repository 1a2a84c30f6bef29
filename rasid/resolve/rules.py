"""The auto-accept rule: identical strong identifiers make two records one entity.

Two records sharing a strong identifier of a configured kind (``RASID_RESOLVE_AUTO_ACCEPT``,
e.g. ``document,account``: the same passport number from the same issuing state, the same
IBAN) are accepted as ``auto``: the history records the rule as their judge, with the
identifiers as the reason. The rule only ever takes a pair still ``proposed``: a pair a
person judged keeps their judgement, and a person's ``not_same`` wins over the rule (the
rule's pairs never merge clusters a ``not_same`` holds apart, see
``rasid.resolve.canonical``).

The rule is reversible: ``apply_rule`` first takes back the acceptances the configured kinds
no longer justify (an empty setting takes them all back), ``undo_rule`` takes every one back;
either way the pairs return to where they stood before (``proposed``), the acceptances stay
in the history stamped undone, and canonical ids are recomputed.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from rasid.access import audit
from rasid.resolve import canonical
from rasid.resolve.errors import ResolveError
from rasid.resolve.judgements import RULE_ACTOR, history, standing
from rasid.resolve.model import IDENTIFIER_KINDS, Status
from rasid.settings import get_settings
from rasid.store.statements import utcnow
from rasid.store.tables import resolution_judgement, resolution_pair


def auto_kinds(setting: str | None = None) -> frozenset[str]:
    """The identifier kinds the rule accepts on (``RASID_RESOLVE_AUTO_ACCEPT`` unless given);
    ResolveError for a kind that is not a strong identifier."""
    text = get_settings().resolve_auto_accept if setting is None else setting
    kinds = frozenset(k.strip().lower() for k in text.split(",") if k.strip())
    unknown = sorted(kinds - set(IDENTIFIER_KINDS))
    if unknown:
        raise ResolveError(
            f"unknown identifier kind {', '.join(unknown)} for the auto-accept rule: "
            f"{', '.join(IDENTIFIER_KINDS)}",
            arabic=f"نوع معرّف غير معروف لقاعدة القبول التلقائي: {'، '.join(unknown)}؛ "
            f"الأنواع المقبولة: {'، '.join(IDENTIFIER_KINDS)}",
        )
    return kinds


@dataclass(frozen=True)
class RuleResult:
    """What a pass of the rule did."""

    accepted: int
    reverted: int


def _reason(shared: list[tuple[str, str]], kinds: frozenset[str]) -> str:
    found = [f"{k} {v}" for k, v in shared if k in kinds]
    return "identical strong identifiers: " + ", ".join(found) if found else ""


def apply_rule(
    conn: Connection, kinds: frozenset[str], actor: str, now: datetime | None = None
) -> RuleResult:
    """Take back the rule's acceptances ``kinds`` no longer justify, accept the proposed
    pairs they do, and recompute canonical ids when anything changed."""
    now = now or utcnow()
    reverted = _revert(conn, lambda shared: not _reason(shared, kinds), actor, now)
    accepted = 0
    rows = conn.execute(
        select(
            resolution_pair.c.left_id,
            resolution_pair.c.right_id,
            resolution_pair.c.shared_identifiers,
        )
        .where(
            resolution_pair.c.status == str(Status.PROPOSED),
            resolution_pair.c.shared_identifiers != "[]",
        )
        .order_by(resolution_pair.c.left_id, resolution_pair.c.right_id)
    ).all()
    for left, right, text in rows:
        reason = _reason([(k, v) for k, v in json.loads(text)], kinds)
        if reason:
            _accept(conn, left, right, reason, now)
            accepted += 1
    if accepted or reverted:
        canonical.recompute(conn, now)
        audit.append(
            conn,
            actor,
            "resolve.auto",
            "rule",
            detail={"kinds": sorted(kinds), "accepted": accepted, "reverted": reverted},
        )
    return RuleResult(accepted, reverted)


def undo_rule(conn: Connection, actor: str, now: datetime | None = None) -> RuleResult:
    """Take back every acceptance of the rule and recompute canonical ids."""
    now = now or utcnow()
    reverted = _revert(conn, lambda shared: True, actor, now)
    if reverted:
        canonical.recompute(conn, now)
    audit.append(conn, actor, "resolve.auto.undo", "rule", detail={"reverted": reverted})
    return RuleResult(0, reverted)


def _accept(conn: Connection, left: str, right: str, reason: str, now: datetime) -> None:
    conn.execute(
        resolution_judgement.insert().values(
            left_id=left,
            right_id=right,
            judgement=str(Status.AUTO),
            by_user=RULE_ACTOR,
            at=now,
            reason=reason,
        )
    )
    _status(conn, left, right, Status.AUTO, now)


def _status(conn: Connection, left: str, right: str, status: Status, now: datetime) -> None:
    conn.execute(
        update(resolution_pair)
        .where(resolution_pair.c.left_id == left, resolution_pair.c.right_id == right)
        .values(status=str(status), updated_at=now)
    )


def _revert(
    conn: Connection,
    unjustified: Callable[[list[tuple[str, str]]], bool],
    actor: str,
    now: datetime,
) -> int:
    """Stamp undone the rule's standing acceptances of the pairs ``unjustified`` picks (by
    their shared identifiers); each pair takes the status of what then stands."""
    rows = conn.execute(
        select(resolution_judgement.c.id, resolution_pair)
        .join(
            resolution_pair,
            (resolution_pair.c.left_id == resolution_judgement.c.left_id)
            & (resolution_pair.c.right_id == resolution_judgement.c.right_id),
        )
        .where(
            resolution_judgement.c.by_user == RULE_ACTOR,
            resolution_judgement.c.undone_at.is_(None),
        )
    ).all()
    count = 0
    for row in rows:
        if not unjustified([(k, v) for k, v in json.loads(row.shared_identifiers)]):
            continue
        conn.execute(
            update(resolution_judgement)
            .where(resolution_judgement.c.id == row[0])
            .values(undone_at=now, undone_by=actor)
        )
        _status(
            conn, row.left_id, row.right_id, standing(history(conn, row.left_id, row.right_id)), now
        )
        count += 1
    return count
