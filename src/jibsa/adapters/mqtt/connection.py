"""Connections to the broker, through aiomqtt (paho underneath): one client per adapter or device
publisher for its whole life, so that a QoS 1 message not yet acknowledged when a connection dies is
sent again, with the DUP flag, on the next one; reconnection with jittered backoff; TLS with the
broker's own CA, client certificates, or (told to) no verification at all."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import ssl
from collections.abc import Awaitable, Callable

import aiomqtt

from jibsa.adapters.mqtt.url import BrokerUrl

log = logging.getLogger("jibsa.adapters.mqtt")
FIRST_RETRY_S, LAST_RETRY_S = 0.1, 5.0  # reconnection backoff: 0.1 s doubling to 5 s, each wait jittered
MAX_QUEUED_OUT = 100_000  # QoS 1 messages paho keeps for the next connection; more are refused
CONNECT_TIMEOUT_S = 5.0  # for CONNACK and SUBACK (a broker refusing our TLS certificate never answers)
MqttError = aiomqtt.MqttError


def tls_context(url: BrokerUrl) -> ssl.SSLContext | None:
    """The TLS context for `url`: the system's CAs, or `ca_file`'s; a client certificate when given;
    no verification only when `insecure` says so. Raises OSError/ssl.SSLError for unreadable files."""
    if not url.tls:
        return None
    context = ssl.create_default_context(cafile=url.ca_file)
    if url.cert_file:
        context.load_cert_chain(url.cert_file, url.key_file)
    if url.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def new_client(
    url: BrokerUrl,
    *,
    client_id: str | None = None,
    will: aiomqtt.Will | None = None,
    nodelay: bool = True,
    queue_type: type[asyncio.Queue[aiomqtt.Message]] | None = None,
    keepalive: int = 15,
) -> aiomqtt.Client:
    """A reusable client for `url` (enter it again after a lost connection)."""
    client = aiomqtt.Client(
        url.host,
        url.port,
        username=url.username,
        password=url.password,
        identifier=client_id,
        will=will,
        keepalive=keepalive,
        timeout=CONNECT_TIMEOUT_S,
        tls_context=tls_context(url),
        queue_type=queue_type,
        max_queued_outgoing_messages=MAX_QUEUED_OUT,
        clean_session=True,
        socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if nodelay else 0)],
    )
    client.pending_calls_threshold = 10 * MAX_QUEUED_OUT  # many commands in flight is normal here
    return client


async def stay_connected(
    client: aiomqtt.Client,
    url: BrokerUrl,
    session: Callable[[aiomqtt.Client], Awaitable[None]],
    lost: Callable[[], None],
) -> None:
    """Forever: connect, run `session` until the connection ends, call `lost()`, and try again after
    a jittered backoff (0.1 s doubling up to 5 s; back to 0.1 s once connected). Cancel to stop."""
    delay = FIRST_RETRY_S
    while True:
        try:
            async with client:
                delay = FIRST_RETRY_S
                await session(client)
        except MqttError as exc:
            log.warning("broker %s: %s; reconnecting", url, _explained(exc))
        finally:
            lost()
        await asyncio.sleep(random.uniform(delay / 2, delay))
        delay = min(LAST_RETRY_S, delay * 2)


def _explained(exc: MqttError) -> str:
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return (
            f"{text} (the broker's certificate is not signed by a CA jibsa trusts: set mqtt.ca_file to the "
            "broker's CA, or mqtt.insecure: true to skip the check)"
        )
    return text
