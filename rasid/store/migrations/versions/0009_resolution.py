"""Entity resolution: proposed pairs, the append-only history of judgements on them, the
runs that proposed them, and the canonical id of each entity merged into another.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_pair",
        sa.Column("left_id", sa.String(255), primary_key=True),
        sa.Column("right_id", sa.String(255), primary_key=True),
        sa.Column("left_dataset", sa.String(64), nullable=False),
        sa.Column("right_dataset", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("shared_identifiers", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("proposed_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("run_id", sa.String(32)),
        sa.Column("strict", sa.Boolean, nullable=False),
    )
    for column in ("right_id", "left_dataset", "right_dataset", "status"):
        op.create_index(f"ix_resolution_pair_{column}", "resolution_pair", [column])
    op.create_table(
        "resolution_judgement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("left_id", sa.String(255), nullable=False),
        sa.Column("right_id", sa.String(255), nullable=False),
        sa.Column("judgement", sa.String(16), nullable=False),
        sa.Column("by_user", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("undone_at", sa.DateTime),
        sa.Column("undone_by", sa.String(255)),
    )
    op.create_index("ix_resolution_judgement_pair", "resolution_judgement", ["left_id", "right_id"])
    op.create_table(
        "resolution_run",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("datasets", sa.Text, nullable=False),
        sa.Column("stats", sa.Text, nullable=False),
    )
    op.create_table(
        "resolution_canonical",
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("canonical_id", sa.String(255), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_resolution_canonical_canonical_id", "resolution_canonical", ["canonical_id"]
    )


def downgrade() -> None:
    op.drop_table("resolution_canonical")
    op.drop_table("resolution_run")
    op.drop_table("resolution_judgement")
    op.drop_table("resolution_pair")
