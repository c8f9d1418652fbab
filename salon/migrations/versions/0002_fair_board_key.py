"""fair board key: the table board's address can be replaced (and the previous one revoked)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("fairs") as batch:
        batch.add_column(sa.Column("board_key", sa.String(length=32), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("fairs") as batch:
        batch.drop_column("board_key")
