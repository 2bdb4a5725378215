"""One gateway process: prepare the provider database (idempotent), connect to NATS, serve HTTP and
WebSocket until stopped."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

import nats
import nats.errors
import uvicorn

from jibsa.config import ConfigError
from jibsa.provider.database import prepare_database
from jibsa.provider.gateway import create_gateway
from jibsa.provider.gateway_settings import GatewaySettings
from jibsa.storage.engine import create_engine, database_url

log = logging.getLogger(__name__)
READY = "jibsa provider gateway: listening on"


async def run_gateway(settings: GatewaySettings, stop: asyncio.Event, ready: Callable[[str], None] = print) -> None:
    """Serve until `stop` is set; `ready` hears one line with the address once requests are taken."""
    url = database_url(settings.database_url)
    await prepare_database(url)
    engine = create_engine(url)
    try:
        connection = await nats.connect(
            settings.nats_url, name="jibsa-gateway", connect_timeout=5, max_reconnect_attempts=-1,
            allow_reconnect=True,
        )  # fmt: skip
    except (OSError, nats.errors.Error) as error:
        await engine.dispose()
        raise ConfigError(f"nats_url: cannot reach NATS at {settings.nats_url}: {error}") from None
    try:
        app = create_gateway(settings, engine, connection)
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level="warning",
            lifespan="off",
            ws_max_size=4096,
        )  # fmt: skip  (no access log: a WebSocket's ?token= would be in it)
        server = uvicorn.Server(config)
        # Bound and listening before anyone is told: a request that arrives while uvicorn starts waits
        # in the socket's backlog.
        listening = socket.create_server((settings.host, settings.port), backlog=1024)
        serving = asyncio.create_task(server.serve(sockets=[listening]))
        host, port = listening.getsockname()[:2]
        ready(f"{READY} http://{host}:{port}")
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        await serving
        stopping.cancel()
    finally:
        await connection.close()
        await engine.dispose()
