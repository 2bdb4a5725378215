"""TLS to a broker with its own CA (as most home brokers have), client certificates, and the checks
of `mqtt: {ca_file, cert_file, key_file, insecure}`. Certificates are made here with openssl."""

from __future__ import annotations

import asyncio
import getpass
import logging
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from mqtt_support import MOSQUITTO, Broker

from jibsa.adapters.mqtt import MqttAdapter, broker_from_settings
from jibsa.app import RunningHome, Settings, check_mqtt, open_home
from jibsa.config import ConfigError
from jibsa.domain import Command, Delivery, Device
from jibsa.home_file import load_home
from jibsa.hub import SystemClock
from jibsa.simulated_home import MqttSimulator

OPENSSL = shutil.which("openssl")


def _openssl(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


def _signed(name: str, cwd: Path, extensions: str) -> None:
    """`name`.key and `name`.pem, signed by the test CA."""
    (cwd / f"{name}.ext").write_text(extensions, encoding="utf-8")
    _openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.csr",
        "-subj",
        f"/CN={name}",
        cwd=cwd,
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        f"{name}.pem",
        "-days",
        "2",
        "-extfile",
        f"{name}.ext",
        cwd=cwd,
    )


@pytest.fixture
def certificates(tmp_path: Path) -> Path:
    """A CA of its own, a server certificate for 127.0.0.1 and a client certificate, all signed by it."""
    if OPENSSL is None:
        pytest.skip("needs openssl")
    directory = tmp_path / "pki"
    directory.mkdir()
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=jibsa test home CA",
        cwd=directory,
    )
    _signed("server", directory, "subjectAltName=IP:127.0.0.1\n")
    _signed("client", directory, "extendedKeyUsage=clientAuth\n")
    return directory


def _tls_broker(tmp_path: Path, pki: Path, require_certificate: bool) -> Broker:
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    broker = Broker(tmp_path)
    broker.url = f"mqtts://127.0.0.1:{broker.port}"
    broker.config.write_text(
        f"listener {broker.port} 127.0.0.1\nallow_anonymous true\npersistence false\nuser {getpass.getuser()}\n"
        f"cafile {pki / 'ca.pem'}\ncertfile {pki / 'server.pem'}\nkeyfile {pki / 'server.key'}\n"
        f"require_certificate {'true' if require_certificate else 'false'}\n",
        encoding="utf-8",
    )
    broker.start()
    return broker


@pytest.fixture
def tls_broker(tmp_path: Path, certificates: Path) -> Iterator[Broker]:
    broker = _tls_broker(tmp_path, certificates, require_certificate=False)
    yield broker
    broker.stop()


@pytest.fixture
def client_cert_broker(tmp_path: Path, certificates: Path) -> Iterator[Broker]:
    broker = _tls_broker(tmp_path, certificates, require_certificate=True)
    yield broker
    broker.stop()


async def _home_over(broker: Broker, settings: Mapping[str, Any], data: Path) -> AsyncIterator[RunningHome]:
    simulator = MqttSimulator(load_home(None).home, broker_from_settings(settings), SystemClock())
    await simulator.start()
    home = await open_home(
        Settings(
            data_dir=data,
            adapter_settings={"mqtt": {**settings, "announce": "false"}},
            devices_over_mqtt=True,
            command_timeout=3.0,
        )
    )
    try:
        with home.hub.bus.subscribe(maxsize=10_000) as events:
            async with asyncio.timeout(15):
                while "power" not in home.hub.state("study_light"):
                    await events.get()
        yield home
    finally:
        await home.close()
        await simulator.stop()


@pytest.mark.mosquitto
async def test_a_broker_with_its_own_ca_is_reached_with_ca_file(
    tls_broker: Broker, certificates: Path, tmp_path: Path
) -> None:
    settings = {"url": tls_broker.url, "ca_file": str(certificates / "ca.pem")}
    async for home in _home_over(tls_broker, settings, tmp_path / "data"):
        outcome = await home.hub.execute(Command("turn_on", ("study_light",)))
        assert outcome.results[0].delivery is Delivery.DONE
        assert home.hub.state("study_light")["power"] is True


