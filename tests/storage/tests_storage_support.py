"""Finding or starting the PostgreSQL the storage tests run against (see conftest.py), and where a
test's store lives."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa

from jibsa.storage import SqlStore
from jibsa.storage.schema import metadata
from jibsa.testing.processes import free_port

LOCAL_SERVER = "postgresql://{user}@127.0.0.1:5432/{db}"


@dataclass
class Postgres:
    admin_url: str  # a database to run CREATE/DROP DATABASE from
    url: str | None = None  # the session's own database
    skip_reason: str = ""


def _can_connect(url: str) -> bool:
    async def probe() -> None:
        connection = await asyncpg.connect(url, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


def run_sql(url: str, sql: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(url, timeout=10)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


class ThrowAwayCluster:
    """A PostgreSQL cluster in a temporary directory, trust auth, listening on 127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="jibsa-pg-"))
        self.port = free_port()
        self.data = self.directory / "data"
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.directory, "postgres", "postgres")
            self._as_postgres = ["runuser", "-u", "postgres", "--"]

    def start(self) -> str:
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        assert initdb and pg_ctl
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run([pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w", "start"])
        return LOCAL_SERVER.replace("5432", str(self.port)).format(user="postgres", db="postgres")

    def stop(self) -> None:
        pg_ctl = _pg_bin("pg_ctl")
        if pg_ctl and self.data.exists():
            self._run([pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, argv: list[str], check: bool = True) -> None:
        subprocess.run([*self._as_postgres, *argv], check=check, capture_output=True, timeout=120)


def _find_server() -> str | None:
    if os.environ.get("JIBSA_TEST_POSTGRES_START"):
        return None
    for user in ("postgres", "root"):
        for db in ("test", "postgres"):
            url = LOCAL_SERVER.format(user=user, db=db)
            if _can_connect(url):
                return url
    return None


@contextmanager
def session_postgres() -> Iterator[Postgres]:
    """A fresh database with a random name on the first PostgreSQL found (or started); dropped after."""
    cluster: ThrowAwayCluster | None = None
    admin_url = os.environ.get("JIBSA_TEST_POSTGRES_URL") or _find_server()
    if admin_url is None and _pg_bin("initdb") and _pg_bin("pg_ctl"):
        cluster = ThrowAwayCluster()
        try:
            admin_url = cluster.start()
        except (OSError, subprocess.SubprocessError) as error:
            cluster.stop()
            yield Postgres("", skip_reason=f"no PostgreSQL at 127.0.0.1:5432 and initdb/pg_ctl failed: {error}")
            return
    if admin_url is None:
        yield Postgres("", skip_reason="no PostgreSQL at 127.0.0.1:5432 and no initdb/pg_ctl to start one")
        return
    name = f"jibsa_test_{uuid.uuid4().hex[:12]}"
    run_sql(admin_url, f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield Postgres(admin_url, url=admin_url.rsplit("/", 1)[0] + f"/{name}")
    finally:
        run_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if cluster is not None:
            cluster.stop()


def store_target(backend: str, postgres: Postgres, tmp_path: Path) -> str:
    """Where a test's store lives: a fresh data directory, or the session's PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / "data")
    if postgres.url is None:
        pytest.skip(postgres.skip_reason)
    return postgres.url


async def empty_every_table(store: SqlStore) -> None:
    """PostgreSQL's database outlives the test: leave it empty for the next one."""
    async with store.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(sa.delete(table))
