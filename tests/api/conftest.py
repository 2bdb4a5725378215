"""Fixtures for the API tests: the sample home on the real SQLite store in a temporary directory,
one user per role with a token (and a password), the app in-process over httpx, and a live uvicorn
server on a free port for the WebSocket."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from tests_api_support import PASSWORDS

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Role


@dataclass
class ApiHarness:
    client: httpx.AsyncClient
    running: RunningHome
    app: Any
    tokens: dict[Role, str] = field(default_factory=dict)

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    async def as_(self, role: Role, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.auth(role), **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def login(self, role: Role) -> str:
        """Log in with the role's password; returns the CSRF token (the cookie stays in the client)."""
        response = await self.client.post("/api/login", json={"name": role.value, "password": PASSWORDS[role]})
        assert response.status_code == 200, response.text
        csrf: str = response.json()["csrf_token"]
        return csrf


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningHome]:
    home = await open_home(Settings(data_dir=tmp_path))
    yield home
    await home.close()


async def add_role_users(running: RunningHome) -> dict[Role, str]:
    tokens: dict[Role, str] = {}
    for role in Role:
        _, tokens[role] = await add_user_with_token(
            running.store,
            running.hub.home.id,
            role.value,
            role,  # type: ignore[arg-type]
            PASSWORDS[role],
        )
    return tokens


def make_app(running: RunningHome, **auth: Any) -> Any:
    return create_app(running, AuthSettings(**auth))


@pytest.fixture
def auth_settings() -> dict[str, Any]:
    return {}


@pytest.fixture
async def harness(running: RunningHome, auth_settings: dict[str, Any]) -> AsyncIterator[ApiHarness]:
    app = make_app(running, **auth_settings)
    tokens = await add_role_users(running)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://jibsa.test") as client:
        yield ApiHarness(client, running, app, tokens)


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
async def live_url(harness: ApiHarness) -> AsyncIterator[str]:
    """The same app served by uvicorn on a free loopback port (for WebSocket clients)."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(harness.app, log_level="warning", ws="websockets-sansio", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    await task
    sock.close()
