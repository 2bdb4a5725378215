"""Helpers for the MQTT tests (a uniquely named module: several test folders have a conftest)."""

from __future__ import annotations

import asyncio
import getpass
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jibsa.hub import Hub
from jibsa.testing.processes import free_port


async def until(hub: Hub, condition: Callable[[], bool], what: str, limit: float = 10.0) -> None:
    """Wait, event by event on the hub's bus, until `condition()` holds; fail saying what did not happen."""
    with hub.bus.subscribe(maxsize=100_000) as events:
        try:
            async with asyncio.timeout(limit):
                while not condition():
                    await events.get()
        except TimeoutError:
            pytest.fail(f"{what}: did not happen within {limit} s")


MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)


class Broker:
    """A throw-away Mosquitto: no persistence, anonymous, loopback only, TCP_NODELAY on."""

    def __init__(self, directory: Path, login: tuple[str, str] | None = None) -> None:
        """`login`: only this user name and password are let in (mosquitto_passwd makes the file)."""
        assert MOSQUITTO is not None
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.config = directory / "mosquitto.conf"
        access = "allow_anonymous true\n"
        if login is not None:
            passwords = directory / "passwords"
            subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwords), *login], check=True, capture_output=True)
            passwords.chmod(0o600)
            # Run as the test's own user (as root, mosquitto would drop to a user who cannot read it).
            access = f"allow_anonymous false\npassword_file {passwords}\nuser {getpass.getuser()}\n"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n{access}persistence false\nset_tcp_nodelay true\n", encoding="utf-8"
        )
        self.log = directory / "mosquitto.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([str(MOSQUITTO), "-c", str(self.config)], stdout=log, stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"mosquitto did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
