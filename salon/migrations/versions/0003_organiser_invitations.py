"""organiser invitations: an e-mail address without an account invited to organise a fair

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:30:00

"""

from alembic import op
import sqlalchemy as sa

import salon.models.base


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = "accepted_at IS NULL AND revoked_at IS NULL"


def upgrade():
    op.create_table(
        "organiser_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            salon.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("expires_at", salon.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", salon.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", salon.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('owner', 'organiser')", name=op.f("ck_organiser_invitations_role_known")),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_organiser_invitations_email_lowercase")),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_organiser_invitations_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_organiser_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser_invitations")),
    )
    with op.batch_alter_table("organiser_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organiser_invitations_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(
            "uq_organiser_invitations_open_per_email",
            ["fair_id", "email"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade():
    with op.batch_alter_table("organiser_invitations", schema=None) as batch_op:
        batch_op.drop_index("uq_organiser_invitations_open_per_email")
        batch_op.drop_index(batch_op.f("ix_organiser_invitations_fair_id"))
    op.drop_table("organiser_invitations")
