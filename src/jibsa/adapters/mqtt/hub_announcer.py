"""Announcing the hub's own devices (simulated, ThinQ, SmartThings) on MQTT with discovery, so that
Home Assistant and other hubs see them and can command them through jibsa."""

from __future__ import annotations

from collections.abc import Callable

from jibsa.adapters.mqtt.publisher import DevicePublisher
from jibsa.adapters.mqtt.url import BrokerUrl
from jibsa.domain import Command, DeviceAction, Role, StateChanged
from jibsa.hub import Actor, Hub


class HubAnnouncer:
    """Publishes every non-MQTT device of `hub`; commands arriving on MQTT run as the `mqtt` actor."""

    def __init__(self, hub: Hub, url: BrokerUrl) -> None:
        self._hub = hub
        devices = [d for d in hub.home.devices if d.vendor != "mqtt"]
        self.publisher = DevicePublisher(hub.home, devices, url, self._carry, node=f"jibsa_{hub.home.id}")
        self._unlisten: Callable[[], None] = _nothing

    async def start(self) -> None:
        self._unlisten = self._hub.bus.listen(self._on_event)
        await self.publisher.start({d: self._hub.state(d) for d in self.publisher.devices})

    async def stop(self) -> None:
        self._unlisten()
        await self.publisher.stop()

    def _on_event(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self.publisher.publish_state(event.device_id, self._hub.state(event.device_id))

    async def _carry(self, action: DeviceAction) -> None:
        params = {
            k: v
            for k, v in {"property": action.property, "value": action.value, **action.options}.items()
            if v is not None
        }
        # Other hubs are members, never owners: they cannot unlock the door without a person's confirmation.
        command = Command(action.intent, (action.device_id,), params)
        await self._hub.execute(command, actor=Actor("mqtt", Role.MEMBER, "mqtt"))


def _nothing() -> None:
    return None
