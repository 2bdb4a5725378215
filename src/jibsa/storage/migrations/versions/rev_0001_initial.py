"""The first schema: device states and their history, pending jobs, users, access tokens, login
sessions, the audit log and lists.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from jibsa.storage.schema: a migration must not change when the
# schema module moves on.
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_DOC = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = sa.String(64)
_NAME = sa.String(200)


def upgrade() -> None:
    _home_state()
    _people()
    _audit_and_lists()


def _home_state() -> None:
    op.create_table(
        "device_states",
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("device_id", _ID, primary_key=True),
        sa.Column("state", _DOC, nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
    )
    op.create_table(
        "state_history",
        sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
        sa.Column("home_id", _ID, nullable=False),
        sa.Column("device_id", _ID, nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("old", _DOC, nullable=False),
        sa.Column("new", _DOC, nullable=False),
    )
    op.create_index("ix_state_history_home_at", "state_history", ["home_id", "at"])
    op.create_index("ix_state_history_home_device_at", "state_history", ["home_id", "device_id", "at"])
    op.create_table(
        "pending_jobs",
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("id", _ID, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("due", sa.Double(), nullable=False),
        sa.Column("command", _DOC, nullable=False),
        sa.Column("repeat", sa.String(32), nullable=True),
        sa.Column("repeat_at", sa.String(16), nullable=True),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("meta", _DOC, nullable=False),
    )


def _people() -> None:
    op.create_table(
        "users",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("home_id", _ID, nullable=False),
        sa.Column("name", _NAME, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.UniqueConstraint("home_id", "name", name="uq_users_home_name"),
    )
    op.create_table(
        "access_tokens",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(128), nullable=False, unique=True),
        sa.Column("label", _NAME, nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("last_used", sa.Double(), nullable=True),
    )
    op.create_index("ix_access_tokens_user_id", "access_tokens", ["user_id"])
    op.create_table(
        "login_sessions",
        sa.Column("session_hash", sa.String(128), primary_key=True),
        sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("expires", sa.Double(), nullable=False),
        sa.Column("csrf_token", sa.String(128), nullable=False),
    )
    op.create_index("ix_login_sessions_user_id", "login_sessions", ["user_id"])


def _audit_and_lists() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
        sa.Column("home_id", _ID, nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("user_name", _NAME, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("source", _NAME, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", _DOC, nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("result", _DOC, nullable=False),
    )
    op.create_index("ix_audit_log_home_at", "audit_log", ["home_id", "at"])
    op.create_table(
        "list_items",
        sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
        sa.Column("home_id", _ID, nullable=False),
        sa.Column("list_name", _NAME, nullable=False),
        sa.Column("item", sa.String(500), nullable=False),
        sa.UniqueConstraint("home_id", "list_name", "item", name="uq_list_items_home_list_item"),
    )


def downgrade() -> None:
    for table in (
        "list_items",
        "audit_log",
        "login_sessions",
        "access_tokens",
        "users",
        "pending_jobs",
        "state_history",
        "device_states",
    ):
        op.drop_table(table)
