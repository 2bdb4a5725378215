"""The provider's tests run against a real PostgreSQL (found or started as the storage tests do, in a
database of their own that is dropped after) and a real nats-server of their own on a free port."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NATS
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.database import prepare_database
from jibsa.storage.engine import create_engine
from jibsa.storage.engine import database_url as engine_url
from jibsa.testing.nats_server import NatsServer

_SUPPORT = Path(__file__).parent.parent / "storage" / "tests_storage_support.py"


def _storage_support() -> object:
    """The storage tests' way of finding or starting PostgreSQL (one implementation for both folders)."""
    name = "tests_storage_support"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _SUPPORT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def provider_template() -> Iterator[tuple[str, str]]:
    """A prepared provider database that each test's database is copied from (CREATE DATABASE …
    TEMPLATE: much faster than creating some 250 partitions again): (admin URL, its name)."""
    support: Any = _storage_support()
    with support.session_postgres() as found:
        if found.url is None:
            pytest.fail(f"the provider needs PostgreSQL: {found.skip_reason}")
        asyncio.run(_prepare(found.url))
        yield found.admin_url, found.url.rsplit("/", 1)[1]


async def _prepare(url: str) -> None:
    await prepare_database(engine_url(url))


@pytest.fixture
def provider_url(provider_template: tuple[str, str]) -> Iterator[str]:
    """A fresh provider database with a random name, dropped after the test."""
    support: Any = _storage_support()
    admin_url, template = provider_template
    name = f"jibsa_test_{uuid.uuid4().hex[:12]}"
    support.run_sql(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        support.run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def provider_db(provider_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a prepared provider database."""
    url = engine_url(provider_url)
    await prepare_database(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


@pytest.fixture
def empty_database_url() -> Iterator[str]:
    """A new, empty database (not yet a provider's), dropped after the test."""
    support: Any = _storage_support()
    with support.session_postgres() as found:
        if found.url is None:
            pytest.fail(f"the provider needs PostgreSQL: {found.skip_reason}")
        yield found.url


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """One fresh PostgreSQL database for the session's worker tests."""
    support: Any = _storage_support()
    with support.session_postgres() as found:
        if found.url is None:  # .ci/run provides one: a missing server is a failure, not a skip
            pytest.fail(f"the provider tests need PostgreSQL: {found.skip_reason}")
        yield found.url


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of the test's own (JetStream, a temporary store, a free port)."""
    server = NatsServer(tmp_path / "nats").start()
    yield server
    server.stop()


@pytest.fixture
async def client(nats_server: NatsServer) -> AsyncIterator[NATS]:
    """A NATS connection to the test's own server."""
    connection = await nats.connect(nats_server.url)
    yield connection
    await connection.close()
