"""Sign-in safeguards: TOTP secrets sealed with the server key need a wider column, and
failed sign-ins per client address are counted in the store (every server process sees the
same count).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.String(64), type_=sa.String(200), nullable=False
        )
    op.create_table(
        "sign_in_throttle",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("window_start", sa.DateTime, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.String(200), type_=sa.String(64), nullable=False
        )
