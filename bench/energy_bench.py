"""Benchmark of energy: questions over a year of hourly rows, the store's size, and ingest under load.

    .venv/bin/python bench/energy_bench.py [--devices 50] [--repeat 50] [--rate 1000] [--seconds 60]
                                            [--postgres postgresql://…] [--part all|queries|ingest]

Queries: a year of hourly rows for `--devices` devices and the home (the real SQLite store in a
temporary directory, and PostgreSQL when `--postgres` names a database to make a table in) and ten
days of five-minute detail; then each get_energy question (this period's bill, tiers, projection,
last month, the top devices, a device's running time today) asked `--repeat` times through the
conversation, as a person would: phrase match, the recorder's flush, the store's queries, the bill
and the reply. p50/p99/max per question. Storage: the database file's growth per device-year (SQLite,
after VACUUM), and the table's size on PostgreSQL.

Ingest: the same number of power sensors on a bench adapter (a named stand-in: reports go straight
into the hub), 1,000 rules on them (one per sensor that a spike crosses, the others never crossed)
and the recorder; `--rate` power reports a second for `--seconds`. Per 10-second window: how long the
hub takes to take one report (state table, event bus, state writer, rules index, recorder: all run
inside the report), the time from a crossing report to its rule firing, and the process's memory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Device, DeviceAction, DeviceType, Home, Room, StateChanged
from jibsa.domain.home_energy import EnergySettings
from jibsa.energy.store import DETAIL_S, HOME, HOUR_S, EnergyRow, Grain
from jibsa.hub import AdapterSink, ManualClock
from jibsa.rules.model import Action, ActionKind, Rule
from jibsa.rules.runner import RuleFired
from jibsa.rules.triggers.state import StateTrigger

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=SEOUL)
QUESTIONS = {
    "bill": "이번 달 전기요금 얼마야?", "tier": "누진 구간 넘었어?", "next_tier": "다음 구간까지 몇 kWh 남았어?",
    "projection": "이대로면 이번 달 얼마 나와?", "compare": "지난달보다 많이 썼어?",
    "top": "전기 제일 많이 먹는 게 뭐야?", "run_time": "에어컨 오늘 몇 시간 틀었어?",
}  # fmt: skip
SWITCHES = 10
SPIKE_EVERY = 200  # one report in this many is a spike that crosses a rule's threshold


class BenchAdapter:
    """Bench stand-in for devices: reports go to the hub as the test pushes them; commands apply at once."""

    name = "bench"

    def __init__(self) -> None:
        self.sink: AdapterSink | None = None

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self.sink = sink

    async def stop(self) -> None:
        self.sink = None

    async def send(self, action: DeviceAction) -> None:
        assert self.sink is not None
        self.sink.state_reported(action.device_id, {"power": action.intent == "turn_on"})


def bench_home(devices: int) -> Home:
    meters = tuple(
        Device(
            f"d{i}",
            f"기기 {i}",
            DeviceType.AIR_CONDITIONER if i == 0 else DeviceType.SENSOR,
            "r",
            vendor="bench",
            measures=() if i == 0 else ("power",),
        )
        for i in range(devices)
    )
    switches = tuple(Device(f"w{i}", f"스위치 {i}", DeviceType.SWITCH, "r", vendor="bench") for i in range(SWITCHES))
    return Home("bench", (Room("r", "방"),), meters + switches, id="bench", energy=EnergySettings(reading_day=15))


async def open_bench(
    tmp: Path, home: Home, adapter: BenchAdapter, *, clock: ManualClock | None = None, db_url: str | None = None
) -> RunningHome:
    from jibsa import app

    original = app.adapter_factories
    app.adapter_factories = lambda vendors=None: {"bench": lambda context: adapter}  # type: ignore[assignment]
    try:
        settings = Settings(data_dir=tmp, db_url=db_url, adapter_settings={"energy": {"flush_s": 5}})
        return await open_home(settings, home=home, clock=clock)
    finally:
        app.adapter_factories = original


def year_of_rows(devices: int) -> dict[Grain, list[EnergyRow]]:
    """A year of hours (and days) up to NOW for each device (d0 an air conditioner running some
    afternoons) and the home, and ten days of five-minute detail."""
    end = NOW.replace(minute=0).timestamp()
    hours = 365 * 24
    hourly: list[EnergyRow] = []
    for h in range(hours):
        start = end - (hours - h) * HOUR_S
        local = datetime.fromtimestamp(start, SEOUL).hour
        home = 0.0
        for d in range(devices):
            kwh = 0.02 + 0.01 * (d % 7) + (0.8 if d == 0 and 13 <= local < 17 else 0.0)
            hourly.append(EnergyRow(f"d{d}", start, kwh, HOUR_S if d == 0 and 13 <= local < 17 else 0.0))
            home += kwh
        hourly.append(EnergyRow(HOME, start, home))
    detail = [EnergyRow(f"d{d}", end - n * DETAIL_S, 0.003) for n in range(1, 10 * 288 + 1) for d in range(devices)]
    days: dict[tuple[str, float], list[float]] = {}
    for row in hourly:
        local = datetime.fromtimestamp(row.start, SEOUL)
        day = days.setdefault(
            (row.device_id, datetime(local.year, local.month, local.day, tzinfo=SEOUL).timestamp()), [0.0, 0.0]
        )
        day[0] += row.kwh
        day[1] += row.on_s
    daily = [EnergyRow(device_id, start, kwh, on_s) for (device_id, start), (kwh, on_s) in days.items()]
    return {Grain.HOUR: hourly, Grain.DAY: daily, Grain.DETAIL: detail}


async def fill(running: RunningHome, rows: dict[Grain, list[EnergyRow]]) -> float:
    store: Any = running.store
    started = time.perf_counter()
    for grain, kept in rows.items():
        for i in range(0, len(kept), 20_000):
            await store.add_energy(running.home.id, {grain: kept[i : i + 20_000]})
    return time.perf_counter() - started


async def ask_each(running: RunningHome, repeat: int) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Each question `repeat` times: its wall times, and the process's CPU seconds per question (this
    machine is shared: the wall time includes waiting for the CPU, the CPU time does not)."""
    took: dict[str, list[float]] = {topic: [] for topic in QUESTIONS}
    cpu: dict[str, float] = dict.fromkeys(QUESTIONS, 0.0)
    for _ in range(repeat):
        for topic, text in QUESTIONS.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            turn = await running.conversation.handle(text)
            took[topic].append(time.perf_counter() - started)
            cpu[topic] += (time.process_time() - cpu_started) / repeat
            assert turn.commands and turn.commands[0].params.get("topic") == topic, (topic, turn.reply)
    return took, cpu


