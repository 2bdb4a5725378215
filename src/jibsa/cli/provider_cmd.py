"""`jibsa provider …`: running jibsa for many homes (docs/provider.md).

`worker --config FILE` hosts the homes of the shards it leases, and `gateway --config FILE` serves HTTP
and WebSocket for every home, each until Ctrl-C or SIGTERM; `homes import` adds homes from home files (or
generates many from one), `homes export HOME` prints every row of one home as JSON, `homes delete HOME`
deletes every row of it (both audited), `homes retention HOME DAYS` sets how long the home's state history
is kept, `homes members remove HOME NAME` removes an account of a home, its tokens and sessions (audited,
announced to every gateway), `homes members list HOME` prints each account of a home with its role."""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jibsa.cli.common import add_language_option, cli_language
from jibsa.config import ConfigError

if TYPE_CHECKING:
    from jibsa.cli.help_words import HelpWords
    from jibsa.provider.settings import ProviderSettings

EXIT_FAILED = 1
Result = TypeVar("Result")


def register(subparsers: Any, words: HelpWords) -> None:
    provider = subparsers.add_parser("provider", help=words("provider.command"))
    commands = provider.add_subparsers(dest="provider_command", metavar="COMMAND", required=True)
    _add_process(commands, words, "worker", _worker)
    _add_process(commands, words, "gateway", _gateway)
    _add_homes(commands, words)


def _add_process(commands: Any, words: HelpWords, name: str, handler: Callable[[argparse.Namespace], int]) -> None:
    """A long-running process of the provider (worker, gateway): its settings file and how much it logs."""
    process = commands.add_parser(name, help=words(f"provider.{name}"))
    process.add_argument("--config", help=words("provider.config"))
    add_language_option(process, words)
    process.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"], help=words("serve.log_level")
    )
    process.set_defaults(handler=handler)


def _worker(args: argparse.Namespace) -> int:
    from jibsa.provider.worker import run_worker

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = _database_settings(args)
        _run_process(_until_signal(lambda stop: run_worker(settings, stop)))
    except ConfigError as error:  # the settings, or NATS out of reach at start-up
        print(_error_words(args, error), file=sys.stderr)
        return EXIT_FAILED
    return 0


def _add_homes(commands: Any, words: HelpWords) -> None:
    homes = commands.add_parser("homes", help=words("provider.homes"))
    actions = homes.add_subparsers(dest="homes_command", metavar="ACTION", required=True)
    add = actions.add_parser("import", help=words("provider.import"))
    add.add_argument("files", nargs="*", type=Path, help=words("provider.files"))
    add.add_argument("--generate", type=int, metavar="N", help=words("provider.generate"))
    add.add_argument("--prefix", default="h_", help=words("provider.prefix"))
    add.add_argument("--owner", metavar="NAME", help=words("provider.owner"))
    add.add_argument("--tokens", type=Path, metavar="FILE", help=words("provider.tokens"))
    add.set_defaults(handler=_import)
    export = actions.add_parser("export", help=words("provider.export"))
    export.add_argument("home", help=words("provider.home"))
    export.set_defaults(handler=_export)
    delete = actions.add_parser("delete", help=words("provider.delete"))
    delete.add_argument("home", help=words("provider.home"))
    delete.add_argument("--yes", action="store_true", help=words("provider.yes"))
    delete.set_defaults(handler=_delete)
    keep = actions.add_parser("retention", help=words("provider.retention"))
    keep.add_argument("home", help=words("provider.home"))
    keep.add_argument("days", help=words("provider.days"))
    keep.set_defaults(handler=_retention)
    members = actions.add_parser("members", help=words("provider.members"))
    member_actions = members.add_subparsers(dest="members_command", metavar="ACTION", required=True)
    remove = member_actions.add_parser("remove", help=words("provider.members_remove"))
    remove.add_argument("home", help=words("provider.home"))
    remove.add_argument("name", help=words("provider.member_name"))
    remove.set_defaults(handler=_remove_member)
    listed = member_actions.add_parser("list", help=words("provider.members_list"))
    listed.add_argument("home", help=words("provider.home"))
    listed.set_defaults(handler=_list_members)
    for parser in (add, export, delete, keep, remove, listed):
        parser.add_argument("--config", help=words("provider.config"))
        parser.add_argument("--db", metavar="URL", help=words("provider.db"))
        add_language_option(parser, words)


