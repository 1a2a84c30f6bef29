"""The hit review queue on both databases: recording results, decisions, history, listings."""

import pytest
from sqlalchemy import Connection, func, select

from rasid.access import audit
from rasid.screen.errors import ScreenError, UnknownHit
from rasid.screen.hits import (
    HitRecord,
    count_by_status,
    decide,
    get_hit,
    list_hits,
    record_batch,
    record_results,
    subject_key,
)
from rasid.screen.model import Match, Reason, Subject
from rasid.store import Store
from rasid.store.tables import hit, screening_subject

WATCHLISTS = {"un-1": "un_sc", "un-2": "un_sc", "nat-9": "national_list"}
SUBJECT = Subject("pax-1", "Mohammed Al-Ahmad", birth_date="1980-03-15", nationality="SY")


def match(entity_id: str, score: float, alert: bool = True, detail: str = "") -> Match:
    """A match as the matcher would give it, with one reason."""
    reason = Reason("name_part", detail or f"names agree at {score}", score)
    return Match(entity_id, score, alert, f"name of {entity_id}", [reason])


def screen(
    store: Store, matches: list[Match], subject: Subject = SUBJECT, source: str = "batch:pax.jsonl"
) -> list[HitRecord]:
    """Record one screening in its own transaction."""
    with store.uow() as uow:
        return record_results(uow.conn, subject, source, matches, WATCHLISTS)


def decided(store: Store, hit_id: int, status: str, reason: str = "checked") -> HitRecord:
    """Decide in its own transaction, as a reviewer would."""
    with store.uow() as uow:
        return decide(uow.conn, hit_id, status, "officer.a", reason)


def count_hits(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(hit)).scalar_one())


def test_only_alerting_matches_make_hits(store: Store) -> None:
    hits = screen(store, [match("un-1", 0.93), match("nat-9", 0.4, alert=False)])
    [made] = hits
    assert (made.entity_id, made.watchlist, made.status) == ("un-1", "un_sc", "new")
    assert made.alert is True
    assert made.score == 0.93 and made.matched_name == "name of un-1"
    assert made.explanation == (Reason("name_part", "names agree at 0.93", 0.93),)
    assert made.subject.name == SUBJECT.name and made.subject.external_id == "pax-1"
    assert made.subject.source == "batch:pax.jsonl"
    assert made.history is None
    with store.uow() as uow:
        assert count_hits(uow.conn) == 1


def test_rescreening_refreshes_the_open_hit(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.9)])
    [again] = screen(store, [match("un-1", 0.95, detail="birth date agrees too")])
    assert again.id == first.id and again.status == "new"
    assert again.score == 0.95 and again.explanation[0].detail == "birth date agrees too"
    assert again.updated_at >= first.updated_at and again.created_at == first.created_at
    escalated = decided(store, first.id, "escalated")
    [third] = screen(store, [match("un-1", 0.91)])
    assert third.id == first.id and third.status == "escalated" and third.score == 0.91
    with store.uow() as uow:
        assert count_hits(uow.conn) == 1
        assert get_hit(uow.conn, first.id).history == escalated.history


def test_one_hit_per_entity_in_one_result(store: Store) -> None:
    hits = screen(store, [match("un-1", 0.8), match("un-2", 0.85), match("un-1", 0.9)])
    assert [(h.entity_id, h.score) for h in hits] == [("un-1", 0.9), ("un-2", 0.85)]


def test_no_alert_later_leaves_the_open_hit_alone(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.9)])
    assert screen(store, [match("un-1", 0.3, alert=False)]) == []
    with store.uow() as uow:
        kept = get_hit(uow.conn, first.id)
    assert (kept.status, kept.score) == ("new", 0.9)


def test_a_confirmed_hit_is_neither_reopened_nor_repeated(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.9)])
    decided(store, first.id, "confirmed")
    assert screen(store, [match("un-1", 0.99)]) == []
    with store.uow() as uow:
        kept = get_hit(uow.conn, first.id)
        assert count_hits(uow.conn) == 1
    assert (kept.status, kept.score) == ("confirmed", 0.9)


