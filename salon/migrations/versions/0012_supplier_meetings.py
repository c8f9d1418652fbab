"""co-contracting: a fair may let suppliers meet each other (and where two exhibitors meet)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 09:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("fairs") as batch_op:
        batch_op.add_column(
            sa.Column("supplier_meetings", sa.String(length=20), server_default="off", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_fairs_supplier_meetings_known"), "supplier_meetings IN ('off', 'home', 'home-or-shared')"
        )


def downgrade():
    with op.batch_alter_table("fairs") as batch_op:
        batch_op.drop_constraint(op.f("ck_fairs_supplier_meetings_known"), type_="check")
        batch_op.drop_column("supplier_meetings")