def _said(args: argparse.Namespace, key: str, **fields: Any) -> str:
    """One of the operator's sentences (words/<lang>.yaml, `provider_cli`), in the command line's language."""
    from jibsa.words import Said, say

    return say(Said(f"provider_cli.{key}", fields), cli_language(args))


def _settings(args: argparse.Namespace) -> ProviderSettings:
    """The `--config` file and the environment (`--db`, where given, over both)."""
    from jibsa.provider.settings import ProviderSettings

    environ = dict(os.environ)
    if getattr(args, "db", None):
        environ["JIBSA_PROVIDER_DATABASE_URL"] = args.db
    return ProviderSettings.load(args.config, environ)


def _database_settings(args: argparse.Namespace) -> ProviderSettings:
    """The settings, if they name the provider's PostgreSQL (`SettingsError` naming the file otherwise)."""
    return _settings(args).with_database(str(args.config or ""))


def _error_words(args: argparse.Namespace, error: BaseException) -> str:
    """What stopped the command, in the command line's language (the provider's own errors are worded from
    the catalogue, `provider_errors`)."""
    from jibsa.provider.told import worded

    return worded(error, cli_language(args))


def _gateway(args: argparse.Namespace) -> int:
    from jibsa.provider.gateway_process import run_gateway

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = _database_settings(args)
        _run_process(_until_signal(lambda stop: run_gateway(settings, stop, lambda line: print(line, flush=True))))
    except ConfigError as error:
        print(_error_words(args, error), file=sys.stderr)
        return EXIT_FAILED
    return 0


def _run_process(main: Coroutine[Any, Any, None]) -> None:
    """A worker or gateway on uvloop where it is installed, as `jibsa serve` runs: the event loop's own
    work was a fifth of a worker's CPU per command (bench/provider_cpu_bench.py --profile)."""
    from jibsa.cli.serve_cmd import event_loop_factory

    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        runner.run(main)


async def _until_signal(run: Any) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run(stop)


