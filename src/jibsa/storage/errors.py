"""Exceptions of the storage layer: every error `jibsa.storage` raises on purpose is a `StorageError`."""

from __future__ import annotations

from jibsa.domain.errors import JibsaError


class StorageError(JibsaError):
    """Base of the storage errors."""


class StorageConfigError(StorageError, ValueError):
    """A database location that cannot be used, e.g. an unknown URL scheme or an in-memory SQLite."""


class StorageConflict(StorageError):
    """A write that would duplicate something unique, e.g. a second user with the same name in a home."""


class StorageNotFound(StorageError, LookupError):
    """A write about a record that does not exist, e.g. a password for an unknown user id."""


class MigrationError(StorageError):
    """The schema could not be brought to the version this jibsa needs."""


class StorageUnavailable(StorageError):
    """The database cannot be reached or opened (server down, wrong password, unreadable file)."""
