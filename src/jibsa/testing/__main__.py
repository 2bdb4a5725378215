"""Run a stand-in cloud for a demo: `python -m jibsa.testing thinq --port 8765`, then start jibsa
with `JIBSA_THINQ_BASE_URL=http://127.0.0.1:8765 JIBSA_THINQ_TOKEN=<the token printed>`.
`python -m jibsa.testing data-go-kr` prints the JIBSA_WEATHER_* variables for KMA and AirKorea."""

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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m jibsa.testing", description=__doc__)
    parser.add_argument("cloud", choices=("thinq", "smartthings", "data-go-kr"))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
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
