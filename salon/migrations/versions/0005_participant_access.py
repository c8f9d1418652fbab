"""participant access: invitations for imported participants, claims, who set a wish, change log

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-27 09:00:00

"""

from alembic import op
import sqlalchemy as sa

import salon.models.base


revision = "0005"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN = "accepted_at IS NULL AND revoked_at IS NULL"
ROLE_CHECK = "ck_organiser_invitations_role_known"
PARTICIPANT_CHECK = "ck_organiser_invitations_participant_role_names_participant"


def _dt(name, nullable=True, **kw):
    return sa.Column(name, salon.models.base.UTCDateTime(timezone=True), nullable=nullable, **kw)


def upgrade():
    with op.batch_alter_table("organiser_invitations", schema=None) as batch_op:
        batch_op.drop_index("uq_organiser_invitations_open_per_email")
        batch_op.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch_op.add_column(_dt("sent_at"))
        batch_op.create_foreign_key(
            batch_op.f("fk_organiser_invitations_participant_id_participants"),
            "participants",
            ["participant_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint(batch_op.f(ROLE_CHECK), type_="check")
        batch_op.create_check_constraint("role_known", "role IN ('owner', 'organiser', 'participant')")
        batch_op.create_check_constraint(
            "participant_role_names_participant", "(role = 'participant') = (participant_id IS NOT NULL)"
        )
        batch_op.create_index(
            batch_op.f("ix_organiser_invitations_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            "uq_organiser_invitations_open_per_email",
            ["fair_id", "email"],
            unique=True,
            sqlite_where=sa.text(OPEN + " AND participant_id IS NULL"),
            postgresql_where=sa.text(OPEN + " AND participant_id IS NULL"),
        )
        batch_op.create_index(
            "uq_organiser_invitations_open_per_participant",
            ["participant_id"],
            unique=True,
            sqlite_where=sa.text(OPEN + " AND participant_id IS NOT NULL"),
            postgresql_where=sa.text(OPEN + " AND participant_id IS NOT NULL"),
        )
    with op.batch_alter_table("wishes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("set_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("by_organiser", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_wishes_set_by_id_users"), "users", ["set_by_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "participant_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        _dt("created_at", nullable=False, server_default=sa.text("(CURRENT_TIMESTAMP)")),
        _dt("decided_at"),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("via IN ('address', 'siret')", name=op.f("ck_participant_claims_via_known")),
        sa.CheckConstraint(
            "status IN ('waiting', 'approved', 'refused')", name=op.f("ck_participant_claims_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_participant_claims_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_claims_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_participant_claims_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_participant_claims_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_claims")),
    )
    with op.batch_alter_table("participant_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_claims_fair_id"), ["fair_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_claims_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_claims_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_participant_claims_waiting",
            ["participant_id", "user_id"],
            unique=True,
            sqlite_where=sa.text("status = 'waiting'"),
            postgresql_where=sa.text("status = 'waiting'"),
        )
    op.create_table(
        "participant_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("by_organiser", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _dt("created_at", nullable=False, server_default=sa.text("(CURRENT_TIMESTAMP)")),
        sa.CheckConstraint(
            "kind IN ('wish', 'availability', 'profile')", name=op.f("ck_participant_changes_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_changes_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_participant_changes_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_changes")),
    )
    with op.batch_alter_table("participant_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_changes_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("participant_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_changes_participant_id"))
    op.drop_table("participant_changes")
    with op.batch_alter_table("participant_claims", schema=None) as batch_op:
        batch_op.drop_index("uq_participant_claims_waiting")
        batch_op.drop_index(batch_op.f("ix_participant_claims_user_id"))
        batch_op.drop_index(batch_op.f("ix_participant_claims_participant_id"))
        batch_op.drop_index(batch_op.f("ix_participant_claims_fair_id"))
    op.drop_table("participant_claims")
    with op.batch_alter_table("wishes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_wishes_set_by_id_users"), type_="foreignkey")
        batch_op.drop_column("by_organiser")
        batch_op.drop_column("set_by_id")
    # Participant invitations cannot exist under the older schema.
    op.execute("DELETE FROM organiser_invitations WHERE participant_id IS NOT NULL")
    with op.batch_alter_table("organiser_invitations", schema=None) as batch_op:
        batch_op.drop_index("uq_organiser_invitations_open_per_participant")
        batch_op.drop_index("uq_organiser_invitations_open_per_email")
        batch_op.drop_index(batch_op.f("ix_organiser_invitations_participant_id"))
        batch_op.drop_constraint(batch_op.f(PARTICIPANT_CHECK), type_="check")
        batch_op.drop_constraint(batch_op.f(ROLE_CHECK), type_="check")
        batch_op.create_check_constraint("role_known", "role IN ('owner', 'organiser')")
        batch_op.drop_constraint(
            batch_op.f("fk_organiser_invitations_participant_id_participants"), type_="foreignkey"
        )
        batch_op.drop_column("sent_at")
        batch_op.drop_column("participant_id")
        batch_op.create_index(
            "uq_organiser_invitations_open_per_email",
            ["fair_id", "email"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
