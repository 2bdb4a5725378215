"""One gateway process: prepare the provider database (idempotent), connect to NATS, serve HTTP and
WebSocket until stopped."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.database import maintain_history, prepare_database
from jibsa.provider.gateway import create_gateway
from jibsa.provider.nats_connection import connect as connect_nats
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.told import SettingsError
from jibsa.storage.engine import create_engine, database_url

log = logging.getLogger(__name__)
READY = "jibsa provider gateway: listening on"


async def run_gateway(settings: ProviderSettings, stop: asyncio.Event, ready: Callable[[str], None] = print) -> None:
    """Serve until `stop` is set; `ready` hears one line with the address once requests are taken."""
    url = database_url(settings.database_url)
    await prepare_database(url)
    engine = create_engine(url)
    try:
        connection = await connect_nats(settings.nats_url, "jibsa-gateway")
    except SettingsError:
        await engine.dispose()
        raise
    try:
        app = create_gateway(settings, engine, connection)
        await app.state.gateway.tokens.listen()
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
        upkeep = asyncio.create_task(_keep_history(engine, settings))
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        upkeep.cancel()
        server.should_exit = True
        await serving
        stopping.cancel()
    finally:
        await connection.close()
        await engine.dispose()


async def _keep_history(engine: AsyncEngine, settings: ProviderSettings) -> None:
    """Every `maintain_every_s`: history partitions ahead, each home's retention applied. Any number of
    gateways may do it; they take turns on an advisory lock, and a second one in a row finds little to do."""
    if settings.maintain_every_s <= 0:
        return
    while True:
        await asyncio.sleep(settings.maintain_every_s)
        try:
            kept = await maintain_history(engine, time.time(), settings.history_days)
        except (SQLAlchemyError, OSError) as error:
            log.warning("history upkeep failed, tried again in %.0f s: %s", settings.maintain_every_s, error)
            continue
        if kept.dropped_partitions or kept.deleted_rows:
            log.info("history upkeep: dropped %s, deleted %d rows", kept.dropped_partitions, kept.deleted_rows)
