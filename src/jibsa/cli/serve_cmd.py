"""`jibsa serve`: the home's HTTP API, event WebSocket and dashboard, on uvicorn.

With no arguments it serves the sample home with simulated appliances on http://127.0.0.1:8700/.
Listening beyond this machine needs TLS (`--tls-cert/--tls-key`) or an explicit `--insecure`
(for a TLS reverse proxy in front; see docs/remote-access.md).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

from jibsa.cli.common import EXIT_REFUSED, add_home_options, add_language_option, cli_language
from jibsa.cli.help_words import HelpWords

DEFAULT_PORT = 8700
PIN_VARIABLE = "JIBSA_UNLOCK_PIN"


def register(subparsers: Any, words: HelpWords) -> None:
    serve = subparsers.add_parser("serve", help=words("serve.command"))
    add_home_options(serve, words)
    add_language_option(serve, words)
    serve.add_argument("--host", default="127.0.0.1", help=words("serve.host"))
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=words("serve.port", port=DEFAULT_PORT))
    serve.add_argument("--db", metavar="URL", help=words("common.db"))
    serve.add_argument("--config", metavar="FILE", help=words("serve.config"))
    serve.add_argument("--mqtt", metavar="URL", help=words("serve.mqtt"))
    serve.add_argument(
        "--matter",
        action="store_true",
        help=words("serve.matter"),
    )
    serve.add_argument("--tls-cert", metavar="FILE", help=words("serve.tls_cert"))
    serve.add_argument("--tls-key", metavar="FILE", help=words("serve.tls_key"))
    serve.add_argument(
        "--insecure",
        action="store_true",
        help=words("serve.insecure"),
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDR",
        help=words("serve.trusted_proxy"),
    )
    serve.add_argument(
        "--secure-cookies",
        action="store_true",
        help=words("serve.secure_cookies"),
    )
    serve.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"], help=words("serve.log_level")
    )
    serve.set_defaults(handler=_serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def refusal(args: argparse.Namespace) -> str | None:
    """Why these options must not be served (in the command's language), or None."""
    from jibsa.presentation.state_words import state_words

    words = state_words(cli_language(args))
    if bool(args.tls_cert) != bool(args.tls_key):
        return words.phrase("tls_pair")
    if not is_loopback(args.host) and not args.tls_cert and not args.insecure:
        return words.phrase("needs_tls", host=args.host)
    return None


def _serve(args: argparse.Namespace) -> int:
    reason = refusal(args)
    if reason is not None:
        print(f"jibsa serve: {reason}", file=sys.stderr)
        return EXIT_REFUSED
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    if args.log_level != "debug":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # schema checks on every start are not news
    settings, server_settings = _settings(args)
    from jibsa.config import ConfigError

    try:
        body_limit = max_body_bytes(server_settings)
    except ConfigError as exc:
        print(f"jibsa serve: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    controller = None
    if args.matter:
        from jibsa.cli.matter_cmd import controller_for

        controller = controller_for(settings.data_dir, dict(settings.adapter_settings["matter"]))
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        return runner.run(_run(args, settings, server_settings, body_limit, controller))


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (uvicorn[standard] brings it), the loop uvicorn itself
    would pick, and the one the bare baseline of bench/http_bench.py runs on; None (asyncio's own)
    elsewhere. On the 2-core development machine it took 7% off the CPU of a conversation request."""
    try:
        import uvloop
    except ImportError:  # not built for this platform
        return None
    return uvloop.new_event_loop


def _settings(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    from jibsa.cli.runtime import settings_from

    return settings_from(args, config=args.config, mqtt=args.mqtt, matter=args.matter)


def _auth_settings(args: argparse.Namespace, server: dict[str, Any]) -> Any:
    from jibsa.api import AuthSettings
    from jibsa.api.accounts import hash_password
    from jibsa.cli.runtime import unlock_pin

    pin = unlock_pin(server)
    pin_hash = None
    if pin:
        pin = str(pin)
        pin_hash = pin if pin.startswith("$argon2") else hash_password(pin)
    return AuthSettings(
        secure_cookies=bool(args.tls_cert or args.secure_cookies),
        unlock_pin_hash=pin_hash,
        trusted_proxies=tuple(args.trusted_proxy),
    )


def max_body_bytes(server: dict[str, Any]) -> int:
    """`server: {max_body_bytes: N}` in jibsa.yaml: the largest request body accepted (default 64 KiB)."""
    from jibsa.api.body_limit import DEFAULT_MAX_BODY_BYTES
    from jibsa.config import ConfigError

    raw = server.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ConfigError(f"server.max_body_bytes: {raw!r} is not a positive number of bytes")
    return raw


async def _announce(server: Any, app: Any, args: argparse.Namespace, running: Any, data_dir: Any) -> Any:
    """Once the home is served: tell commands on this machine where (`server.json`, see
    jibsa.cli.local_server) and say where it is served (tests and scripts wait for this line)."""
    from jibsa.cli.local_server import announce_server, loopback_url

    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    scheme = "https" if args.tls_cert else "http"
    port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
    local = announce_server(data_dir, loopback_url(scheme, args.host, port), args.home, running.hub.home.id)
    app.state.local_token = local.token
    print(f"jibsa: {running.home.name} — {scheme}://{args.host}:{args.port}/", flush=True)
    return local


async def _run(
    args: argparse.Namespace, settings: Any, server_settings: dict[str, Any], body_limit: int, controller: Any = None
) -> int:
    if controller is None:
        return await _run_home(args, settings, server_settings, body_limit)
    from jibsa.adapters.matter.controller import ControllerError

    try:
        await controller.start()
    except ControllerError as exc:
        print(f"jibsa serve: {exc}", file=sys.stderr)
        return 1
    settings.adapter_settings["matter"]["url"] = controller.options.url
    try:
        return await _run_home(args, settings, server_settings, body_limit)
    finally:
        await controller.stop()


async def _run_home(args: argparse.Namespace, settings: Any, server_settings: dict[str, Any], body_limit: int) -> int:
    import uvicorn

    from jibsa.api import create_app
    from jibsa.api.routes_voice import enable_voice
    from jibsa.app import open_home

    running = await open_home(settings)
    try:
        await first_run(running, cli_language(args))
        app = create_app(running, _auth_settings(args, server_settings), max_body_bytes=body_limit)
        enable_voice(app, settings.data_dir, dict(settings.adapter_settings.get("voice") or {}))
        config = uvicorn.Config(
            app, host=args.host, port=args.port, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
            log_level=args.log_level, ws="websockets-sansio", proxy_headers=False, server_header=False,
            lifespan="off",
        )  # fmt: skip
        _redact_tokens_in_logs()
        server = _server_class()(config)
        announce = asyncio.create_task(_announce(server, app, args, running, settings.data_dir))
        try:
            await server.serve()
        finally:
            announce.cancel()
            if announce.done() and not announce.cancelled() and announce.exception() is None:
                announce.result().forget()  # commands run on their own again
    finally:
        await running.close()
    return 0


class _RedactTokens(logging.Filter):
    """uvicorn logs WebSocket paths with their query: hide `?token=…` (an access token) from logs."""

    _TOKEN = re.compile(r"(token=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._TOKEN.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = self._TOKEN.sub(r"\1***", record.msg)
        return True


def _redact_tokens_in_logs() -> None:
    for name in ("uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(_RedactTokens())


def _server_class() -> Any:
    import contextlib
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except that Ctrl-C or SIGTERM end `serve()` without re-raising the signal,
        so the home is closed cleanly and the command exits 0."""

        @contextlib.contextmanager
        def capture_signals(self) -> Any:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.handle_exit, sig, None)
            try:
                yield
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)

    return Server


async def first_run(running: Any, language: str) -> None:
    """A home without users gets an owner "admin"; its password and token are printed this once."""
    from jibsa.api.accounts import add_user_with_token, new_password
    from jibsa.domain import Role
    from jibsa.presentation.state_words import state_words
    from jibsa.storage.errors import StorageConflict

    home_id = running.hub.home.id
    if await running.store.list_users(home_id):
        return
    password = new_password()
    try:
        _, token = await add_user_with_token(running.store, home_id, "admin", Role.OWNER, password)
    except StorageConflict:  # another jibsa process on the same database made it first, and printed its own
        return
    words = state_words(language)
    print("\n" + words.phrase("first_run", password=password, token=token) + "\n", flush=True)
