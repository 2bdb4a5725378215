"""Issue 20, item 2: the home's own lock cannot be taken over through MQTT discovery.

Whoever can publish on the broker clears the front door's retained config, then announces a lock with
the same unique id on another node's discovery topic, with command and state topics of their own and
state LOCKED. The door must go back to adoption (commands refused, the stranger's state kept aside),
and the household must be told (a stored notification and the event)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiomqtt
import pytest
from mqtt_support import open_over_mqtt, until

from jibsa.app import RunningHome
from jibsa.domain import Command
from jibsa.words import say

pytestmark = pytest.mark.mosquitto

DOOR_CONFIG = "homeassistant/lock/jibsa_sim/front_door/config"


async def _open(broker, data_dir: Path) -> RunningHome:  # type: ignore[no-untyped-def]
    home = await open_over_mqtt(broker, data_dir)
    await until(home.hub, lambda: home.hub.state("front_door").get("lock") is not None, "the door's state")
    return home


@pytest.fixture
async def running(broker, simulator, tmp_path: Path) -> AsyncIterator[RunningHome]:  # type: ignore[no-untyped-def]
    home = await _open(broker, tmp_path)
    yield home
    await home.close()


def _kind(event: object) -> object:
    to_json = getattr(event, "to_json", None)
    return to_json().get("type") if to_json is not None else None


async def _retained(port: int, topic: str) -> bytes:
    async with aiomqtt.Client("127.0.0.1", port) as client:
        await client.subscribe(topic)
        async with asyncio.timeout(5):
            async for message in client.messages:
                assert isinstance(message.payload, bytes)
                return message.payload
    raise AssertionError("unreachable")


async def _announce_door_from(port: int, node: str, prefix: str, state: str) -> None:
    """Clear the door's retained config and announce its unique id from `node`'s discovery topic, commanded on
    `prefix`/door/set and reporting `state` on `prefix`/door/state (retained)."""
    genuine = json.loads(await _retained(port, DOOR_CONFIG))
    elsewhere = {**genuine, "command_topic": f"{prefix}/door/set", "state_topic": f"{prefix}/door/state"}
    elsewhere.pop("availability_topic", None)
    async with aiomqtt.Client("127.0.0.1", port) as client:
        await client.publish(f"{prefix}/door/state", state, qos=1, retain=True)
        await client.publish(DOOR_CONFIG, b"", qos=1, retain=True)
        await client.publish(f"homeassistant/lock/{node}/front_door/config", json.dumps(elsewhere), qos=1, retain=True)


async def test_a_lock_announced_again_elsewhere_goes_back_to_adoption(broker, running: RunningHome) -> None:  # type: ignore[no-untyped-def]
    hub = running.hub
    await running.conversation.handle("현관문 열어줘", confirmed=True)
    await until(hub, lambda: hub.state("front_door").get("lock") == "unlocked", "the real door unlocked")
    told: list[object] = []
    hub.bus.listen(lambda e: told.append(e) if _kind(e) == "adoption_needed" else None)
    sent_to_stranger: list[bytes] = []
    async with aiomqtt.Client("127.0.0.1", broker.port) as attacker:
        await attacker.subscribe("evil/door/set")
        await _announce_door_from(broker.port, "attacker", "evil", "LOCKED")
        await until(hub, lambda: bool(told), "the household told the door waits for adoption")
        assert "front_door" in hub.adoption.waiting
        assert hub.state("front_door").get("lock") == "unlocked"  # not the stranger's LOCKED
        outcome = await hub.execute(Command("lock", ("front_door",)), confirmed=True)
        assert not outcome.ok
        assert outcome.results[0].detail.get("awaiting_adoption") is True
        turn = await running.conversation.handle("현관문 잠가줘", confirmed=True)
        assert "잠갔어요" not in turn.reply
        try:
            async with asyncio.timeout(0.5):
                async for message in attacker.messages:
                    sent_to_stranger.append(message.payload)  # type: ignore[arg-type]
        except TimeoutError:
            pass
    assert sent_to_stranger == []
    assert running.rules is not None
    await running.rules.settled()
    kept = await running.store.notifications(hub.home.id, None)  # type: ignore[attr-defined]
    assert any("현관문" in say(n.said, "ko") and "다시" in say(n.said, "ko") for n in kept)


async def test_a_lock_announced_elsewhere_while_jibsa_was_down_still_waits_for_adoption(  # type: ignore[no-untyped-def]
    broker, simulator, tmp_path: Path
) -> None:
    """Where the door was first announced is kept: after a restart, a stranger's announcement made while jibsa
    was down is not the first one seen, so it does not own the door."""
    first = await _open(broker, tmp_path)
    await first.conversation.handle("현관문 열어줘", confirmed=True)
    await until(first.hub, lambda: first.hub.state("front_door").get("lock") == "unlocked", "the real door unlocked")
    await first.close()
    await _announce_door_from(broker.port, "attacker", "evil", "LOCKED")
    again = await open_over_mqtt(broker, tmp_path)
    try:
        hub = again.hub
        await until(hub, lambda: "front_door" in hub.adoption.waiting, "the door waiting for an owner again")
        async with aiomqtt.Client("127.0.0.1", broker.port) as attacker:
            await attacker.subscribe("evil/door/set")
            outcome = await hub.execute(Command("lock", ("front_door",)), confirmed=True)
            assert not outcome.ok and outcome.results[0].detail.get("awaiting_adoption") is True
            turn = await again.conversation.handle("현관문 잠가줘", confirmed=True)
            assert "잠갔어요" not in turn.reply
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.5):
                    async for message in attacker.messages:
                        raise AssertionError(f"the stranger's lock was commanded: {message.payload!r}")
        assert again.rules is not None
        await again.rules.settled()
        kept = await again.store.notifications(hub.home.id, None)  # type: ignore[attr-defined]
        assert any("현관문" in say(n.said, "ko") and "다시" in say(n.said, "ko") for n in kept)
        assert hub.state("front_door").get("lock") == "unlocked"  # not the stranger's LOCKED
    finally:
        await again.close()


async def test_where_an_owner_adopted_the_lock_is_where_it_belongs_after_a_restart(  # type: ignore[no-untyped-def]
    broker, simulator, tmp_path: Path
) -> None:
    """The owner's adoption moves where the door belongs: the next run sends the door's commands there."""
    running = await _open(broker, tmp_path)
    await _announce_door_from(broker.port, "bridge", "hall", "UNLOCKED")
    await until(running.hub, lambda: "front_door" in running.hub.adoption.waiting, "the door waiting for an owner")
    assert await running.hub.adopt("front_door") is not None
    await running.close()
    again = await _open(broker, tmp_path)
    try:
        async with aiomqtt.Client("127.0.0.1", broker.port) as bridge:
            await bridge.subscribe("hall/door/set")
            await bridge.publish("hall/door/state", "LOCKED", qos=1, retain=True)
            hub = again.hub  # a waiting door's reports are kept aside: this one reaches the home
            await until(hub, lambda: hub.state("front_door").get("lock") == "locked", "the adopted door's own state")
            await hub.execute(Command("unlock", ("front_door",)), confirmed=True)
            async with asyncio.timeout(5):
                message = await anext(aiter(bridge.messages))
            assert message.payload == b"UNLOCK"
        assert "front_door" not in again.hub.adoption.waiting
    finally:
        await again.close()
