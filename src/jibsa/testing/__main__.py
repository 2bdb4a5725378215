"""Run a stand-in cloud for a demo: `python -m jibsa.testing thinq --port 8765`, then start jibsa
with `JIBSA_THINQ_BASE_URL=http://127.0.0.1:8765 JIBSA_THINQ_TOKEN=<the token printed>`."""

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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m jibsa.testing", description=__doc__)
    parser.add_argument("cloud", choices=("thinq", "smartthings"))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.cloud == "thinq":
        thinq = ThinQServer()
        run = _serve(thinq, args.port, thinq.token, "THINQ")
    else:
        smartthings = SmartThingsServer()
        run = _serve(smartthings, args.port, smartthings.token, "SMARTTHINGS")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run)


if __name__ == "__main__":
    main()
