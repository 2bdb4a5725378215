"""Alembic migrations of the jibsa schema (run by `jibsa.storage.migrate`, not imported)."""