@pytest.mark.mosquitto
async def test_a_broker_asking_for_a_client_certificate_gets_ours(
    client_cert_broker: Broker, certificates: Path, tmp_path: Path
) -> None:
    settings = {
        "url": client_cert_broker.url,
        "ca_file": str(certificates / "ca.pem"),
        "cert_file": str(certificates / "client.pem"),
        "key_file": str(certificates / "client.key"),
    }
    async for home in _home_over(client_cert_broker, settings, tmp_path / "data"):
        assert (await home.hub.execute(Command("turn_off", ("study_light",)))).ok


class _NoSink:
    def state_reported(self, device_id: str, values: Mapping[str, Any]) -> None: ...
    def availability_reported(self, device_id: str, available: bool) -> None: ...
    def devices_discovered(self, devices: Sequence[Device]) -> None: ...
    def devices_removed(self, device_ids: Sequence[str]) -> None: ...


class _Waiter(logging.Handler):
    """Sets `seen` when a log record contains `text`."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.seen = asyncio.Event()
        self.message = ""

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.message = record.getMessage()
            self.seen.set()


async def _refusal(settings: Mapping[str, Any], text: str) -> str:
    """The log line an adapter with `settings` writes when its connection fails with `text`."""
    adapter = MqttAdapter(load_home(None).home, broker_from_settings(settings))
    waiter = _Waiter(text)
    logging.getLogger("jibsa.adapters.mqtt").addHandler(waiter)
    try:
        await adapter.start([], _NoSink())
        async with asyncio.timeout(15):
            await waiter.seen.wait()
        assert not adapter._connected.is_set()
    finally:
        logging.getLogger("jibsa.adapters.mqtt").removeHandler(waiter)
        await adapter.stop()
    return waiter.message


@pytest.mark.mosquitto
# paho leaves the socket of a failed TLS handshake for the garbage collector to close.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning", "ignore::ResourceWarning")
async def test_an_untrusted_broker_is_refused_with_a_message_saying_what_to_do(tls_broker: Broker) -> None:
    message = await _refusal({"url": tls_broker.url}, "CERTIFICATE_VERIFY_FAILED")
    assert "set mqtt.ca_file to the broker's CA" in message and tls_broker.url in message


@pytest.mark.mosquitto
async def test_insecure_skips_the_check_knowingly(tls_broker: Broker, tmp_path: Path) -> None:
    async for home in _home_over(tls_broker, {"url": tls_broker.url, "insecure": True}, tmp_path / "data"):
        assert (await home.hub.execute(Command("turn_on", ("study_light",)))).ok


@pytest.mark.mosquitto
async def test_without_the_client_certificate_the_broker_says_no(
    client_cert_broker: Broker, certificates: Path
) -> None:
    message = await _refusal({"url": client_cert_broker.url, "ca_file": str(certificates / "ca.pem")}, "reconnecting")
    assert client_cert_broker.url in message


@pytest.mark.parametrize(("settings", "error"), [
    ({"url": "mqtt://h:1883", "ca_file": "{pki}/ca.pem"}, "mqtt.ca_file: TLS files need a mqtts:// broker url"),
    ({"url": "mqtts://h", "ca_file": "{pki}/missing.pem"}, "mqtt.ca_file: no such file"),
    ({"url": "mqtts://h", "key_file": "{pki}/client.key"}, "mqtt.key_file: given without mqtt.cert_file"),
    ({"url": "mqtts://h", "insecure": "maybe"}, "mqtt.insecure: 'maybe' is not true or false"),
    ({"url": "http://h"}, "mqtt.url: 'http://h': a broker URL starts with mqtt://"),
])  # fmt: skip
def test_bad_tls_settings_name_their_field(settings: dict[str, Any], error: str, certificates: Path) -> None:
    filled = {k: v.format(pki=certificates) if isinstance(v, str) else v for k, v in settings.items()}
    with pytest.raises(ConfigError, match=error.replace("(", r"\(")):
        check_mqtt({"mqtt": filled})


def test_good_tls_settings_become_the_broker(certificates: Path) -> None:
    broker = broker_from_settings(
        {
            "url": "mqtts://u:p@home.lan",
            "ca_file": str(certificates / "ca.pem"),
            "cert_file": str(certificates / "client.pem"),
            "key_file": str(certificates / "client.key"),
            "insecure": "false",
        }
    )
    assert (broker.port, broker.tls, broker.insecure) == (8883, True, False)
    assert broker.ca_file == str(certificates / "ca.pem") and broker.key_file == str(certificates / "client.key")
    assert "p@" not in str(broker)
