"""The whole path over a real Mosquitto: discovery, commands, states, availability, faults."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiomqtt
import pytest
from mqtt_support import open_over_mqtt, until

from jibsa.app import RunningHome
from jibsa.domain import Command, ErrorCode, StateChanged

pytestmark = pytest.mark.mosquitto


@pytest.fixture
async def running(broker, simulator, tmp_path: Path) -> AsyncIterator[RunningHome]:  # type: ignore[no-untyped-def]
    home = await open_over_mqtt(broker, tmp_path)
    await until(
        home.hub, lambda: home.hub.state("living_sensor").get("temperature") is not None, "sensor state over MQTT"
    )
    yield home
    await home.close()


async def test_sentence_to_device_and_back_over_the_broker(running: RunningHome) -> None:
    hub = running.hub
    changes: list[StateChanged] = []
    hub.bus.listen(lambda e: changes.append(e) if isinstance(e, StateChanged) else None)
    turn = await running.conversation.handle("거실 천장등 밝기 40으로", room="living")
    assert [r.ok for r in turn.results] == [True]
    await until(hub, lambda: hub.state("living_ceiling").get("brightness") == 40, "brightness 40 came back")
    assert any(c.device_id == "living_ceiling" and c.new.get("power") is True for c in changes)
    await running.conversation.handle("안방 에어컨 23도로 맞춰줘")
    await until(hub, lambda: hub.state("master_ac").get("temperature") == 23, "temperature came back")
    await running.conversation.handle("가스 잠가")
    await until(hub, lambda: hub.state("gas_valve").get("valve") == "closed", "valve closed")
    turn = await running.conversation.handle("거실 스탠드 파란색으로 바꿔줘", room="living")
    assert [r.ok for r in turn.results] == [True], turn.reply
    await until(hub, lambda: hub.state("living_stand").get("color") == "blue", "colour came back")
    assert hub.home.device("living_ceiling").vendor == "mqtt"  # type: ignore[union-attr]


async def test_offline_device_is_not_answering(broker, running: RunningHome) -> None:  # type: ignore[no-untyped-def]
    async with aiomqtt.Client("127.0.0.1", broker.port) as client:
        await client.publish("jibsa/jibsa_sim/status", "offline", qos=1, retain=True)
    await until(running.hub, lambda: not running.hub.states.available("living_ceiling"), "marked unavailable")
    outcome = await running.hub.execute(Command("turn_off", ("living_ceiling",)))
    assert outcome.results[0].error is ErrorCode.NOT_ANSWERING


class _Logged(logging.Handler):
    """Sets `seen` once every expected text has been in some record's message (records are emitted on the
    event loop's thread: the adapter logs as it handles a message)."""

    def __init__(self, expected: set[str]) -> None:
        super().__init__(logging.WARNING)
        self.missing = set(expected)
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.missing = {text for text in self.missing if text not in message}
        if not self.missing:
            self.seen.set()


MALFORMED_LOGGED = {
    "unique id 'jibsa_sim_living_ceiling' is already announced",
    "homeassistant/light/bad/thing/config: discovery skipped: payload is not JSON",
    "jibsa/jibsa_sim/living_ceiling/state: state of living_ceiling skipped",
    "jibsa/jibsa_sim/kids_sensor/state: state of kids_sensor skipped",
    "out of range",
}
FLOOD_LAST = 19.5  # the flood's last temperature, unlike any before it


async def test_malformed_messages_are_logged_with_their_topic_and_skipped(
    running: RunningHome,
    broker,  # type: ignore[no-untyped-def]
) -> None:
    hub = running.hub
    logged = _Logged(MALFORMED_LOGGED)
    logging.getLogger("jibsa.adapters.mqtt").addHandler(logged)
    flood_seen: list[float] = []
    hub.bus.listen(lambda e: flood_seen.append(e.new.get("temperature")) if _is_sensor(e, "living_sensor") else None)
    try:
        async with aiomqtt.Client("127.0.0.1", broker.port) as client:
            await client.publish("homeassistant/light/bad/thing/config", b"{oops", qos=1)
            # On topics of their own: the flood below would supersede them on the sensor's (newest per topic).
            await client.publish("jibsa/jibsa_sim/living_ceiling/state", b"not json", qos=1)
            await client.publish(
                "jibsa/jibsa_sim/kids_sensor/state", json.dumps({"temperature": 900, "humidity": 40}), qos=1
            )
            duplicate = {"unique_id": "jibsa_sim_living_ceiling", "command_topic": "x/set", "schema": "json"}
            await client.publish("homeassistant/light/other/copy/config", json.dumps(duplicate), qos=1)
            for i in range(2000):  # a flood on one topic
                await client.publish("jibsa/jibsa_sim/living_sensor/state", json.dumps({"temperature": 20 + i % 5}))
            await client.publish("jibsa/jibsa_sim/living_sensor/state", json.dumps({"temperature": FLOOD_LAST}), qos=1)
        # Waited for as they happen: each malformed message's log line, the flood's last state in the hub (a
        # topic keeps its place in the adapter's queue, so the sensor's may be handled before the others).
        try:
            async with asyncio.timeout(60):  # a bound for a loaded machine, not a speed target
                await logged.seen.wait()
        except TimeoutError:
            pytest.fail(f"not logged within 60 s: {sorted(logged.missing)}")
    finally:
        logging.getLogger("jibsa.adapters.mqtt").removeHandler(logged)
    await until(hub, lambda: FLOOD_LAST in flood_seen, "the flood's last state", 60)
    assert hub.home.device("copy") is None
    outcome = await hub.execute(Command("turn_on", ("living_ceiling",)))
    assert outcome.ok


def _is_sensor(event: object, device_id: str) -> bool:
    return isinstance(event, StateChanged) and event.device_id == device_id


async def test_broker_restart_reconnects_and_delivers_commands_given_while_down(
    broker,
    running: RunningHome,  # type: ignore[no-untyped-def]
) -> None:
    hub = running.hub
    broker.stop()
    pending = asyncio.create_task(hub.execute(Command("turn_on", ("kitchen_light",))))
    done, _ = await asyncio.wait({pending}, timeout=0.3)
    assert not done  # the command is waiting for the broker, not dropped
    broker.start()
    outcome = await pending
    assert outcome.ok, outcome
    await until(hub, lambda: hub.state("kitchen_light").get("power") is True, "state after the restart")


async def test_command_while_broker_stays_down_fails_within_the_timeout(
    broker,
    running: RunningHome,  # type: ignore[no-untyped-def]
) -> None:
    broker.stop()
    outcome = await running.hub.execute(Command("turn_on", ("study_light",)))
    assert outcome.results[0].error is ErrorCode.NOT_ANSWERING
    assert "did not answer in 2 s" in outcome.results[0].message
