"""`MatterAdapter`: the devices of a Matter controller (python-matter-server, or its matter.js successor,
which keeps the same WebSocket API) as jibsa devices.

Every endpoint of a commissioned node whose device type jibsa knows (kinds.py) becomes one device,
`matter_<node>_<endpoint>`, announced to the hub as discovered devices are; a home-file device with
`vendor: matter` and `options: {matter_node_id: N, matter_endpoint: E}` takes that endpoint over with
its own id, name and room. States come from the controller's attribute reports; a command is
acknowledged by the device (the controller's invoke response) and "done" only when the device's
own state shows it (`Receipt.AWAIT_STATE`). The controller's subscriptions report at most once a second
(python-matter-server asks devices for a 1 s floor), so right after a command the adapter reads the
endpoint's attributes back from the device: the read answers in milliseconds, and the controller
passes the values it changed on as attribute reports.

Faults: a node the controller cannot reach is reported unavailable, and commands to it are answered
"not answering" at once. When the controller goes away (a restart, a crash) every Matter device is
unavailable until the adapter reconnects (jittered backoff 0.1 s → 5 s); the controller re-subscribes
to its nodes itself, and the adapter takes the whole node list again, so a node removed meanwhile
leaves the home and one added meanwhile joins it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiohttp
from matter_server.client import MatterClient
from matter_server.client.exceptions import MatterClientException
from matter_server.client.models.node import MatterEndpoint, MatterNode
from matter_server.common.errors import MatterError, NodeNotExists, NodeNotReady, NodeNotResolving
from matter_server.common.models import EventType, MatterNodeData

from jibsa.domain import Device, DeviceAction
from jibsa.domain.said import Said
from jibsa.hub import AdapterSink, DeviceError, DeviceNotAnswering, Receipt

from .kinds import Invoke, Kind, NotSupported, Operation, kind_of
from .names import NameBook
from .settings import MatterSettings

log = logging.getLogger(__name__)
NODE_OPTION = "matter_node_id"  # home-file device options: the node and endpoint this device is
ENDPOINT_OPTION = "matter_endpoint"
_UNREACHABLE = (NodeNotReady, NodeNotResolving, NodeNotExists, MatterClientException, aiohttp.ClientError, OSError)


@dataclass(frozen=True, slots=True)
class _Link:
    node_id: int
    endpoint_id: int
    kind: Kind
    device: Device


def device_id_for(node_id: int, endpoint_id: int) -> str:
    return f"matter_{node_id}_{endpoint_id}"


class MatterAdapter:
    """One Matter controller for one home. Build it with `create_adapter` (the `jibsa.adapters` entry point)."""

    name = "matter"

    def __init__(self, settings: MatterSettings) -> None:
        self.settings = settings
        self.names = NameBook(settings.data_dir)
        self._sink: AdapterSink | None = None
        self._client: MatterClient | None = None
        self._links: dict[str, _Link] = {}
        self._claimed: dict[tuple[int, int], Device] = {}
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifetime -------------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self._sink = sink
        for device in devices:
            node, endpoint = device.options.get(NODE_OPTION), device.options.get(ENDPOINT_OPTION, 1)
            if node is None:
                log.warning("matter: %s has no options.%s; it will not answer", device.id, NODE_OPTION)
                sink.availability_reported(device.id, False)
                continue
            self._claimed[(int(node), int(endpoint))] = device
            sink.availability_reported(device.id, False)  # until the controller says otherwise
        self._task = asyncio.create_task(self._stay_connected(), name="matter controller")
        try:
            await asyncio.wait_for(self._connected.wait(), self.settings.start_wait_s)
        except TimeoutError:
            log.warning("matter: no controller at %s yet; Matter devices will join when it answers", self.settings.url)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._sink = None

    @property
    def connected(self) -> bool:
        return self._client is not None

    async def _stay_connected(self) -> None:
        delay = 0.1
        async with aiohttp.ClientSession() as session:
            while True:
                if await self._session(MatterClient(self.settings.url, session)):
                    delay = 0.1
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(5.0, delay * 2)

    async def _session(self, client: MatterClient) -> bool:
        """Listen to one connection until it ends; True when it got as far as the node list."""
        ready = asyncio.Event()
        listening = asyncio.create_task(client.start_listening(ready))
        waiting = asyncio.create_task(ready.wait())
        try:
            await asyncio.wait({listening, waiting}, return_when=asyncio.FIRST_COMPLETED)
            if not ready.is_set():
                listening.result()  # raises why it could not connect
                return False
            self._client = client
            client.subscribe_events(self._on_event)
            self._take_nodes(client)
            self._connected.set()
            log.info("matter: connected to %s (%d nodes)", self.settings.url, len(client.get_nodes()))
            await listening
            log.warning("matter: the controller at %s closed the connection", self.settings.url)
        except (MatterClientException, aiohttp.ClientError, OSError) as exc:
            log.warning("matter: controller at %s: %s", self.settings.url, exc or type(exc).__name__)
        finally:
            waiting.cancel()
            if not listening.done():
                listening.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await listening
            if self._client is client:
                self._client = None
                self._all_unavailable()
        return ready.is_set()

    # -- nodes to devices -----------------------------------------------------------------------

    def _take_nodes(self, client: MatterClient) -> None:
        """The controller's whole node list after a (re)connect: nodes gone meanwhile leave the home."""
        nodes = client.get_nodes()
        present = {n.node_id for n in nodes}
        gone = [i for i, link in self._links.items() if link.node_id not in present]
        self._drop(gone)
        for node in nodes:
            client.subscribe_events(
                partial(self._attribute_updated, node.node_id), EventType.ATTRIBUTE_UPDATED, node_filter=node.node_id
            )
            self._node_seen(node)

    def _on_event(self, event: EventType, data: Any) -> None:
        client = self._client
        if event is EventType.NODE_ADDED and client is not None and isinstance(data, MatterNode):
            client.subscribe_events(
                partial(self._attribute_updated, data.node_id), EventType.ATTRIBUTE_UPDATED, node_filter=data.node_id
            )
            self._node_seen(data)
        elif event is EventType.NODE_UPDATED and isinstance(data, MatterNode):
            self._node_seen(data)
        elif event is EventType.NODE_REMOVED:
            self._drop([i for i, link in self._links.items() if link.node_id == data])

    def _attribute_updated(self, node_id: int, event: EventType, value: Any) -> None:
        client = self._client
        if client is None:
            return
        with contextlib.suppress(NodeNotExists):
            self._report(client.get_node(node_id))

    def _node_seen(self, node: MatterNode) -> list[Device]:
        """Announce the node's devices that are new or renamed; report availability and state."""
        fresh: list[Device] = []
        for endpoint in node.endpoints.values():
            kind = kind_of(endpoint)
            if kind is None:
                continue
            device = self._device_for(node, endpoint, kind)
            known = self._links.get(device.id)
            self._links[device.id] = _Link(node.node_id, endpoint.endpoint_id, kind, device)
            if (
                (known is None or known.device != device)
                and device.vendor == self.name
                and ((node.node_id, endpoint.endpoint_id) not in self._claimed)
            ):
                fresh.append(device)
        if fresh and self._sink is not None:
            self._sink.devices_discovered(fresh)
        self._report(node)
        return [link.device for link in self._links.values() if link.node_id == node.node_id]

    def _device_for(self, node: MatterNode, endpoint: MatterEndpoint, kind: Kind) -> Device:
        claimed = self._claimed.get((node.node_id, endpoint.endpoint_id))
        if claimed is not None:
            return claimed
        device_id = device_id_for(node.node_id, endpoint.endpoint_id)
        given = self.names.get(device_id)
        info = endpoint.device_info
        label = str(getattr(info, "nodeLabel", "") or getattr(info, "productName", "") or f"Matter {node.node_id}")
        return Device(
            device_id,
            given.name if given else label,
            kind.type,
            room=given.room if given else None,
            vendor=self.name,
            measures=kind.measures,
            maker=str(getattr(info, "vendorName", "") or ""),
            options={NODE_OPTION: node.node_id, ENDPOINT_OPTION: endpoint.endpoint_id},
        )

    def _report(self, node: MatterNode) -> None:
        sink = self._sink
        if sink is None:
            return
        for device_id, link in self._links.items():
            if link.node_id != node.node_id:
                continue
            sink.availability_reported(device_id, node.available)
            endpoint = node.endpoints.get(link.endpoint_id)
            if node.available and endpoint is not None:
                values = link.kind.read(endpoint)
                if values:
                    sink.state_reported(device_id, values)

    def _drop(self, device_ids: Sequence[str]) -> None:
        """Devices whose node is gone: the announced ones leave the home, home-file ones stop answering."""
        announced: list[str] = []
        for device_id in device_ids:
            link = self._links.pop(device_id)
            if (link.node_id, link.endpoint_id) not in self._claimed:
                announced.append(device_id)
            elif self._sink is not None:
                self._sink.availability_reported(device_id, False)
        if not announced:
            return
        self.names.forget(announced)
        if self._sink is not None and announced:
            self._sink.devices_removed(announced)

    def _all_unavailable(self) -> None:
        if self._sink is not None:
            for device_id in self._links:
                self._sink.availability_reported(device_id, False)

    # -- commands -------------------------------------------------------------------------------

    async def send(self, action: DeviceAction) -> Receipt:
        link = self._links.get(action.device_id)
        client = self._client
        if client is None:
            raise DeviceNotAnswering(Said("matter.controller_down"))
        name = link.device.name if link is not None else action.device_id
        try:
            node = client.get_node(link.node_id) if link is not None else None
        except NodeNotExists:
            node = None
        if link is None or node is None or not node.available or link.endpoint_id not in node.endpoints:
            raise DeviceNotAnswering(Said("matter.not_answering", {"device": name}))
        try:
            operations = link.kind.operations(action, node.endpoints[link.endpoint_id])
        except NotSupported:
            raise DeviceError(Said("matter.unsupported", {"device": name}), "unsupported_intent") from None
        try:
            async with asyncio.timeout(self.settings.command_timeout_s):
                for operation in operations:
                    await self._perform(client, link, operation)
                await self._read_back(client, link, node)
        except (TimeoutError, *_UNREACHABLE) as exc:
            log.warning("matter: %s (node %d): %s", action.device_id, link.node_id, exc or type(exc).__name__)
            raise DeviceNotAnswering(Said("matter.not_answering", {"device": name})) from None
        except MatterError as exc:
            log.warning("matter: %s (node %d) refused %s: %s", action.device_id, link.node_id, action.intent, exc)
            raise DeviceError(Said("matter.refused", {"device": name})) from None
        return Receipt.AWAIT_STATE

    @staticmethod
    async def _read_back(client: MatterClient, link: _Link, node: MatterNode) -> None:
        """Read the endpoint's watched attributes from the device; changes arrive as attribute reports.
        A failed read costs only speed: the subscription reports the change too."""
        paths = link.kind.read_back_paths(node.endpoints[link.endpoint_id])
        if not paths:
            return
        try:
            await client.read_attribute(link.node_id, paths)
        except (MatterError, MatterClientException) as exc:
            log.debug("matter: reading node %d back after a command: %s", link.node_id, exc)

    @staticmethod
    async def _perform(client: MatterClient, link: _Link, operation: Operation) -> None:
        if isinstance(operation, Invoke):
            await client.send_device_command(
                link.node_id, link.endpoint_id, operation.command, timed_request_timeout_ms=operation.timed_ms
            )
            return
        attribute = operation.attribute
        path = f"{link.endpoint_id}/{attribute.cluster_id}/{attribute.attribute_id}"
        await client.write_attribute(link.node_id, path, int(operation.value))

    # -- what commissioning and naming use ------------------------------------------------------

    async def commission(self, code: str) -> list[Device]:
        """Commission the device with this pairing code (manual or QR) on the controller's network; its
        devices, announced to the hub. Raises MatterError / MatterClientException / TimeoutError."""
        client = self._client
        if client is None:
            raise DeviceNotAnswering(Said("matter.controller_down"))
        async with asyncio.timeout(self.settings.commission_timeout_s):
            data: MatterNodeData = await client.commission_with_code(code, network_only=True)
        client.subscribe_events(
            partial(self._attribute_updated, data.node_id), EventType.ATTRIBUTE_UPDATED, node_filter=data.node_id
        )
        try:
            node = client.get_node(data.node_id)
        except NodeNotExists:  # the node_added event has not come yet: the result carries the same data
            node = MatterNode(data)
        return self._node_seen(node)

    def rename(self, device_id: str, name: str, room: str | None) -> Device | None:
        """Give a Matter device a name and a room (kept on disk), and announce it again; None when
        `device_id` is not one of the controller's devices that jibsa announced."""
        link = self._links.get(device_id)
        if link is None or (link.node_id, link.endpoint_id) in self._claimed:
            return None
        self.names.give(device_id, name, room)
        renamed = Device(
            device_id,
            name,
            link.device.type,
            room=room,
            vendor=self.name,
            measures=link.device.measures,
            maker=link.device.maker,
            options=link.device.options,
        )
        self._links[device_id] = _Link(link.node_id, link.endpoint_id, link.kind, renamed)
        if self._sink is not None:
            self._sink.devices_discovered([renamed])
        return renamed

    async def remove(self, device_id: str) -> bool:
        """Remove the node `device_id` belongs to from the controller's fabric (the device forgets this
        home; it can be added again by its code after a reset). False when it is not a Matter device."""
        link, client = self._links.get(device_id), self._client
        if link is None:
            return False
        if client is None:
            raise DeviceNotAnswering(Said("matter.controller_down"))
        async with asyncio.timeout(self.settings.command_timeout_s):
            await client.remove_node(link.node_id)
        self._drop([i for i, other in self._links.items() if other.node_id == link.node_id])
        return True
