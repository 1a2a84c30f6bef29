"""Nexus monitoring: subjects, assessments, their ratings and evidence, judgements, alerts
and imported series; and the triggers that freeze an approved assessment.

An approved (or superseded) assessment, its ratings and its evidence refuse every UPDATE,
DELETE and INSERT; the one change accepted is an approved assessment becoming superseded,
with nothing else in its row changed. The code refuses the same first, with a clearer
message: the triggers keep the rule for anyone writing to the database directly.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FROZEN = "('approved', 'superseded')"
MESSAGE = "monitoring: an approved assessment cannot be changed"
# Every column of monitor_assessment but status: none may change when it becomes superseded.
KEPT = (
    "id",
    "subject",
    "period_start",
    "period_end",
    "instrument_version",
    "agency",
    "marking",
    "assessor",
    "reviewer",
    "revises",
    "content_hash",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
    "review_note",
)
# The assessment a row of each child table belongs to, as SQL over a row (OLD or NEW).
OWNER = {
    "monitor_rating": "{row}.assessment",
    "monitor_evidence": "(SELECT r.assessment FROM monitor_rating r WHERE r.id = {row}.rating)",
}


def _tables() -> None:
    op.create_table(
        "monitor_subject",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_ar", sa.Text, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("entity_id", sa.String(255)),
        sa.Column("parent", sa.Integer, sa.ForeignKey("monitor_subject.id")),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "monitor_assessment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.Integer, sa.ForeignKey("monitor_subject.id"), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("instrument_version", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("assessor", sa.String(255), nullable=False),
        sa.Column("reviewer", sa.String(255)),
        sa.Column("revises", sa.Integer, sa.ForeignKey("monitor_assessment.id")),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("approved_at", sa.DateTime),
        sa.Column("review_note", sa.Text, nullable=False),
    )
    op.create_index("ix_monitor_assessment_subject", "monitor_assessment", ["subject"])
    op.create_index("ix_monitor_assessment_status", "monitor_assessment", ["status"])
    op.create_table(
        "monitor_rating",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment", sa.Integer, sa.ForeignKey("monitor_assessment.id"), nullable=False),
        sa.Column("indicator", sa.String(128), nullable=False),
        sa.Column("level", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("confidence", sa.String(16)),
        sa.Column("trend", sa.String(16), nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_monitor_rating_indicator", "monitor_rating", ["assessment", "indicator"], unique=True
    )
    op.create_table(
        "monitor_evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rating", sa.Integer, sa.ForeignKey("monitor_rating.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("source_grade", sa.String(8)),
        sa.Column("info_grade", sa.String(8)),
        sa.Column("marking", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_monitor_evidence_rating", "monitor_evidence", ["rating"])
    op.create_table(
        "monitor_judgement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment", sa.Integer, sa.ForeignKey("monitor_assessment.id"), nullable=False),
        sa.Column("manifestation", sa.String(32), nullable=False),
        sa.Column("likelihood", sa.String(32), nullable=False),
        sa.Column("confidence", sa.String(16), nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("by_user", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_monitor_judgement_assessment", "monitor_judgement", ["assessment"])
    op.create_table(
        "monitor_alert",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.Integer, sa.ForeignKey("monitor_subject.id"), nullable=False),
        sa.Column("assessment", sa.Integer, sa.ForeignKey("monitor_assessment.id"), nullable=False),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("change_kind", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(128), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("dismissed_at", sa.DateTime),
        sa.Column("dismissed_by", sa.String(255)),
    )
    op.create_index("ix_monitor_alert_agency", "monitor_alert", ["agency"])
    op.create_table(
        "monitor_series_point",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(64), sa.ForeignKey("agency.name"), nullable=False),
        sa.Column("series", sa.String(128), nullable=False),
        sa.Column("region", sa.String(128), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("imported_by", sa.String(255), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_monitor_series_point_key",
        "monitor_series_point",
        ["agency", "series", "region", "period"],
        unique=True,
    )


def _superseding(same: str) -> str:
    """The condition under which an UPDATE of a frozen assessment is let through."""
    return f"(OLD.status = 'approved' AND NEW.status = 'superseded' AND {same})"


def _sqlite_triggers() -> list[str]:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)
    refuse = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    table = "monitor_assessment"
    found = [
        f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} "
        f"WHEN OLD.status IN {FROZEN} AND NOT {_superseding(same)} {refuse}",
        f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table} "
        f"WHEN OLD.status IN {FROZEN} {refuse}",
    ]
    for child, owner in OWNER.items():
        for event, rows in (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",))):
            frozen = " OR ".join(
                f"(SELECT a.status FROM {table} a WHERE a.id = {owner.format(row=r)}) IN {FROZEN}"
                for r in rows
            )
            found.append(
                f"CREATE TRIGGER {child}_frozen_{event} BEFORE {event.upper()} ON {child} "
                f"WHEN {frozen} {refuse}"
            )
    return found


def _postgresql_triggers() -> list[str]:
    new_row = ", ".join(f"NEW.{c}" for c in KEPT)
    old_row = ", ".join(f"OLD.{c}" for c in KEPT)
    same = f"ROW({new_row}) IS NOT DISTINCT FROM ROW({old_row})"
    table = "monitor_assessment"
    found = [
        f"""CREATE FUNCTION {table}_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status IN {FROZEN} AND (TG_OP = 'DELETE' OR NOT {_superseding(same)}) THEN
    RAISE EXCEPTION '{MESSAGE}';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_frozen()",
    ]
    for child, owner in OWNER.items():
        check = (
            "IF (SELECT a.status FROM {t} a WHERE a.id = {o}) IN {f} THEN "
            "RAISE EXCEPTION '{m}'; END IF;"
        )
        old = check.format(t=table, o=owner.format(row="OLD"), f=FROZEN, m=MESSAGE)
        new = check.format(t=table, o=owner.format(row="NEW"), f=FROZEN, m=MESSAGE)
        found += [
            f"""CREATE FUNCTION {child}_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {old} END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {new} END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
            f"CREATE TRIGGER {child}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {child} "
            f"FOR EACH ROW EXECUTE FUNCTION {child}_frozen()",
        ]
    return found


def upgrade() -> None:
    _tables()
    dialect = op.get_bind().dialect.name
    for sql in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(sql)


def downgrade() -> None:
    for name in (
        "monitor_series_point",
        "monitor_alert",
        "monitor_judgement",
        "monitor_evidence",
        "monitor_rating",
        "monitor_assessment",
        "monitor_subject",
    ):
        op.drop_table(name)  # drops the table's triggers too
    if op.get_bind().dialect.name == "postgresql":
        for table in ("monitor_assessment", *OWNER):
            op.execute(f"DROP FUNCTION IF EXISTS {table}_frozen()")
