"""The review queue: screening results become hits, and people decide on them.

A hit is a proposal, never a verdict. The queue records what the matcher proposed (score and
reasons) and what people decided (who, why, when); it never acts on a subject. Every status
change is a decision with a reviewer and a reason, kept as history:

    new ──> confirmed | dismissed | escalated
    escalated ──> confirmed | dismissed
    confirmed | dismissed ──> new   (reopen)

Re-screening the same subject keeps the queue free of duplicates (see ``record_results``).
The functions take the caller's connection and never commit: the unit of work does.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from rasid.access import audit
from rasid.model.keys import content_key
from rasid.model.text import normalize_text
from rasid.screen.errors import ScreenError, UnknownHit
from rasid.screen.model import Match, Reason, Subject
from rasid.store.statements import _insert, utcnow
from rasid.store.tables import hit, hit_decision, screening_subject
from rasid.store.visibility import Masker, masker

REVIEWER_MAX = 255  # the width of hit_decision.reviewer
SCORE_DIGITS = 4  # scores are compared as they are shown (Match.to_dict rounds to 4 places)


class HitStatus(StrEnum):
    """Where a hit stands in the review queue."""

    NEW = "new"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ESCALATED = "escalated"


# The statuses as an Arabic refusal names them (a hit, نتيجة, is feminine).
STATUS_AR = {
    HitStatus.NEW: "جديدة",
    HitStatus.CONFIRMED: "مؤكَّدة",
    HitStatus.DISMISSED: "مستبعَدة",
    HitStatus.ESCALATED: "مُحالة",
}
OPEN = frozenset({HitStatus.NEW, HitStatus.ESCALATED})
# The allowed status changes. Going back to new is a reopening, for a supervisor: the person
# deciding is recorded, and the role check arrives with sign-in (rasid.access).
TRANSITIONS: dict[HitStatus, tuple[HitStatus, ...]] = {
    HitStatus.NEW: (HitStatus.CONFIRMED, HitStatus.DISMISSED, HitStatus.ESCALATED),
    HitStatus.ESCALATED: (HitStatus.CONFIRMED, HitStatus.DISMISSED),
    HitStatus.CONFIRMED: (HitStatus.NEW,),
    HitStatus.DISMISSED: (HitStatus.NEW,),
}


@dataclass(frozen=True)
class ScreenedSubject:
    """A subject as the queue keeps it: the facts it was last screened with."""

    id: str
    source: str
    external_id: str | None
    name: str
    birth_date: str | None
    nationality: str | None
    gender: str | None
    document_number: str | None
    first_screened: datetime
    last_screened: datetime
    dataset: str | None = None  # the dataset the subject's data comes from, if any

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (timestamps in ISO 8601, UTC)."""
        data = dict(vars(self))
        data["first_screened"] = self.first_screened.isoformat()
        data["last_screened"] = self.last_screened.isoformat()
        return data


@dataclass(frozen=True)
class DecisionRecord:
    """One status change of a hit: from what to what, by whom, why and when."""

    id: int
    from_status: HitStatus
    to_status: HitStatus
    reviewer: str
    reason: str
    decided_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "from_status": str(self.from_status),
            "to_status": str(self.to_status),
            "reviewer": self.reviewer,
            "reason": self.reason,
            "decided_at": self.decided_at.isoformat(),
        }


