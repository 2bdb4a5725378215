"""Mosquitto killed with -9 while commands stream: does any result say ok that the device does not show?

    .venv/bin/python bench/broker_kill_bench.py [--kills 10] [--seed 1]

A real Mosquitto on a free loopback port, the sample home's appliances simulated on it (as `jibsa simulate`
runs them), and the hub (the real SQLite store in a temporary directory) with devices over MQTT and a 3 s
command timeout. One stream of on/off commands per light; the broker is killed `--kills` times, at a random
moment (0.5–6 s of commands), and left down for a random 0.2–4 s. A result is a wrong "ok" when it says ok
while the device's own state, at that moment, is not what was asked. After the last restart the streams
run 8 s more, so that "works again" is measured. Prints one JSON line: kills, results by kind, wrong ok,
ok results after each restart and the seconds from the broker's restart to the first ok (null when
the next kill came first), the load average (the broker, the devices and the hub share this machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jibsa.adapters.mqtt import parse_broker_url
from jibsa.app import Settings, open_home
from jibsa.domain import Command, DeviceType
from jibsa.home_file import load_home
from jibsa.hub import Hub, SystemClock
from jibsa.simulated_home import MqttSimulator
from jibsa.testing.mosquitto import Broker

LIGHTS = tuple(d.id for d in load_home(None).home.devices if d.type is DeviceType.LIGHT)  # the sample home's


@dataclass
class Restarts:
    """When the broker came back each time, and how long it stayed up."""

    at: list[float]
    up_s: list[float]
    count: int = 0

    def since_last(self) -> float:
        return round(time.monotonic() - self.at[self.count - 1], 2)


async def kill_and_restart(broker: Broker, restarts: Restarts, stop: asyncio.Event) -> None:
    for _ in range(len(restarts.at)):
        await asyncio.sleep(random.uniform(0.5, 6.0))
        if restarts.count:
            restarts.up_s[restarts.count - 1] = restarts.since_last()
        broker.stop()
        await asyncio.sleep(random.uniform(0.2, 4.0))
        broker.start()
        restarts.at[restarts.count] = time.monotonic()
        restarts.count += 1
    await asyncio.sleep(8.0)
    restarts.up_s[-1] = 8.0
    stop.set()


async def lights_reported(hub: Hub) -> None:
    with hub.bus.subscribe(maxsize=100_000) as events:
        async with asyncio.timeout(30):
            while not all("power" in hub.state(light) for light in LIGHTS):
                await events.get()


async def run(kills: int) -> dict[str, object]:
    directory = Path(tempfile.mkdtemp(prefix="jibsa-broker-kill-"))
    broker = Broker(directory)
    broker.start()
    simulator = MqttSimulator(load_home(None).home, parse_broker_url(broker.url), SystemClock())
    await simulator.start()
    home = await open_home(
        Settings(
            data_dir=directory,
            adapter_settings={"mqtt": {"url": broker.url}},
            devices_over_mqtt=True,
            command_timeout=3.0,
        )
    )
    hub = home.hub
    kinds: Counter[str] = Counter()
    wrong: list[str] = []
    ok_after_restart = [0] * kills
    recovery_s: list[float | None] = [None] * kills  # broker up again → the first ok
    restarts = Restarts([0.0] * kills, [0.0] * kills)
    stop = asyncio.Event()

    async def stream(light: str) -> None:
        on = True
        while not stop.is_set():
            outcome = await hub.execute(Command("turn_on" if on else "turn_off", (light,)))
            (result,) = outcome.results
            if result.ok:
                kinds["ok"] += 1
                shown = simulator.sim.state(light).get("power")
                if shown is not on:  # the device itself, at this moment
                    wrong.append(f"{light}: ok for power={on}, device shows power={shown}")
                if restarts.count:
                    ok_after_restart[restarts.count - 1] += 1
                    if recovery_s[restarts.count - 1] is None:
                        recovery_s[restarts.count - 1] = restarts.since_last()
            else:
                kinds[result.error.value if result.error else "no code"] += 1
            on = not on

    try:
        await lights_reported(hub)
        await asyncio.gather(kill_and_restart(broker, restarts, stop), *(stream(light) for light in LIGHTS))
    finally:
        await home.close()
        await simulator.stop()
        broker.stop()
    return {
        "kills": kills,
        "results": dict(kinds),
        "wrong_ok": len(wrong),
        "wrong_detail": wrong[:10],
        "ok_after_each_restart": ok_after_restart,
        "recovery_s": recovery_s,
        "up_s": restarts.up_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)
    logging.basicConfig(level=logging.CRITICAL)
    figures = asyncio.run(run(args.kills))
    figures["load"] = Path("/proc/loadavg").read_text(encoding="ascii").split()[:3]
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
