"""Statements by entity id: the index on ``statement.entity_id`` holds only the statements
of entities merged into another (``entity_id != canonical_id``); the others are found by
``canonical_id``, which equals their entity id (``rasid.store.statements.of_entities``).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MERGED = "entity_id != canonical_id"


def upgrade() -> None:
    op.drop_index("ix_statement_entity_id", "statement")
    op.create_index(
        "ix_statement_entity_id_merged",
        "statement",
        ["entity_id"],
        sqlite_where=sa.text(MERGED),
        postgresql_where=sa.text(MERGED),
    )


def downgrade() -> None:
    op.drop_index("ix_statement_entity_id_merged", "statement")
    op.create_index("ix_statement_entity_id", "statement", ["entity_id"])
