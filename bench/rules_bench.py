"""Benchmark of the rule engine: 10,000 rules over a 1,000-device home.

    .venv/bin/python bench/rules_bench.py [--devices 1000] [--rules 10000] [--rate 1000] [--seconds 10]

The home: 900 temperature sensors and 100 switches; every sensor has rules with thresholds 5, 15,
25, ... ("온도가 N 넘으면 스위치 켜줘"), each turning on a switch. The store is the real SQLite store in
a temporary directory; the switches answer through a bench adapter that applies a command at once
(a named stand-in for a device: the engine is what is measured, not a radio).

Reports:
- state events per second handled: sensor reports pushed through the hub (state table, event bus,
  the engine's (device, property) index, threshold checks) as fast as they come, none crossing a
  threshold, then 10 of every 11 crossing one (a rule fires and its action runs);
- latency from event to action at a steady rate (default 1,000 events/s, 10 of 11 firing a
  rule): from the sensor's report to the rule's action starting (the engine's RuleFired, just
  before it calls the hub), and to the command reaching the switch's adapter; p50 and p99.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Device, DeviceAction, DeviceType, Home, Room
from jibsa.hub import AdapterSink
from jibsa.rules.model import Action, ActionKind, Rule
from jibsa.rules.runner import RuleFired
from jibsa.rules.triggers.state import StateTrigger

SWITCHES = 100


class InstantSwitches:
    """Bench adapter: applies each command at once and notes when it arrived."""

    name = "bench"

    def __init__(self) -> None:
        self.sink: AdapterSink | None = None
        self.arrivals: list[float] = []

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self.sink = sink
        for device in devices:
            sink.state_reported(device.id, {"power": False} if device.type is DeviceType.SWITCH else {"temperature": 0})

    async def stop(self) -> None:
        self.sink = None

    async def send(self, action: DeviceAction) -> None:
        self.arrivals.append(time.perf_counter())
        assert self.sink is not None
        self.sink.state_reported(action.device_id, {"power": action.intent == "turn_on"})


def bench_home(devices: int) -> Home:
    sensors = tuple(
        Device(f"s{i}", f"센서 {i}", DeviceType.SENSOR, "r", vendor="bench", measures=("temperature",))
        for i in range(devices - SWITCHES)
    )
    switches = tuple(Device(f"w{i}", f"스위치 {i}", DeviceType.SWITCH, "r", vendor="bench") for i in range(SWITCHES))
    return Home("bench", (Room("r", "방"),), sensors + switches, id="bench")


def bench_rules(home: Home, count: int) -> list[Rule]:
    sensors = [d.id for d in home.devices if d.type is DeviceType.SENSOR]
    per_sensor = -(-count // len(sensors))
    rules = []
    for n in range(count):
        sensor, level = sensors[n % len(sensors)], n // len(sensors)
        target = f"w{n % SWITCHES}"
        when = StateTrigger(sensor, "temperature", above=level * 10 + 5)
        turn_on = Action(ActionKind.COMMAND, command=Command("turn_on", (target,)))
        rules.append(Rule(f"rule {n}", id=f"r{n}", when=when, do=(turn_on,)))
    assert per_sensor <= 100
    return rules


async def open_bench(tmp: Path, devices: int, rules: int, adapter: InstantSwitches) -> RunningHome:
    from jibsa import app

    home = bench_home(devices)
    factories: Mapping[str, Any] = {"bench": lambda context: adapter}
    original = app.adapter_factories
    app.adapter_factories = lambda vendors=None: dict(factories)  # type: ignore[assignment]
    try:
        running = await open_home(Settings(data_dir=tmp), home=home)
    finally:
        app.adapter_factories = original
    engine = running.rules
    assert engine is not None
    started = time.perf_counter()
    for rule in bench_rules(home, rules):
        engine._keep(rule)  # indexed as `add` does, without 10,000 separate commits
    print(f"indexed {rules} rules in {time.perf_counter() - started:.2f} s")
    return running


class Ladder:
    """Each sensor climbs 0, 10, 20 ... 100 and drops to 0: every step up crosses exactly one threshold
    (one rule fires), the drop crosses none. Every rule fires at most once a climb, so the loop guard
    (10 firings of one rule a minute) never mistakes the benchmark for a loop."""

    def __init__(self) -> None:
        self._steps: dict[str, int] = {}

    def next(self, device: str) -> tuple[int, bool]:
        step = self._steps.get(device, 0) + 1
        self._steps[device] = step
        value = (step % 11) * 10
        return value, value > 0


async def throughput(running: RunningHome, sensors: int, events: int, ladder: Ladder | None) -> float:
    states, engine = running.hub.states, running.rules
    assert engine is not None
    started = time.perf_counter()
    for n in range(events):
        device = f"s{n % sensors}"
        if ladder is not None:
            states.report(device, {"temperature": ladder.next(device)[0]})
        else:  # stays below every threshold
            states.report(device, {"temperature": -1 - (n // sensors) % 3})
        if n % 1000 == 999:
            await asyncio.sleep(0)
    await engine.settled()
    return events / (time.perf_counter() - started)


async def latency(
    running: RunningHome, adapter: InstantSwitches, ladder: Ladder, sensors: int, *, rate: float, seconds: float
) -> tuple[list[float], list[float]]:
    fired: list[float] = []
    running.hub.bus.listen(lambda e: fired.append(time.perf_counter()) if isinstance(e, RuleFired) else None)
    states, engine = running.hub.states, running.rules
    assert engine is not None
    sent: list[float] = []
    adapter.arrivals.clear()
    interval, start = 1.0 / rate, time.perf_counter()
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, start + n * interval - time.perf_counter()))
        device = f"s{n % sensors}"
        value, crossing = ladder.next(device)
        sent_at = time.perf_counter()
        states.report(device, {"temperature": value})
        if crossing:
            sent.append(sent_at)
    await engine.settled()
    await running.hub.flush()
    to_start = [f - s for s, f in zip(sent, fired, strict=False)]
    to_device = [a - s for s, a in zip(sent, adapter.arrivals, strict=False)]
    return to_start, to_device


def _ms(values: list[float], q: float) -> str:
    """The `q` quantile in ms; "none" when no rule fired (a small home: the loop guard paused them all)."""
    if not values:
        return "none"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.2f} ms"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    sensors = args.devices - SWITCHES
    with tempfile.TemporaryDirectory() as tmp:
        adapter = InstantSwitches()
        running = await open_bench(Path(tmp), args.devices, args.rules, adapter)
        try:
            quiet = await throughput(running, sensors, 100_000, None)
            print(f"state events handled, none firing: {quiet:,.0f}/s")
            ladder = Ladder()
            busy = await throughput(running, sensors, 20_000, ladder)
            print(f"state events handled, 10 of 11 firing a rule (its action run): {busy:,.0f}/s")
            to_start, to_device = await latency(running, adapter, ladder, sensors, rate=args.rate, seconds=args.seconds)
            paused = [r for r in running.rules.rules.values() if not r.enabled]  # type: ignore[union-attr]
            print(f"rules paused by the loop guard: {len(paused)}")
            print(f"at {args.rate:,.0f} events/s for {args.seconds:g} s ({len(to_start)} rules fired):")
            print(f"  event -> action starts: p50 {_ms(to_start, 0.5)}, p99 {_ms(to_start, 0.99)}")
            print(f"  event -> command at the device: p50 {_ms(to_device, 0.5)}, p99 {_ms(to_device, 0.99)}")
        finally:
            await running.close()


if __name__ == "__main__":
    asyncio.run(main())
