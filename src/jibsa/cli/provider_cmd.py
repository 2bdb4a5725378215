"""`jibsa provider …`: running jibsa for many homes (docs/provider.md).

`worker --config FILE` hosts the homes of the shards it leases, and `gateway --config FILE` serves HTTP
and WebSocket for every home, each until Ctrl-C or SIGTERM; `homes import` adds homes from home files (or
generates many from one), `homes export HOME` prints every row of one home as JSON, `homes delete HOME`
deletes every row of it (both audited), `homes retention HOME DAYS` sets how long the home's state history
is kept."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from jibsa.cli.help_words import HelpWords
from jibsa.config import ConfigError

EXIT_FAILED = 1


def register(subparsers: Any, words: HelpWords) -> None:  # its help is not in the catalogue yet: `words` unused
    provider = subparsers.add_parser("provider", help="run jibsa for many homes: gateways, workers and homes")
    commands = provider.add_subparsers(dest="provider_command", metavar="COMMAND", required=True)
    _add_worker(commands)
    _add_gateway(commands)
    _add_homes(commands)


def _add_worker(commands: Any) -> None:
    worker = commands.add_parser("worker", help="host the homes of the shards this worker leases")
    worker.add_argument("--config", help="the provider's YAML file (JIBSA_PROVIDER_* variables win)")
    worker.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    worker.set_defaults(handler=_worker)


def _worker(args: argparse.Namespace) -> int:
    from jibsa.provider.settings import ProviderSettings
    from jibsa.provider.worker import run_worker

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
    asyncio.run(_until_signal(lambda stop: run_worker(settings, stop)))
    return 0


def _add_gateway(commands: Any) -> None:
    gateway = commands.add_parser("gateway", help="serve HTTP and WebSocket for every home, routing to workers")
    gateway.add_argument("--config", help="the provider's YAML file (JIBSA_PROVIDER_* variables win)")
    gateway.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    gateway.set_defaults(handler=_gateway)


def _add_homes(commands: Any) -> None:
    homes = commands.add_parser("homes", help="import, export or delete homes")
    actions = homes.add_subparsers(dest="homes_command", metavar="ACTION", required=True)
    add = actions.add_parser("import", help="add homes from home files (or --generate many from one)")
    add.add_argument("files", nargs="*", type=Path, help="home files; each home's id is the file's `id`")
    add.add_argument("--generate", type=int, metavar="N", help="N homes from the one file given (ids PREFIX00000…)")
    add.add_argument("--prefix", default="h_", help="the generated homes' id prefix (default h_)")
    add.add_argument("--owner", metavar="NAME", help="give each home an owner account NAME with an access token")
    add.add_argument("--tokens", type=Path, metavar="FILE", help="write 'home id<TAB>owner token' lines here (0600)")
    add.set_defaults(handler=_import)
    export = actions.add_parser("export", help="print every row of one home as JSON")
    export.add_argument("home")
    export.set_defaults(handler=_export)
    delete = actions.add_parser("delete", help="delete every row of one home (its people's data with it)")
    delete.add_argument("home")
    delete.add_argument("--yes", action="store_true", help="do it (without: say what would go)")
    delete.set_defaults(handler=_delete)
    keep = actions.add_parser("retention", help="how many days of state history one home keeps")
    keep.add_argument("home")
    keep.add_argument("days", help="a number of days, or 'default' for the provider's history_days")
    keep.set_defaults(handler=_retention)
    for parser in (add, export, delete, keep):
        parser.add_argument("--config", help="the provider's YAML file (JIBSA_PROVIDER_* variables win)")
        parser.add_argument("--db", metavar="URL", help="the provider's PostgreSQL (instead of database_url)")


def _settings(args: argparse.Namespace) -> Any:
    from jibsa.provider.gateway_settings import GatewaySettings

    environ = dict(os.environ)
    if getattr(args, "db", None):
        environ["JIBSA_PROVIDER_DATABASE_URL"] = args.db
    return GatewaySettings.load(args.config, environ)


def _gateway(args: argparse.Namespace) -> int:
    from jibsa.provider.gateway_process import run_gateway

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = _settings(args)
        asyncio.run(_until_signal(lambda stop: run_gateway(settings, stop, lambda line: print(line, flush=True))))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    return 0


async def _until_signal(run: Any) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run(stop)


def _import(args: argparse.Namespace) -> int:
    from jibsa.domain import HomeFileError
    from jibsa.provider.home_data import generated_homes, home_from_file

    try:
        settings = _settings(args)
        if args.generate is not None:
            if len(args.files) != 1 or args.generate < 1:
                raise ConfigError("--generate N takes exactly one home file, the template, and N ≥ 1")
            template = home_from_file(_read(args.files[0]), str(args.files[0]))
            new_homes: Any = generated_homes(template, args.generate, args.prefix)
        else:
            if not args.files:
                raise ConfigError("give home files to import (or --generate N with one)")
            new_homes = [home_from_file(_read(file), str(file)) for file in args.files]
    except (ConfigError, HomeFileError, ValueError) as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    started = time.perf_counter()
    imported = asyncio.run(_with_engine(settings, lambda engine: _import_into(engine, new_homes, args.owner)))
    if args.tokens is not None:
        descriptor = os.open(args.tokens, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.writelines(f"{home}\t{token}\n" for home, token in imported.tokens.items())
    print(f"imported {imported.homes} homes in {time.perf_counter() - started:.1f} s")
    return 0


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"{file}: cannot be read: {error.strerror}") from None


async def _import_into(engine: Any, new_homes: Any, owner: str | None) -> Any:
    from jibsa.provider.home_data import import_homes

    return await import_homes(engine, new_homes, owner=owner, actor="cli")


def _export(args: argparse.Namespace) -> int:
    from jibsa.provider.home_data import export_home

    try:
        rows = asyncio.run(_with_engine(_settings(args), lambda engine: export_home(engine, args.home, actor="cli")))
    except (ConfigError, KeyError, ValueError) as error:
        print(f"no home {args.home!r}" if isinstance(error, KeyError) else error, file=sys.stderr)
        return EXIT_FAILED
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()
    return 0


def _delete(args: argparse.Namespace) -> int:
    from jibsa.provider.home_data import delete_home, export_home

    if not args.yes:
        try:
            rows = asyncio.run(_with_engine(_settings(args), lambda engine: export_home(engine, args.home)))
        except (ConfigError, KeyError, ValueError) as error:
            print(f"no home {args.home!r}" if isinstance(error, KeyError) else error, file=sys.stderr)
            return EXIT_FAILED
        counts = {name: len(found) for name, found in rows.items() if found}
        print(f"would delete from {args.home}: {json.dumps(counts)}; run again with --yes to delete")
        return EXIT_FAILED
    try:
        deleted = asyncio.run(_with_engine(_settings(args), lambda engine: delete_home(engine, args.home)))
    except (ConfigError, KeyError, ValueError) as error:
        print(f"no home {args.home!r}" if isinstance(error, KeyError) else error, file=sys.stderr)
        return EXIT_FAILED
    print(f"deleted {args.home}: {json.dumps(deleted)}")
    return 0


async def _with_engine(settings: Any, work: Any) -> Any:
    from jibsa.provider.database import prepare_database
    from jibsa.storage.engine import create_engine, database_url

    url = database_url(settings.database_url)
    await prepare_database(url)
    engine = create_engine(url)
    try:
        return await work(engine)
    finally:
        await engine.dispose()


def _retention(args: argparse.Namespace) -> int:
    from jibsa.provider.tenancy import HomeDirectory, TenancyError

    try:
        days = None if args.days == "default" else float(args.days)
        if days is not None and not 0 < days <= 3650:
            raise ValueError
    except ValueError:
        print(f"days: {args.days!r}: a number of days from 1 to 3650, or 'default'", file=sys.stderr)
        return EXIT_FAILED
    try:
        settings = _settings(args)
        asyncio.run(_with_engine(settings, lambda engine: HomeDirectory(engine).set_history_days(args.home, days)))
    except (ConfigError, TenancyError) as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    print(f"{args.home}: state history kept {'as the default' if days is None else f'{days:g} days'}")
    return 0
