"""Energy: hourly, daily and five-minute rows per device and home, and each device's last meter reading.

Revision ID: 0004_energy
Revises: 0003_rules
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_energy"
down_revision: str | None = "0003_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(64)


def _buckets(name: str) -> None:
    op.create_table(
        name,
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("start", sa.Double(), primary_key=True),
        sa.Column("device_id", _ID, primary_key=True),
        sa.Column("kwh", sa.Double(), nullable=False),
        sa.Column("on_s", sa.Double(), nullable=False),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    _buckets("energy_hourly")
    _buckets("energy_daily")
    _buckets("energy_detail")
    op.create_table(
        "energy_meters",
        sa.Column("home_id", _ID, primary_key=True),
        sa.Column("device_id", _ID, primary_key=True),
        sa.Column("kwh", sa.Double(), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("energy_meters")
    op.drop_table("energy_detail")
    op.drop_table("energy_daily")
    op.drop_table("energy_hourly")
