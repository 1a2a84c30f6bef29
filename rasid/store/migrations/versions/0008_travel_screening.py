"""Traveller screening and its safeguards: the kind of a hit (name, document, rule), the
dataset a screened subject's data comes from, targeting rules with every version kept,
requests to see masked data again, the retention runs, and for data quality the flight
each message was for and the flights a schedule expects.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hit") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="name"))
    with op.batch_alter_table("screening_subject") as batch:
        batch.add_column(sa.Column("dataset", sa.String(64)))
        batch.create_index("ix_screening_subject_dataset", ["dataset"])
        batch.create_index("ix_screening_subject_external_id", ["external_id"])
    op.create_index("ix_traveller_message_id", "traveller", ["message_id"])
    op.create_index(
        "ix_statement_document_number",
        "statement",
        ["value"],
        sqlite_where=sa.text("prop = 'number'"),
        postgresql_where=sa.text("prop = 'number'"),
    )
    op.create_table(
        "targeting_rule",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("justification", sa.Text, nullable=False),
        sa.Column("review_date", sa.Date, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "targeting_rule_version",
        sa.Column("rule_id", sa.Integer, sa.ForeignKey("targeting_rule.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner", sa.String(255), nullable=False),
        sa.Column("justification", sa.Text, nullable=False),
        sa.Column("review_date", sa.Date, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("changed_by", sa.String(255), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "unmask_request",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(255), nullable=False),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("requested_by", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(255)),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.Text),
        sa.Column("expires_at", sa.DateTime),
    )
    op.create_index("ix_unmask_request_target_id", "unmask_request", ["target_id"])
    op.create_index("ix_unmask_request_status", "unmask_request", ["status"])
    op.create_table(
        "retention_run",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("masked", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Integer, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
    )
    _travel_quality_tables()


def _travel_quality_tables() -> None:
    """For data quality: the flight each message was for, with the counts it declared, and
    the flights a schedule says are expected."""
    op.create_table(
        "message_flight",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("message_id", sa.String(40), sa.ForeignKey("travel_message.id"), nullable=False),
        sa.Column("flight_id", sa.String(40), sa.ForeignKey("flight.id"), nullable=False),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("function", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("declared_passengers", sa.Integer),
        sa.Column("declared_crew", sa.Integer),
        sa.Column("declared_bookings", sa.Integer),
        sa.Column("passengers", sa.Integer, nullable=False),
        sa.Column("crew", sa.Integer, nullable=False),
        sa.Column("bookings", sa.Integer, nullable=False),
    )
    for column in ("message_id", "flight_id", "dataset"):
        op.create_index(f"ix_message_flight_{column}", "message_flight", [column])
    op.create_table(
        "flight_schedule",
        sa.Column("flight_id", sa.String(40), sa.ForeignKey("flight.id"), primary_key=True),
        sa.Column("departure_utc", sa.DateTime),
        sa.Column("pnr_expected", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("loaded_by", sa.String(255), nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("flight_schedule")
    op.drop_table("message_flight")
    op.drop_table("retention_run")
    op.drop_table("unmask_request")
    op.drop_index("ix_statement_document_number", "statement")
    op.drop_index("ix_traveller_message_id", "traveller")
    op.drop_table("targeting_rule_version")
    op.drop_table("targeting_rule")
    with op.batch_alter_table("screening_subject") as batch:
        batch.drop_index("ix_screening_subject_external_id")
        batch.drop_index("ix_screening_subject_dataset")
        batch.drop_column("dataset")
    with op.batch_alter_table("hit") as batch:
        batch.drop_column("kind")
