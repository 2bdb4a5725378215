"""`jibsa simulate --mqtt URL [--home FILE | --devices N]`: simulated appliances on a real broker."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_language_option, cli_language
from jibsa.cli.help_words import HelpWords


def register(subparsers: Any, words: HelpWords) -> None:
    simulate = subparsers.add_parser("simulate", help=words("simulate.command"))
    simulate.add_argument("--mqtt", required=True, metavar="URL", help=words("simulate.mqtt"))
    which = simulate.add_mutually_exclusive_group()
    which.add_argument("--home", metavar="FILE", help=words("simulate.home"))
    which.add_argument("--devices", type=int, metavar="N", help=words("simulate.devices"))
    simulate.add_argument("--node", default="jibsa_sim", help=words("simulate.node"))
    add_language_option(simulate, words)
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
