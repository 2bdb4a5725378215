"""What the hub needs from persistence. `jibsa.storage` implements it on SQLite and PostgreSQL;
the hub only ever sees this interface."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from jibsa.domain import StateChanged


@dataclass(frozen=True, slots=True)
class PendingJob:
    """A command kept for later: a timer, a delayed command or a schedule.

    `kind` is "timer" (set_timer: fires a notice), "command" (a device command or run_scene).
    `due` is clock seconds; `repeat` (daily/weekdays/weekends) with `at` ("HH:MM") makes it recur.
    """

    id: str
    kind: str
    due: float
    command: Mapping[str, Any]
    repeat: str | None = None
    at: str | None = None
    name: str = ""
    created: float = 0.0
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    device_id: str
    at: float
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    cause: Mapping[str, Any] | None = None  # {"by", "via", "intent"} of the command behind it; None: the device


@runtime_checkable
class StateLog(Protocol):
    """A store that gathers state changes itself, many homes' in one transaction (a provider worker's
    journal): the hub hands it each change as it happens, and the store's own barrier makes them durable
    (the worker waits for it before a reply acknowledges anything)."""

    def take_state(self, home_id: str, change: StateChanged) -> None:
        """Keep the change's new state as the device's state and record it in its history (with its cause)."""
        ...


class HubStore(Protocol):
    """Durable state of many homes. A write returns only once it is durable (survives kill -9)."""

    async def load_states(self, home_id: str) -> dict[str, dict[str, Any]]: ...

    async def save_state(
        self, home_id: str, device_id: str, old: Mapping[str, Any], new: Mapping[str, Any], at: float
    ) -> None:
        """Keep `new` as the device's state and record the change in its history."""
        ...

    async def save_states(
        self,
        home_id: str,
        changes: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any], float]],
        causes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Like `save_state` for many (device_id, old, new, at) changes, in one transaction; `causes`
        says, per device, what caused its change (kept in the history)."""
        ...

    async def history(
        self, home_id: str, device_id: str | None = None, since: float | None = None, limit: int = 1000
    ) -> Sequence[HistoryEntry]: ...

    async def save_job(self, home_id: str, job: PendingJob) -> None: ...

    async def delete_job(self, home_id: str, job_id: str) -> None: ...

    async def load_jobs(self, home_id: str) -> list[PendingJob]: ...

    async def add_list_item(self, home_id: str, list_name: str, item: str) -> None: ...

    async def list_items(self, home_id: str, list_name: str) -> list[str]: ...

    async def remove_list_item(self, home_id: str, list_name: str, item: str) -> bool: ...

    async def close(self) -> None: ...
