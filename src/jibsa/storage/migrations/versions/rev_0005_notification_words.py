"""Notifications keep what they say as a words key and its fields, worded when read (in the reader's
language); rows from before keep their Korean and English texts, read as they were written.

Revision ID: 0005_notification_words
Revises: 0004_energy
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0005_notification_words"
down_revision: str | None = "0004_energy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOC = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.add_column(sa.Column("said_key", sa.String(100), nullable=False, server_default=""))
        table.add_column(sa.Column("said_fields", _DOC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as table:
        table.drop_column("said_fields")
        table.drop_column("said_key")
