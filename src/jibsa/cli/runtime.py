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
        settings = Settings(
            home_file=args.home,
            data_dir=directory,
            db_url=getattr(args, "db", None),
            adapter_settings=adapters,
            devices_over_mqtt=bool(mqtt) and args.home is None,
        )
        check_settings(settings, source=str(config or directory / CONFIG_FILE))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    return settings, server


PIN_VARIABLE = "JIBSA_UNLOCK_PIN"


def unlock_pin(server: dict[str, Any]) -> str | None:
    """The home's unlock PIN: `JIBSA_UNLOCK_PIN`, else `server: {unlock_pin}` in jibsa.yaml (either may be an
    argon2 hash)."""
    import os

    pin = os.environ.get(PIN_VARIABLE) or server.get("unlock_pin")
    return str(pin) if pin else None


def pin_lock(pin: str | None) -> Any:
    """The gate's PIN check for `pin` (None: the home has none), with a limit on wrong tries."""
    import hmac

    from jibsa.api.accounts import verify_password
    from jibsa.api.limits import AttemptLimiter
    from jibsa.gate import PinLock

    def verify(said: str) -> bool:
        if pin is not None and pin.startswith("$argon2"):
            return verify_password(pin, said)
        return pin is not None and hmac.compare_digest(said.encode(), pin.encode())

    return PinLock(verify if pin else None, AttemptLimiter(5, 300.0))


def run_with_home(args: argparse.Namespace, body: Callable[[RunningHome], Awaitable[T]]) -> T:
    """Start the home from the command's options, run `body`, stop the home cleanly. The gate checks the
    home's PIN (`JIBSA_UNLOCK_PIN` or jibsa.yaml) as the server's does."""
    settings, server = settings_from(args)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    async def main() -> T:
        running = await open_home(settings)
        running.gate.configure(pins=pin_lock(unlock_pin(server)))
        try:
            return await body(running)
        finally:
            await running.close()

    return asyncio.run(main())