@dataclass(frozen=True)
class HitRecord:
    """A hit: a watchlist entity proposed for a screened subject, with the reasons for its
    score, its status in the queue and (when loaded) the decisions taken on it."""

    id: int
    subject: ScreenedSubject
    entity_id: str
    watchlist: str | None
    score: float
    alert: bool
    matched_name: str
    explanation: tuple[Reason, ...]
    status: HitStatus
    created_at: datetime
    updated_at: datetime
    history: tuple[DecisionRecord, ...] | None = None  # None: not loaded (listings)
    kind: str = "name"  # name, document or rule: what was matched (see Match.kind)

    @property
    def next_statuses(self) -> tuple[HitStatus, ...]:
        """The statuses a decision may move this hit to."""
        return TRANSITIONS[self.status]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by the CLI and the API; ``history`` only when loaded."""
        data: dict[str, Any] = {
            "id": self.id,
            "subject": self.subject.to_dict(),
            "kind": self.kind,
            "entity_id": self.entity_id,
            "watchlist": self.watchlist,
            "score": round(self.score, SCORE_DIGITS),
            "alert": self.alert,
            "matched_name": self.matched_name,
            "explanation": [_reason_dict(r) for r in self.explanation],
            "status": str(self.status),
            "next_statuses": [str(s) for s in self.next_statuses],
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }
        if self.history is not None:
            data["history"] = [d.to_dict() for d in self.history]
        return data


def _reason_dict(reason: Reason) -> dict[str, Any]:
    found: dict[str, Any] = {
        "feature": reason.feature,
        "detail": reason.detail,
        "effect": round(reason.effect, SCORE_DIGITS),
    }
    if reason.code:  # what the pages word in the reader's language (rasid.screen.wording)
        found["code"] = reason.code
        found["args"] = dict(reason.args)
    return found


def _reason(data: dict[str, Any]) -> Reason:
    """A step of a stored explanation (those stored before steps had codes have none)."""
    args = tuple((str(k), str(v)) for k, v in (data.get("args") or {}).items())
    return Reason(data["feature"], data["detail"], data["effect"], data.get("code", ""), args)


def subject_key(subject: Subject, source: str) -> str:
    """The content key of a screened subject: the same subject screened again gets the same key.

    With an id, the subject is the caller's record: the key is the source and that id, so a
    batch file screened again maps line ids to the same subjects even if a name was
    corrected, and the same id in two sources names two subjects. Without an id (blank),
    the subject is what is known about it: the normalised name (Arabic and Latin spelling
    variants folded), birth date, nationality and document number. Gender is left out: it
    adds little to tell people apart and is often missing or coded differently.
    """
    if subject.id.strip():
        parts = ["ref", source, subject.id.strip()]
    else:
        parts = [
            "facts",
            normalize_text(subject.name),
            (subject.birth_date or "").strip(),
            (subject.nationality or "").strip().casefold(),
            "".join(normalize_text(subject.document_number or "").split()).upper(),
        ]
    return content_key(*parts)


SUBJECT_FACTS = (
    "source", "external_id", "name", "birth_date", "nationality", "gender", "document_number",
    "last_screened", "dataset",
)  # fmt: skip


def _subject_row(
    subject: Subject, source: str, now: datetime, dataset: str | None = None
) -> dict[str, Any]:
    return {
        "id": subject_key(subject, source),
        "source": source,
        "external_id": subject.id.strip() or None,
        "name": subject.name,
        "birth_date": subject.birth_date,
        "nationality": subject.nationality,
        "gender": subject.gender,
        "document_number": subject.document_number,
        "first_screened": now,
        "last_screened": now,
        "dataset": dataset,
    }


def _upsert_subjects(
    conn: Connection, subjects: Sequence[Subject], source: str, dataset: str | None = None
) -> list[str]:
    """Insert the subjects or refresh the facts they were screened with (one statement for
    them all); returns their keys in order."""
    now = utcnow()
    rows = [_subject_row(s, source, now, dataset) for s in subjects]
    ins = _insert(conn, screening_subject)
    update = {column: ins.excluded[column] for column in SUBJECT_FACTS}
    conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=update), rows)
    return [r["id"] for r in rows]


def _upsert_subject(conn: Connection, subject: Subject, source: str) -> str:
    """Insert the subject or refresh the facts it was screened with; returns its key."""
    return _upsert_subjects(conn, [subject], source)[0]


def record_results(
    conn: Connection,
    subject: Subject,
    source: str,
    matches: Sequence[Match],
    watchlist_of: dict[str, str],
) -> list[HitRecord]:
    """Record one screening of ``subject`` in the review queue; return the hits it opened or
    refreshed, in the order of ``matches``.

    Only alerting matches make hits. For each, by the latest hits on the same subject and
    entity:

    - an open hit (new or escalated) exists: it is refreshed (score, name, reasons,
      watchlist, updated_at) and keeps its status and history; no second hit is made;
    - the latest is confirmed: nothing changes, a person has decided already;
    - the latest is dismissed: a new hit is made only if the score rose above the dismissed
      one's (compared at 4 decimal places), i.e. the evidence is stronger than what the
      reviewer saw; the dismissed hit and its history stay as they are;
    - none: a new hit.

    A hit is never closed or withdrawn by an automated result: a later screening that no
    longer alerts leaves open hits to the reviewer. ``watchlist_of`` maps entity ids to
    their dataset (a missing entity gets no watchlist).
    """
    # The subject row is written first: on PostgreSQL its row lock serialises concurrent
    # screenings of one subject, so two of them cannot both open a hit for one entity.
    key = _upsert_subject(conn, subject, source)
    return _load(conn, _record_hits(conn, key, matches, watchlist_of))


def record_batch(
    conn: Connection,
    results: Sequence[tuple[Subject, Sequence[Match]]],
    source: str,
    watchlist_of: dict[str, str],
    dataset: str | None = None,
) -> int:
    """``record_results`` for many subjects screened together: the subjects are written in
    one statement, then the hits of those with an alert. Returns the hits opened or
    refreshed. (Two results for one subject in a batch: the first one's hits are made,
    the second refreshes them.) ``dataset``: where the subjects' data comes from (a hit
    is then shown only to those who may read it)."""
    keys = [subject_key(subject, source) for subject, _ in results]
    unique: dict[str, Subject] = {}
    for key, (subject, _) in zip(keys, results, strict=True):
        unique.setdefault(key, subject)
    if unique:
        _upsert_subjects(conn, list(unique.values()), source, dataset)
    return sum(
        len(_record_hits(conn, key, matches, watchlist_of))
        for key, (_, matches) in zip(keys, results, strict=True)
    )


def _record_hits(
    conn: Connection, subject_id: str, matches: Sequence[Match], watchlist_of: dict[str, str]
) -> list[int]:
    """Open or refresh the hits of one stored subject's alerting matches; their ids."""
    alerting = _best_per_entity(m for m in matches if m.alert)
    latest = _latest_hits(conn, subject_id, [m.entity_id for m in alerting])
    ids: list[int] = []
    for match in alerting:
        hit_id = _apply(conn, subject_id, match, watchlist_of.get(match.entity_id), latest)
        if hit_id is not None:
            ids.append(hit_id)
    return ids


