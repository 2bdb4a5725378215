"""The MQTT adapter: devices that announce themselves with Home Assistant's MQTT discovery.

Faults, and what they cost:
- The broker goes away: the adapter reconnects with jittered backoff (0.1 s doubling to 5 s),
  resubscribes, and the retained discovery and state messages bring every device's state back. A
  command given while the broker is down waits for it; paho sends a QoS 1 command the broker had
  not acknowledged again, with the DUP flag, on the next connection. Acknowledged is not applied:
  `send` returns `Receipt.AWAIT_STATE` for a device with a state topic, and the hub waits for its
  state to show the change (else "unconfirmed"); a device without one gets `Receipt.NO_STATE`
  ("sent", never "done").
- After a reconnect, a device's availability is unknown until it says something (a retained or a
  live message on one of its state or availability topics): a device not yet back may not have
  subscribed to its command topic again. Commands to it are held (at most MAX_HELD, for at most
  HOLD_S) and sent once it is heard, else refused as not answering.
- A device's availability topic says offline: the device is reported unavailable, and the hub
  answers commands to it with "not answering" at once.
- A unique id announced again from another discovery topic, or with other command or state topics (a
  stranger taking over a device after clearing its retained config): the hub is told (`devices_moved`),
  and a safety device waits for an owner to adopt it again. Where a lock, gas valve or garage door was
  first announced is kept in the adapter's notes, so the same holds across a restart (a stranger's
  announcement made while jibsa was down is not the first one seen); its place changes only when an owner
  adopts it. Other kinds follow their announcements.
- Malformed discovery payloads, state messages that are not JSON or out of range, and ids
  announced twice are logged with their topic and skipped. A flood on one topic never grows a
  queue: while the adapter is behind, a topic's newer message replaces its older one still waiting
  (latest wins, see inbox.py).

Scale: a topic is subscribed once, however many entities share it (Zigbee2MQTT's bridge state,
`jibsa simulate`'s status topic), in batches sent beside the message loop rather than one
round trip per announcement; an entity that joins a topic already subscribed is given the last
payload seen on it. States that arrive before their device is announced to the hub are held and
reported right after the announcement.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiomqtt
from paho.mqtt.enums import MQTTErrorCode

from jibsa.adapters.mqtt.connection import new_client, stay_connected
from jibsa.adapters.mqtt.discovery import Availability, DiscoveryConfig, DiscoveryError, parse_config, parse_topic
from jibsa.adapters.mqtt.driver import EntityDriver
from jibsa.adapters.mqtt.drivers import device_from, device_id_for, driver_for
from jibsa.adapters.mqtt.inbox import LatestPerTopic
from jibsa.adapters.mqtt.subscriptions import Subscriptions
from jibsa.adapters.mqtt.templates import TemplateError, render
from jibsa.adapters.mqtt.url import BrokerUrl
from jibsa.domain import Device, DeviceAction, DeviceType, Home
from jibsa.domain.policy import SAFETY_TYPES
from jibsa.energy.readings import METER_KEYS
from jibsa.hub import AdapterNotes, AdapterSink, DeviceError, DeviceNotAnswering, Receipt

log = logging.getLogger("jibsa.adapters.mqtt")
DRAIN_BATCH = 500  # messages handled in a row before letting other tasks (commands) run
ANNOUNCE_WINDOW_S = 0.1  # devices announced within this window reach the hub as one batch
HOLD_S = 3.0  # how long a command waits for a device not yet heard from since a reconnect
MAX_HELD = 10_000  # commands held at once; more are refused as not answering
_NOT_ID = re.compile(r"[^a-z0-9_]+")


@dataclass
class _Entity:
    topic: str  # its config topic
    device_id: str
    driver: EntityDriver


@dataclass
class _DeviceEntry:
    device: Device
    entities: dict[str, _Entity] = field(default_factory=dict)  # by config topic
    announced: bool = False  # discovered by us (not from the home file)


class MqttAdapter:
    name = "mqtt"

    def __init__(
        self,
        home: Home,
        url: BrokerUrl,
        *,
        prefix: str = "homeassistant",
        nodelay: bool = True,
        client_id: str | None = None,
        notes: AdapterNotes | None = None,
    ) -> None:
        self._home = home
        self._url = url
        self._prefix = prefix
        self._nodelay = nodelay
        self._client_id = client_id
        self._sink: AdapterSink | None = None
        self._client: aiomqtt.Client | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._devices: dict[str, _DeviceEntry] = {}
        self._entities: dict[str, _Entity] = {}  # by config topic
        self._unique_ids: dict[str, str] = {}  # unique id -> config topic
        self._origins: dict[str, tuple[str, ...]] = {}  # unique id -> where it was last announced (this run)
        self._trusted: dict[str, tuple[str, ...]] = {}  # unique id -> where it belongs (kept in `notes`)
        self._notes = notes
        self._noting: set[asyncio.Task[None]] = set()
        self._state_routes: dict[str, list[_Entity]] = {}
        self._availability_routes: dict[str, list[tuple[str, Availability]]] = {}
        self._bound: dict[str, Device] = {}  # home-file devices, by their mqtt unique id and by id
        self._to_announce: dict[str, Device] = {}
        self._early: dict[str, dict[str, Any]] = {}  # states of devices not yet announced to the hub
        self._early_available: dict[str, bool] = {}
        self._flush_scheduled = False
        self._subscriptions = Subscriptions()
        self._last: dict[str, bytes] = {}  # the last payload on each routed topic (retained ones included)
        self._unheard: dict[str, asyncio.Event] = {}  # devices not heard from since the last reconnect
        self._held = 0
        self._next_connection = asyncio.Event()  # set (and replaced) when the next connection is made
        self.connections = 0

    # -- lifetime -------------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        self._sink = sink
        if self._notes is not None:
            kept = await self._notes.recall()
            self._trusted = {uid: tuple(json.loads(origin)) for uid, origin in kept.items()}
        for device in devices:
            self._bound[device.id] = device
            if device.options.get("mqtt_unique_id"):
                self._bound[str(device.options["mqtt_unique_id"])] = device
        self._task = asyncio.create_task(self._run(), name="mqtt-adapter")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await asyncio.gather(*self._noting)
        self._sink = None

    async def wait_connected(self) -> None:
        """Return once connected to the broker (callers bound the wait with asyncio.timeout)."""
        await self._connected.wait()

    # -- commands -------------------------------------------------------------------------------

    async def send(self, action: DeviceAction) -> Receipt:
        entry = self._devices.get(action.device_id)
        if entry is None or not entry.entities:
            raise DeviceError(f"{action.device_id} has not been announced on MQTT", "not_answering")
        driver, messages = self._messages_for(entry, action)
        session = await self._publish(action.device_id, messages)
        if driver.optimistic:
            if self._sink is not None:
                self._sink.state_reported(action.device_id, driver.assumed(action))
            return Receipt.NO_STATE
        if session != self.connections:
            # Acknowledged on a later connection than it was sent on: perhaps before the device had
            # subscribed again. Its state will tell; send it once more when the device is heard.
            await self._publish(action.device_id, messages)
        return Receipt.AWAIT_STATE

    async def _publish(self, device_id: str, messages: list[tuple[str, str]]) -> int:
        """Publish once connected and the device is heard from; the connection it went out on.

        paho learns that the connection died before our reader does. A message it refuses then ("not
        currently connected") it keeps, and sends on the next connection, as it does a message the broker
        had not acknowledged: so it is not sent again here; the command waits for that connection (the
        hub bounds the wait), and the rest of its messages go out on it."""
        await self._connected.wait()
        await self._until_heard(device_id)
        while (client := self._client) is None or not self._connected.is_set():
            await self._connected.wait()
            await asyncio.sleep(0)
        session = self.connections
        for n, (topic, payload) in enumerate(messages):  # acknowledged by the broker (QoS 1)
            try:
                await client.publish(topic, payload, qos=1, timeout=math.inf)
            except aiomqtt.MqttCodeError as error:
                if error.rc != MQTTErrorCode.MQTT_ERR_NO_CONN:
                    raise
                await self._next_connection.wait()  # the reader notices, and the next connection comes
                await self._publish(device_id, messages[n + 1 :])
                return session  # not the new one: `send` sends the command again once the device is heard
        return session

    async def _until_heard(self, device_id: str) -> None:
        """Hold a command to a device not heard from since the reconnect; bounded in number and time."""
        heard = self._unheard.get(device_id)
        if heard is None:
            return
        if self._held >= MAX_HELD:
            raise DeviceNotAnswering(f"{device_id}: not heard from since the broker came back ({MAX_HELD} held)")
        self._held += 1
        try:
            async with asyncio.timeout(HOLD_S):
                await heard.wait()
        except TimeoutError:
            raise DeviceNotAnswering(f"{device_id}: not heard from in {HOLD_S:g} s since the broker returned") from None
        finally:
            self._held -= 1

    def _messages_for(self, entry: _DeviceEntry, action: DeviceAction) -> tuple[EntityDriver, list[tuple[str, str]]]:
        """The first of the device's entities that can carry out `action`, and its messages; else the
        first entity's reason for refusing."""
        refusal: DeviceError | None = None
        for entity in entry.entities.values():
            try:
                return entity.driver, entity.driver.write(action)
            except DeviceError as exc:
                refusal = refusal or exc
        assert refusal is not None
        raise refusal

    # -- the connection -------------------------------------------------------------------------

    async def _run(self) -> None:
        client = new_client(self._url, client_id=self._client_id, nodelay=self._nodelay, queue_type=LatestPerTopic)
        await stay_connected(client, self._url, self._session, self._lost)

    def _lost(self) -> None:
        self._connected.clear()
        self._client = None

    async def _session(self, client: aiomqtt.Client) -> None:
        self._client = client
        self.connections += 1
        self._unheard = {
            device_id: asyncio.Event()
            for device_id, entry in self._devices.items()
            if any(e.driver.state_topics() or e.driver.cfg.availability for e in entry.entities.values())
        }
        topics = [
            f"{self._prefix}/+/+/config",
            f"{self._prefix}/+/+/+/config",
            *self._state_routes,
            *self._availability_routes,
        ]
        await self._subscriptions.renew(client, topics)
        self._connected.set()
        self._next_connection.set()
        self._next_connection = asyncio.Event()
        log.info("connected to %s", self._url)
        subscriber = asyncio.create_task(self._subscriptions.keep(client), name="mqtt-subscriber")
        try:
            await self._receive(client)
        finally:
            subscriber.cancel()
            await asyncio.gather(subscriber, return_exceptions=True)

    async def _receive(self, client: aiomqtt.Client) -> None:
        """Handle what the broker sends (newest per topic, see inbox.py), letting commands run between batches."""
        handled = 0
        async for message in client.messages:
            payload = message.payload
            self._dispatch(message.topic.value, payload if isinstance(payload, bytes) else str(payload).encode())
            handled += 1
            if handled % DRAIN_BATCH == 0:
                await asyncio.sleep(0)

    def _dispatch(self, topic: str, payload: bytes) -> None:
        try:
            if topic in self._state_routes or topic in self._availability_routes:
                self._last[topic] = payload
                self._on_state(topic, payload)
            elif parse_topic(topic) is not None and topic.startswith(self._prefix + "/"):
                self._on_config(topic, payload)
        except Exception:  # one bad message must never stop the session
            log.exception("%s: message could not be handled; skipped", topic)

    # -- discovery ------------------------------------------------------------------------------

    def _on_config(self, topic: str, payload: bytes) -> None:
        try:
            cfg = parse_config(topic, payload)
        except DiscoveryError as exc:
            log.warning("%s: discovery skipped: %s", topic, exc)
            return
        if cfg is None:
            self._forget(topic)
            return
        if cfg.node_id == f"jibsa_{self._home.id}":
            return  # our own hub's announcements of its other devices
        owner = self._unique_ids.get(cfg.unique_id)
        if owner is not None and owner != topic:
            log.warning("%s: unique id %r is already announced on %s; skipped", topic, cfg.unique_id, owner)
            return
        try:
            driver = driver_for(cfg)
        except DiscoveryError as exc:
            log.warning("%s: discovery skipped: %s", topic, exc)
            return
        if topic in self._entities:
            self._forget(topic, keep_device=True)
        device_id = self._device_id(cfg, driver)
        entry = self._devices.get(device_id)
        if entry is not None and entry.entities and not self._merges(entry, driver, cfg):
            log.warning("%s: device id %r is already used by %s; skipped", topic, device_id, next(iter(entry.entities)))
            return
        entity = _Entity(topic, device_id, driver)
        if self._moved(cfg, driver) and self._sink is not None:
            log.warning(
                "%s: unique id %r was announced before from elsewhere or with other topics", topic, cfg.unique_id
            )
            self._sink.devices_moved([self._bound.get(device_id) or device_from(self._home, device_id, [driver])])
        self._register(entity, cfg)
        self._subscribe(entity, cfg)

    def _moved(self, cfg: DiscoveryConfig, driver: EntityDriver) -> bool:
        """Whether `cfg` announces its unique id from elsewhere than before: than its last announcement this
        run, else than where it belongs. Where a lock, valve or garage door belongs is noted (kept across
        restarts) the first time it is seen, and changes only when an owner adopts it; other kinds follow
        their announcements and are not noted (a restart forgets them, at no risk)."""
        origin = _origin(cfg)
        before = self._origins.get(cfg.unique_id, self._trusted.get(cfg.unique_id))
        self._origins[cfg.unique_id] = origin
        if driver.kind in SAFETY_TYPES and cfg.unique_id not in self._trusted:
            self._trust(cfg.unique_id, origin)
        return before is not None and before != origin

    def _trust(self, unique_id: str, origin: tuple[str, ...]) -> None:
        if self._trusted.get(unique_id) == origin:
            return
        self._trusted[unique_id] = origin
        if self._notes is not None:
            task = asyncio.create_task(self._notes.note(unique_id, json.dumps(origin, ensure_ascii=False)))
            self._noting.add(task)
            task.add_done_callback(self._noted)

    def _noted(self, task: asyncio.Task[None]) -> None:
        self._noting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("where a device is announced could not be kept", exc_info=task.exception())

    async def adopted(self, device_id: str) -> None:
        """An owner adopted `device_id`: where its entities are announced now is where they belong."""
        entry = self._devices.get(device_id)
        for entity in entry.entities.values() if entry is not None else ():
            self._trust(entity.driver.cfg.unique_id, _origin(entity.driver.cfg))
        await asyncio.gather(*self._noting)

    def _device_id(self, cfg: DiscoveryConfig, driver: EntityDriver) -> str:
        jibsa_id = str(cfg.config.get("jibsa_id") or "")  # announced by a jibsa (simulate, or another hub)
        bound = self._bound.get(cfg.unique_id) or self._bound.get(jibsa_id)
        if bound is not None:
            return bound.id
        if jibsa_id and not _NOT_ID.search(jibsa_id):
            return jibsa_id
        if driver.kind is DeviceType.SENSOR and "jibsa_type" not in cfg.config and cfg.device:
            name = str(cfg.device.get("name") or cfg.device_key)
            return _NOT_ID.sub("_", name.lower()).strip("_") or device_id_for(cfg)
        return device_id_for(cfg)

    def _merges(self, entry: _DeviceEntry, driver: EntityDriver, cfg: DiscoveryConfig) -> bool:
        """Sensor entities of one physical device merge into one jibsa sensor."""
        first = next(iter(entry.entities.values()))
        return (
            driver.kind is DeviceType.SENSOR
            and first.driver.kind is DeviceType.SENSOR
            and first.driver.cfg.device_key == cfg.device_key
        )

    def _register(self, entity: _Entity, cfg: DiscoveryConfig) -> None:
        entry = self._devices.get(entity.device_id)
        if entry is None:
            entry = self._devices[entity.device_id] = _DeviceEntry(
                self._bound.get(entity.device_id) or Device(entity.device_id, entity.device_id, entity.driver.kind)
            )
        entry.entities[entity.topic] = entity
        self._entities[entity.topic] = entity
        self._unique_ids[cfg.unique_id] = entity.topic
        for state_topic in entity.driver.state_topics():
            self._state_routes.setdefault(state_topic, []).append(entity)
        for availability in cfg.availability:
            self._availability_routes.setdefault(availability.topic, []).append((entity.device_id, availability))
        if entity.device_id in self._bound:
            return
        device = device_from(self._home, entity.device_id, [e.driver for e in entry.entities.values()])
        entry.device, entry.announced = device, True
        self._announce(device)

    def _subscribe(self, entity: _Entity, cfg: DiscoveryConfig) -> None:
        """Subscribe to the entity's new topics; on topics already subscribed, replay the last payload
        to this entity alone (subscribing again would replay it to every entity on the topic)."""
        for availability in cfg.availability:
            if availability.topic not in self._subscriptions:
                self._subscriptions.add(availability.topic)
            elif availability.topic in self._last:
                text = self._last[availability.topic].decode("utf-8", errors="replace")
                self._on_availability(availability.topic, entity.device_id, availability, text)
        for topic in entity.driver.state_topics():
            if topic not in self._subscriptions:
                self._subscriptions.add(topic)
            elif topic in self._last:
                self._read_state(topic, entity, self._last[topic].decode("utf-8", errors="replace"))

    def _announce(self, device: Device) -> None:
        self._to_announce[device.id] = device
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_later(ANNOUNCE_WINDOW_S, self._flush_announcements)

    def _flush_announcements(self) -> None:
        """Tell the hub about the devices announced in the last few milliseconds, then their states."""
        self._flush_scheduled = False
        devices, self._to_announce = list(self._to_announce.values()), {}
        early, self._early = self._early, {}
        available, self._early_available = self._early_available, {}
        if not devices or self._sink is None:
            return
        self._sink.devices_discovered(devices)
        for device_id, values in early.items():
            self._sink.state_reported(device_id, values)
        for device_id, is_available in available.items():
            self._sink.availability_reported(device_id, is_available)

    def _forget(self, topic: str, *, keep_device: bool = False) -> None:
        entity = self._entities.pop(topic, None)
        if entity is None:
            return
        self._unique_ids.pop(entity.driver.cfg.unique_id, None)
        for state_topic in entity.driver.state_topics():
            routes = self._state_routes.get(state_topic, [])
            if entity in routes:
                routes.remove(entity)
        for availability in entity.driver.cfg.availability:
            pairs = self._availability_routes.get(availability.topic, [])
            if (entity.device_id, availability) in pairs:
                pairs.remove((entity.device_id, availability))
        if not keep_device:  # gone for good, not announced again: topics nobody reads are unsubscribed
            self._drop_unread(entity)
        entry = self._devices.get(entity.device_id)
        if entry is None:
            return
        entry.entities.pop(topic, None)
        if not entry.entities and not keep_device:
            del self._devices[entity.device_id]
            if self._to_announce.pop(entity.device_id, None) is not None:  # the hub never heard of it
                self._early.pop(entity.device_id, None)
                self._early_available.pop(entity.device_id, None)
            elif entry.announced and self._sink is not None:
                self._sink.devices_removed([entity.device_id])

    def _drop_unread(self, entity: _Entity) -> None:
        topics = [*entity.driver.state_topics(), *(a.topic for a in entity.driver.cfg.availability)]
        for topic in topics:
            if not self._state_routes.get(topic) and not self._availability_routes.get(topic):
                self._state_routes.pop(topic, None)
                self._availability_routes.pop(topic, None)
                self._last.pop(topic, None)
                self._subscriptions.drop(topic)

    # -- state ----------------------------------------------------------------------------------

    def _on_state(self, topic: str, payload: bytes) -> None:
        text = payload.decode("utf-8", errors="replace")
        for device_id, availability in self._availability_routes.get(topic, ()):
            self._heard(device_id)
            self._on_availability(topic, device_id, availability, text)
        for entity in self._state_routes.get(topic, ()):
            self._heard(entity.device_id)
            self._read_state(topic, entity, text)

    def _heard(self, device_id: str) -> None:
        """The device said something since the reconnect: commands held for it may go."""
        if self._unheard:
            heard = self._unheard.pop(device_id, None)
            if heard is not None:
                heard.set()

    def _read_state(self, topic: str, entity: _Entity, text: str) -> None:
        try:
            values = entity.driver.read(topic, text)
        except (ValueError, TemplateError, KeyError, TypeError) as exc:
            log.warning("%s: state of %s skipped: %s", topic, entity.device_id, exc)
            return
        if not values or self._sink is None:
            return
        known = _known(self._devices[entity.device_id].device, values)
        if entity.device_id in self._to_announce:  # the hub does not know the device yet
            self._early.setdefault(entity.device_id, {}).update(known)
        else:
            self._sink.state_reported(entity.device_id, known)

    def _on_availability(self, topic: str, device_id: str, availability: Availability, text: str) -> None:
        try:
            value = str(render(availability.value_template, text)).strip()
        except TemplateError as exc:
            log.warning("%s: availability skipped: %s", topic, exc)
            return
        if value not in (availability.payload_available, availability.payload_not_available):
            log.warning(
                "%s: availability %r is neither %r nor %r; skipped",
                topic,
                value,
                availability.payload_available,
                availability.payload_not_available,
            )
            return
        if device_id in self._to_announce:
            self._early_available[device_id] = value == availability.payload_available
        elif self._sink is not None:
            self._sink.availability_reported(device_id, value == availability.payload_available)


def _origin(cfg: DiscoveryConfig) -> tuple[str, ...]:
    """Where an entity is announced and commanded: its config topic and every topic its config names."""
    topics = sorted(f"{key}={value}" for key, value in cfg.config.items() if key.endswith("topic"))
    return (cfg.topic, *topics)


def _known(device: Device, values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the properties the device's type has, and what any device may say it draws and has used
    (`power_w`, `energy_kwh`); a native device may send more."""
    names = set(device.spec.property_names) | METER_KEYS
    return {k: v for k, v in values.items() if k in names or k.startswith("_")} if names else dict(values)
