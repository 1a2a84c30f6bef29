"""Technical-assistance coordination: a state's requirements, source documents and their
releases, needs, roadmaps and steps, projects with budgets, organisations, sectors,
beneficiaries and results, indicators and actuals, roll-up links, matches and notes on
duplication flags.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assist_theme",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("area", sa.String(8), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("label_ar", sa.Text, nullable=False),
        sa.Column("dac", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "assist_document",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("release", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_document_agency", "assist_document", ["agency"])
    op.create_table(
        "assist_release",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("record", sa.Integer, primary_key=True),
        sa.Column("agency", sa.String(64), primary_key=True),
        sa.Column("released_by", sa.String(255), nullable=False),
        sa.Column("released_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "assist_need",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("institution", sa.Text, nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        sa.Column("gap", sa.Text, nullable=False),
        sa.Column("baseline", sa.Text, nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("document", sa.Integer, sa.ForeignKey("assist_document.id")),
        sa.Column("cost", sa.Float),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("wanted_by", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_need_agency", "assist_need", ["agency"])
    op.create_table(
        "assist_roadmap",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("requirement", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_roadmap_agency", "assist_roadmap", ["agency"])
    op.create_table(
        "assist_step",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("roadmap", sa.Integer, sa.ForeignKey("assist_roadmap.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("recommendation", sa.Text, nullable=False),
        sa.Column("institution", sa.Text, nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("themes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_step_roadmap", "assist_step", ["roadmap"])
    op.create_table(
        "assist_step_need",
        sa.Column("step", sa.Integer, sa.ForeignKey("assist_step.id"), primary_key=True),
        sa.Column("need", sa.Integer, sa.ForeignKey("assist_need.id"), primary_key=True),
    )
    op.create_table(
        "assist_project",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("identifier", sa.String(255), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_ar", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("start", sa.Date),
        sa.Column("end", sa.Date),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("spent", sa.Float, nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_project_agency", "assist_project", ["agency"])
    op.create_table(
        "assist_budget",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
    )
    op.create_index("ix_assist_budget_project", "assist_budget", ["project"])
    op.create_table(
        "assist_participant",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("role", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
    )
    op.create_index("ix_assist_participant_project", "assist_participant", ["project"])
    op.create_table(
        "assist_project_sector",
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), primary_key=True),
        sa.Column("vocabulary", sa.String(4), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
    )
    op.create_table(
        "assist_beneficiary",
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), primary_key=True),
        sa.Column("institution", sa.String(255), primary_key=True),
    )
    op.create_table(
        "assist_indicator",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("need", sa.Integer, sa.ForeignKey("assist_need.id")),
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id")),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("result_type", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("ascending", sa.Boolean, nullable=False),
        sa.Column("baseline", sa.Float, nullable=False),
        sa.Column("baseline_date", sa.Date, nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("target_date", sa.Date, nullable=False),
    )
    op.create_index("ix_assist_indicator_need", "assist_indicator", ["need"])
    op.create_index("ix_assist_indicator_project", "assist_indicator", ["project"])
    op.create_table(
        "assist_actual",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.Integer, sa.ForeignKey("assist_indicator.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("reported_by", sa.String(255), nullable=False),
        sa.Column("reported_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_actual_indicator", "assist_actual", ["indicator"])
    op.create_table(
        "assist_indicator_link",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator", sa.Integer, sa.ForeignKey("assist_indicator.id"), nullable=False),
        sa.Column("need", sa.Integer, sa.ForeignKey("assist_need.id")),
        sa.Column("step", sa.Integer, sa.ForeignKey("assist_step.id")),
        sa.Column("linked_by", sa.String(255), nullable=False),
        sa.Column("linked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_indicator_link_indicator", "assist_indicator_link", ["indicator"])
    op.create_table(
        "assist_match",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("need", sa.Integer, sa.ForeignKey("assist_need.id"), nullable=False),
        sa.Column("project", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("components", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(255), nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_match_need", "assist_match", ["need"])
    op.create_index("ix_assist_match_project", "assist_match", ["project"])
    op.create_index("ix_assist_match_pair", "assist_match", ["need", "project"], unique=True)
    op.create_table(
        "assist_duplicate_note",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("left", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("right", sa.Integer, sa.ForeignKey("assist_project.id"), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by_user", sa.String(255), nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_assist_duplicate_note_pair", "assist_duplicate_note", ["left", "right"])


def downgrade() -> None:
    for name in (
        "assist_duplicate_note",
        "assist_match",
        "assist_indicator_link",
        "assist_actual",
        "assist_indicator",
        "assist_beneficiary",
        "assist_project_sector",
        "assist_participant",
        "assist_budget",
        "assist_project",
        "assist_step_need",
        "assist_step",
        "assist_roadmap",
        "assist_need",
        "assist_release",
        "assist_document",
        "assist_theme",
    ):
        op.drop_table(name)
