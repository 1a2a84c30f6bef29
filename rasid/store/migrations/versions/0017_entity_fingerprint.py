"""Fingerprints of imported records (``entity_fingerprint``): a repeated record (the same
traveller in the next push of a booking) marks its statements seen again instead of
writing them anew (``rasid.ingest.fingerprints``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_fingerprint",
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), primary_key=True),
        sa.Column("entity_id", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("seen", sa.DateTime, nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("delete_after", sa.Date),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_entity_fingerprint_delete_after", "entity_fingerprint", ["delete_after"])


def downgrade() -> None:
    op.drop_index("ix_entity_fingerprint_delete_after", "entity_fingerprint")
    op.drop_table("entity_fingerprint")
