"""Benchmark of the hub over a real broker (Mosquitto, started here on a free loopback port).

    .venv/bin/python bench/mqtt_bench.py [--devices 10000] [--commands 20000] [--round-trips 500]

Reports:
- command-to-state round trip (p50/p99): hub.execute -> broker -> simulated device -> broker -> hub
  StateChanged, with TCP_NODELAY on every socket (broker and clients) and with it off everywhere;
  and command -> the hub's result, which waits for the device's state to confirm the command and
  for the change to be durable (SQLite);
- commands per second end to end: every command confirmed by its device's own state (the result
  is ok only then), the devices being `jibsa simulate` in its own process;
- a hub holding N simulated MQTT devices (`jibsa simulate --devices N` in its own process, its
  retained discovery already on the broker, as in a running installation): time from opening the
  hub to every device discovered with its state, memory per device (RSS delta), and the rate at
  which it absorbs a flood of state messages sent by another process: messages sent divided by the
  time until the hub shows the newest value sent to every sensor (a message still waiting when a
  newer one arrives on its topic is superseded, by design: see adapters/mqtt/inbox.py);
- the hub's event bus raw publish rate, for comparison with Home Assistant's (~175,000 events/s).
Bounded: every wait has a time limit (the whole run takes about a minute); loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aiomqtt

from jibsa.adapters.mqtt import parse_broker_url
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Home, StateChanged
from jibsa.home_file import load_home
from jibsa.hub import EventBus, SystemClock
from jibsa.simulated_home import MqttSimulator, generated_home
from jibsa.testing.mosquitto import Broker

# A flood sender in its own process, so that the hub's rate, not the sender's, is what is measured.
FLOOD = """
import json, sys, paho.mqtt.client as mqtt
port, count, sensors = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
client.max_queued_messages_set(0)
client.connect("127.0.0.1", port)
client.loop_start()
for n in range(count):
    body = json.dumps({"temperature": 15 + n % 97 / 10, "humidity": 40 + n % 7})
    client.publish("jibsa/jibsa_sim/" + sensors[n % len(sensors)] + "/state", body)
client.loop_stop()
client.disconnect()
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def wait_for(condition: Callable[[], bool], limit: float) -> bool:
    """Poll `condition` every 5 ms (a benchmark may poll; checking on every event would cost O(n²))."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


async def hub_over(url: str, home: Home, data: Path, nodelay: bool = True) -> RunningHome:
    settings = Settings(
        data_dir=data,
        adapter_settings={"mqtt": {"url": url, "nodelay": str(nodelay), "announce": "false"}},
        devices_over_mqtt=True,
    )
    return await open_home(settings, home=home)


async def round_trips(url: str, data: Path, count: int, nodelay: bool) -> tuple[float, float, float, float]:
    """p50 and p99 of command -> the device's new state in the hub (StateChanged), and of command ->
    the hub's result, which now waits for that state to confirm the command and to be durable."""
    home = generated_home(50)
    simulator = MqttSimulator(home, parse_broker_url(url), SystemClock(), nodelay=nodelay)
    await simulator.start()
    running = await hub_over(url, home, data, nodelay)
    lights = [d.id for d in home.devices if d.type.value == "light"]
    await wait_for(lambda: all("power" in running.hub.state(i) for i in lights), 20)
    to_state: list[float] = []
    to_result: list[float] = []
    arrived: dict[str, float] = {}

    def on_event(event: object) -> None:
        if isinstance(event, StateChanged) and "power" in event.changed:
            arrived[event.device_id] = time.perf_counter()

    unlisten = running.hub.bus.listen(on_event)
    for n in range(count):
        target = lights[n % len(lights)]
        wanted = not running.hub.state(target).get("power")
        began = time.perf_counter()
        outcome = await running.hub.execute(Command("turn_on" if wanted else "turn_off", (target,)))
        to_result.append((time.perf_counter() - began) * 1000)
        if outcome.ok:
            to_state.append((arrived[target] - began) * 1000)
    unlisten()
    await running.close()
    await simulator.stop()
    return (*_p50_p99(to_state), *_p50_p99(to_result))


