"""The full-text index after a large write: names folded in, none lost."""

from pathlib import Path

from sqlalchemy import Connection, text

from rasid.ingest.run import ANALYZE_AFTER, IngestRequest, ingest
from rasid.store import Store, fts
from rasid.store.entities import search_entity_ids
from tests.store.helpers import register, stmt, write

NAMES = [(f"p{n}", f"Layla Haddad{n:03d}") for n in range(60)]


def _pending_folded(conn: Connection) -> int:
    """Pages of PostgreSQL's pending list that folding moves into the index now."""
    return int(
        conn.execute(
            text("SELECT gin_clean_pending_list(to_regclass('ix_name_index_tsv'))")
        ).scalar_one()
    )


def test_settle_folds_pending_names_and_keeps_them_found(store: Store) -> None:
    with store.uow() as uow:
        register(uow.conn)
        write(uow.conn, *(stmt(e, "name", n) for e, n in NAMES[:30]))
    with store.uow() as uow:
        fts.settle(uow.conn)
    with store.uow() as uow:
        found = search_entity_ids(uow.conn, "layla haddad", None, limit=100)
        assert sorted(found) == sorted(e for e, _ in NAMES[:30])
        if store.dialect != "postgresql":
            return
        assert _pending_folded(uow.conn) == 0  # settle left nothing pending
        # Without it, new names wait in the pending list, which every search reads.
        write(uow.conn, *(stmt(e, "name", n) for e, n in NAMES[30:]))
        assert _pending_folded(uow.conn) > 0


def test_an_import_settles_the_index(store: Store, tmp_path: Path) -> None:
    lines = [
        f'{{"id": "q{n}", "schema": "Person", "properties": {{"name": ["Omar Khalil{n}"], '
        f'"birthDate": ["19{n % 100:02d}"]}}}}'
        for n in range(ANALYZE_AFTER // 2)
    ]
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with store.uow() as uow:
        register(uow.conn)
    summary = ingest(store, IngestRequest(str(path), "police", agency="national_police", fmt="ftm"))
    assert summary.statements >= ANALYZE_AFTER
    with store.uow() as uow:
        assert len(search_entity_ids(uow.conn, "omar khalil", None, limit=1000)) == len(lines)
        if store.dialect == "postgresql":
            assert _pending_folded(uow.conn) == 0
