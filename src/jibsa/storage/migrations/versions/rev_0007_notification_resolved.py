"""A notification about a state (the front door unlocked) is resolved when the state stops matching (the
door is locked again): when, kept in `resolved_at` (NULL: still current) (issue 25).

Revision ID: 0007_notification_resolved
Revises: 0006_notification_reads
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_notification_resolved"
down_revision: str | None = "0006_notification_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.add_column(sa.Column("resolved_at", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.drop_column("resolved_at")
