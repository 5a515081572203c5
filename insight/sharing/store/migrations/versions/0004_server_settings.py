"""Settings kept on the server for everyone (issue 29): the default dataset a data manager
chose, one row a setting (store/settings.py).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_settings",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("set_by", sa.Text, nullable=False),
        sa.Column("set_utc", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("server_settings")
