"""`jibsa simulate`: the simulated appliances as a separate process that speaks MQTT with discovery."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.adapters.mqtt.publisher import DevicePublisher
from jibsa.adapters.mqtt.url import BrokerUrl
from jibsa.adapters.sim import SimAdapter
from jibsa.domain import Device, DeviceType, Home, Room
from jibsa.domain.results import public_state
from jibsa.hub import Clock

# The mix of a generated home: mostly lights, plugs and sensors, as in a real one.
_GENERATED_MIX = (
    DeviceType.LIGHT,
    DeviceType.LIGHT,
    DeviceType.SWITCH,
    DeviceType.SENSOR,
    DeviceType.CURTAIN,
    DeviceType.LIGHT,
    DeviceType.AIR_CONDITIONER,
    DeviceType.SWITCH,
    DeviceType.DOOR_LOCK,
    DeviceType.FAN,
)


class _Publishing:
    """The simulator's sink: every state it reports goes out on MQTT."""

    def __init__(self, publisher: DevicePublisher, sim: SimAdapter) -> None:
        self._publisher = publisher
        self._sim = sim

    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None:
        self._publisher.publish_state(device_id, public_state(self._sim.state(device_id)))

    def availability_reported(self, device_id: str, available: bool) -> None:
        return None

    def devices_discovered(self, devices: Sequence[Device]) -> None:
        return None

    def devices_removed(self, device_ids: Sequence[str]) -> None:
        return None

    def devices_moved(self, devices: Sequence[Device]) -> None:
        return None


class MqttSimulator:
    """Simulated devices behind discovery, state and command topics on a real broker."""

    def __init__(
        self,
        home: Home,
        url: BrokerUrl,
        clock: Clock,
        *,
        node: str = "jibsa_sim",
        tick_s: float = 1.0,
        nodelay: bool = True,
    ) -> None:
        devices = [d for d in home.devices if d.vendor in ("sim", "mqtt")]
        self.sim = SimAdapter(clock, tick_s=tick_s)
        self.publisher = DevicePublisher(home, devices, url, self.sim.send, node=node, nodelay=nodelay)
        self._devices = devices

    async def start(self) -> None:
        await self.sim.start(self._devices, _Publishing(self.publisher, self.sim))
        await self.publisher.start({d.id: public_state(self.sim.state(d.id)) for d in self._devices})

    async def stop(self) -> None:
        await self.publisher.stop()
        await self.sim.stop()


def generated_home(count: int) -> Home:
    """A home of `count` simulated devices over ten rooms, for load tests and benchmarks."""
    rooms = tuple(Room(f"room_{i}", f"방{i}") for i in range(10))
    devices = []
    for i, kind in zip(range(count), itertools.cycle(_GENERATED_MIX), strict=False):
        measures = ("temperature", "humidity") if kind is DeviceType.SENSOR else ()
        devices.append(Device(f"dev_{i:05d}", f"기기 {i}", kind, room=rooms[i % 10].id, measures=measures))
    return Home("생성된 집", rooms, tuple(devices), id="generated")
