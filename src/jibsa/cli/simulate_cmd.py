"""`jibsa simulate --mqtt URL [--home FILE | --devices N]`: simulated appliances on a real broker."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_language_option, cli_language


def register(subparsers: Any) -> None:
    simulate = subparsers.add_parser("simulate", help="run simulated appliances that speak MQTT with discovery")
    simulate.add_argument("--mqtt", required=True, metavar="URL", help="broker, e.g. mqtt://127.0.0.1:1883")
    which = simulate.add_mutually_exclusive_group()
    which.add_argument("--home", metavar="FILE", help="simulate this home's devices (default: the sample home)")
    which.add_argument("--devices", type=int, metavar="N", help="simulate N generated devices instead")
    simulate.add_argument("--node", default="jibsa_sim", help="node id in the topics (default: jibsa_sim)")
    add_language_option(simulate)
    simulate.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from jibsa.adapters.mqtt import parse_broker_url
    from jibsa.cli.common import load_home_or_exit
    from jibsa.hub import SystemClock
    from jibsa.presentation.state_words import state_words
    from jibsa.simulated_home import MqttSimulator, generated_home

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        url = parse_broker_url(args.mqtt)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    home = generated_home(args.devices) if args.devices else load_home_or_exit(args.home).home

    async def main() -> int:
        simulator = MqttSimulator(home, url, SystemClock(), node=args.node)
        await simulator.start()
        print(
            state_words(cli_language(args)).phrase("simulating", count=len(home.devices), home=home.name, url=url),
            flush=True,
        )
        try:
            await asyncio.Event().wait()
        finally:
            await simulator.stop()
        return 0

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 0
