"""Coordination: every IATI transaction of a project (not only what it spent), and the
exchange rates a coordination office uses to compare funding across currencies.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assist_transaction",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("type", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("provider_ref", sa.Text, nullable=False),
        sa.Column("receiver", sa.Text, nullable=False),
        sa.Column("receiver_ref", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
    )
    op.create_index("ix_assist_transaction_project", "assist_transaction", ["project"])
    op.create_table(
        "assist_rate",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("base", sa.String(3), nullable=False),
        sa.Column("quote", sa.String(3), nullable=False),
        sa.Column("rate", sa.Float, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(255), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_rate_pair", "assist_rate", ["agency", "base", "quote", "as_of"])


def downgrade() -> None:
    op.drop_table("assist_rate")
    op.drop_table("assist_transaction")
