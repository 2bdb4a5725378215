"""From what a person configures (a data directory, a SQLite file or a database URL) to an async engine,
and, for SQLite, the synchronous engine its writes run on (`jibsa.storage.sqlite_writer`)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from jibsa.storage.errors import StorageConfigError

DB_FILE_NAME = "jibsa.db"
_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
BUSY_TIMEOUT_MS = 10_000


def database_url(target: str | os.PathLike[str]) -> URL:
    """The async SQLAlchemy URL for `target`: a directory (its `jibsa.db`), a `.db` file, `sqlite:///…`
    or `postgresql://…`. Creates the directory of a SQLite file (private to the user) if missing."""
    text = os.fspath(target)
    if "://" not in text:
        return _sqlite_url(_sqlite_file(Path(text).expanduser()))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as error:  # a malformed URL or port: say which setting is wrong
        raise StorageConfigError(f"database URL {_hide_password(text)!r}: {error}") from error
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if "sslmode" in url.query:  # libpq's name; asyncpg takes the same values as `ssl`
            url = url.update_query_dict({"ssl": url.query["sslmode"]}).difference_update_query(["sslmode"])
        return url.set(drivername="postgresql+asyncpg")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StorageConfigError("sqlite: an in-memory database keeps nothing; give a file or a data directory")
        return _sqlite_url(_sqlite_file(Path(url.database).expanduser()))
    raise StorageConfigError(f"database URL {_hide_password(text)!r}: use a directory, sqlite:/// or postgresql://")


def create_engine(url: URL, *, exclusive_begin: bool = False, pool_size: int | None = None) -> AsyncEngine:
    """An engine whose JSON keeps Korean text as it is. `exclusive_begin` (SQLite only) makes every
    transaction take the write lock at BEGIN, so that two processes migrating at once wait for each other.
    `pool_size` (PostgreSQL): connections kept open, and as many more at busy times (default 5 and 10)."""
    options: dict[str, Any] = {"json_serializer": _dumps}
    if url.get_backend_name() == "sqlite":
        if exclusive_begin:
            options["poolclass"] = NullPool
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine.sync_engine, exclusive_begin=exclusive_begin)
        return engine
    if pool_size is not None:
        options |= {"pool_size": pool_size, "max_overflow": pool_size}
    return create_async_engine(url, pool_pre_ping=True, **options)


def create_sqlite_writer_engine(url: URL) -> Engine:
    """The synchronous engine (the standard library's sqlite3) on the same file as `url`, for the one
    thread that writes it: the same JSON and the same pragmas as `create_engine`."""
    engine = create_sync_engine(url.set(drivername="sqlite+pysqlite"), json_serializer=_dumps)
    _configure_sqlite(engine, exclusive_begin=False)
    return engine


def _sqlite_file(path: Path) -> Path:
    """An existing directory or a new name without a SQLite suffix holds `jibsa.db`; anything else is the
    file itself. Decided from one look at the path: another process may create the directory at any
    moment (several opening a new data directory at once), and two looks could see two answers."""
    try:
        is_directory: bool | None = stat.S_ISDIR(path.stat().st_mode)
    except FileNotFoundError:
        is_directory = None
    in_data_dir = bool(is_directory or (is_directory is None and path.suffix.lower() not in _SQLITE_SUFFIXES))
    if in_data_dir:
        path = path / DB_FILE_NAME
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _keep_private(path, in_data_dir)
    except OSError as error:
        raise StorageConfigError(f"{path.parent}: cannot create the data directory: {error.strerror}") from error
    return path.resolve()


def _keep_private(path: Path, in_data_dir: bool) -> None:
    """The database holds password hashes and what people said: only its owner may read it. The data
    directory is made 0700 and the database (with its WAL and shared-memory files, which SQLite creates
    with the database's mode) 0600, now and for files an older jibsa made readable by all."""
    directory = path.parent.stat()
    # Never a shared directory someone named as the data directory (/tmp, with its sticky bit).
    if in_data_dir and directory.st_uid == os.getuid() and not directory.st_mode & stat.S_ISVTX:
        path.parent.chmod(0o700)
    os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and stat.S_IMODE(file.stat().st_mode) & 0o077:
            file.chmod(0o600)


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+aiosqlite", database=str(path))


def _configure_sqlite(engine: Engine, *, exclusive_begin: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if exclusive_begin:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        # WAL with synchronous=NORMAL: a COMMIT is in the WAL file (the OS's page cache at least) before
        # it returns, so it survives the process being killed (kill -9); only a power cut or OS crash may
        # lose the last commits, and the database stays consistent even then.
        for pragma in (
            f"busy_timeout = {BUSY_TIMEOUT_MS}",
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "foreign_keys = ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    if exclusive_begin:

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _hide_password(text: str) -> str:
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a URL at all: nothing to hide beyond what the person typed
        return text
