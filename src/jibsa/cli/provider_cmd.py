"""`jibsa provider …`: running jibsa for many homes (docs/provider.md). `jibsa provider worker --config
FILE` hosts the homes of the shards it leases until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import Any

from jibsa.config import ConfigError

EXIT_FAILED = 1


def register(subparsers: Any) -> None:
    provider = subparsers.add_parser("provider", help="run jibsa for many homes: workers (and gateways)")
    commands = provider.add_subparsers(dest="provider_command", metavar="COMMAND", required=True)
    worker = commands.add_parser("worker", help="host the homes of the shards this worker leases")
    worker.add_argument("--config", help="the provider's YAML file (JIBSA_PROVIDER_* variables win)")
    worker.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    worker.set_defaults(handler=_worker)


def _worker(args: argparse.Namespace) -> int:
    from jibsa.provider.settings import ProviderSettings

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = ProviderSettings.load(args.config)
        if not settings.database_url:
            raise ConfigError("database_url: the PostgreSQL the homes are kept in must be given")
        if not settings.homes_dir and not settings.home_template:
            raise ConfigError("homes_dir or home_template: where the homes' home files are must be given")
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    asyncio.run(_run_worker(settings))
    return 0


async def _run_worker(settings: Any) -> None:
    from jibsa.provider.worker import run_worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_worker(settings, stop)
