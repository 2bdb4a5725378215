"""Homes to virtual shards, and the NATS subjects that carry a home.

A home id is the only part of a subject that comes from outside, so it is checked here once: ASCII
letters, digits, `-` and `_`, at most 64 characters. NATS subject tokens are split on `.` and `*` and `>`
are wildcards, so an id holding any of them could read or answer another home's subjects."""

from __future__ import annotations

import re
import zlib

from jibsa.domain.said import Said
from jibsa.provider.told import Told

SHARDS = 64
PREFIX = "jibsa"

_HOME_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class BadHomeId(Told, ValueError):
    """A home id that cannot name a home (and so cannot appear in a subject)."""


def checked_home_id(home_id: str) -> str:
    if not isinstance(home_id, str) or not _HOME_ID.fullmatch(home_id):
        raise BadHomeId(Said("provider_errors.bad_home_id", {"home": f"{home_id!r:.80}"}))
    return home_id


def shard_of(home_id: str, shards: int = SHARDS) -> int:
    """The home's shard: stable across processes and releases (CRC-32 of the id's UTF-8 bytes)."""
    return zlib.crc32(checked_home_id(home_id).encode()) % shards


def command_subject(home_id: str) -> str:
    """Requests to the home's worker (NATS request/reply): `jibsa.<shard>.<home>.cmd`."""
    return f"{PREFIX}.{shard_of(home_id)}.{home_id}.cmd"


def event_subject(home_id: str) -> str:
    """What happened in the home (device states, notifications), published by its worker."""
    return f"{PREFIX}.{shard_of(home_id)}.{home_id}.evt"


def watch_subject(home_id: str) -> str:
    """A gateway says here that a WebSocket of the home is open (NATS request/reply: the home's worker
    answers once it publishes the home's events)."""
    return f"{PREFIX}.{shard_of(home_id)}.{home_id}.watch"


def shard_commands(shard: int) -> str:
    """Every home's commands in one shard: what the worker that leases the shard subscribes to."""
    return f"{PREFIX}.{shard}.*.cmd"


def shard_events(shard: int) -> str:
    return f"{PREFIX}.{shard}.*.evt"


def shard_watches(shard: int) -> str:
    return f"{PREFIX}.{shard}.*.watch"


def home_of_subject(subject: str) -> str:
    """The home a concrete subject names; `BadHomeId` for a subject that names none (or a wildcard)."""
    parts = subject.split(".")
    if len(parts) != 4 or parts[0] != PREFIX or parts[3] not in ("cmd", "evt", "watch"):
        raise BadHomeId(Said("provider_errors.not_a_subject", {"subject": f"{subject!r:.120}"}))
    home_id = checked_home_id(parts[2])
    if str(shard_of(home_id)) != parts[1]:
        raise BadHomeId(Said("provider_errors.wrong_shard", {"home": home_id, "shard": f"{parts[1]!r:.20}"}))
    return home_id
