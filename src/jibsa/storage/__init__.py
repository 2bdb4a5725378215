"""Persistence on SQLite (the default, a file in the data directory) or PostgreSQL, behind one class.

`open_store(target)` opens (and migrates) the store; `SqlStore` implements the hub's `HubStore` and
the server's account store: users, tokens, sessions, the audit log.
"""

from jibsa.storage.errors import (
    MigrationError,
    StorageConfigError,
    StorageConflict,
    StorageError,
    StorageNotFound,
    StorageUnavailable,
)
from jibsa.storage.records import AuditEntry, User
from jibsa.storage.store import SqlStore, open_store

__all__ = [
    "AuditEntry",
    "MigrationError",
    "SqlStore",
    "StorageConfigError",
    "StorageConflict",
    "StorageError",
    "StorageNotFound",
    "StorageUnavailable",
    "User",
    "open_store",
]
