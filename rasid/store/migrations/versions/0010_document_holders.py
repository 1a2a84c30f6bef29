"""The holder of each identity document, indexed: a grant to see a masked person again
covers the person's documents, found by their ``holder`` statements.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_statement_holder",
        "statement",
        ["value"],
        sqlite_where=sa.text("prop = 'holder'"),
        postgresql_where=sa.text("prop = 'holder'"),
    )


def downgrade() -> None:
    op.drop_index("ix_statement_holder", "statement")
