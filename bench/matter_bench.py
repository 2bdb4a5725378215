"""Matter through a real controller (python-matter-server) and matter.js virtual devices, in a network
namespace this script makes (root, iproute2, Node 20; set-up as scripts/ensure-matter-lab.sh does):

- commissioning time of each of 20 virtual devices (8 dimmable lights, 6 plugs, 3 locks, 3 blinds), added
  one after another by manual pairing code through jibsa's commissioner (what "매터 기기 추가해줘" does);
- command → confirmed state (the hub's ok, which needs the device's own reported state) for on/off
  commands to the lights and plugs, one at a time: p50/p99;
- the 20 devices commanded at once, each confirmed.

Ends with one JSON line: {"devices", "commission_s" (median), "p50_ms", "p99_ms"}.
Usage: .venv/bin/python bench/matter_bench.py [--commands 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jibsa.app import Settings, open_home
from jibsa.domain import Command, DeviceType
from jibsa.testing.matter_lab import MatterLab, lab_problem

ROOT = Path(__file__).resolve().parents[1]
HOME_FILE = str(ROOT / "tests" / "adapters" / "matter" / "home.yaml")
KINDS = ["light"] * 8 + ["plug"] * 6 + ["lock"] * 3 + ["cover"] * 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(lab: MatterLab, work: Path, commands: int) -> dict[str, float]:
    devices = lab.devices(*[(kind, f"{kind}{i}") for i, kind in enumerate(KINDS)])
    settings = Settings(
        home_file=HOME_FILE,
        data_dir=work / "data",
        adapter_settings={"matter": {"url": lab.url, "data_dir": str(work / "data" / "matter"), "start_wait_s": 30}},
    )
    running = await open_home(settings)
    try:
        commissioner = running.matter
        times: list[float] = []
        for device in devices.devices.values():
            started = time.perf_counter()
            progress = await commissioner.commission(device.manual_code)
            times.append(time.perf_counter() - started)
            if progress.stage.value != "added":
                raise SystemExit(f"{device.id}: {progress.sentence('en')}")
        print(
            f"  commissioning {len(times)} devices: median {statistics.median(times):.2f} s, "
            f"min {min(times):.2f} s, max {max(times):.2f} s",
            flush=True,
        )
        home = running.hub.home
        switchable = [
            d.id for d in home.devices if d.vendor == "matter" and d.type in (DeviceType.LIGHT, DeviceType.SWITCH)
        ]
        every = [d.id for d in home.devices if d.vendor == "matter"]
        latencies: list[float] = []
        failed = 0
        for n in range(commands):
            target = switchable[n % len(switchable)]
            intent = "turn_off" if running.hub.state(target).get("power") else "turn_on"
            started = time.perf_counter()
            outcome = await running.hub.execute(Command(intent, (target,)))
            latencies.append((time.perf_counter() - started) * 1000)
            failed += not outcome.ok
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        print(
            f"  command -> confirmed state, one at a time: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"max {max(latencies):.1f} ms ({commands} commands to {len(switchable)} lights and plugs"
            f"{'' if not failed else f'; {failed} NOT confirmed'})",
            flush=True,
        )
        rounds: list[float] = []
        for intent in ("close", "open"):
            blinds = [d for d in every if home.device(d).type is DeviceType.BLIND]  # type: ignore[union-attr]
            others = [d for d in every if d not in blinds and home.device(d).type is not DeviceType.DOOR_LOCK]  # type: ignore[union-attr]
            locks = [d for d in every if home.device(d).type is DeviceType.DOOR_LOCK]  # type: ignore[union-attr]
            batch = (
                [Command(intent, (d,)) for d in blinds]
                + [Command("turn_on" if intent == "open" else "turn_off", (d,)) for d in others]
                + [Command("lock", (d,)) for d in locks]
            )
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(running.hub.execute(c) for c in batch))
            rounds.append((time.perf_counter() - started) * 1000)
            if not all(o.ok for o in outcomes):
                print(f"  NOT all confirmed: {[o.to_dict() for o in outcomes if not o.ok][:3]}", flush=True)
        print(
            f"  all {len(every)} devices commanded at once, each confirmed: {rounds[0]:.0f} ms, {rounds[1]:.0f} ms",
            flush=True,
        )
        return {
            "devices": len(every),
            "commission_s": round(statistics.median(times), 3),
            "p50_ms": round(p50, 2),
            "p99_ms": round(p99, 2),
        }
    finally:
        await running.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=300)
    args = parser.parse_args()
    problem = lab_problem()
    if problem and "packages are not installed" not in problem:
        raise SystemExit(f"matter_bench: {problem}")
    python = (
        subprocess.run([str(ROOT / "scripts" / "ensure-matter-lab.sh")], capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    with tempfile.TemporaryDirectory(prefix="matter-bench-") as folder:
        lab = MatterLab(Path(folder), python).up()
        try:
            result = asyncio.run(run(lab, Path(folder), args.commands))
        finally:
            lab.down()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