def _homes_action(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """`action`, with what stops it (settings, a home file, no such home, a refused change) printed as one
    line and exit status 1."""

    @functools.wraps(action)
    def run(args: argparse.Namespace) -> int:
        from jibsa.domain import HomeFileError
        from jibsa.provider.outages import DOWN_ERRORS, database_down
        from jibsa.provider.tenancy import TenancyError
        from jibsa.words.home_file import describe_problem

        try:
            return action(args)
        except KeyError:  # home_data's word for a home that is not there
            print(_said(args, "no_home", home=getattr(args, "home", "")), file=sys.stderr)
        except TenancyError as error:
            home, name = getattr(args, "home", ""), getattr(args, "name", "")
            told = {"unknown_home": "no_home", "unknown_user": "no_member", "last_owner": "last_owner"}.get(error.code)
            print(error if told is None else _said(args, told, home=home, name=name), file=sys.stderr)
        except HomeFileError as error:
            print(describe_problem(error, cli_language(args)), file=sys.stderr)
        except (ConfigError, ValueError) as error:
            print(_error_words(args, error), file=sys.stderr)
        except DOWN_ERRORS as error:
            if not database_down(error):
                raise
            print(_said(args, "database_down", error=error), file=sys.stderr)
        return EXIT_FAILED

    return run


def _on_database(args: argparse.Namespace, work: Callable[[Any], Awaitable[Result]]) -> Result:
    """`work(engine)` on the provider database the settings name (prepared first)."""
    return asyncio.run(_with_engine(_database_settings(args), work))


@_homes_action
def _import(args: argparse.Namespace) -> int:
    from jibsa.provider.home_data import generated_homes, home_from_file, import_homes

    _database_settings(args)  # a settings problem is told before any home file is read
    if args.generate is not None:
        if len(args.files) != 1 or args.generate < 1:
            raise ConfigError(_said(args, "generate_one_file"))
        template = home_from_file(_read(args, args.files[0]), str(args.files[0]))
        new_homes: Any = generated_homes(template, args.generate, args.prefix)
    else:
        if not args.files:
            raise ConfigError(_said(args, "no_files"))
        new_homes = [home_from_file(_read(args, file), str(file)) for file in args.files]
    started = time.perf_counter()
    imported = _on_database(args, lambda engine: import_homes(engine, new_homes, owner=args.owner, actor="cli"))
    if args.tokens is not None:
        descriptor = os.open(args.tokens, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.writelines(f"{home}\t{token}\n" for home, token in imported.tokens.items())
    print(_said(args, "imported", count=imported.homes, seconds=f"{time.perf_counter() - started:.1f}"))
    return 0


def _read(args: argparse.Namespace, file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(_said(args, "unreadable", file=file, reason=error.strerror)) from None


@_homes_action
def _export(args: argparse.Namespace) -> int:
    from jibsa.provider.home_data import export_home

    rows = _on_database(args, lambda engine: export_home(engine, args.home, actor="cli"))
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=1, default=str)
    print()
    return 0


@_homes_action
def _delete(args: argparse.Namespace) -> int:
    from jibsa.provider.home_data import delete_home, export_home

    if not args.yes:
        rows = _on_database(args, lambda engine: export_home(engine, args.home))
        counts = {name: len(found) for name, found in rows.items() if found}
        print(_said(args, "would_delete", home=args.home, counts=json.dumps(counts)))
        return EXIT_FAILED
    deleted = _on_database(args, lambda engine: delete_home(engine, args.home))
    print(_said(args, "deleted", home=args.home, counts=json.dumps(deleted)))
    _announce_deleted(args)
    return 0


def _announce_deleted(args: argparse.Namespace) -> None:
    """Every gateway forgets the deleted home's tokens now (unannounced, within `token_cache_s`)."""
    from jibsa.provider.token_cache import announce

    settings = _settings(args)
    if not asyncio.run(announce(settings.nats_url, home_id=args.home)):
        seconds = f"{settings.token_cache_s:g}"
        print(_said(args, "gateways_not_told", nats=settings.nats_url, seconds=seconds))


async def _with_engine(settings: ProviderSettings, work: Callable[[Any], Awaitable[Result]]) -> Result:
    from jibsa.provider.database import prepare_database
    from jibsa.storage.engine import create_engine, database_url

    url = database_url(settings.database_url)
    await prepare_database(url)
    engine = create_engine(url)
    try:
        return await work(engine)
    finally:
        await engine.dispose()


@_homes_action
def _retention(args: argparse.Namespace) -> int:
    from jibsa.provider.tenancy import HomeDirectory

    try:
        days = None if args.days == "default" else float(args.days)
        if days is not None and not 0 < days <= 3650:
            raise ValueError
    except ValueError:
        raise ValueError(_said(args, "bad_days", days=args.days)) from None
    _on_database(args, lambda engine: HomeDirectory(engine).set_history_days(args.home, days))
    if days is None:
        print(_said(args, "history_default", home=args.home))
    else:
        print(_said(args, "history_days", home=args.home, days=f"{days:g}"))
    return 0


@_homes_action
def _remove_member(args: argparse.Namespace) -> int:
    from jibsa.provider.tenancy import HomeDirectory

    removed = _on_database(args, lambda engine: HomeDirectory(engine).remove_member(args.home, args.name))
    print(_said(args, "member_removed", home=args.home, name=args.name))
    _announce_removed(args, removed.user_id)
    return 0


@_homes_action
def _list_members(args: argparse.Namespace) -> int:
    from jibsa.presentation.state_words import state_words
    from jibsa.provider.tenancy import HomeDirectory

    members = _on_database(args, lambda engine: HomeDirectory(engine).members(args.home))
    roles = state_words(cli_language(args))
    for member in members:
        print(_said(args, "member_line", name=member.name, role=roles.role(member.role.value)))
    return 0


def _announce_removed(args: argparse.Namespace, user_id: str) -> None:
    """Every gateway forgets the account's tokens and closes its sockets now (unannounced: within
    `token_cache_s`, and its sockets stay open until something else makes a gateway check them)."""
    from jibsa.provider.token_cache import announce

    settings = _settings(args)
    if not asyncio.run(announce(settings.nats_url, user_id=user_id)):
        seconds = f"{settings.token_cache_s:g}"
        print(_said(args, "member_gateways_not_told", nats=settings.nats_url, name=args.name, seconds=seconds))
