"""A real Mosquitto on a free port for each test that asks for one; it can be stopped and restarted."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        self.config.write_text(f"listener {self.port} 127.0.0.1\n{access}persistence false\n"
                               "set_tcp_nodelay true\n", encoding="utf-8")
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


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    running = Broker(tmp_path)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def login_broker(tmp_path: Path) -> Iterator[Broker]:
    """A broker that lets in only user `jibsa` with password `right`."""
    if MOSQUITTO is None:
        pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
    running = Broker(tmp_path, login=("jibsa", "right"))
    running.start()
    yield running
    running.stop()
