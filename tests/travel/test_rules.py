"""Targeting rules stored, on both databases: saving with every check, a version per change,
disabling and enabling, review dates that expire, the audit log, and ``rule_hits`` (what
traveller screening calls) on the stored sample files."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from rasid.access.policy import Denied
from rasid.screen.hits import record_batch
from rasid.screen.model import Match
from rasid.store import Store
from rasid.store.tables import audit_event, hit, targeting_rule, traveller
from rasid.travel.criteria import RuleRefused
from rasid.travel.rules import (
    RuleStatus,
    UnknownRule,
    create_rule,
    dry_run,
    get_rule,
    list_rules,
    record_refusal,
    rule_hits,
    rule_versions,
    set_status,
    update_rule,
)
from rasid.travel.screening import listed_in_queue, traveller_subject
from tests.travel.rulehelpers import (
    AGENCY,
    DATASET,
    OWNER,
    add_officer,
    draft,
    load_samples,
    traveller_ids,
)

TODAY = date(2026, 6, 1)


@pytest.fixture
def officer(store: Store) -> str:
    return add_officer(store)


def audit_actions(store: Store) -> list[tuple[str, str, str]]:
    with store.uow() as uow:
        rows = uow.conn.execute(select(audit_event).order_by(audit_event.c.seq)).all()
    return [(r.action, r.target, r.outcome) for r in rows if r.action.startswith("rule.")]


def test_a_rule_is_saved_as_version_one_and_audited(store: Store, officer: str) -> None:
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", actor_agency=AGENCY, today=TODAY)
    with store.uow() as uow:
        found = get_rule(uow.conn, made.id)
        [version] = rule_versions(uow.conn, made.id)
    assert found == made
    assert (found.agency, found.owner, found.status, found.version) == (
        AGENCY,
        OWNER,
        RuleStatus.ACTIVE,
        1,
    )
    assert found.criteria.to_dict()["all"][1] == {
        "field": "booked_hours_before_departure",
        "op": "lt",
        "value": 150.0,
    }
    assert (version.changed_by, version.note, version.status) == (
        "alice",
        "created",
        RuleStatus.ACTIVE,
    )
    assert audit_actions(store) == [("rule.create", f"rule:{made.id}", "ok")]


def test_each_edit_is_a_new_version_with_who_when_and_why(store: Store, officer: str) -> None:
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
    wider = {"all": [{"field": "payment_type", "op": "in", "value": "cash, cheque"}]}
    with store.uow() as uow:
        edited = update_rule(
            uow.conn,
            made.id,
            draft(wider, today=TODAY, name="Cash"),
            "bob",
            "cheques too",
            today=TODAY,
        )
        disabled = set_status(uow.conn, made.id, RuleStatus.DISABLED, "carol", "paused")
        again = set_status(uow.conn, made.id, RuleStatus.DISABLED, "carol", "paused")
        versions = rule_versions(uow.conn, made.id)
    assert (edited.version, edited.name, edited.status) == (2, "Cash", RuleStatus.ACTIVE)
    assert (disabled.version, disabled.status) == (3, RuleStatus.DISABLED)
    assert again == disabled  # already disabled: no version added
    assert [(v.version, v.changed_by, v.note, v.status) for v in versions] == [
        (1, "alice", "created", RuleStatus.ACTIVE),
        (2, "bob", "cheques too", RuleStatus.ACTIVE),
        (3, "carol", "paused", RuleStatus.DISABLED),
    ]
    assert versions[0].criteria != versions[1].criteria  # each version keeps its own
    assert versions[2].criteria == versions[1].criteria
    assert versions[0].changed_at <= versions[2].changed_at
    with store.uow() as uow:
        enabled = set_status(uow.conn, made.id, RuleStatus.ACTIVE, "carol", "resumed")
    assert (enabled.version, enabled.status) == (4, RuleStatus.ACTIVE)
    actions = [a for a, _, _ in audit_actions(store)]
    assert actions == ["rule.create", "rule.update", "rule.disable", "rule.enable"]
    with store.uow() as uow:
        detail = uow.conn.execute(
            select(audit_event.c.detail).where(audit_event.c.action == "rule.update")
        ).scalar_one()
    assert json.loads(detail)["changed"] == ["criteria", "name"]


def test_an_edit_of_an_old_version_is_refused(store: Store, officer: str) -> None:
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
        update_rule(uow.conn, made.id, draft(today=TODAY), "bob", "first", today=TODAY)
    with pytest.raises(RuleRefused, match="changed meanwhile"), store.uow() as uow:
        update_rule(
            uow.conn, made.id, draft(today=TODAY), "carol", "late", expected_version=1, today=TODAY
        )
    with store.uow() as uow:
        assert get_rule(uow.conn, made.id).version == 2


def test_only_the_rules_agency_changes_it(store: Store, officer: str) -> None:
    add_officer(store, "border.officer", "border")
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
    with pytest.raises(Denied, match='agency "piu"'), store.uow() as uow:
        set_status(uow.conn, made.id, RuleStatus.DISABLED, "x", "no", actor_agency="border")
    # A rule written by the border police is theirs: its owner must be one of them.
    with pytest.raises(RuleRefused, match='not a user of the agency "border"'), store.uow() as uow:
        create_rule(uow.conn, draft(today=TODAY), "x", actor_agency="border", today=TODAY)
    with pytest.raises(Denied), store.uow() as uow:
        piu_rule = draft(today=TODAY, agency=AGENCY)
        create_rule(uow.conn, piu_rule, "x", actor_agency="border", today=TODAY)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " x "}, "a rule needs a name"),
        ({"justification": "because"}, "the justification must say why"),
        ({"justification": "risk " * 20}, "the justification must say why"),
        ({"review_date": TODAY}, "the review date must come after today (2026-06-01)"),
        ({"review_date": TODAY + timedelta(days=400)}, "the review date must be by 2027-06-02"),
        ({"owner": "nobody"}, 'there is no active user "nobody"'),
        (
            {"owner": "border.officer"},
            'the owner "border.officer" is not a user of the agency "piu"',
        ),
        ({"agency": "atlantis"}, 'there is no agency "atlantis"'),
    ],
)
def test_a_rule_missing_what_makes_it_accountable_is_refused(
    store: Store, officer: str, changes: dict[str, object], message: str
) -> None:
    add_officer(store, "border.officer", "border")
    changes.setdefault("agency", AGENCY)
    with pytest.raises(RuleRefused) as caught, store.uow() as uow:
        create_rule(uow.conn, draft(today=TODAY, **changes), "alice", today=TODAY)
    assert [message in p.text("en") for p in caught.value.problems] == [True]
    with store.uow() as uow:
        assert list_rules(uow.conn) == []


def test_every_problem_is_named_and_a_refusal_can_be_audited(store: Store, officer: str) -> None:
    bad = draft(
        {"all": [{"field": "remark_contains", "op": "contains_any", "value": "halal"}]},
        today=TODAY,
        justification="short",
    )
    with pytest.raises(RuleRefused) as caught, store.uow() as uow:
        create_rule(uow.conn, bad, "alice", today=TODAY)
    refused = caught.value
    assert [p.criterion for p in refused.problems] == [None, 1]
    assert refused.problems[1].trait == "religion"
    with store.uow() as uow:
        record_refusal(uow.conn, "alice", "rule.create", "rule:new", refused, AGENCY)
    with store.uow() as uow:
        row = uow.conn.execute(
            select(audit_event).where(audit_event.c.action == "rule.create")
        ).one()
    assert (row.outcome, row.actor, row.agency) == ("refused", "alice", AGENCY)
    assert json.loads(row.detail)["traits"] == ["religion"]


def test_a_rule_past_its_review_date_stops_applying_until_reviewed(
    store: Store, officer: str
) -> None:
    ids = load_samples(store)
    vandenberg = traveller_ids(store, "VANDENBERG", "TZ6")
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
    review = made.review_date
    with store.uow() as uow:
        assert set(rule_hits(uow.conn, ids, set(), review)) == set(vandenberg)  # on the day
        assert rule_hits(uow.conn, ids, set(), review + timedelta(days=1)) == {}
        [listed] = list_rules(uow.conn)
    assert listed.overdue(review + timedelta(days=1)) and not listed.overdue(review)
    assert listed.to_dict(review + timedelta(days=1))["review_overdue"] is True
    later = review + timedelta(days=1)
    with store.uow() as uow:
        update_rule(
            uow.conn, made.id, draft(today=later), "alice", "reviewed: still needed", today=later
        )
        assert set(rule_hits(uow.conn, ids, set(), later)) == set(vandenberg)


def test_rule_hits_uses_active_rules_only(store: Store, officer: str) -> None:
    ids = load_samples(store)
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
        found = rule_hits(uow.conn, ids, set(), TODAY)
    [matches] = found.values()
    assert [(m.entity_id, m.name, m.kind) for m in matches] == [
        (f"rule:{made.id}", "Late cash bookings", "rule")
    ]
    with store.uow() as uow:
        set_status(uow.conn, made.id, RuleStatus.DISABLED, "alice", "paused")
        assert rule_hits(uow.conn, ids, set(), TODAY) == {}


def test_a_stored_rule_that_no_longer_passes_applies_to_no_one(store: Store, officer: str) -> None:
    ids = load_samples(store)
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
        # As if the vocabulary had since lost a field.
        stale = '{"all": [{"field": "retired_field", "op": "in", "value": ["X"]}]}'
        uow.conn.execute(update(targeting_rule).values(criteria=stale))
    with store.uow() as uow:
        found = get_rule(uow.conn, made.id)
        assert found.refused and not found.applies(TODAY)
        assert rule_hits(uow.conn, ids, set(), TODAY) == {}
        disabled = set_status(uow.conn, made.id, RuleStatus.DISABLED, "alice", "broken")
        [*_, last] = rule_versions(uow.conn, made.id)
    assert disabled.status is RuleStatus.DISABLED
    assert last.criteria["all"][0]["field"] == "retired_field"  # kept as it was


def test_a_dry_run_counts_and_records_no_hit(store: Store, officer: str) -> None:
    load_samples(store)
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
        set_status(uow.conn, made.id, RuleStatus.DISABLED, "alice", "not yet")
        result = dry_run(uow.conn, made.id, DATASET, "alice", TODAY, AGENCY)
        hits = uow.conn.execute(select(hit)).all()
    assert (result.matched, result.persons) == (1, 1)
    assert result.travellers > 40
    assert hits == []
    assert audit_actions(store)[-1] == ("rule.test", f"rule:{made.id}", "ok")
    with pytest.raises(RuleRefused, match='no dataset "nothing"'), store.uow() as uow:
        dry_run(uow.conn, made.id, "nothing", "alice", TODAY)


def test_an_unknown_rule(store: Store) -> None:
    with pytest.raises(UnknownRule), store.uow() as uow:
        get_rule(uow.conn, 99)
    with pytest.raises(UnknownRule), store.uow() as uow:
        set_status(uow.conn, 99, RuleStatus.ACTIVE, "alice", "why")


def test_a_note_is_needed_for_every_change(store: Store, officer: str) -> None:
    with store.uow() as uow:
        made = create_rule(uow.conn, draft(today=TODAY), "alice", today=TODAY)
    with pytest.raises(RuleRefused, match="a note saying why"), store.uow() as uow:
        update_rule(uow.conn, made.id, draft(today=TODAY), "bob", "  ", today=TODAY)


def test_a_dry_run_takes_the_review_queue_for_who_is_listed(store: Store, officer: str) -> None:
    load_samples(store)
    smith = traveller_ids(store, "SMITHJR", "DL324")
    jones = traveller_ids(store, "JONES")
    with store.uow() as uow:
        rows = uow.conn.execute(select(traveller).where(traveller.c.id.in_(smith))).all()
        found = Match("wl-smith", 0.93, True, "SMITH JR")
        results = [(traveller_subject(r), [found]) for r in rows]
        record_batch(uow.conn, results, "travel", {"wl-smith": "national"}, dataset=DATASET)
        assert listed_in_queue(uow.conn, DATASET) == set(smith)
        with_listed = {"all": [{"field": "travelling_with_listed", "op": "is", "value": "yes"}]}
        made = create_rule(uow.conn, draft(with_listed, today=TODAY), "alice", today=TODAY)
        listed = listed_in_queue(uow.conn, DATASET)
        result = dry_run(uow.conn, made.id, DATASET, "alice", TODAY, AGENCY, listed=listed)
        assert (result.matched, result.persons) == (len(jones), 1)
        # A dismissed hit does not make anyone listed.
        uow.conn.execute(update(hit).values(status="dismissed"))
        assert listed_in_queue(uow.conn, DATASET) == set()
        assert dry_run(uow.conn, made.id, DATASET, "alice", TODAY, AGENCY).matched == 0
