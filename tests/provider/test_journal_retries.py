"""A journal that cannot write says so: with its PostgreSQL cut off (a relay between them, `TcpRelay`), a
batch is tried again and again, each try logged with the pause before the next and counted in the worker's
Prometheus metrics, and nothing waiting on it is acknowledged; once the database is back the batch is
written whole, the counters keep what happened and the failing gauge returns to 0."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from tcp_relay import TcpRelay

from jibsa.provider.journal import Journal
from jibsa.provider.metrics import WorkerMetrics
from jibsa.provider.replies import Replies, libpq_url
from jibsa.provider.wire import Reply
from jibsa.storage.engine import database_url as engine_url

pytestmark = pytest.mark.postgres
T0 = 1_765_000_000.0


@pytest.fixture
async def relay(provider_url: str) -> AsyncIterator[TcpRelay]:
    running = await TcpRelay.to(provider_url).start()
    yield running
    await running.close()


def _metric(metrics: WorkerMetrics, name: str, **labels: str) -> float:
    """One sample of the worker's /metrics text (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted({"worker": "w1", **labels}.items()))
    for line in metrics.text().decode().splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


async def test_a_batch_it_cannot_write_is_retried_counted_and_logged_and_then_written_whole(
    provider_db: AsyncEngine, provider_url: str, relay: TcpRelay, caplog: pytest.LogCaptureFixture
) -> None:
    await Replies(provider_db).create_table()
    journal = Journal(libpq_url(engine_url(relay.url(provider_url))), linger_s=0.01)
    await journal.start()
    metrics = WorkerMetrics("w1")
    metrics.watch_journal(journal.stats)
    caplog.set_level(logging.WARNING, logger="jibsa.provider.journal")
    try:
        journal.state("h-a", "lamp", {}, {"power": True}, T0)
        await journal.durable()
        assert _metric(metrics, "jibsa_worker_journal_retries_total", reason="connection") == 0
        await relay.cut()
        journal.state("h-a", "lamp", {"power": True}, {"power": False}, T0 + 1)
        journal.reply("h-a", "r1", T0, Reply(True, {"said": "껐어요"}).to_bytes().decode())
        waiting = asyncio.create_task(journal.durable())
        for _ in range(300):  # a bound, not a target: three tries, whatever the machine's speed
            if _metric(metrics, "jibsa_worker_journal_retries_total", reason="connection") >= 3:
                break
            await asyncio.sleep(0.05)
        assert _metric(metrics, "jibsa_worker_journal_retries_total", reason="connection") >= 3
        assert _metric(metrics, "jibsa_worker_journal_retried_batches_total") == 1
        assert _metric(metrics, "jibsa_worker_journal_failing_batches") == 1
        assert not waiting.done()  # nothing is acknowledged while the batch is not written
        tries = [r.getMessage() for r in caplog.records if "could not write a batch of 3 rows" in r.getMessage()]
        assert len(tries) >= 3 and all(re.search(r"trying again in \d+\.\d\d s", t) for t in tries)
        with_traceback = [r for r in caplog.records if r.exc_info is not None]
        assert len(with_traceback) == 1  # the first try's; the rest say the pause and how long it has failed
        await relay.restore()
        await asyncio.wait_for(waiting, 30)
        assert _metric(metrics, "jibsa_worker_journal_failing_batches") == 0
        assert _metric(metrics, "jibsa_worker_journal_retried_batches_total") == 1
        assert any("written after" in r.getMessage() for r in caplog.records)
    finally:
        await journal.stop()
    async with provider_db.connect() as connection:
        state = await connection.scalar(sa.text("SELECT state->>'power' FROM device_states WHERE home_id = 'h-a'"))
        history = await connection.scalar(sa.text("SELECT count(*) FROM state_history WHERE home_id = 'h-a'"))
        reply = await connection.scalar(sa.text("SELECT reply->>'ok' FROM provider_replies WHERE request_id = 'r1'"))
    assert (state, history, reply) == ("false", 2, "true")
