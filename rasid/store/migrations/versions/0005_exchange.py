"""Exchange: messages, requests for information and reports with their recipients and
receipts, attached entities, the statements each dissemination discloses, and re-share
requests to originating agencies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sender", sa.String(64), sa.ForeignKey("app_user.name"), nullable=False),
        sa.Column("sender_agency", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("handling", sa.Text, nullable=False),
        sa.Column("source_grade", sa.String(4), nullable=False),
        sa.Column("info_grade", sa.String(4), nullable=False),
        sa.Column("in_reply_to", sa.String(32), sa.ForeignKey("message.id")),
        sa.Column("due_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    for column in ("sender", "sender_agency", "in_reply_to"):
        op.create_index(f"ix_message_{column}", "message", [column])
    op.create_table(
        "message_recipient",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(32), sa.ForeignKey("message.id"), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(64)),
        sa.Column("via_reshare", sa.Integer),
        sa.Column("delivered_at", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
        sa.Column("read_by", sa.String(64)),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("acknowledged_by", sa.String(64)),
    )
    op.create_index("ix_message_recipient_message_id", "message_recipient", ["message_id"])
    op.create_index("ix_message_recipient_agency", "message_recipient", ["agency"])
    op.create_table(
        "message_entity",
        sa.Column("message_id", sa.String(32), sa.ForeignKey("message.id"), primary_key=True),
        sa.Column("entity_id", sa.String(255), primary_key=True),
    )
    op.create_table(
        "disclosure",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(32), sa.ForeignKey("message.id"), nullable=False),
        sa.Column("statement_id", sa.String(40), nullable=False),
        sa.Column("agency", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(64)),
        sa.Column("granted_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_disclosure_message_id", "disclosure", ["message_id"])
    op.create_index("ix_disclosure_agency_statement_id", "disclosure", ["agency", "statement_id"])
    op.create_table(
        "reshare",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(32), sa.ForeignKey("message.id"), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requester_agency", sa.String(64), nullable=False),
        sa.Column("to_agency", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("owner_agency", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.Text),
    )
    op.create_index("ix_reshare_message_id", "reshare", ["message_id"])
    op.create_index("ix_reshare_owner_agency", "reshare", ["owner_agency"])


def downgrade() -> None:
    op.drop_table("reshare")
    op.drop_table("disclosure")
    op.drop_table("message_entity")
    op.drop_table("message_recipient")
    op.drop_table("message")
