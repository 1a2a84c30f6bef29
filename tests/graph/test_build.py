"""The graph built from the store: canonical ids as nodes, FtM relationships and shared
values as edges, each edge with the statements that prove it; rebuilt when the store
changes."""

from datetime import UTC, datetime

from sqlalchemy import select

from rasid.graph.build import Row, build, read_store
from rasid.graph.cache import CACHE, fingerprint
from rasid.graph.model import Graph
from rasid.graph.pivots import normalise
from rasid.store import Store
from rasid.store.tables import resolution_canonical, statement


def _edges(graph: Graph) -> dict[str, tuple[str, str, str]]:
    ids = graph.ids
    return {e.id: (e.type, ids[e.source], ids[e.target]) for e in graph.edges}


def test_relationships_and_pivots_become_edges(linked: Store) -> None:
    with linked.uow() as uow:
        graph = read_store(uow.conn)
        stored = {r.id for r in uow.conn.execute(select(statement.c.id))}
    edges = _edges(graph)
    assert edges["m-cell"] == ("Membership", "p-cell", "cell")  # FtM's source -> target
    assert edges["pay-2"] == ("Payment", "p-broker", "p-gang")
    assert edges["a-prison"] == ("Associate", "p-cell", "p-gang")
    phone = [e for e in graph.edges if e.type == "phone"]
    assert len(phone) == 1  # "+44 20 7946 0001" and "+442079460001" are one number
    assert {graph.ids[phone[0].source], graph.ids[phone[0].target]} == {"p-broker", "p-brother"}
    pay = next(e for e in graph.edges if e.id == "pay-1")
    assert pay.label == "paid (5000 USD)" and pay.start == "2023-04-01"
    assert {i.prop for i in pay.items} == {"payer", "beneficiary"}
    assert all(i.statement_id in stored for e in graph.edges for i in e.items)
    assert graph.agencies["prison_register"] == "prisons"
    assert "pay-1" not in graph.index  # relationship entities are edges, not nodes


def test_resolved_records_are_one_node_after_the_store_changes(linked: Store) -> None:
    with linked.uow() as uow:
        before = CACHE.graph(uow.conn)
        mark = fingerprint(uow.conn)
        assert CACHE.graph(uow.conn) is before  # nothing changed: the same graph
        # Resolution judged p-brother and p-broker the same person: p-broker is merged.
        uow.conn.execute(
            statement.update()
            .where(statement.c.entity_id == "p-broker")
            .values(canonical_id="p-brother")
        )
        uow.conn.execute(
            resolution_canonical.insert().values(
                entity_id="p-broker",
                canonical_id="p-brother",
                updated_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        assert fingerprint(uow.conn) != mark
        after = CACHE.graph(uow.conn)
    assert after is not before
    assert "p-broker" not in after.index and "p-brother" in after.index
    edges = _edges(after)
    assert edges["pay-1"] == ("Payment", "p-cell", "p-brother")
    assert not [e for e in after.edges if e.type == "phone"]  # one node: no link to itself


def test_values_are_compared_normalised() -> None:
    assert normalise("phone", "+44 (20) 7946-0001") == normalise("phone", "00442079460001"[2:])
    assert normalise("identifier", "ab-12 34") == "AB1234"
    assert normalise("identifier", "n/a") == ""  # too short to identify anyone
    assert normalise("text", "12 Olive  Street") == normalise("text", "12 olive street")


def _row(entity: str, prop: str, value: str, dataset: str = "d", schema: str = "Person") -> Row:
    return Row(f"{entity}.{prop}.{value}", entity, entity, schema, prop, "", value, dataset)


def test_a_value_shared_by_too_many_links_nobody() -> None:
    rows = []
    for i in range(30):
        rows += [_row(f"p{i}", "id", f"p{i}"), _row(f"p{i}", "idNumber", "CALLCENTRE1")]
    rows += [_row("q1", "id", "q1"), _row("q1", "idNumber", "X123456")]
    rows += [_row("q2", "id", "q2"), _row("q2", "idNumber", "x-123456")]
    graph = build(rows)
    assert [(e.type, graph.ids[e.source], graph.ids[e.target]) for e in graph.edges] == [
        ("document", "q1", "q2")
    ]


def test_travellers_of_one_trip_and_holders_of_one_document_number_are_linked() -> None:
    rows = [_row(p, "id", p) for p in ("a", "b", "c")]
    rows += [
        _row("trip", "id", "trip", schema="Trip"),
        _row("trip", "involved", "a", schema="Trip"),
        _row("trip", "involved", "b", schema="Trip"),
        _row("trip", "startDate", "2024-01-02", schema="Trip"),
        _row("pp1", "holder", "b", schema="Passport"),
        _row("pp1", "number", "N1234567", schema="Passport"),
        _row("pp2", "holder", "c", "other", schema="Passport"),
        _row("pp2", "number", "n 1234567", "other", schema="Passport"),
    ]
    graph = build(rows)
    found = {(e.type, graph.ids[e.source], graph.ids[e.target], e.start) for e in graph.edges}
    assert found == {("travel", "a", "b", "2024-01-02"), ("document", "b", "c", None)}
