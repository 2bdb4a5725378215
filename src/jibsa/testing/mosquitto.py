"""A throw-away Mosquitto for tests and benchmarks: loopback only, no persistence, anonymous unless a login
is given, on a free port; started, killed (SIGKILL) and started again on the same port."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from pathlib import Path

from jibsa.testing.processes import free_port

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)


class Broker:
    """One Mosquitto configured in `directory` (its config and log live there)."""

    def __init__(
        self, directory: Path, login: tuple[str, str] | None = None, *, nodelay: bool = True, extra: str = ""
    ) -> None:
        """`login`: only this user name and password are let in (mosquitto_passwd makes the file); `extra`:
        more lines for the config (`max_queued_messages 1000000`)."""
        if MOSQUITTO is None:
            raise RuntimeError("needs the mosquitto binary (Debian package mosquitto)")
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.config = directory / f"mosquitto-{self.port}.conf"
        access = "allow_anonymous true\n"
        if login is not None:
            passwords = directory / "passwords"
            subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwords), *login], check=True, capture_output=True)
            passwords.chmod(0o600)
            # Run as the caller's own user (as root, mosquitto would drop to a user who cannot read it).
            access = f"allow_anonymous false\npassword_file {passwords}\nuser {getpass.getuser()}\n"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n{access}persistence false\n"
            f"set_tcp_nodelay {'true' if nodelay else 'false'}\n{extra}",
            encoding="utf-8",
        )
        self.log = directory / f"mosquitto-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it and return once it accepts connections."""
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
        """Kill it (SIGKILL: no goodbye to its clients), and wait for it to be gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
