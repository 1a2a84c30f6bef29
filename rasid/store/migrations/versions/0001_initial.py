"""Initial schema: agencies, datasets, statements, name index, ingest runs, quarantine.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from rasid.store import fts

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("label_ar", sa.Text, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "dataset",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("default_marking", sa.String(20), nullable=False),
        sa.Column("retention_class", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dataset_agency", "dataset", ["agency"])
    op.create_table(
        "statement",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(255), nullable=False),
        sa.Column("canonical_id", sa.String(255), nullable=False),
        sa.Column("schema", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("prop_type", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("lang", sa.String(16)),
        sa.Column("original_value", sa.Text),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("origin", sa.String(255)),
        sa.Column("external", sa.Boolean, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("handling", sa.Text),
        sa.Column("source_grade", sa.String(4)),
        sa.Column("info_grade", sa.String(4)),
        sa.Column("legal_basis", sa.Text),
        sa.Column("retention_class", sa.String(64)),
        sa.Column("mask_after", sa.Date),
        sa.Column("delete_after", sa.Date),
    )
    op.create_index("ix_statement_entity_id", "statement", ["entity_id"])
    op.create_index("ix_statement_canonical_id", "statement", ["canonical_id"])
    op.create_index("ix_statement_dataset_prop_schema", "statement", ["dataset", "prop", "schema"])
    op.create_table(
        "name_index",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "statement_id",
            sa.String(40),
            sa.ForeignKey("statement.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("entity_id", sa.String(255), nullable=False),
        sa.Column("dataset", sa.String(64), nullable=False),
        sa.Column("text_norm", sa.Text, nullable=False),
    )
    op.create_index("ix_name_index_entity_id", "name_index", ["entity_id"])
    op.create_index("ix_name_index_dataset", "name_index", ["dataset"])
    fts.create(op.get_bind())
    op.create_table(
        "ingest_run",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("dataset", sa.String(64), sa.ForeignKey("dataset.name"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("entities", sa.Integer, nullable=False),
        sa.Column("statements", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
    )
    op.create_index("ix_ingest_run_dataset", "ingest_run", ["dataset"])
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), sa.ForeignKey("ingest_run.id"), nullable=False),
        sa.Column("dataset", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("raw", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_quarantine_run_id", "quarantine", ["run_id"])
    op.create_index("ix_quarantine_dataset", "quarantine", ["dataset"])


def downgrade() -> None:
    op.drop_table("quarantine")
    op.drop_table("ingest_run")
    fts.drop(op.get_bind())
    op.drop_table("name_index")
    op.drop_table("statement")
    op.drop_table("dataset")
    op.drop_table("agency")