def _p50_p99(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples) or [float("nan")]
    return samples[len(samples) // 2], samples[max(0, int(len(samples) * 0.99) - 1)]


async def throughput(url: str, data: Path, commands: int) -> tuple[float, bool]:
    home = generated_home(1000)
    simulate = await asyncio.create_subprocess_exec(  # the devices in their own process, as in use
        sys.executable,
        "-m",
        "jibsa.cli.main",
        "simulate",
        "--mqtt",
        url,
        "--devices",
        "1000",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    running = await hub_over(url, home, data)
    hub = running.hub
    lights = [d.id for d in home.devices if d.type.value == "light"]
    await wait_for(lambda: all("power" in hub.state(i) for i in lights), 30)
    plan = [(lights[n % len(lights)], n // len(lights) % 2 == 0) for n in range(commands)]
    final = dict(plan)  # each light's state once the last command for it is carried out
    semaphore = asyncio.Semaphore(256)

    async def one(target: str, on: bool) -> bool:
        async with semaphore:
            outcome = await hub.execute(Command("turn_on" if on else "turn_off", (target,)))
        return outcome.ok

    began = time.perf_counter()
    results = await asyncio.gather(*(one(target, on) for target, on in plan))
    arrived = all(hub.state(i).get("power") is on for i, on in final.items())
    elapsed = time.perf_counter() - began
    await running.close()
    simulate.terminate()
    await simulate.wait()
    return commands / elapsed, all(results) and arrived


async def retained_ready(port: int, topic: str, limit: float) -> bool:
    """Whether a (retained) message appears on `topic` within `limit` seconds."""
    async with aiomqtt.Client("127.0.0.1", port) as client:
        await client.subscribe(topic)
        try:
            async with asyncio.timeout(limit):
                async for _ in client.messages:
                    return True
        except TimeoutError:
            return False
    return False


async def many_devices(url: str, data: Path, count: int) -> dict[str, float]:
    port = parse_broker_url(url).port
    simulate = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "jibsa.cli.main",
        "simulate",
        "--mqtt",
        url,
        "--devices",
        str(count),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # The simulator announces everything, then says online, then sends states in device order.
        await retained_ready(port, "jibsa/jibsa_sim/status", 60)
        await retained_ready(port, f"jibsa/jibsa_sim/dev_{count - 1:05d}/#", 60)
        return await _load_and_flood(url, port, data, count)
    finally:
        simulate.terminate()
        await simulate.wait()


async def _load_and_flood(url: str, port: int, data: Path, count: int) -> dict[str, float]:
    sample = load_home(None).home
    empty = sample.with_devices((), frozenset(d.id for d in sample.devices))
    before = rss_mb()
    began = time.perf_counter()
    running = await hub_over(url, empty, data)
    hub = running.hub
    seen: set[str] = set()
    received = 0

    def on_event(event: object) -> None:
        nonlocal received
        if isinstance(event, StateChanged):
            seen.add(event.device_id)
            received += 1

    unlisten = hub.bus.listen(on_event)
    # Locks among them wait for an owner's adoption (hub/adoption.py): not in the home, no state events.
    loaded = await wait_for(lambda: len(seen) + len(hub.adoption.waiting) >= count, 120)
    startup = time.perf_counter() - began
    per_device_kb = (rss_mb() - before) * 1024 / max(1, len(hub.home.devices))
    sensors = [d.id for d in hub.home.devices if d.type.value == "sensor"]
    updates = 100_000
    # The newest temperature FLOOD sends to each sensor: caught up means the hub shows every one.
    newest = {sensors[n % len(sensors)]: 15 + n % 97 / 10 for n in range(updates - len(sensors), updates)}

    def caught_up() -> bool:
        return all(abs(hub.state(s).get("temperature", -99) - t) < 0.051 for s, t in newest.items())

    received = 0
    began = time.perf_counter()
    flood = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FLOOD, str(port), str(updates), ",".join(sensors)
    )
    await flood.wait()
    sent_s = time.perf_counter() - began
    absorbed_all = await wait_for(caught_up, 60)
    absorbed = updates / (time.perf_counter() - began)
    unlisten()
    await running.close()
    return {
        "loaded": float(loaded),
        "devices": float(len(hub.home.devices)),
        "startup_s": startup,
        "kb_per_device": per_device_kb,
        "updates_per_s": absorbed,
        "sent_per_s": updates / sent_s,
        "absorbed_all": float(absorbed_all),
        "updates": float(updates),
        "applied": float(received),
    }


def bus_rate(events: int = 1_000_000) -> float:
    bus = EventBus()
    seen = 0

    def listener(_: object) -> None:
        nonlocal seen
        seen += 1

    bus.listen(listener)
    event = StateChanged("h", "d", {}, {"power": True}, 0.0)
    began = time.perf_counter()
    for _ in range(events):
        bus.publish(event)
    return events / (time.perf_counter() - began)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=20_000)
    parser.add_argument("--round-trips", type=int, default=500)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jibsa-mqtt-bench-"))
    print(f"mqtt bench on {os.cpu_count()} CPUs, Mosquitto on loopback", flush=True)
    for nodelay in (True, False):
        broker = Broker(work, nodelay=nodelay, extra="max_queued_messages 1000000\n")
        broker.start()
        url = broker.url
        try:
            p50, p99, done50, done99 = await round_trips(url, work / f"rt-{nodelay}", args.round_trips, nodelay)
        finally:
            broker.stop()
        print(
            f"  round trip command->state, TCP_NODELAY {'on ' if nodelay else 'off'}: "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms; to the confirmed, durable result p50 {done50:.2f} ms, "
            f"p99 {done99:.2f} ms ({args.round_trips} commands)",
            flush=True,
        )
    broker = Broker(work, extra="max_queued_messages 1000000\n")
    broker.start()
    url = broker.url
    try:
        rate, complete = await throughput(url, work / "tp", args.commands)
        print(
            f"  end to end: {rate:,.0f} commands/s ({args.commands} commands to 1,000 devices, 256 in flight"
            f"{'' if complete else '; NOT all confirmed'})",
            flush=True,
        )
        r = await many_devices(url, work / "many", args.devices)
        print(
            f"  {int(r['devices']):,} simulated MQTT devices: loaded with their states in {r['startup_s']:.2f} s"
            f"{'' if r['loaded'] else ' (NOT all loaded)'}, {r['kb_per_device']:.1f} KB per device (RSS)",
            flush=True,
        )
        print(
            f"  flood of {int(r['updates']):,} state messages to {int(r['devices']) // 10:,} sensors (sent at "
            f"{r['sent_per_s']:,.0f}/s): absorbed at {r['updates_per_s']:,.0f}/s, the newest of each sensor shown"
            f"{'' if r['absorbed_all'] else ' (NOT caught up)'}; {int(r['applied']):,} state changes applied, "
            "the rest superseded while waiting",
            flush=True,
        )
    finally:
        broker.stop()
    print(f"  event bus: {bus_rate():,.0f} events/s published to one listener")


if __name__ == "__main__":
    asyncio.run(main())
