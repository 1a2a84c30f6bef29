"""The policy epoch: a random number drawn again at every change of agencies, datasets or
shares, so a server process may remember what the policy decided from them until it moves
(random, so that two databases never share an epoch by chance).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    epoch = op.create_table(
        "policy_epoch",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("epoch", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(epoch, [{"id": 1, "epoch": secrets.randbits(62)}])


def downgrade() -> None:
    op.drop_table("policy_epoch")
