"""Devices that speak MQTT with discovery, as real ones do: `jibsa simulate` (the simulated appliances
as a separate process) and the announcer (the hub's other devices, so Home Assistant sees them).

Both announce retained discovery configs and states, keep an availability topic with a last will
("offline" if the process dies), take commands on their command topics, and reconnect with backoff.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiomqtt

from jibsa.adapters.mqtt.announce import AnnouncedDevice
from jibsa.adapters.mqtt.connection import new_client, stay_connected
from jibsa.adapters.mqtt.url import BrokerUrl
from jibsa.domain import Device, DeviceAction, Home

log = logging.getLogger("jibsa.adapters.mqtt.devices")
Carry = Callable[[DeviceAction], Awaitable[None]]
ANNOUNCE_BATCH = 500  # discovery configs awaiting the broker's ack at once
COMMAND_BATCH = 200  # messages handled before letting other tasks run


class DevicePublisher:
    """Publishes `devices` under `jibsa/<node>/…` and hands their commands to `carry`."""

    def __init__(
        self,
        home: Home,
        devices: Sequence[Device],
        url: BrokerUrl,
        carry: Carry,
        *,
        node: str = "jibsa_sim",
        prefix: str = "homeassistant",
        nodelay: bool = True,
    ) -> None:
        self._url = url
        self._nodelay = nodelay
        self._carry = carry
        self._prefix = prefix
        self.node = node
        self.status_topic = f"jibsa/{node}/status"
        rooms = {r.id: r.name for r in home.rooms}
        self.devices = {
            d.id: AnnouncedDevice(d, f"jibsa/{node}", node, self.status_topic, rooms.get(d.room or "", ""))
            for d in devices
        }
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._latest: dict[str, str] = {}  # state messages not yet sent: only the newest per topic matters
        self._sent: dict[str, str] = {}  # what the broker was last told, to tell again after a restart
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.commands = 0

    def publish_state(self, device_id: str, state: Mapping[str, Any]) -> None:
        """Queue the retained state messages of one device (coalesced: the newest wins)."""
        announced = self.devices.get(device_id)
        if announced is None:
            return
        for topic, payload in announced.state_messages(state):
            if topic not in self._latest:
                self._outbox.put_nowait((topic, ""))
            self._latest[topic] = payload

    async def start(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        for device_id, state in states.items():
            self.publish_state(device_id, state)
        self._task = asyncio.create_task(self._run(), name=f"mqtt-devices:{self.node}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def wait_connected(self) -> None:
        await self._connected.wait()

    async def _run(self) -> None:
        commands: asyncio.Queue[tuple[str, str]] = asyncio.Queue()  # every command, in order
        handler = asyncio.create_task(self._handle_commands(commands), name=f"mqtt-commands:{self.node}")
        will = aiomqtt.Will(self.status_topic, "offline", qos=1, retain=True)
        client = new_client(self._url, will=will, nodelay=self._nodelay)
        try:
            await stay_connected(client, self._url, lambda c: self._session(c, commands), self._connected.clear)
        finally:
            handler.cancel()
            await asyncio.gather(handler, return_exceptions=True)

    async def _session(self, client: aiomqtt.Client, commands: asyncio.Queue[tuple[str, str]]) -> None:
        await client.subscribe(f"jibsa/{self.node}/+/#", qos=1)
        configs = [
            (f"{self._prefix}/{item.component}/{self.node}/{item.object_id}/config", _json(item.config))
            for announced in self.devices.values()
            for item in announced.announcements()
        ]
        # States again too: a restarted broker may have lost them.
        states = [(topic, payload) for topic, payload in self._sent.items() if topic not in self._latest]
        messages = configs + states
        for start in range(0, len(messages), ANNOUNCE_BATCH):  # acknowledged, many in flight
            batch = messages[start : start + ANNOUNCE_BATCH]
            await asyncio.gather(*(client.publish(t, p, qos=1, retain=True) for t, p in batch))
        await client.publish(self.status_topic, "online", qos=1, retain=True)
        self._connected.set()
        sender = asyncio.create_task(self._send(client))
        try:
            async for message in client.messages:
                payload = message.payload
                text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload)
                commands.put_nowait((message.topic.value, text))
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)

    async def _handle_commands(self, commands: asyncio.Queue[tuple[str, str]]) -> None:
        while True:
            topic, payload = await commands.get()
            await self._on_command(topic, payload)

    async def _send(self, client: aiomqtt.Client) -> None:
        sent = 0
        while True:
            topic, _ = await self._outbox.get()
            payload = self._latest.pop(topic, None)
            if payload is not None:
                self._sent[topic] = payload
                await client.publish(topic, payload, qos=0, retain=True)
                sent += 1
                if sent % COMMAND_BATCH == 0:
                    await asyncio.sleep(0)

    async def _on_command(self, topic: str, payload: str) -> None:
        parts = topic.split("/")
        announced = self.devices.get(parts[2]) if len(parts) > 3 else None
        if announced is None:
            return
        try:
            actions = announced.actions(topic, payload)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s: command %r skipped: %s", topic, payload[:100], exc)
            return
        for action in actions:
            self.commands += 1
            try:
                await self._carry(action)
            except Exception as exc:  # a refused action is the device's answer, not a crash
                log.info("%s: %s %s refused: %s", topic, action.intent, action.property or "", exc)


def _json(config: Mapping[str, Any]) -> str:
    return json.dumps(config, ensure_ascii=False)