@pytest.mark.parametrize(
    ("score", "again"),
    [(0.85, False), (0.9, False), (0.90001, False), (0.9001, True), (0.97, True)],
)
def test_a_dismissed_hit_returns_only_when_the_score_rose(
    store: Store, score: float, again: bool
) -> None:
    [first] = screen(store, [match("un-1", 0.9)])
    decided(store, first.id, "dismissed", "different person: father's name differs")
    hits = screen(store, [match("un-1", score)])
    assert bool(hits) is again
    with store.uow() as uow:
        old = get_hit(uow.conn, first.id)
    assert (old.status, old.score) == ("dismissed", 0.9)  # the decision stands as taken
    if again:
        assert hits[0].id != first.id and hits[0].status == "new" and hits[0].score == score


def test_the_newest_dismissal_sets_the_bar(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.8)])
    decided(store, first.id, "dismissed")
    [second] = screen(store, [match("un-1", 0.9)])
    decided(store, second.id, "dismissed")
    assert screen(store, [match("un-1", 0.85)]) == []
    [third] = screen(store, [match("un-1", 0.95)])
    assert third.id not in (first.id, second.id)


def test_a_reopened_hit_is_the_one_refreshed(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.8)])
    decided(store, first.id, "dismissed")
    [second] = screen(store, [match("un-1", 0.9)])
    decided(store, second.id, "confirmed")
    decided(store, first.id, "new", "supervisor: the dismissal overlooked the passport number")
    [refreshed] = screen(store, [match("un-1", 0.82)])
    assert refreshed.id == first.id and refreshed.score == 0.82


def test_subject_key_uses_the_callers_id_within_its_source() -> None:
    renamed = Subject("pax-1", "Muhammad al Ahmad")
    assert subject_key(SUBJECT, "batch:a.jsonl") == subject_key(renamed, "batch:a.jsonl")
    assert subject_key(SUBJECT, "batch:a.jsonl") != subject_key(SUBJECT, "batch:b.jsonl")
    assert len(subject_key(SUBJECT, "api")) == 40


def test_subject_key_without_an_id_uses_the_folded_facts() -> None:
    one = Subject("", "مُحَمَّد الأحمد", "1980-03-15", "SY", "male", "N 123-456")
    same = Subject(" ", "محمد الاحمد", "1980-03-15", "sy", None, "n123456")
    other = Subject("", "محمد الاحمد", "1981-03-15", "SY", "male", "N 123-456")
    assert subject_key(one, "cli") == subject_key(same, "api")
    assert subject_key(one, "cli") != subject_key(other, "cli")


def test_the_subject_is_kept_once_with_its_latest_facts(store: Store) -> None:
    [first] = screen(store, [match("un-1", 0.9)])
    corrected = Subject("pax-1", "Mohammed Al-Ahmad", birth_date="1980-03-16", nationality="SY")
    [again] = screen(store, [match("un-1", 0.9)], subject=corrected)
    assert again.subject.id == first.subject.id
    assert again.subject.birth_date == "1980-03-16"
    assert again.subject.first_screened == first.subject.first_screened
    with store.uow() as uow:
        count = select(func.count()).select_from(screening_subject)
        assert uow.conn.execute(count).scalar_one() == 1


def test_a_screening_without_alerts_still_records_the_subject(store: Store) -> None:
    assert screen(store, []) == []
    with store.uow() as uow:
        row = uow.conn.execute(select(screening_subject)).one()
    assert row.name == SUBJECT.name and row.last_screened >= row.first_screened


ALLOWED = [
    ("new", "confirmed"),
    ("new", "dismissed"),
    ("new", "escalated"),
    ("escalated", "confirmed"),
    ("escalated", "dismissed"),
    ("confirmed", "new"),
    ("dismissed", "new"),
]
REFUSED = [
    ("new", "new"),
    ("escalated", "escalated"),
    ("escalated", "new"),
    ("confirmed", "dismissed"),
    ("confirmed", "escalated"),
    ("dismissed", "confirmed"),
    ("dismissed", "escalated"),
]
# How to bring a new hit to each status.
PATH = {
    "new": [],
    "escalated": ["escalated"],
    "confirmed": ["confirmed"],
    "dismissed": ["dismissed"],
}


