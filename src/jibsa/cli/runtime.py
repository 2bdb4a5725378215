"""Opening the home for a one-shot command (`say`, `status`, `chat`) from the shared options."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from jibsa.app import RunningHome, Settings, check_settings, open_home
from jibsa.cli.common import EXIT_REFUSED, cli_language, data_dir, load_home_or_exit
from jibsa.config import CONFIG_FILE, ConfigError, load_adapter_settings

T = TypeVar("T")


def settings_from(
    args: argparse.Namespace, *, config: str | None = None, mqtt: str | None = None, matter: bool = False
) -> tuple[Settings, dict[str, Any]]:
    """The home's settings from the command's options and the configuration file (`config`, or
    jibsa.yaml in the data directory), and the file's `server` section apart. A refused home file or
    configuration exits with its one-line reason, status 2."""
    load_home_or_exit(args.home, cli_language(args))
    directory = data_dir(args)
    try:
        adapters = load_adapter_settings(config, directory)
        server = adapters.pop("server", {})  # the server's own section, not an adapter's
        if mqtt:
            adapters.setdefault("mqtt", {})["url"] = mqtt
        if matter:
            adapters.setdefault("matter", {})
        if "matter" in adapters:  # names and rooms of Matter devices, and the controller's storage
            adapters["matter"].setdefault("data_dir", str(directory / "matter"))
        # With a broker and no home file, the sample home's appliances are the ones `jibsa simulate` runs.
        settings = Settings(home_file=args.home, data_dir=directory, db_url=getattr(args, "db", None),
                            adapter_settings=adapters, devices_over_mqtt=bool(mqtt) and args.home is None)
        check_settings(settings, source=str(config or directory / CONFIG_FILE))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    return settings, server


def run_with_home(args: argparse.Namespace, body: Callable[[RunningHome], Awaitable[T]]) -> T:
    """Start the home from the command's options, run `body`, stop the home cleanly."""
    settings, _ = settings_from(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> T:
        running = await open_home(settings)
        try:
            return await body(running)
        finally:
            await running.close()

    return asyncio.run(main())
