"""Travel data: the API and PNR messages received, flights, bookings with every version
received and their itineraries, and travellers per flight.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "travel_message",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("ingest_run.id"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("control_reference", sa.Text, nullable=False),
        sa.Column("prepared_at", sa.DateTime),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("flights", sa.Integer, nullable=False),
        sa.Column("travellers", sa.Integer, nullable=False),
        sa.Column("bookings", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("filtered", sa.Integer, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
    )
    _index("travel_message", "dataset")
    _index("travel_message", "run_id")
    op.create_table(
        "flight",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("carrier", sa.Text, nullable=False),
        sa.Column("flight_number", sa.Text, nullable=False),
        sa.Column("departure_airport", sa.Text, nullable=False),
        sa.Column("arrival_airport", sa.Text, nullable=False),
        sa.Column("departure_date", sa.Date, nullable=False),
        sa.Column("scheduled_departure", sa.DateTime),
        sa.Column("scheduled_arrival", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    _index("flight", "departure_date")
    op.create_table(
        "booking",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("carrier", sa.Text, nullable=False),
        sa.Column("record_locator", sa.Text, nullable=False),
        sa.Column("booked_at", sa.DateTime),
        sa.Column("last_transaction_at", sa.DateTime),
        sa.Column("point_of_sale", sa.Text, nullable=False),
        sa.Column("contacts", sa.Text, nullable=False),
        sa.Column("addresses", sa.Text, nullable=False),
        sa.Column("payments", sa.Text, nullable=False),
        sa.Column("tickets", sa.Text, nullable=False),
        sa.Column("bags", sa.Text, nullable=False),
        sa.Column("current_version", sa.String(40), nullable=False),
        sa.Column("as_of", sa.DateTime),
        sa.Column("first_received", sa.DateTime, nullable=False),
        sa.Column("last_received", sa.DateTime, nullable=False),
    )
    _index("booking", "dataset")
    _index("booking", "record_locator")
    op.create_table(
        "booking_version",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("booking_id", sa.String(40), sa.ForeignKey("booking.id"), nullable=False),
        sa.Column("message_id", sa.String(40), sa.ForeignKey("travel_message.id"), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("message_hash", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("as_of", sa.DateTime),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("filtered", sa.Integer, nullable=False),
        sa.Column("filtered_categories", sa.Text, nullable=False),
    )
    _index("booking_version", "booking_id")
    _index("booking_version", "message_id")
    op.create_table(
        "booking_flight",
        sa.Column("booking_id", sa.String(40), sa.ForeignKey("booking.id"), primary_key=True),
        sa.Column("flight_id", sa.String(40), sa.ForeignKey("flight.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("marketing_carrier", sa.Text, nullable=False),
        sa.Column("marketing_flight_number", sa.Text, nullable=False),
        sa.Column("booking_class", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
    )
    _index("booking_flight", "flight_id")
    op.create_table(
        "traveller",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("flight_id", sa.String(40), sa.ForeignKey("flight.id")),
        sa.Column("booking_id", sa.String(40), sa.ForeignKey("booking.id")),
        sa.Column("message_id", sa.String(40), sa.ForeignKey("travel_message.id"), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("role_code", sa.Text, nullable=False),
        sa.Column("surname", sa.Text, nullable=False),
        sa.Column("given_names", sa.Text, nullable=False),
        sa.Column("sex", sa.Text, nullable=False),
        sa.Column("birth_date", sa.Date),
        sa.Column("nationality", sa.Text, nullable=False),
        sa.Column("residence_country", sa.Text, nullable=False),
        sa.Column("seat", sa.Text, nullable=False),
        sa.Column("booking_reference", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(255), nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    for column in ("dataset", "flight_id", "booking_id", "entity_id"):
        _index("traveller", column)


def downgrade() -> None:
    op.drop_table("traveller")
    op.drop_table("booking_flight")
    op.drop_table("booking_version")
    op.drop_table("booking")
    op.drop_table("flight")
    op.drop_table("travel_message")
