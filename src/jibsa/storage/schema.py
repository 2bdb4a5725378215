"""The tables, as SQLAlchemy Core. Every row of a home's data carries its `home_id`, so many homes
share one database. Times are epoch seconds (double precision); documents are JSON (JSONB on PostgreSQL).

The migrations in `migrations/versions/` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

# Integer on SQLite so that the column is the rowid and numbers itself.
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_DOC = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = sa.String(64)
_NAME = sa.String(200)

metadata = sa.MetaData()

device_states = sa.Table(
    "device_states", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("device_id", _ID, primary_key=True),
    sa.Column("state", _DOC, nullable=False),
    sa.Column("updated", sa.Double(), nullable=False),
)  # fmt: skip

state_history = sa.Table(
    "state_history", metadata,
    sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
    sa.Column("home_id", _ID, nullable=False),
    sa.Column("device_id", _ID, nullable=False),
    sa.Column("at", sa.Double(), nullable=False),
    sa.Column("old", _DOC, nullable=False),
    sa.Column("new", _DOC, nullable=False),
    sa.Column("cause", _DOC, nullable=True),  # rev_0003_rules: who or what made the change
    sa.Index("ix_state_history_home_at", "home_id", "at"),
    sa.Index("ix_state_history_home_device_at", "home_id", "device_id", "at"),
)  # fmt: skip

pending_jobs = sa.Table(
    "pending_jobs", metadata,
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
)  # fmt: skip

users = sa.Table(
    "users", metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("home_id", _ID, nullable=False),
    sa.Column("name", _NAME, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=True),
    sa.Column("created", sa.Double(), nullable=False),
    sa.UniqueConstraint("home_id", "name", name="uq_users_home_name"),
)  # fmt: skip

access_tokens = sa.Table(
    "access_tokens", metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(128), nullable=False, unique=True),
    sa.Column("label", _NAME, nullable=False),
    sa.Column("created", sa.Double(), nullable=False),
    sa.Column("last_used", sa.Double(), nullable=True),
)  # fmt: skip

login_sessions = sa.Table(
    "login_sessions", metadata,
    sa.Column("session_hash", sa.String(128), primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("expires", sa.Double(), nullable=False),
    sa.Column("csrf_token", sa.String(128), nullable=False),
)  # fmt: skip

audit_log = sa.Table(
    "audit_log", metadata,
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
    sa.Index("ix_audit_log_home_at", "home_id", "at"),
)  # fmt: skip

list_items = sa.Table(
    "list_items", metadata,
    sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
    sa.Column("home_id", _ID, nullable=False),
    sa.Column("list_name", _NAME, nullable=False),
    sa.Column("item", sa.String(500), nullable=False),
    sa.UniqueConstraint("home_id", "list_name", "item", name="uq_list_items_home_list_item"),
)  # fmt: skip

rules = sa.Table(
    "rules", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("id", _ID, primary_key=True),
    sa.Column("data", _DOC, nullable=False),
    sa.Column("last_fired", sa.Double(), nullable=True),
)  # fmt: skip

notifications = sa.Table(
    "notifications", metadata,
    sa.Column("id", _SERIAL, primary_key=True, autoincrement=True),
    sa.Column("home_id", _ID, nullable=False),
    sa.Column("person", _NAME, nullable=False),
    sa.Column("text", sa.String(1000), nullable=False),
    sa.Column("text_en", sa.String(1000), nullable=False),
    sa.Column("at", sa.Double(), nullable=False),
    sa.Column("read", sa.Boolean(), nullable=False),
    sa.Column("rule_id", _ID, nullable=False),
    # rev_0005_notification_words: what it says as a words key and fields ("" for rows from before,
    # which keep their sentences in text and text_en; new rows leave those empty).
    sa.Column("said_key", sa.String(100), nullable=False, server_default=""),
    sa.Column("said_fields", _DOC, nullable=True),
    # rev_0007_notification_resolved: when the state it told of stopped holding (NULL: still current).
    sa.Column("resolved_at", sa.Double(), nullable=True),
    sa.Index("ix_notifications_home_person_at", "home_id", "person", "at"),
)  # fmt: skip

# rev_0006_notification_reads: who has read a notification sent to everyone (person ""); a notification
# for one person keeps its own `read`.
notification_reads = sa.Table(
    "notification_reads", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("notification_id", _SERIAL, primary_key=True),
    sa.Column("person", _NAME, primary_key=True),
)  # fmt: skip

push_subscriptions = sa.Table(
    "push_subscriptions", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("endpoint", sa.String(1000), primary_key=True),
    sa.Column("person", _NAME, nullable=False),
    sa.Column("p256dh", sa.String(200), nullable=False),
    sa.Column("auth", sa.String(100), nullable=False),
    sa.Column("created", sa.Double(), nullable=False),
)  # fmt: skip

# rev_0004_energy: energy per device (and the whole home, device_id "") per hour and per day (the home's
# days: `start` is its local midnight), kept for good, and per five minutes, pruned; the key leads with
# the time so that a month of every device is one range. Without rowid on SQLite: the key is the row
# (no second copy of it), the smaller file for long-term rows.
energy_hourly = sa.Table(
    "energy_hourly", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("start", sa.Double(), primary_key=True),
    sa.Column("device_id", _ID, primary_key=True),
    sa.Column("kwh", sa.Double(), nullable=False),
    sa.Column("on_s", sa.Double(), nullable=False),
    sqlite_with_rowid=False,
)  # fmt: skip

energy_daily = sa.Table(
    "energy_daily", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("start", sa.Double(), primary_key=True),
    sa.Column("device_id", _ID, primary_key=True),
    sa.Column("kwh", sa.Double(), nullable=False),
    sa.Column("on_s", sa.Double(), nullable=False),
    sqlite_with_rowid=False,
)  # fmt: skip

energy_detail = sa.Table(
    "energy_detail", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("start", sa.Double(), primary_key=True),
    sa.Column("device_id", _ID, primary_key=True),
    sa.Column("kwh", sa.Double(), nullable=False),
    sa.Column("on_s", sa.Double(), nullable=False),
    sqlite_with_rowid=False,
)  # fmt: skip

energy_meters = sa.Table(
    "energy_meters", metadata,
    sa.Column("home_id", _ID, primary_key=True),
    sa.Column("device_id", _ID, primary_key=True),
    sa.Column("kwh", sa.Double(), nullable=False),
    sa.Column("at", sa.Double(), nullable=False),
)  # fmt: skip
