"""The provider's tests run against a real PostgreSQL (found or started as the storage tests do, in a
database of their own that is dropped after) and a real nats-server on a free port."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.provider.database import prepare_database
from jibsa.storage.engine import create_engine, database_url

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


@pytest.fixture
def provider_url() -> Iterator[str]:
    """A fresh PostgreSQL database with a random name, dropped after the test."""
    with _storage_support().session_postgres() as found:  # type: ignore[attr-defined]
        if found.url is None:
            pytest.fail(f"the provider needs PostgreSQL: {found.skip_reason}")
        yield found.url


@pytest.fixture
async def provider_db(provider_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a prepared provider database."""
    url = database_url(provider_url)
    await prepare_database(url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()
