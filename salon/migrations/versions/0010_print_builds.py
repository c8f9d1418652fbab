"""print builds: printouts built in the background, their progress and their PDF

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-06 07:37:16

"""

from alembic import op
import sqlalchemy as sa

import salon.models.base


revision = "0010"
down_revision = "0012"
branch_labels = None
depends_on = None

BUILDING = "status IN ('queued', 'running')"


def upgrade():
    op.create_table(
        "print_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=12), nullable=False),
        sa.Column("include_empty", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("meetings", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            salon.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("heartbeat_at", salon.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", salon.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "document IN ('badges', 'agendas', 'tables')", name=op.f("ck_print_builds_document_known")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_print_builds_status_known")
        ),
        sa.CheckConstraint("done >= 0 AND total >= 0", name=op.f("ck_print_builds_progress_nonnegative")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_print_builds_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_print_builds_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_builds")),
    )
    with op.batch_alter_table("print_builds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_builds_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            "uq_print_builds_one_building_per_document",
            ["fair_id", "document"],
            unique=True,
            sqlite_where=sa.text(BUILDING),
            postgresql_where=sa.text(BUILDING),
        )


def downgrade():
    with op.batch_alter_table("print_builds", schema=None) as batch_op:
        batch_op.drop_index("uq_print_builds_one_building_per_document")
        batch_op.drop_index(batch_op.f("ix_print_builds_fair_id"))
    op.drop_table("print_builds")
