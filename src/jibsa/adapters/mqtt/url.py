"""Broker addresses: mqtt://[user:pass@]host[:port] and mqtts:// (TLS)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TLS_FILES = ("ca_file", "cert_file", "key_file")


@dataclass(frozen=True, slots=True)
class BrokerUrl:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_file: str | None = None  # the CA that signed the broker's certificate (most home brokers use their own)
    cert_file: str | None = None  # a client certificate, for brokers that ask for one
    key_file: str | None = None
    insecure: bool = False  # TLS without checking the broker's certificate (a self-signed broker, knowingly)

    def __str__(self) -> str:  # never shows the password
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerUrl:
    """Read a broker URL; raises ValueError saying what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise ValueError(f"{url!r}: a broker URL starts with mqtt:// or mqtts://")
    if not parts.hostname:
        raise ValueError(f"{url!r}: no broker host")
    tls = parts.scheme in ("mqtts", "ssl")
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise ValueError(f"{url!r}: the port must be a number from 1 to 65535") from None
    return BrokerUrl(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


def broker_from_settings(settings: Mapping[str, Any]) -> BrokerUrl:
    """The broker of `mqtt: {url, ca_file, cert_file, key_file, insecure}`; ValueError naming the field."""
    url = settings.get("url")
    if not url:
        raise ValueError("mqtt.url: a broker url is needed (--mqtt mqtt://host:1883, or mqtt: {url: ...})")
    try:
        broker = parse_broker_url(str(url))
    except ValueError as exc:
        raise ValueError(f"mqtt.url: {exc}") from None
    files = {key: str(settings[key]) for key in TLS_FILES if settings.get(key)}
    for key, name in files.items():
        if not Path(name).is_file():
            raise ValueError(f"mqtt.{key}: no such file {name!r}")
    if files and not broker.tls:
        raise ValueError(f"mqtt.{next(iter(files))}: TLS files need a mqtts:// broker url, not {broker}")
    if "key_file" in files and "cert_file" not in files:
        raise ValueError("mqtt.key_file: given without mqtt.cert_file")
    insecure = settings.get("insecure", False)
    if not isinstance(insecure, bool) and str(insecure).lower() not in ("true", "false"):
        raise ValueError(f"mqtt.insecure: {insecure!r} is not true or false")
    return replace(
        broker,
        ca_file=files.get("ca_file"),
        cert_file=files.get("cert_file"),
        key_file=files.get("key_file"),
        insecure=str(insecure).lower() == "true",
    )
