"""A nats-server of the test's own (JetStream, a temporary store, a free port) and a fresh PostgreSQL
database for the session (the storage tests' way of finding or starting one)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jibsa.testing.nats_server import NatsServer

sys.path.insert(0, str(Path(__file__).parent.parent / "storage"))

from tests_storage_support import session_postgres


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with session_postgres() as found:
        if found.url is None:  # .ci/run provides one: a missing server is a failure, not a skip
            pytest.fail(f"the provider tests need PostgreSQL: {found.skip_reason}")
        yield found.url


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats").start()
    yield server
    server.stop()
