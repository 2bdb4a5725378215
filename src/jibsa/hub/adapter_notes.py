"""What an adapter must not forget at a restart, kept in the store beside the home.

The MQTT adapter keeps where each lock, gas valve and garage door was first announced (its discovery
topic and the topics it is commanded and read on): without it, a stranger who announced the home's lock
from elsewhere while jibsa was down would be the first announcement the next run sees, and would own
the lock."""

from __future__ import annotations

import asyncio
import json

from jibsa.hub.store import HubStore


class AdapterNotes:
    """One adapter's notes for one home: a value per key, durable once `note` returns."""

    def __init__(self, store: HubStore, home_id: str, vendor: str) -> None:
        self._store = store
        self._home_id = home_id
        self._list = f"_adapter_notes:{vendor}"
        self._items: dict[str, str] = {}  # key -> the stored item that holds it
        self._lock = asyncio.Lock()

    async def recall(self) -> dict[str, str]:
        """Every note kept so far."""
        async with self._lock:
            notes: dict[str, str] = {}
            for item in await self._store.list_items(self._home_id, self._list):
                key, value = json.loads(item)
                notes[str(key)], self._items[str(key)] = str(value), item
            return notes

    async def note(self, key: str, value: str) -> None:
        """Keep `value` under `key`, replacing what was kept there."""
        item = json.dumps([key, value], ensure_ascii=False)
        async with self._lock:
            old = self._items.get(key)
            if old == item:
                return
            await self._store.add_list_item(self._home_id, self._list, item)
            if old is not None:
                await self._store.remove_list_item(self._home_id, self._list, old)
            self._items[key] = item
