"""jibsa's MQTT client against a real Mosquitto, with paho (through aiomqtt) as the other party."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable
from typing import Any

import aiomqtt
import pytest

from jibsa.adapters.mqtt import parse_broker_url
from jibsa.adapters.mqtt.client import MqttClient, MqttError, Will


def collect(into: list[tuple[str, bytes]]) -> Callable[[str, bytes], None]:
    return lambda topic, payload: into.append((topic, payload))


async def until(condition: Callable[[], bool], limit: float = 5.0) -> None:
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 - the receivers here fill lists, not events
            await asyncio.sleep(0.005)


async def test_publishes_at_qos_0_and_1_reach_another_client_and_retained_ones_stay(broker: Any) -> None:
    url = parse_broker_url(broker.url)
    async with MqttClient(url, on_message=lambda t, p: None) as client:
        await client.publish("home/a", "retained", qos=1, retain=True)
        async with aiomqtt.Client("127.0.0.1", broker.port) as other:
            await other.subscribe("home/#", qos=1)
            await client.publish("home/b", b"\x00\xffbinary", qos=0)
            await client.publish("home/c", "한국어", qos=1)
            got: dict[str, bytes] = {}
            async with asyncio.timeout(5):
                async for message in other.messages:
                    got[str(message.topic)] = message.payload  # type: ignore[assignment]
                    if len(got) == 3:
                        break
    assert got == {"home/a": b"retained", "home/b": b"\x00\xffbinary", "home/c": "한국어".encode()}


async def test_subscriptions_deliver_qos_1_messages_and_acknowledge_them(broker: Any) -> None:
    received: list[tuple[str, bytes]] = []
    async with MqttClient(parse_broker_url(broker.url), on_message=collect(received)) as client:
        await client.subscribe([("dev/+/set", 1), ("other/#", 0)])
        async with aiomqtt.Client("127.0.0.1", broker.port) as other:
            for n in range(300):  # more than one TCP read's worth, each acknowledged by us
                await other.publish(f"dev/{n % 7}/set", f"{n}", qos=1)
            await other.publish("other/x", "0", qos=0)
        await until(lambda: len(received) == 301)
    assert [p for t, p in received if t.startswith("dev/")] == [str(n).encode() for n in range(300)]
    assert received[-1] == ("other/x", b"0")


async def test_many_qos_1_publishes_in_flight_beyond_the_limit_all_complete(broker: Any) -> None:
    async with MqttClient(parse_broker_url(broker.url), on_message=lambda t, p: None, max_inflight=8) as client:
        await asyncio.gather(*(client.publish(f"t/{n}", str(n), qos=1) for n in range(500)))
        assert client.is_connected


async def test_a_wrong_password_is_refused_with_the_reason(login_broker: Any) -> None:
    wrong = parse_broker_url(f"mqtt://jibsa:wrong@127.0.0.1:{login_broker.port}")
    with pytest.raises(MqttError, match=r"bad user name or password|not authorised"):
        await MqttClient(wrong, on_message=lambda t, p: None).connect()
    right = parse_broker_url(f"mqtt://jibsa:right@127.0.0.1:{login_broker.port}")
    async with MqttClient(right, on_message=lambda t, p: None) as client:
        await client.publish("t", "ok", qos=1)


async def test_no_broker_is_an_mqtt_error_naming_the_address() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: the connection is refused
        with pytest.raises(MqttError, match=f"cannot connect to mqtt://127.0.0.1:{port}"):
            await MqttClient(parse_broker_url(f"mqtt://127.0.0.1:{port}"), on_message=lambda t, p: None).connect()


async def test_the_broker_dying_fails_waiting_calls_and_ends_the_connection(broker: Any) -> None:
    client = MqttClient(parse_broker_url(broker.url), on_message=lambda t, p: None)
    await client.connect()
    closed = asyncio.ensure_future(client.closed())
    broker.process.send_signal(signal.SIGSTOP)  # acks stop coming
    pending = asyncio.ensure_future(client.publish("t", "x", qos=1))
    await asyncio.sleep(0.05)
    assert not pending.done()
    broker.stop()  # now it is gone
    with pytest.raises(MqttError):
        await asyncio.wait_for(pending, 5)
    with pytest.raises(MqttError):
        await asyncio.wait_for(closed, 5)
    assert not client.is_connected
    with pytest.raises(MqttError, match="not connected"):
        await client.publish("t", "y", qos=1)
    await client.disconnect()


async def test_the_last_will_is_published_when_the_connection_drops(broker: Any) -> None:
    url = parse_broker_url(broker.url)
    async with aiomqtt.Client("127.0.0.1", broker.port) as watcher:
        await watcher.subscribe("node/status", qos=1)
        client = MqttClient(url, on_message=lambda t, p: None, will=Will("node/status", "offline"))
        await client.connect()
        await client.publish("node/status", "online", qos=1, retain=True)
        client._abort()  # the process dies: no DISCONNECT, so the broker sends the will
        seen: list[bytes] = []
        async with asyncio.timeout(5):
            async for message in watcher.messages:
                seen.append(message.payload)  # type: ignore[arg-type]
                if message.payload == b"offline":
                    break
        await client.disconnect()
    assert seen[-1] == b"offline"


async def test_a_clean_disconnect_does_not_send_the_will(broker: Any) -> None:
    url = parse_broker_url(broker.url)
    async with MqttClient(url, on_message=lambda t, p: None, will=Will("node/s", "offline")) as client:
        await client.publish("node/s", "online", qos=1, retain=True)
    received: list[tuple[str, bytes]] = []
    async with MqttClient(url, on_message=collect(received)) as reader:
        await reader.subscribe([("node/s", 1)])
        await until(lambda: bool(received))
        await asyncio.sleep(0.1)
    assert received == [("node/s", b"online")]


async def test_a_receiver_that_raises_does_not_end_the_connection(broker: Any) -> None:
    seen: list[str] = []

    def fussy(topic: str, payload: bytes) -> None:
        seen.append(topic)
        if payload == b"bad":
            raise ValueError("cannot read this")

    async with MqttClient(parse_broker_url(broker.url), on_message=fussy) as client:
        await client.subscribe([("x/#", 1)])
        await client.publish("x/1", "bad", qos=1)
        await client.publish("x/2", "good", qos=1)
        await until(lambda: len(seen) == 2)
        assert client.is_connected


async def test_a_garbled_stream_from_the_server_is_an_error_not_a_hang() -> None:
    writers: list[asyncio.StreamWriter] = []

    async def fake_broker(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        await reader.read(100)
        writer.write(b"\x20\x02\x00\x00")  # CONNACK: accepted
        writer.write(b"\x30\xff\xff\xff\xff\xff")  # a length that never ends
        await writer.drain()

    # Not a broker: the one thing a real one will not do is send a broken packet.
    server = await asyncio.start_server(fake_broker, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        client = MqttClient(parse_broker_url(f"mqtt://127.0.0.1:{port}"), on_message=lambda t, p: None)
        await client.connect()
        with pytest.raises(MqttError, match="malformed"):
            await asyncio.wait_for(client.closed(), 5)
        await client.disconnect()
        for writer in writers:
            writer.close()
            await writer.wait_closed()