def _ms(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def queries(args: argparse.Namespace) -> None:
    rows = year_of_rows(args.devices)
    print(
        f"a year of rows: {len(rows[Grain.HOUR]):,} hours and {len(rows[Grain.DAY]):,} days ({args.devices} "
        f"devices and the home); ten days of five-minute detail: {len(rows[Grain.DETAIL]):,}"
    )
    targets = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    for label, url in targets:
        with tempfile.TemporaryDirectory() as tmp:
            running = await open_bench(
                Path(tmp), bench_home(args.devices), BenchAdapter(), clock=ManualClock(NOW.timestamp()), db_url=url
            )
            try:
                size_before = await store_size(running, Path(tmp))
                print(f"{label}: written in {await fill(running, rows):.1f} s")
                took, cpu = await ask_each(running, args.repeat)
                for topic, values in took.items():
                    print(
                        f"  {topic:<10} ({QUESTIONS[topic]}): p50 {_ms(values, 0.5):.1f} ms, "
                        f"p99 {_ms(values, 0.99):.1f} ms, max {max(values) * 1000:.1f} ms; "
                        f"CPU {cpu[topic] * 1000:.1f} ms"
                    )
                grown = await store_size(running, Path(tmp)) - size_before
                device_years = args.devices + 1
                print(
                    f"  storage: {grown / 1e6:.1f} MB for {device_years} device-years of hours and the detail: "
                    f"{grown / device_years / 1e6:.2f} MB per device-year"
                )
                print(f"  a reply: {(await running.conversation.handle(QUESTIONS['projection'])).reply}")
            finally:
                await empty(running)
                await running.close()


async def store_size(running: RunningHome, tmp: Path) -> int:
    """Bytes the database uses: SQLite's pages in use (the WAL checkpointed into the file first), or
    PostgreSQL's energy tables with their indexes."""
    store: Any = running.store
    if store.dialect == "sqlite":
        import sqlite3

        with sqlite3.connect(tmp / "jibsa.db") as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages, free, size = (
                connection.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size")
            )
        return int((pages - free) * size)
    async with store.engine.connect() as connection:
        from sqlalchemy import text

        result = await connection.execute(
            text(
                "SELECT coalesce(sum(pg_total_relation_size(c)), 0) FROM unnest(ARRAY['energy_hourly', "
                "'energy_daily', 'energy_detail']::regclass[]) AS c"
            )
        )
        return int(result.scalar_one())


async def empty(running: RunningHome) -> None:
    store: Any = running.store
    if store.dialect == "postgresql":
        import sqlalchemy as sa

        from jibsa.storage.schema import metadata

        async with store.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                await connection.execute(sa.delete(table))


def bench_rules(devices: int) -> list[Rule]:
    """One rule per sensor that its spikes cross (power above 4 kW), and quiet ones up to 1,000."""
    rules = []
    sensors = [f"d{i}" for i in range(1, devices)]
    for n in range(1000):
        sensor = sensors[n % len(sensors)]
        above = 4000.0 if n < len(sensors) else 50_000.0 + n
        turn_on = Action(ActionKind.COMMAND, command=Command("turn_on", (f"w{n % SWITCHES}",)))
        rules.append(Rule(f"rule {n}", id=f"r{n}", when=StateTrigger(sensor, "power", above=above), do=(turn_on,)))
    return rules


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def ingest(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        adapter = BenchAdapter()
        running = await open_bench(Path(tmp), bench_home(args.devices), adapter)
        try:
            engine = running.rules
            assert engine is not None and running.energy is not None
            for rule in bench_rules(args.devices):
                engine._keep(rule)  # indexed as `add` does, without a thousand commits
            await ingest_windows(running, args)
        finally:
            await running.close()


async def ingest_windows(running: RunningHome, args: argparse.Namespace) -> None:
    fired: list[float] = []
    running.hub.bus.listen(lambda e: fired.append(time.perf_counter()) if isinstance(e, RuleFired) else None)
    states = running.hub.states
    sensors = args.devices - 1
    interval, window = 1.0 / args.rate, int(args.rate * 10)
    report_s: list[float] = []
    crossings: list[float] = []
    print(
        f"ingest: {args.rate:,.0f} power reports/s over {sensors} sensors, 1,000 rules, the recorder on; "
        f"memory at start {rss_mb():.0f} MB"
    )
    start = time.perf_counter()
    for n in range(int(args.rate * args.seconds)):
        await asyncio.sleep(max(0.0, start + n * interval - time.perf_counter()))
        device = f"d{1 + n % sensors}"
        spike = n % SPIKE_EVERY == SPIKE_EVERY - 1
        before = time.perf_counter()
        states.report(device, {"power": 5000.0 if spike else 20.0 + (n * 7) % 60})
        report_s.append(time.perf_counter() - before)
        if spike:
            crossings.append(before)
            states.report(device, {"power": 20.0})  # and back, so that the next spike crosses again
        if (n + 1) % window == 0:
            late = time.perf_counter() - start - (n + 1) / args.rate
            await _window(n + 1, report_s, crossings, fired, late)
            report_s.clear()
    assert running.energy is not None
    await running.energy.flush()
    rows = await running.store.energy_totals(running.home.id, 0, 2e10)  # type: ignore[attr-defined]
    print(
        f"  recorded: {sum(kwh for device, (kwh, _) in rows.items() if device != HOME):.2f} kWh "
        f"over {len(rows) - 1} devices"
    )
    print(f"  the recorder's own share of a report: {recorder_cost(running, sensors):.1f} µs")


def recorder_cost(running: RunningHome, sensors: int) -> float:
    """Microseconds the recorder spends on one power report (its listener alone, 100,000 reports)."""
    assert running.energy is not None
    at = running.hub.clock.now()
    events = [
        StateChanged(running.home.id, f"d{1 + n % sensors}", {"power": 20.0}, {"power": 21.0 + n % 50}, at + n / 1000)
        for n in range(100_000)
    ]
    started = time.perf_counter()
    for event in events:
        running.energy.on_event(event)
    return (time.perf_counter() - started) / len(events) * 1e6


async def _window(done: int, report_s: list[float], crossings: list[float], fired: list[float], late: float) -> None:
    await asyncio.sleep(0.05)  # let the rules fired in this window run
    window = len(report_s)
    pairs = list(zip(crossings, fired, strict=False))
    recent = [f - c for c, f in pairs[-max(1, window // SPIKE_EVERY) :]]
    print(
        f"  reports {done - window + 1:>6}–{done:<6}: taking one p50 {_ms(report_s, 0.5) * 1000:.0f} µs, "
        f"p99 {_ms(report_s, 0.99) * 1000:.0f} µs; report → rule fired p50 {_ms(recent, 0.5):.2f} ms, "
        f"p99 {_ms(recent, 0.99):.2f} ms; behind schedule {max(late, 0) * 1000:.0f} ms; memory {rss_mb():.0f} MB"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--postgres", default=os.environ.get("JIBSA_BENCH_POSTGRES"))
    parser.add_argument("--part", choices=("all", "queries", "ingest"), default="all")
    args = parser.parse_args()
    if args.part in ("all", "queries"):
        await queries(args)
    if args.part in ("all", "ingest"):
        await ingest(args)


if __name__ == "__main__":
    asyncio.run(main())
