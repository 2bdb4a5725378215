"""Rules, notifications and Web Push subscriptions.

Revision ID: 0003_rules
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003_rules"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_DOC = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = sa.String(64)
_NAME = sa.String(200)


def upgrade() -> None:
    op.add_column("state_history", sa.Column("cause", _DOC, nullable=True))
    op.create_table(
        "rules",
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("id", _ID, primary_key=True),
        sa.Column("data", _DOC, nullable=False),
        sa.Column("last_fired", sa.Double(), nullable=True),
    )
    op.create_table(
        "notifications",
        sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
        sa.Column("home_id", _ID, nullable=False),
        sa.Column("person", _NAME, nullable=False),
        sa.Column("text", sa.String(1000), nullable=False),
        sa.Column("text_en", sa.String(1000), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=False),
        sa.Column("rule_id", _ID, nullable=False),
    )
    op.create_index("ix_notifications_home_person_at", "notifications", ["home_id", "person", "at"])
    op.create_table(
        "push_subscriptions",
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("endpoint", sa.String(1000), primary_key=True),
        sa.Column("person", _NAME, nullable=False),
        sa.Column("p256dh", sa.String(200), nullable=False),
        sa.Column("auth", sa.String(100), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("push_subscriptions")
    op.drop_index("ix_notifications_home_person_at", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("rules")
    op.drop_column("state_history", "cause")
