"""Indexes for the two lists every page asks for: insights by the day they were shared, meetings
by when they last changed (each newest first), so a provider-wide database with thousands of
them lists without reading every row.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("stakeholder_insights_shared", "stakeholder_insights", ["shared_on", "id"])
    op.create_index("meetings_updated", "meetings", ["updated_utc", "id"])


def downgrade() -> None:
    op.drop_index("meetings_updated", "meetings")
    op.drop_index("stakeholder_insights_shared", "stakeholder_insights")