def hit_at(store: Store, status: str) -> HitRecord:
    """A fresh hit brought to ``status`` through allowed decisions."""
    [made] = screen(store, [match("un-1", 0.9)])
    for step in PATH[status]:
        decided(store, made.id, step)
    with store.uow() as uow:
        return get_hit(uow.conn, made.id)


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_allowed_transitions(store: Store, start: str, target: str) -> None:
    before = hit_at(store, start)
    after = decided(store, before.id, target, f"to {target}")
    assert after.status == target
    assert after.history is not None
    last = after.history[-1]
    assert (last.from_status, last.to_status, last.reason) == (start, target, f"to {target}")
    assert last.reviewer == "officer.a" and last.decided_at >= before.created_at


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_refused_transitions(store: Store, start: str, target: str) -> None:
    before = hit_at(store, start)
    with pytest.raises(ScreenError, match=f"hit {before.id}") as refused:
        decided(store, before.id, target)
    assert start in str(refused.value)
    with store.uow() as uow:
        after = get_hit(uow.conn, before.id)
    assert after.status == start and after.history == before.history


@pytest.mark.parametrize(
    ("status", "reviewer", "reason", "message"),
    [
        ("confirmed", "officer.a", "", "a reason is required"),
        ("confirmed", "officer.a", "  \n", "a reason is required"),
        ("confirmed", " ", "same passport", "a reviewer is required"),
        ("confirmed", "x" * 256, "same passport", "longer than 255"),
        ("approved", "officer.a", "same passport", "unknown status 'approved'"),
    ],
)
def test_a_decision_needs_a_reason_a_reviewer_and_a_known_status(
    store: Store, status: str, reviewer: str, reason: str, message: str
) -> None:
    [made] = screen(store, [match("un-1", 0.9)])
    with store.uow() as uow, pytest.raises(ScreenError, match=message):
        decide(uow.conn, made.id, status, reviewer, reason)
    with store.uow() as uow:
        assert get_hit(uow.conn, made.id).history == ()


def test_history_keeps_every_decision_in_order(store: Store) -> None:
    [made] = screen(store, [match("un-1", 0.9)])
    decided(store, made.id, "escalated", "needs the border police's file")
    decided(store, made.id, "dismissed", "different birth year in the file")
    with store.uow() as uow:
        reopened = decide(uow.conn, made.id, " New ", " supervisor.b ", " dismissed too fast ")
    assert reopened.history is not None
    assert [(d.from_status, d.to_status, d.reviewer, d.reason) for d in reopened.history] == [
        ("new", "escalated", "officer.a", "needs the border police's file"),
        ("escalated", "dismissed", "officer.a", "different birth year in the file"),
        ("dismissed", "new", "supervisor.b", "dismissed too fast"),
    ]
    assert reopened.to_dict()["history"][2]["to_status"] == "new"
    with store.uow() as uow:  # each decision is in the audit log, and the chain holds
        logged = audit.search(uow.conn, action="hit.decide")
        assert audit.verify(uow.conn).ok
    assert [(r.actor, r.target, r.detail["to"]) for r in logged] == [
        ("supervisor.b", f"hit:{made.id}", "new"),
        ("officer.a", f"hit:{made.id}", "dismissed"),
        ("officer.a", f"hit:{made.id}", "escalated"),
    ]
    assert logged[0].detail["reason"] == "dismissed too fast"


def test_a_failed_decision_writes_nothing(store: Store) -> None:
    [made] = screen(store, [match("un-1", 0.9)])
    with pytest.raises(ScreenError), store.uow() as uow:
        decide(uow.conn, made.id, "confirmed", "officer.a", "same person")
        raise ScreenError("the caller failed after deciding")
    with store.uow() as uow:
        kept = get_hit(uow.conn, made.id)
    assert kept.status == "new" and kept.history == ()
    with store.uow() as uow:
        assert audit.search(uow.conn, action="hit.decide") == []


def test_unknown_hit(store: Store) -> None:
    with store.uow() as uow:
        with pytest.raises(UnknownHit, match="no hit 42"):
            get_hit(uow.conn, 42)
        with pytest.raises(UnknownHit):
            decide(uow.conn, 42, "confirmed", "officer.a", "same person")


