"""`jibsa matter serve`: a Matter controller (python-matter-server, the controller Home Assistant uses)
for jibsa, with its storage under the data directory; `jibsa serve --matter` starts the same one as a
child process of the home server. Adding devices: docs/matter.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_data_option, data_dir
from jibsa.cli.help_words import HelpWords


def register(subparsers: Any, words: HelpWords) -> None:
    matter = subparsers.add_parser("matter", help=words("matter.command"))
    commands = matter.add_subparsers(dest="matter_command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help=words("matter.serve"))
    add_data_option(serve, words)
    serve.add_argument("--config", metavar="FILE", help=words("matter.config"))
    serve.add_argument("--port", type=int, help=words("matter.port"))
    serve.add_argument("--listen", help=words("matter.listen"))
    serve.add_argument(
        "--paa-root-cert-dir",
        metavar="DIR",
        help=words("matter.paa_root_cert_dir"),
    )
    serve.set_defaults(handler=_serve)


def controller_for(directory: Path, section: dict[str, Any]) -> Any:
    """The controller `matter:` settings describe (its Python made the first time), or exit 2 saying why."""
    from jibsa.adapters.matter.controller import (
        ControllerError,
        MatterController,
        check_factory_dir,
        controller_python,
        options_from,
    )

    try:
        check_factory_dir()
        python = controller_python(directory, section.get("controller_python"))
        return MatterController(options_from(section, directory, python))
    except ControllerError as exc:
        print(f"jibsa: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None


def _serve(args: argparse.Namespace) -> int:
    from jibsa.config import ConfigError, load_adapter_settings

    directory = data_dir(args)
    try:
        section = dict(load_adapter_settings(args.config, directory).get("matter") or {})
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    for key, value in (("port", args.port), ("listen", args.listen), ("paa_root_cert_dir", args.paa_root_cert_dir)):
        if value is not None:
            section[key] = value
    controller = controller_for(directory, section)
    return asyncio.run(_run(controller))


async def _run(controller: Any) -> int:
    from jibsa.adapters.matter.controller import ControllerError

    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    try:
        await controller.start()
    except ControllerError as exc:
        print(f"jibsa: {exc}", file=sys.stderr)
        return 1
    print(f"jibsa: Matter controller — {controller.options.url} (log: {controller.log_file})", flush=True)
    process = controller.process
    exited = asyncio.create_task(process.wait())
    waiting = asyncio.create_task(stopped.wait())
    await asyncio.wait({exited, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if exited.done():
        print(
            f"jibsa: the Matter controller exited ({process.returncode}); its log: {controller.log_file}",
            file=sys.stderr,
        )
        return 1
    exited.cancel()
    with contextlib.suppress(ControllerError):
        await controller.stop()
    return 0
