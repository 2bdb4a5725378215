"""Who has read a notification sent to everyone: one row per person who read it (issue 20, item 9).

Revision ID: 0006_notification_reads
Revises: 0005_notification_words
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_notification_reads"
down_revision: str | None = "0005_notification_words"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_reads",
        sa.Column("home_id", sa.String(64), primary_key=True),
        sa.Column("notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("person", sa.String(200), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("notification_reads")
