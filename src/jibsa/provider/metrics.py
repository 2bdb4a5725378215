"""A worker's Prometheus metrics and its /metrics and /healthz endpoints (aiohttp)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from jibsa.provider.journal import JournalStats

# Up to 2 s; p50/p99 come from the buckets (histogram_quantile).
_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.0)


class WorkerMetrics:
    def __init__(self, worker: str) -> None:
        self.registry = CollectorRegistry()
        labels = {"worker": worker}
        self.shards = Gauge("jibsa_worker_shards", "Shards this worker leases", ["worker"], registry=self.registry)
        self.requests = Counter(
            "jibsa_worker_requests", "Requests answered, by kind and outcome", ["worker", "kind", "ok"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "jibsa_worker_request_seconds", "From receiving a request to sending its reply", ["worker", "kind"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.lease_changes = Counter(
            "jibsa_worker_lease_changes", "Shards taken or given up", ["worker"], registry=self.registry
        )
        self.replayed = Counter(
            "jibsa_worker_replayed",
            "Requests applied from the stream (no live request reached this worker)",
            ["worker"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "jibsa_worker_duplicates", "Requests answered from a stored reply, not applied again", ["worker"],
            registry=self.registry,
        )  # fmt: skip
        self.steps = Histogram(
            "jibsa_worker_step_seconds", "A changing request's steps: claim, apply, commit (its journal batch)",
            ["worker", "step"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.journal = Gauge(
            "jibsa_worker_journal", "The journal so far: batches, rows, seconds writing, retries, dropped rows",
            ["worker", "what"], registry=self.registry,
        )  # fmt: skip
        self.late_renewals = Gauge(
            "jibsa_worker_lease_late_renewals",
            "Lease renewals sent after the lease stopped being served (each kept its shard if it succeeded)",
            ["worker"], registry=self.registry,
        )  # fmt: skip
        self.events_unwatched = Gauge(
            "jibsa_worker_events_unwatched",
            "Events not published: no gateway said a WebSocket of their home is open",
            ["worker"], registry=self.registry,
        )  # fmt: skip
        self._unwatched: Callable[[], int] = lambda: 0
        self._late: Callable[[], int] = lambda: 0
        self._journal_stats: JournalStats | None = None
        self._labels = labels
        self._homes_gauge = Gauge(
            "jibsa_worker_homes", "Homes running in this worker", ["worker"], registry=self.registry
        )
        self.registry.register(_JournalTries(worker, lambda: self._journal_stats))

    def set_homes(self, count: int) -> None:
        self._homes_gauge.labels(**self._labels).set(count)

    def set_shards(self, count: int) -> None:
        self.shards.labels(**self._labels).set(count)

    def answered(self, kind: str, ok: bool, seconds: float) -> None:
        self.requests.labels(kind=kind, ok=str(ok).lower(), **self._labels).inc()
        self.latency.labels(kind=kind, **self._labels).observe(seconds)

    def lease_changed(self, count: int = 1) -> None:
        self.lease_changes.labels(**self._labels).inc(count)

    def replay(self) -> None:
        self.replayed.labels(**self._labels).inc()

    def duplicate(self) -> None:
        self.duplicates.labels(**self._labels).inc()

    def step(self, name: str, seconds: float) -> None:
        self.steps.labels(step=name, **self._labels).observe(seconds)

    def watch_journal(self, stats: JournalStats) -> None:
        self._journal_stats = stats

    def watch_late_renewals(self, late: Callable[[], int]) -> None:
        self._late = late

    def watch_unwatched_events(self, unwatched: Callable[[], int]) -> None:
        self._unwatched = unwatched

    def text(self) -> bytes:
        self.late_renewals.labels(**self._labels).set(self._late())
        self.events_unwatched.labels(**self._labels).set(self._unwatched())
        if self._journal_stats is not None:
            for what, value in asdict(self._journal_stats).items():
                self.journal.labels(what=what, **self._labels).set(value)
        return generate_latest(self.registry)


class _JournalTries(Collector):
    """The journal's failed tries as Prometheus counters (read from its `JournalStats` when scraped): a batch
    it cannot write is tried again for as long as it takes, and these say so."""

    def __init__(self, worker: str, stats: Callable[[], JournalStats | None]) -> None:
        self._worker = worker
        self._stats = stats

    def collect(self) -> list[Metric]:
        stats = self._stats()
        if stats is None:
            return []
        retries = CounterMetricFamily(
            "jibsa_worker_journal_retries", "Journal batch writes that failed and were tried again, by reason",
            labels=["worker", "reason"],
        )  # fmt: skip
        retries.add_metric([self._worker, "connection"], stats.connection_retries)
        retries.add_metric([self._worker, "locks"], stats.lock_retries)
        batches = CounterMetricFamily(
            "jibsa_worker_journal_retried_batches", "Journal batches that needed more than one try",
            labels=["worker"],
        )  # fmt: skip
        batches.add_metric([self._worker], stats.retried_batches)
        failing = GaugeMetricFamily(
            "jibsa_worker_journal_failing_batches", "Journal batches whose last try failed (their replies wait)",
            labels=["worker"],
        )  # fmt: skip
        failing.add_metric([self._worker], stats.failing_batches)
        return [retries, batches, failing]


async def serve_metrics(bind: str, metrics: WorkerMetrics, health: Callable[[], Mapping[str, Any]]) -> web.AppRunner:
    """/metrics (Prometheus text) and /healthz (200 with the worker's shards and homes; 503 when it is not
    connected to NATS) on `bind` (HOST:PORT)."""

    async def get_metrics(_: web.Request) -> web.Response:
        return web.Response(body=metrics.text(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def get_health(_: web.Request) -> web.Response:
        state = dict(health())
        return web.json_response(state, status=200 if state.get("ok") else 503)

    app = web.Application()
    app.router.add_get("/metrics", get_metrics)
    app.router.add_get("/healthz", get_health)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, _, port = bind.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    return runner
