"""A lean MQTT 3.1.1 client on asyncio: one connection, the packets a hub and its devices need.

Why not paho (through aiomqtt)? Per message, paho builds a thread-safe info object with a
condition variable, wakes the loop through its self-pipe and registers and unregisters a writer
with epoll; aiomqtt adds a task per timed call. That was 97 µs of CPU for each QoS 1 publish on
our 2-core machine, against 30 µs here, and it is what capped commands per second end to end.
This client is an `asyncio.Protocol`: a publish is one `transport.write`, an ack resolves one
future, incoming messages are handed to a callback as they are decoded.

What it does: CONNECT (clean session, credentials, last will, keep-alive), TLS (mqtts://),
SUBSCRIBE with per-topic QoS up to 1, PUBLISH QoS 0 and 1 (with retain) in both directions, PUBACK,
PINGREQ, DISCONNECT. Not QoS 2 and not persistent sessions: jibsa's messages are states and
commands that are published again on a new connection, so a clean session is what it wants.
A client is one connection: when it is lost, every call waiting on it fails with `MqttError`.
`stay_connected` makes a new one each time, with backoff; the adapter and the device publisher use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import socket
import ssl
import struct
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType

from jibsa.adapters.mqtt.url import BrokerUrl

log = logging.getLogger("jibsa.adapters.mqtt.client")

OnMessage = Callable[[str, bytes], None]

_CONNECT, _CONNACK, _PUBLISH, _PUBACK = 0x10, 0x20, 0x30, 0x40
_SUBSCRIBE, _SUBACK, _PINGREQ, _PINGRESP, _DISCONNECT = 0x82, 0x90, 0xC0, 0xD0, 0xE0
_REFUSALS = {1: "unacceptable protocol version", 2: "client id rejected", 3: "server unavailable",
             4: "bad user name or password", 5: "not authorised"}
_MAX_PACKET = 64 * 1024 * 1024  # a packet claiming more than this is a broken stream
FIRST_RETRY_S, LAST_RETRY_S = 0.1, 5.0  # reconnection backoff: 0.1 s, doubling up to 5 s


class MqttError(Exception):
    """The connection is gone, was refused, or the broker said no."""


@dataclass(frozen=True, slots=True)
class Will:
    topic: str
    payload: str
    qos: int = 1
    retain: bool = True


def _length(n: int) -> bytes:
    """MQTT's variable-length 'remaining length'."""
    out = bytearray()
    while True:
        digit, n = n % 128, n // 128
        out.append(digit | 0x80 if n else digit)
        if not n:
            return bytes(out)


