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

from jibsa.adapters.mqtt.adapter import NODELAY
from jibsa.adapters.mqtt.announce import AnnouncedDevice
from jibsa.adapters.mqtt.url import BrokerUrl
from jibsa.domain import Device, DeviceAction, Home

log = logging.getLogger("jibsa.adapters.mqtt.devices")
Carry = Callable[[DeviceAction], Awaitable[None]]


class DevicePublisher:
    """Publishes `devices` under `jibsa/<node>/…` and hands their commands to `carry`."""

    def __init__(self, home: Home, devices: Sequence[Device], url: BrokerUrl, carry: Carry, *,
                 node: str = "jibsa_sim", prefix: str = "homeassistant", nodelay: bool = True) -> None:
        self._url = url
        self._nodelay = nodelay
        self._carry = carry
        self._prefix = prefix
        self.node = node
        self.status_topic = f"jibsa/{node}/status"
        rooms = {r.id: r.name for r in home.rooms}
        self.devices = {d.id: AnnouncedDevice(d, f"jibsa/{node}", node, self.status_topic, rooms.get(d.room or "", ""))
                        for d in devices}
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
        delay = 0.1
        while True:
            try:
                will = aiomqtt.Will(self.status_topic, "offline", qos=1, retain=True)
                async with aiomqtt.Client(self._url.host, self._url.port, username=self._url.username,
                                          password=self._url.password, will=will,
                                          socket_options=NODELAY if self._nodelay else None,
                                          tls_params=aiomqtt.TLSParameters() if self._url.tls else None,
                                          max_queued_incoming_messages=100_000) as client:
                    delay = 0.1
                    await self._session(client)
            except aiomqtt.MqttError as exc:
                log.warning("broker %s: %s; reconnecting in %.1f s", self._url, exc, delay)
            finally:
                self._connected.clear()
            await asyncio.sleep(delay)
            delay = min(5.0, delay * 2)

    async def _session(self, client: aiomqtt.Client) -> None:
        client.pending_calls_threshold = 10_000  # a burst of state publishes is normal, not a leak
        await client.subscribe(f"jibsa/{self.node}/+/#", qos=1)
        for announced in self.devices.values():
            for item in announced.announcements():
                topic = f"{self._prefix}/{item.component}/{self.node}/{item.object_id}/config"
                await client.publish(topic, _json(item.config), qos=1, retain=True)
        for topic, payload in list(self._sent.items()):  # states again: a restarted broker may have lost them
            if topic not in self._latest:
                await client.publish(topic, payload, qos=1, retain=True)
        await client.publish(self.status_topic, "online", qos=1, retain=True)
        self._connected.set()
        sender = asyncio.create_task(self._send(client))
        try:
            async for message in client.messages:
                raw = message.payload if isinstance(message.payload, bytes) else str(message.payload).encode()
                await self._on_command(str(message.topic), raw.decode("utf-8", errors="replace"))
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)

    async def _send(self, client: aiomqtt.Client) -> None:
        while True:
            topic, _ = await self._outbox.get()
            payload = self._latest.pop(topic, None)
            if payload is not None:
                self._sent[topic] = payload
                await client.publish(topic, payload, qos=0, retain=True)

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
