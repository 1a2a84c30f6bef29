"""Retention runs in batches: a run's row exists while it runs (no finish time yet), and a
run that failed says why.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("retention_run") as batch:
        batch.alter_column("finished_at", existing_type=sa.DateTime(), nullable=True)
        batch.add_column(sa.Column("error", sa.Text))


def downgrade() -> None:
    op.execute("UPDATE retention_run SET finished_at = started_at WHERE finished_at IS NULL")
    with op.batch_alter_table("retention_run") as batch:
        batch.drop_column("error")
        batch.alter_column("finished_at", existing_type=sa.DateTime(), nullable=False)
