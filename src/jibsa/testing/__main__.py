"""Run a stand-in cloud for a demo: `python -m jibsa.testing thinq --port 8765`, then start jibsa
with `JIBSA_THINQ_BASE_URL=http://127.0.0.1:8765 JIBSA_THINQ_TOKEN=<the token printed>`.
`python -m jibsa.testing data-go-kr` prints the JIBSA_WEATHER_* variables for KMA and AirKorea.
`python -m jibsa.testing matter-lab` (root) runs a Matter controller and a virtual light in a network
namespace, prints the light's pairing code, writes the `matter:` settings for jibsa, and prints the
light's own state as it changes (docs/matter.md)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from jibsa.testing.smartthings_server import SmartThingsServer
from jibsa.testing.standin import StandInServer
from jibsa.testing.thinq_server import ThinQServer


async def _serve(server: StandInServer, port: int, token: str, prefix: str) -> None:
    base_url = await server.start(port=port)
    print(f"JIBSA_{prefix}_BASE_URL={base_url}")
    print(f"JIBSA_{prefix}_TOKEN={token}")
    try:
        await asyncio.Event().wait()  # until interrupted
    finally:
        await server.close()


async def serve_weather(port: int) -> None:
    """KMA and AirKorea on one local gateway, answering for the real time, with fine dust for the strip's cities."""
    from jibsa.testing.data_go_kr_server import SERVICE_KEY, DataGoKrServer, demo_stations, plan_demo_week

    server = DataGoKrServer()
    server.stations = demo_stations()
    plan_demo_week(server, server.now.date())
    await server.start(port=port)
    print("JIBSA_WEATHER_PROVIDER=kma")
    print(f"JIBSA_WEATHER_SERVICE_KEY={SERVICE_KEY}")
    print(f"JIBSA_WEATHER_KMA_BASE_URL={server.kma_url}")
    print(f"JIBSA_WEATHER_AIRKOREA_BASE_URL={server.airkorea_url}", flush=True)
    try:
        await asyncio.Event().wait()  # until interrupted
    finally:
        await server.close()


def matter_lab(config: str) -> None:
    """A controller and a virtual light in a network namespace until Ctrl-C."""
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    from jibsa.testing.matter_lab import DEVICE_SCRIPT_DIR, MatterLab, lab_problem

    script = DEVICE_SCRIPT_DIR.parents[3] / "scripts" / "ensure-matter-lab.sh"
    done = subprocess.run([str(script)], capture_output=True, text=True, check=True)
    python = done.stdout.strip().splitlines()[-1]
    problem = lab_problem()
    if problem:
        raise SystemExit(problem)

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGINT):  # `kill` tears the lab down too; SIGINT even when backgrounded
        signal.signal(sig, interrupted)
    with tempfile.TemporaryDirectory(prefix="jibsa-matter-lab-") as folder:
        lab = MatterLab(Path(folder), python).up()
        try:
            light = lab.devices(("light", "stand"))
            Path(config).write_text(f'matter: {{url: "{lab.url}"}}\n', encoding="utf-8")
            code = light.devices["stand"].manual_code
            qr = light.devices["stand"].qr_code
            print(f"virtual light's pairing code: {code[:4]}-{code[4:7]}-{code[7:]} (QR: {qr})")
            print(f"jibsa settings written to {config}: ./jibsa serve --config {config} --home FILE", flush=True)
            while True:
                event = light.wait_for(lambda e: e.get("event") == "state", timeout=3600)
                print(f"the light's own state: {event['state']}", flush=True)
        except KeyboardInterrupt:
            pass
        finally:
            lab.down()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m jibsa.testing", description=__doc__)
    parser.add_argument("cloud", choices=("thinq", "smartthings", "data-go-kr", "matter-lab"))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--config", default="/tmp/jibsa-matter-lab.yaml", help="matter-lab: where to write jibsa's settings"
    )
    args = parser.parse_args()
    if args.cloud == "matter-lab":
        matter_lab(args.config)
        return
    if args.cloud == "data-go-kr":
        run = serve_weather(args.port)
    elif args.cloud == "thinq":
        thinq = ThinQServer()
        run = _serve(thinq, args.port, thinq.token, "THINQ")
    else:
        smartthings = SmartThingsServer()
        run = _serve(smartthings, args.port, smartthings.token, "SMARTTHINGS")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run)


if __name__ == "__main__":
    main()
