"""Kept datasets' versions (issue 27): one row a kept dataset's name with a version that every
keep, replace and removal raises and the kept files' content fingerprint, so every app process
sees a replaced dataset on its next page load (insight.sharing.datasets, store/kept.py).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_datasets",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("kept_utc", sa.Text, nullable=False),
        sa.CheckConstraint("version >= 1", name="kept_datasets_version"),
    )


def downgrade() -> None:
    op.drop_table("kept_datasets")
