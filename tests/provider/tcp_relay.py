"""`TcpRelay` stands in for the network between a provider process and its PostgreSQL, and is named for
what it is: every byte goes through to the real server; `cut()` aborts every connection and refuses new
ones (PostgreSQL away, as its clients see it: down, or the network gone), `restore()` listens again on the
same port."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.engine import make_url

from jibsa.testing.processes import free_port


class TcpRelay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    @classmethod
    def to(cls, database_url: str) -> TcpRelay:
        url = make_url(database_url)
        return cls(url.host or "127.0.0.1", url.port or 5432)

    def url(self, database_url: str) -> str:
        """`database_url`, reached through this relay."""
        return make_url(database_url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    async def start(self) -> TcpRelay:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        return self

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()

    async def _pipe(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection(*self._target)
        except OSError:
            client_out.transport.abort()
            return
        self._open |= {client_out, server_out}
        await asyncio.gather(_copy(client_in, server_out), _copy(server_in, client_out), return_exceptions=True)
        for writer in (client_out, server_out):
            self._open.discard(writer)
            writer.transport.abort()


async def _copy(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await source.read(65536):
            target.write(data)
            await target.drain()
    target.transport.abort()