def _text(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("!H", len(raw)) + raw


def _packet(kind: int, body: bytes) -> bytes:
    return bytes((kind,)) + _length(len(body)) + body


class _Protocol(asyncio.Protocol):
    """Frames the byte stream into packets and hands each to the client."""

    def __init__(self, client: MqttClient) -> None:
        self._client = client
        self._buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        pos, end = 0, len(buffer)
        handle = self._client._packet
        while end - pos >= 2:
            size, shift, i = 0, 0, pos + 1
            while True:
                if i >= end:
                    size = -1
                    break
                byte = buffer[i]
                size |= (byte & 0x7F) << shift
                shift += 7
                i += 1
                if not byte & 0x80:
                    break
                if shift > 21:
                    self._client._fail(MqttError("malformed packet length from the broker"))
                    return
            if size < 0 or end - i < size:
                break
            if size > _MAX_PACKET:
                self._client._fail(MqttError(f"packet of {size} bytes from the broker"))
                return
            header = buffer[pos]
            pos = i + size
            handle(header, bytes(buffer[i:pos]))
        del buffer[:pos]

    def connection_lost(self, exc: Exception | None) -> None:
        self._client._fail(MqttError(f"connection lost: {exc}" if exc else "connection closed by the broker"))

    def pause_writing(self) -> None:
        self._client._writable.clear()

    def resume_writing(self) -> None:
        self._client._writable.set()


class MqttClient:
    """One MQTT connection. `async with MqttClient(...)` connects and disconnects."""

    def __init__(self, url: BrokerUrl, *, on_message: OnMessage, client_id: str | None = None,
                 keepalive: int = 15, will: Will | None = None, nodelay: bool = True,
                 max_inflight: int = 1000, connect_timeout: float = 10.0) -> None:
        self.url = url
        self._on_message = on_message
        self.client_id = client_id or f"jibsa-{secrets.token_hex(6)}"
        self._keepalive = keepalive
        self._will = will
        self._nodelay = nodelay
        self._max_inflight = max_inflight
        self._connect_timeout = connect_timeout
        self._protocol: _Protocol | None = None
        self._transport: asyncio.Transport | None = None
        self._acks: dict[int, asyncio.Future[bytes]] = {}  # packet id -> PUBACK or SUBACK body
        self._next_id = 0
        self._slot_freed = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self._connack: asyncio.Future[bytes] | None = None
        self._closed: asyncio.Future[None] | None = None
        self._pinger: asyncio.Task[None] | None = None
        self._last_heard = 0.0

    # -- lifetime -------------------------------------------------------------------------------

    async def __aenter__(self) -> MqttClient:
        await self.connect()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.disconnect()

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        self._closed = loop.create_future()
        self._connack = loop.create_future()
        context = ssl.create_default_context() if self.url.tls else None
        try:
            async with asyncio.timeout(self._connect_timeout):
                transport, protocol = await loop.create_connection(
                    lambda: _Protocol(self), self.url.host, self.url.port, ssl=context,
                    server_hostname=self.url.host if context else None)
                self._transport, self._protocol = transport, protocol
                if not self._nodelay:  # asyncio turns Nagle's algorithm off on TCP; the benchmark turns it on
                    sock = transport.get_extra_info("socket")
                    if sock is not None:
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
                transport.write(self._connect_packet())
                ack = await self._connack
        except (OSError, TimeoutError) as exc:
            self._abort()
            raise MqttError(f"cannot connect to {self.url}: {exc or 'timed out'}") from None
        except MqttError:
            self._abort()
            raise
        if len(ack) < 2 or ack[1] != 0:
            self._abort()
            code = ack[1] if len(ack) >= 2 else -1
            raise MqttError(f"{self.url} refused the connection: {_REFUSALS.get(code, f'code {code}')}")
        self._last_heard = loop.time()
        self._pinger = asyncio.create_task(self._keep_alive(), name=f"mqtt-ping:{self.client_id}")

    async def disconnect(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(_packet(_DISCONNECT, b""))
        self._abort()
        self._fail(MqttError("disconnected"))
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
            self._pinger = None

    async def closed(self) -> None:
        """Wait until the connection is lost; raises the `MqttError` saying why."""
        assert self._closed is not None, "not connected"
        await asyncio.shield(self._closed)

    @property
    def is_connected(self) -> bool:
        return self._closed is not None and not self._closed.done()

    # -- sending --------------------------------------------------------------------------------

    async def subscribe(self, topics: Iterable[tuple[str, int]]) -> None:
        """Subscribe to (filter, max QoS) pairs in one packet; raises MqttError if any is refused."""
        pairs = list(topics)
        packet_id, ack = self._new_ack()
        body = struct.pack("!H", packet_id) + b"".join(_text(t) + bytes((min(q, 1),)) for t, q in pairs)
        self._write(_packet(_SUBSCRIBE, body))
        codes = (await ack)[2:]
        refused = [t for (t, _), code in zip(pairs, codes, strict=False) if code >= 0x80]
        if refused:
            raise MqttError(f"the broker refused the subscription to {', '.join(refused[:3])}")

    async def publish(self, topic: str, payload: str | bytes, *, qos: int = 0, retain: bool = False) -> None:
        """QoS 0: written (waits only while the socket's buffer is full). QoS 1: acknowledged by the broker."""
        raw = payload.encode() if isinstance(payload, str) else payload
        flags = _PUBLISH | (0x01 if retain else 0)
        if qos <= 0:
            if not self._writable.is_set():
                await self._wait(self._writable.wait())
            self._write(_packet(flags, _text(topic) + raw))
            return
        while len(self._acks) >= self._max_inflight:
            self._slot_freed.clear()
            await self._wait(self._slot_freed.wait())
        packet_id, ack = self._new_ack()
        self._write(_packet(flags | 0x02, _text(topic) + struct.pack("!H", packet_id) + raw))
        await ack

    # -- receiving (called by the protocol) -----------------------------------------------------

    def _packet(self, header: int, body: bytes) -> None:
        self._last_heard = asyncio.get_running_loop().time()
        kind = header & 0xF0
        if kind == _PUBLISH:
            self._on_publish(header, body)
        elif kind in (_PUBACK, _SUBACK):
            if len(body) < 2:
                return
            waiter = self._acks.pop((body[0] << 8) | body[1], None)
            if waiter is not None and not waiter.done():
                waiter.set_result(body)
            self._slot_freed.set()
        elif kind == _CONNACK:
            if self._connack is not None and not self._connack.done():
                self._connack.set_result(body)
        elif kind != _PINGRESP:
            log.debug("%s: packet type %#x ignored", self.url, header)

    def _on_publish(self, header: int, body: bytes) -> None:
        qos = (header >> 1) & 0x03
        if len(body) < 2:
            return
        size = (body[0] << 8) | body[1]
        topic = body[2:2 + size].decode("utf-8", errors="replace")
        start = 2 + size
        if qos:
            packet_id = body[start:start + 2]
            start += 2
            if self._transport is not None:
                self._transport.write(b"\x40\x02" + packet_id)  # PUBACK
        try:
            self._on_message(topic, body[start:])
        except Exception:  # the receiver's bug must not end the connection
            log.exception("%s: message on %s could not be handled", self.url, topic)

    # -- plumbing -------------------------------------------------------------------------------

    def _connect_packet(self) -> bytes:
        flags = 0x02  # clean session
        payload = _text(self.client_id)
        if self._will is not None:
            flags |= 0x04 | (min(self._will.qos, 1) << 3) | (0x20 if self._will.retain else 0)
            payload += _text(self._will.topic) + _text(self._will.payload)
        if self.url.username is not None:
            flags |= 0x80
            payload += _text(self.url.username)
            if self.url.password is not None:
                flags |= 0x40
                payload += _text(self.url.password)
        variable = _text("MQTT") + bytes((4, flags)) + struct.pack("!H", self._keepalive)
        return _packet(_CONNECT, variable + payload)

    def _new_ack(self) -> tuple[int, asyncio.Future[bytes]]:
        if self._closed is None or self._closed.done():
            raise MqttError("not connected")
        for _ in range(65535):
            self._next_id = self._next_id % 65535 + 1
            if self._next_id not in self._acks:
                break
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._acks[self._next_id] = future
        return self._next_id, future

    def _write(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing() or self._closed is None or self._closed.done():
            raise MqttError("not connected")
        self._transport.write(data)

    async def _wait(self, what: Awaitable[object]) -> None:
        """Wait for `what`, or fail with the connection."""
        assert self._closed is not None
        waiter = asyncio.ensure_future(what)
        done, _ = await asyncio.wait((waiter, self._closed), return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            raise MqttError("connection lost")

    async def _keep_alive(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._keepalive / 2)
            if loop.time() - self._last_heard > 1.5 * self._keepalive:
                self._fail(MqttError(f"{self.url} did not answer for {1.5 * self._keepalive:g} s"))
                self._abort()
                return
            with contextlib.suppress(MqttError):
                self._write(bytes((_PINGREQ, 0)))

    def _fail(self, error: MqttError) -> None:
        if self._closed is not None and not self._closed.done():
            self._closed.set_exception(error)
            self._closed.exception()  # retrieved: nobody need be waiting on it
        if self._connack is not None and not self._connack.done():
            self._connack.set_exception(error)
        waiting, self._acks = self._acks, {}
        for future in waiting.values():
            if not future.done():
                future.set_exception(error)
        self._slot_freed.set()
        self._writable.set()

    def _abort(self) -> None:
        if self._transport is not None:
            self._transport.close()


async def stay_connected(connect: Callable[[], MqttClient], session: Callable[[MqttClient], Awaitable[None]],
                         lost: Callable[[], None]) -> None:
    """Forever: connect with a new client from `connect()`, run `session` on it until the connection
    ends, call `lost()`, and try again after a backoff (0.1 s doubling to 5 s; back to 0.1 s once
    connected). Cancel the task running it to stop."""
    delay = FIRST_RETRY_S
    while True:
        client = connect()
        try:
            async with client:
                delay = FIRST_RETRY_S
                await session(client)
        except MqttError as exc:
            log.warning("broker %s: %s; reconnecting in %.1f s", client.url, exc, delay)
        finally:
            lost()
        await asyncio.sleep(delay)
        delay = min(LAST_RETRY_S, delay * 2)
