"""solve lease: a run's heartbeat, when its stop was asked, and why it was released

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-06 08:00:00

"""

from alembic import op
import sqlalchemy as sa

import salon.models.base


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FAILURES = ("", "lease_expired", "job_lost", "no_worker", "not_queued", "worker_killed", "stop_unanswered")


def upgrade():
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stop_pending_since", salon.models.base.UTCDateTime(timezone=True)))
        batch_op.add_column(sa.Column("heartbeat_at", salon.models.base.UTCDateTime(timezone=True)))
        batch_op.add_column(sa.Column("failure", sa.String(length=20), server_default="", nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_schedule_runs_failure_known"),
            "failure IN (" + ", ".join(f"'{code}'" for code in FAILURES) + ")",
        )


def downgrade():
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_schedule_runs_failure_known"), type_="check")
        batch_op.drop_column("failure")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("stop_pending_since")
