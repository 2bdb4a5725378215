"""A worker's start-up as its operator meets it: a fresh database becomes the provider's (partitioned), whoever
starts first; NATS out of reach is told in one line naming `nats_url`, and the worker exits instead of hanging
deaf to SIGTERM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from jibsa.provider.nats_connection import connect
from jibsa.provider.told import SettingsError, worded
from jibsa.storage.engine import create_engine, database_url
from jibsa.testing.processes import free_port

pytestmark = pytest.mark.postgres
SAMPLE_HOME = Path(__file__).parents[2] / "src" / "jibsa" / "data" / "sample_home.yaml"
BOUND_S = 120  # a bound for a hang, not a speed target: it ends in about a second


def _worker(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "jibsa.cli.main", "provider", "worker", "--config", str(config), *extra]
    return subprocess.run(argv, capture_output=True, text=True, timeout=BOUND_S, check=False)


async def test_a_worker_first_on_an_empty_database_makes_it_the_providers_then_tells_nats_is_away(
    empty_database_url: str, tmp_path: Path
) -> None:
    unreachable = f"nats://127.0.0.1:{free_port()}"
    config = tmp_path / "worker.yaml"
    config.write_text(
        f"nats_url: {unreachable}\ndatabase_url: {empty_database_url}\nhome_template: {SAMPLE_HOME}\n", encoding="utf-8"
    )
    ran = _worker(config, "--log-level", "warning")
    assert ran.returncode == 1, ran
    told = ran.stderr.strip().splitlines()
    assert told[-1].startswith(f"nats_url: '{unreachable}': NATS에 연결할 수 없어요: "), ran.stderr
    assert "Traceback" not in ran.stderr
    english = _worker(config, "--log-level", "warning", "--lang", "en")
    assert english.stderr.strip().splitlines()[-1].startswith(f"nats_url: '{unreachable}': cannot reach NATS: ")
    engine = create_engine(database_url(empty_database_url))
    try:
        async with engine.connect() as connection:
            partitioned = set(
                (
                    await connection.scalars(
                        sa.text("SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid")
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    assert {"audit_log", "state_history", "device_states"} <= partitioned, partitioned


async def test_connecting_to_nats_that_is_away_is_a_settings_error_saying_why() -> None:
    url = f"nats://127.0.0.1:{free_port()}"
    with pytest.raises(SettingsError) as raised:
        await connect(url, "test")
    assert raised.value.field == "nats_url" and raised.value.value == url
    assert "[Errno 111]" in worded(raised.value, "en")  # connection refused: why, not "no servers available"
