"""Opening the home for a one-shot command (`say`, `status`, `chat`) from the shared options."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from jibsa.app import RunningHome, Settings, check_settings, open_home
from jibsa.cli.common import EXIT_REFUSED, data_dir, load_home_or_exit
from jibsa.config import ConfigError, load_adapter_settings

T = TypeVar("T")


def settings_from(args: argparse.Namespace) -> Settings:
    load_home_or_exit(args.home)  # a refused home file exits with its one-line reason, status 2
    directory = data_dir(args)
    try:
        adapters = load_adapter_settings(None, directory)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    adapters.pop("server", None)
    settings = Settings(home_file=args.home, data_dir=directory, db_url=getattr(args, "db", None),
                        adapter_settings=adapters)
    try:
        check_settings(settings)
    except ConfigError as exc:
        print(f"{directory / 'jibsa.yaml'}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    return settings


def run_with_home(args: argparse.Namespace, body: Callable[[RunningHome], Awaitable[T]]) -> T:
    """Start the home from the command's options, run `body`, stop the home cleanly."""
    settings = settings_from(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> T:
        running = await open_home(settings)
        try:
            return await body(running)
        finally:
            await running.close()

    return asyncio.run(main())