def _best_per_entity(matches: Iterable[Match]) -> list[Match]:
    """One match per entity (the best scored), in their first order."""
    best: dict[str, Match] = {}
    for match in matches:
        if match.entity_id not in best or match.score > best[match.entity_id].score:
            best[match.entity_id] = match
    return list(best.values())


def _latest_hits(conn: Connection, subject_id: str, entity_ids: list[str]) -> dict[str, Any]:
    """For each entity, the hit that decides what a new result does: the newest open hit,
    else the newest hit."""
    if not entity_ids:
        return {}
    query = (
        select(hit.c.id, hit.c.entity_id, hit.c.status, hit.c.score)
        .where(hit.c.subject_id == subject_id, hit.c.entity_id.in_(entity_ids))
        .order_by(hit.c.id)
    )
    found: dict[str, Any] = {}
    for row in conn.execute(query):
        before = found.get(row.entity_id)
        if before is None or row.status in OPEN or before.status not in OPEN:
            found[row.entity_id] = row
    return found


def _apply(
    conn: Connection, subject_id: str, match: Match, watchlist: str | None, latest: dict[str, Any]
) -> int | None:
    """Create or refresh the hit for one alerting match; the hit's id, or None if untouched."""
    now = utcnow()
    values = {
        "watchlist": watchlist,
        "score": match.score,
        "alert": match.alert,
        "matched_name": match.name,
        "kind": match.kind,
        "explanation": json.dumps([_reason_dict(r) for r in match.explanation], ensure_ascii=False),
        "updated_at": now,
    }
    current = latest.get(match.entity_id)
    if current is not None and current.status in OPEN:
        conn.execute(update(hit).where(hit.c.id == current.id).values(**values))
        return int(current.id)
    if current is not None and not _rose(match.score, current):
        return None
    values |= {"subject_id": subject_id, "entity_id": match.entity_id}
    values |= {"status": str(HitStatus.NEW), "created_at": now}
    return int(conn.execute(hit.insert().values(**values).returning(hit.c.id)).scalar_one())


def _rose(score: float, closed: Any) -> bool:
    """True when a closed hit may be followed by a new one: it was dismissed and the score
    rose above the dismissed one's. A confirmed hit is never followed."""
    if closed.status != HitStatus.DISMISSED:
        return False
    return round(score, SCORE_DIGITS) > round(float(closed.score), SCORE_DIGITS)


