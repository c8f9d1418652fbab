"""notification intents: the e-mails about meetings a change queues, rendered into the outbox afterwards

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-07 08:00:00

"""

from alembic import op
import sqlalchemy as sa

import salon.models.base


revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_intents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            salon.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["fair_id"], ["fairs.id"], name=op.f("fk_notification_intents_fair_id_fairs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_notification_intents_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_notification_intents_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_intents")),
    )
    with op.batch_alter_table("notification_intents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_intents_fair_id"), ["fair_id"], unique=False)


def downgrade():
    with op.batch_alter_table("notification_intents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_intents_fair_id"))
    op.drop_table("notification_intents")