def test_listing_filters_and_order(store: Store) -> None:
    hits = screen(store, [match("un-1", 0.9), match("un-2", 0.95), match("nat-9", 0.9)])
    other = Subject("pax-2", "Yusuf Ibrahim")
    [theirs] = screen(store, [match("un-1", 0.99)], subject=other)
    decided(store, hits[0].id, "dismissed")
    with store.uow() as uow:
        everything = list_hits(uow.conn)
        new = list_hits(uow.conn, status="new")
        mine = list_hits(uow.conn, subject=hits[0].subject.id)
        page = list_hits(uow.conn, limit=2, offset=1)
        national = list_hits(uow.conn, datasets=["national_list"])
        counts = count_by_status(uow.conn)
        national_counts = count_by_status(uow.conn, ["national_list"])
    by_id = {h.id: h for h in hits}
    assert [h.score for h in everything] == [0.99, 0.95, 0.9, 0.9]
    assert [h.id for h in everything[2:]] == sorted(by_id[i].id for i in (hits[0].id, hits[2].id))
    assert {h.id for h in new} == {theirs.id, hits[1].id, hits[2].id}
    assert {h.id for h in mine} == set(by_id)
    assert [h.id for h in page] == [h.id for h in everything[1:3]]
    assert [h.entity_id for h in national] == ["nat-9"]
    assert all(h.history is None for h in everything)
    assert counts == {"new": 3, "confirmed": 0, "dismissed": 1, "escalated": 0}
    assert national_counts == {"new": 1, "confirmed": 0, "dismissed": 0, "escalated": 0}


def test_unreadable_watchlists_hide_hits(store: Store) -> None:
    [made] = screen(store, [match("un-1", 0.9)])
    [unknown] = screen(store, [match("elsewhere-1", 0.9)])
    assert unknown.watchlist is None
    with store.uow() as uow:
        with pytest.raises(UnknownHit):
            get_hit(uow.conn, made.id, ["national_list"])
        with pytest.raises(UnknownHit):
            decide(uow.conn, made.id, "confirmed", "officer.a", "x", ["national_list"])
        # A hit whose watchlist is not known is shown only to callers without a limit.
        assert [h.id for h in list_hits(uow.conn, datasets=["un_sc"])] == [made.id]
        assert {h.id for h in list_hits(uow.conn)} == {made.id, unknown.id}


def test_unknown_status_filter(store: Store) -> None:
    with store.uow() as uow, pytest.raises(ScreenError, match="unknown status"):
        list_hits(uow.conn, status="open")


def test_to_dict_is_json_ready(store: Store) -> None:
    [made] = screen(store, [match("un-1", 0.912345678)])
    data = made.to_dict()
    assert data["score"] == 0.9123 and data["status"] == "new"
    assert data["next_statuses"] == ["confirmed", "dismissed", "escalated"]
    assert data["explanation"] == [
        {"feature": "name_part", "detail": "names agree at 0.912345678", "effect": 0.9123}
    ]
    assert data["subject"]["external_id"] == "pax-1" and "history" not in data
    assert isinstance(data["created_at"], str)


def test_a_batch_records_as_one_screening_at_a_time_does(store: Store) -> None:
    other = Subject("pax-2", "Ali Hassan")
    quiet = Subject("pax-3", "Maria Lopez")
    results = [
        (SUBJECT, [match("un-1", 0.95), match("un-2", 0.5, alert=False)]),
        (other, [match("nat-9", 0.91)]),
        (quiet, [match("un-1", 0.3, alert=False)]),
        (SUBJECT, [match("un-1", 0.97)]),  # the same subject again: refreshes its hit
    ]
    with store.uow() as uow:
        made = record_batch(uow.conn, results, "batch:pax.jsonl", WATCHLISTS)
        hits = list_hits(uow.conn)
        subjects = uow.conn.execute(select(func.count()).select_from(screening_subject)).scalar()
    assert made == 3 and subjects == 3  # every subject kept, the alert-free one too
    assert sorted((h.subject.external_id, h.entity_id, round(h.score, 2)) for h in hits) == [
        ("pax-1", "un-1", 0.97),
        ("pax-2", "nat-9", 0.91),
    ]
    with store.uow() as uow:
        assert record_batch(uow.conn, [], "batch:pax.jsonl", WATCHLISTS) == 0