def decide(
    conn: Connection,
    hit_id: int,
    to_status: str,
    reviewer: str,
    reason: str,
    datasets: Iterable[str] | None = None,
) -> HitRecord:
    """Move a hit to ``to_status`` as ``reviewer`` decided, for ``reason``; return the hit with
    its history.

    The reason and the reviewer are required (not blank). Allowed changes: new to confirmed,
    dismissed or escalated; escalated to confirmed or dismissed; confirmed or dismissed back
    to new (a reopening). Anything else raises ScreenError; an unknown hit, or one on a
    watchlist outside ``datasets`` (None: all), raises UnknownHit.
    """
    target = parse_status(to_status)
    reviewer = _required(reviewer, "reviewer", "اسم المراجع")
    reason = _required(reason, "reason", "السبب")
    if len(reviewer) > REVIEWER_MAX:
        raise ScreenError(
            f"the reviewer's name is longer than {REVIEWER_MAX} characters",
            arabic=f"اسم المراجع أطول من {REVIEWER_MAX} حرفًا",
        )
    current = get_hit(conn, hit_id, datasets)
    _check_transition(current, target)
    now = utcnow()
    # Only if nobody decided meanwhile: the status read above must still be the status.
    changed = conn.execute(
        update(hit)
        .where(hit.c.id == hit_id, hit.c.status == str(current.status))
        .values(status=str(target), updated_at=now)
    )
    if changed.rowcount != 1:
        raise ScreenError(
            f"hit {hit_id} was decided by someone else meanwhile: look again",
            arabic=f"بتّ شخص آخر في النتيجة {hit_id} في هذه الأثناء: اطّلع عليها من جديد",
        )
    conn.execute(
        hit_decision.insert().values(
            hit_id=hit_id,
            from_status=str(current.status),
            to_status=str(target),
            reviewer=reviewer,
            reason=reason,
            decided_at=now,
        )
    )
    audit.append(
        conn,
        reviewer,
        "hit.decide",
        f"hit:{hit_id}",
        detail={
            "from": str(current.status),
            "to": str(target),
            "reason": reason,
            "entity_id": current.entity_id,
            "subject": current.subject.id,
        },
    )
    return get_hit(conn, hit_id, datasets)


def parse_status(value: str) -> HitStatus:
    """The status named ``value``, or a ScreenError listing the statuses."""
    try:
        return HitStatus(value.strip().lower())
    except ValueError:
        raise ScreenError(
            f"unknown status {value!r}: one of {', '.join(HitStatus)}",
            arabic=f"حالة غير معروفة {value!r}: الحالات هي {'، '.join(HitStatus)}",
        ) from None


def _required(value: str, what: str, what_ar: str) -> str:
    """``value`` stripped; a ScreenError naming ``what`` (in English and Arabic) if blank."""
    text = (value or "").strip()
    if not text:
        raise ScreenError(
            f"a {what} is required for every decision on a hit",
            arabic=f"{what_ar} مطلوب في كل قرار بشأن نتيجة",
        )
    return text


def _check_transition(current: HitRecord, target: HitStatus) -> None:
    if target == current.status:
        raise ScreenError(
            f"hit {current.id} is {current.status} already",
            arabic=f"النتيجة {current.id} {STATUS_AR[current.status]} بالفعل",
        )
    allowed = current.next_statuses
    if target not in allowed:
        now, then = STATUS_AR[current.status], STATUS_AR[target]
        raise ScreenError(
            f"hit {current.id} cannot go from {current.status} to {target}: "
            f"a {current.status} hit can go to {' or '.join(allowed)}",
            arabic=f"لا يمكن نقل النتيجة {current.id} من «{now}» إلى «{then}»: النتيجة "
            f"«{now}» تنتقل إلى {' أو '.join(f'«{STATUS_AR[s]}»' for s in allowed)}",
        )


def _visible(datasets: Iterable[str] | None) -> ColumnElement[bool] | None:
    """The clause keeping hits on readable watchlists whose subject's data, when it comes
    from a dataset (a traveller's), is readable too (None: no limit). A hit with no known
    watchlist is shown only to callers without a limit. Needs ``screening_subject`` joined."""
    if datasets is None:
        return None
    names = sorted(set(datasets))
    subject_dataset = screening_subject.c.dataset
    return and_(
        hit.c.watchlist.in_(names), or_(subject_dataset.is_(None), subject_dataset.in_(names))
    )


def _select(datasets: Iterable[str] | None) -> Select[Any]:
    query = select(hit, *_subject_columns()).join(
        screening_subject, screening_subject.c.id == hit.c.subject_id
    )
    visible = _visible(datasets)
    return query if visible is None else query.where(visible)


