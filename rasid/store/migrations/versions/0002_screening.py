"""Screening review queue: screened subjects, hits, and the decisions people take on them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_subject",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("birth_date", sa.Text),
        sa.Column("nationality", sa.Text),
        sa.Column("gender", sa.Text),
        sa.Column("document_number", sa.Text),
        sa.Column("first_screened", sa.DateTime, nullable=False),
        sa.Column("last_screened", sa.DateTime, nullable=False),
    )
    op.create_table(
        "hit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "subject_id", sa.String(40), sa.ForeignKey("screening_subject.id"), nullable=False
        ),
        sa.Column("entity_id", sa.String(255), nullable=False),
        sa.Column("watchlist", sa.String(64)),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("alert", sa.Boolean, nullable=False),
        sa.Column("matched_name", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_hit_status", "hit", ["status"])
    op.create_index("ix_hit_subject_id_entity_id", "hit", ["subject_id", "entity_id"])
    op.create_table(
        "hit_decision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hit_id", sa.Integer, sa.ForeignKey("hit.id"), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_hit_decision_hit_id", "hit_decision", ["hit_id"])


def downgrade() -> None:
    op.drop_table("hit_decision")
    op.drop_table("hit")
    op.drop_table("screening_subject")
