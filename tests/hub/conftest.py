"""Fixtures for hub tests: an in-memory store and a scriptable test adapter, both honest fakes
that implement the same interfaces as the real store and adapters."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from jibsa.domain import Device, DeviceAction, Home
from jibsa.home_file import parse_home_text
from jibsa.hub import AdapterSink, DeviceError, HistoryEntry, ManualClock, PendingJob

HOME_YAML = """
id: t
name: 시험 집
rooms:
  - {id: living, name: 거실}
  - {id: bedroom, name: 안방}
devices:
  - {id: lamp, name: 거실 스탠드, room: living, type: light}
  - {id: ac, name: 거실 에어컨, room: living, type: air_conditioner}
  - {id: bed_light, name: 안방 조명, room: bedroom, type: light}
  - {id: door, name: 현관문, type: door_lock}
  - {id: gas, name: 가스 밸브, type: gas_valve}
  - {id: washer, name: 세탁기, type: washer}
  - {id: thermo, name: 온습도계, room: living, type: sensor, measures: [temperature, humidity]}
scenes:
  - id: night
    name: 취침
    actions:
      - {intent: turn_off, targets: [lamp, bed_light]}
      - {intent: lock, targets: [door]}
"""


class MemoryStore:
    """HubStore kept in dictionaries: durable only as long as the object lives (a named fake)."""

    def __init__(self) -> None:
        self.states: dict[str, dict[str, dict[str, Any]]] = {}
        self.jobs: dict[str, dict[str, PendingJob]] = {}
        self.changes: list[HistoryEntry] = []
        self.lists: dict[tuple[str, str], list[str]] = {}

    async def load_states(self, home_id: str) -> dict[str, dict[str, Any]]:
        return {k: dict(v) for k, v in self.states.get(home_id, {}).items()}

    async def save_state(
        self, home_id: str, device_id: str, old: Mapping[str, Any], new: Mapping[str, Any], at: float
    ) -> None:
        self.states.setdefault(home_id, {})[device_id] = dict(new)
        self.changes.append(HistoryEntry(device_id, at, dict(old), dict(new)))

    async def save_states(
        self,
        home_id: str,
        changes: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any], float]],
        causes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        for device_id, old, new, at in changes:
            await self.save_state(home_id, device_id, old, new, at)

    async def history(
        self, home_id: str, device_id: str | None = None, since: float | None = None, limit: int = 1000
    ) -> list[HistoryEntry]:
        rows = [c for c in self.changes if device_id in (None, c.device_id) and (since is None or c.at >= since)]
        return rows[-limit:]

    async def save_job(self, home_id: str, job: PendingJob) -> None:
        self.jobs.setdefault(home_id, {})[job.id] = job

    async def delete_job(self, home_id: str, job_id: str) -> None:
        self.jobs.get(home_id, {}).pop(job_id, None)

    async def load_jobs(self, home_id: str) -> list[PendingJob]:
        return list(self.jobs.get(home_id, {}).values())

    async def add_list_item(self, home_id: str, list_name: str, item: str) -> None:
        self.lists.setdefault((home_id, list_name), []).append(item)

    async def list_items(self, home_id: str, list_name: str) -> list[str]:
        return list(self.lists.get((home_id, list_name), []))

    async def remove_list_item(self, home_id: str, list_name: str, item: str) -> bool:
        items = self.lists.get((home_id, list_name), [])
        if item not in items:
            return False
        items.remove(item)
        return True

    async def close(self) -> None:
        return None


class ScriptedAdapter:
    """Applies actions to plain state the way a simple device would; can be told to hang or fail."""

    name = "sim"

    def __init__(self) -> None:
        self.sink: AdapterSink | None = None
        self.sent: list[DeviceAction] = []
        self.hang: set[str] = set()
        self.fail: set[str] = set()
        self.state: dict[str, dict[str, Any]] = {}

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self.sink = sink
        for device in devices:  # like a real device, it keeps its state while the hub restarts
            self.state.setdefault(device.id, {"power": False} if "power" in device.spec.property_names else {})
            sink.state_reported(device.id, self.state[device.id])

    async def stop(self) -> None:
        self.sink = None

    async def send(self, action: DeviceAction) -> None:
        self.sent.append(action)
        if action.device_id in self.hang:
            await asyncio.Event().wait()
        if action.device_id in self.fail:
            raise DeviceError("motor jammed")
        assert self.sink is not None
        values = {
            "turn_on": {"power": True}, "turn_off": {"power": False}, "lock": {"lock": "locked"},
            "unlock": {"lock": "unlocked"}, "close": {"valve": "closed"}, "start": {"run_state": "running"},
        }.get(action.intent, {})  # fmt: skip
        if action.intent == "set" and action.property:
            values = {action.property: action.value}
        self.state.setdefault(action.device_id, {}).update(values)
        self.sink.state_reported(action.device_id, values)


@pytest.fixture
def home() -> Home:
    return parse_home_text(HOME_YAML, "test.yaml").home


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def adapter() -> ScriptedAdapter:
    return ScriptedAdapter()