def _subject_columns() -> list[Any]:
    return [c.label(f"subject__{c.name}") for c in screening_subject.columns]


# Explanation steps that quote the subject's name (masked with it).
NAME_REASONS = ("name_part", "name_missing")


def _record(
    row: Any, history: tuple[DecisionRecord, ...] | None = None, masking: Masker | None = None
) -> HitRecord:
    m = row._mapping
    fields = {c.name: m[f"subject__{c.name}"] for c in screening_subject.c}
    reasons = tuple(_reason(r) for r in json.loads(m["explanation"]))
    if masking is not None and fields["dataset"] in masking.datasets:
        # A traveller past the mask date: the name and what identifies them are masked,
        # and so are the explanation's name comparisons, which quote the name.
        shown = masking.row(screening_subject.name, fields)
        if shown.pop("masked"):
            reasons = tuple(
                Reason(r.feature, shown["name"], r.effect) if r.feature in NAME_REASONS else r
                for r in reasons
            )
        fields = shown
    subject = ScreenedSubject(**fields)
    return HitRecord(
        id=m["id"],
        subject=subject,
        entity_id=m["entity_id"],
        watchlist=m["watchlist"],
        score=float(m["score"]),
        alert=bool(m["alert"]),
        matched_name=m["matched_name"],
        explanation=reasons,
        status=HitStatus(m["status"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        history=history,
        kind=m["kind"],
    )


def _load(conn: Connection, ids: list[int]) -> list[HitRecord]:
    """The hits with these ids, in that order."""
    if not ids:
        return []
    rows = {row.id: _record(row) for row in conn.execute(_select(None).where(hit.c.id.in_(ids)))}
    return [rows[i] for i in ids]


def get_hit(
    conn: Connection,
    hit_id: int,
    datasets: Iterable[str] | None = None,
    masking: Masker | None = None,
) -> HitRecord:
    """One hit with its subject, reasons and decision history (oldest first); UnknownHit if
    there is none, or it is on a watchlist outside ``datasets`` (None: all). A traveller
    past the mask date is shown masked, by the masking of ``datasets`` (a Visibility) or
    ``masking``."""
    row = conn.execute(_select(datasets).where(hit.c.id == hit_id)).first()
    if row is None:
        raise UnknownHit(f"no hit {hit_id}", arabic=f"لا توجد نتيجة رقم {hit_id}")
    return _record(row, _history(conn, hit_id), masker(datasets) or masking)


def _history(conn: Connection, hit_id: int) -> tuple[DecisionRecord, ...]:
    query = select(hit_decision).where(hit_decision.c.hit_id == hit_id).order_by(hit_decision.c.id)
    return tuple(
        DecisionRecord(
            id=r.id,
            from_status=HitStatus(r.from_status),
            to_status=HitStatus(r.to_status),
            reviewer=r.reviewer,
            reason=r.reason,
            decided_at=r.decided_at,
        )
        for r in conn.execute(query)
    )


def list_hits(
    conn: Connection,
    status: str | None = None,
    subject: str | None = None,
    limit: int = 50,
    offset: int = 0,
    datasets: Iterable[str] | None = None,
    masking: Masker | None = None,
) -> list[HitRecord]:
    """Hits, best score first (the oldest first among equal scores), without their history.

    ``status`` keeps one status; ``subject`` keeps one subject (its key, as in
    ``HitRecord.subject.id``); ``datasets`` keeps hits on readable watchlists (None: all).
    Travellers past the mask date are masked as in ``get_hit``.
    """
    query = _select(datasets).order_by(hit.c.score.desc(), hit.c.id).limit(limit).offset(offset)
    if status:
        query = query.where(hit.c.status == str(parse_status(status)))
    if subject:
        query = query.where(hit.c.subject_id == subject)
    masking = masker(datasets) or masking
    return [_record(row, masking=masking) for row in conn.execute(query)]


def count_by_status(conn: Connection, datasets: Iterable[str] | None = None) -> dict[str, int]:
    """How many hits each status holds (every status present, zero if none)."""
    query = select(hit.c.status, func.count()).group_by(hit.c.status)
    visible = _visible(datasets)
    if visible is not None:
        query = query.join(screening_subject, screening_subject.c.id == hit.c.subject_id)
        query = query.where(visible)
    counts = {str(s): 0 for s in HitStatus}
    counts.update({status: int(n) for status, n in conn.execute(query)})
    return counts
